"""Writes of e-reader sync: device keys, and positions a device sends."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.social.actions.positions import set_position
from ficarchive.social.ereaders import place_of
from ficarchive.social.models import DeviceProgress, EpubVersion, ReadingDevice
from ficarchive.works.models import Chapter

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

MAX_NAME = 100
MAX_DEVICES = 20
USED_EVERY = timedelta(hours=1)  # how often a device's last use is written at most


def hash_device_key(sent: str) -> str:
    """What is stored of a device key: the SHA-256 of the MD5 the device sends of it."""
    return hashlib.sha256(sent.strip().lower().encode("ascii", "replace")).hexdigest()


def md5_of(key: str) -> str:
    return hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest()


@transaction.atomic
def create_device(user: User, name: str) -> tuple[ReadingDevice, str]:
    """A new device key for USER's e-reader NAME; returns the device and the key, which is
    never shown again (the device sends its MD5, which is all it is checked by)."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationError(
            {"name": [_("Name the device (1 to %(most)s characters).") % {"most": MAX_NAME}]}
        )
    if ReadingDevice.objects.filter(user=user).count() >= MAX_DEVICES:
        raise ValidationError(
            {"name": [_("You have %(count)s devices; remove one first.") % {"count": MAX_DEVICES}]}
        )
    key = secrets.token_urlsafe(18)
    device = ReadingDevice.objects.create(
        user=user, name=name, key_hash=hash_device_key(md5_of(key))
    )
    return device, key


@transaction.atomic
def remove_device(user: User, device: ReadingDevice) -> None:
    if device.user_id != user.pk:
        raise PermissionDenied("This is not your device.")
    device.delete()


def device_user(username: str, sent_key: str) -> User | None:
    """The active account USERNAME if SENT_KEY (the MD5 of one of its device keys) is its."""
    if not username or not sent_key or len(sent_key) > 200 or len(username) > 150:
        return None
    device = (
        ReadingDevice.objects.filter(
            key_hash=hash_device_key(sent_key),
            user__username__iexact=username,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    if device is None:
        return None
    now = timezone.now()
    if device.last_used_at is None or now - device.last_used_at > USED_EVERY:
        ReadingDevice.objects.filter(pk=device.pk).update(last_used_at=now)
    return device.user


@transaction.atomic
def sync_from_device(
    user: User,
    version: EpubVersion,
    progress: str,
    percentage: float,
    device: str,
    device_id: str,
) -> DeviceProgress:
    """A device read VERSION of a work up to PROGRESS (a KOReader XPointer): that is the
    reader's place in the work now, on the web too."""
    position = place_of(version, progress)
    if position is None:
        raise ValidationError(_("That position is not in this book."))
    chapter = Chapter.objects.filter(
        pk=position.chapter_id, work_id=version.work_id, is_draft=False
    ).first()
    if chapter is None:
        raise ValidationError(_("That chapter is no longer posted."))
    reading = set_position(
        user, version.work, chapter, position.paragraph, finished=position.finished
    )
    if reading is None:
        raise PermissionDenied(
            _("Your reading history is off on %(site)s: turn it on to keep your place.")
            % {"site": settings.SITE_NAME}
        )
    kept, _created = DeviceProgress.objects.update_or_create(
        user=user,
        version=version,
        defaults={
            "progress": progress[:500],
            "percentage": percentage,
            "device": device[:100],
            "device_id": device_id[:100],
            "at": reading.position_at,
        },
    )
    return kept

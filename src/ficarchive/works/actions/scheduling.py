"""Scheduled and silent release: authors set when a draft work or chapter posts itself.

`schedule_work` and `schedule_chapter` keep one `ScheduledRelease` per item (a second call
changes its time), `cancel_release` ends it, and the background upkeep calls `post_due` every
minute: it posts what is due, oldest first, each through the same verbs as the author's own
"Post" (`post_draft_work`, `post_chapter`), as the account that scheduled it, so the spam check,
the standing rules and the subscribers' notices are the same. A silent chapter tells no
subscriber and leaves the work's updated date alone.

Nothing posts twice: each item is claimed by locking its row in the transaction that posts it
and deletes it (PostgreSQL's row lock; SQLite's write lock), so a second worker finds it gone.
An item that cannot post yet (a chapter of a work still in draft, a work waiting for review, a
suspended author, new works switched off) stays scheduled and is tried again at the next
upkeep. A server that was down posts everything that fell due meanwhile on its first upkeep,
in the order it was due.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ficarchive.works.actions.details import _require_creator
from ficarchive.works.actions.holding import require_not_held
from ficarchive.works.actions.posting import post_chapter, post_draft_work
from ficarchive.works.models import Chapter, ScheduledRelease, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

logger = logging.getLogger(__name__)

FURTHEST = timedelta(days=2 * 366)  # how far ahead a release may be set


def _check_time(post_at: datetime) -> None:
    if timezone.is_naive(post_at):
        raise ValueError("post_at must be an aware datetime")
    now = timezone.now()
    if post_at <= now:
        when = formats.date_format(timezone.localtime(post_at), "DATETIME_FORMAT")
        raise ValidationError(
            {"post_at": _("%(when)s has passed: choose a time to come.") % {"when": when}}
        )
    if post_at > now + FURTHEST:
        raise ValidationError({"post_at": _("Choose a time within the next two years.")})


@transaction.atomic
def schedule_work(user: User, work: Work, post_at: datetime) -> ScheduledRelease:
    """Post the draft WORK (and its draft chapters not scheduled for later) at POST_AT."""
    _require_creator(user, work)
    require_not_held(work)
    if not work.is_draft:
        raise ValidationError(
            _("This work is already posted; schedule its draft chapters instead.")
        )
    _check_time(post_at)
    release, _created = ScheduledRelease.objects.update_or_create(
        work=work,
        chapter=None,
        defaults={"post_at": post_at, "scheduled_by": user, "silent": False},
    )
    return release


@transaction.atomic
def schedule_chapter(
    user: User, chapter: Chapter, post_at: datetime, *, silent: bool = False
) -> ScheduledRelease:
    """Post the draft CHAPTER at POST_AT (SILENT: without telling subscribers or moving the
    work's updated date). A chapter of a draft work posts with the work when the work posts
    after POST_AT, else at POST_AT."""
    _require_creator(user, chapter.work)
    require_not_held(chapter.work)
    if not chapter.is_draft:
        raise ValidationError(_("This chapter is already posted."))
    _check_time(post_at)
    release, _created = ScheduledRelease.objects.update_or_create(
        chapter=chapter,
        defaults={
            "work": chapter.work,
            "post_at": post_at,
            "scheduled_by": user,
            "silent": silent,
        },
    )
    return release


@transaction.atomic
def cancel_release(user: User, release: ScheduledRelease) -> None:
    """The item stays a draft; nothing posts it."""
    _require_creator(user, release.work)
    release.delete()


def post_due(now: datetime | None = None) -> int:
    """Post everything due at NOW (default: now), oldest first: the upkeep's job. How many
    items were posted."""
    now = now or timezone.now()
    due = list(ScheduledRelease.objects.due(now).values_list("id", flat=True))
    return sum(_post_one(release_id, now) for release_id in due)


def _post_one(release_id: int, now: datetime) -> int:
    try:
        with transaction.atomic():
            release = (
                ScheduledRelease.objects.select_for_update(of=("self",))
                .select_related("work", "chapter", "scheduled_by")
                .filter(pk=release_id, post_at__lte=now)
                .first()
            )
            if release is None:  # another worker posted it, or its author cancelled it
                return 0
            return _post(release, now)
    except (PermissionDenied, ValidationError) as refusal:
        logger.info("scheduled release %s waits: %s", release_id, refusal)
        return 0


def _post(release: ScheduledRelease, now: datetime) -> int:
    from ficarchive.moderation.switches import require

    user, work, chapter = release.scheduled_by, release.work, release.chapter
    if chapter is None:
        require("new_works")
        post_draft_work(user, work, as_of=now)
        return 1
    if work.is_draft:
        return 0  # it posts with the work
    post_chapter(user, chapter, silent=release.silent)
    return 1

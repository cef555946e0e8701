"""A canonical fandom's media type, which the Fandoms pages (`/media`) sort fandoms by.
`media_type_named` (in the models) reads a media type a wrangler or a tags file names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from ficarchive.tags.actions.wrangling import _q, _require_wrangler
from ficarchive.tags.models import Tag, TagType, media_type_named

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser


def set_media(user: AnyUser, tag: Tag, media: str) -> Tag:
    """Give the canonical fandom TAG the media type MEDIA (wranglers only)."""
    _require_wrangler(user)
    if tag.type != TagType.FANDOM or not tag.canonical:
        raise ValidationError(f"{_q(tag)} is not a canonical fandom; only those have a media type.")
    chosen = media_type_named(media)
    Tag.objects.filter(pk=tag.pk).update(media=chosen.value)
    tag.media = chosen.value
    return tag

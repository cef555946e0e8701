from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ficarchive.accounts.standing import require_good_standing
from ficarchive.moderation.permissions import require
from ficarchive.social.actions.rules import require_readable
from ficarchive.social.models import Bookmark, bump_counts
from ficarchive.text.formats import BodyFormat, render_body
from ficarchive.works.models import Series, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

MAX_NOTES = 5000
MAX_TAGS = 50
MAX_TAG = 100


@dataclass
class BookmarkDetails:
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    is_private: bool = False
    is_rec: bool = False


def _counts(bookmark: Bookmark) -> int:
    """What the bookmark adds to its work's public bookmark count."""
    return int(bookmark.work_id is not None and not bookmark.is_private and not bookmark.is_hidden)


def _apply(bookmark: Bookmark, details: BookmarkDetails) -> None:
    errors: dict[str, list[str]] = {}
    if len(details.notes) > MAX_NOTES:
        errors["notes"] = [
            f"Notes are {len(details.notes):,} characters; the most is {MAX_NOTES:,}."
        ]
    if len(details.tags) > MAX_TAGS:
        errors["tags"] = [f"Use at most {MAX_TAGS} tags, not {len(details.tags)}."]
    elif any(len(tag) > MAX_TAG for tag in details.tags):
        errors["tags"] = [f"Each tag is at most {MAX_TAG} characters."]
    if details.is_private and details.is_rec:
        errors["is_rec"] = ["A recommendation is public: untick private or recommendation."]
    if errors:
        raise ValidationError(errors)
    bookmark.notes = render_body(details.notes, BodyFormat.HTML) if details.notes.strip() else ""
    bookmark.tags = list(details.tags)
    bookmark.is_private = details.is_private
    bookmark.is_rec = details.is_rec


@transaction.atomic
def save_bookmark(
    user: User,
    details: BookmarkDetails,
    *,
    work: Work | None = None,
    series: Series | None = None,
) -> Bookmark:
    """Bookmark a work or a series, or change the user's bookmark of it."""
    require_good_standing(user)
    if (work is None) == (series is None):
        raise ValidationError("Bookmark a work or a series.")
    if work is not None:
        require_readable(user, work)
    elif series is not None and not series.parts_visible_to(user).exists():
        raise PermissionDenied("You cannot see this series.")
    existing = (
        Bookmark.objects.select_for_update().filter(user=user, work=work, series=series).first()
    )
    bookmark = existing or Bookmark(user=user, work=work, series=series)
    before = _counts(bookmark) if existing else 0
    _apply(bookmark, details)
    try:
        with transaction.atomic():
            bookmark.save()
    except IntegrityError as exc:
        raise ValidationError("You have already bookmarked this.") from exc
    if work is not None:
        bump_counts(work.pk, bookmarks=_counts(bookmark) - before)
    return bookmark


@transaction.atomic
def delete_bookmark(user: User, bookmark: Bookmark) -> None:
    bookmark = Bookmark.objects.select_for_update().get(pk=bookmark.pk)
    if bookmark.user_id != user.pk:
        raise PermissionDenied("This bookmark is not yours.")
    require_good_standing(user)
    before = _counts(bookmark)
    bookmark.delete()
    if bookmark.work_id is not None:
        bump_counts(bookmark.work_id, bookmarks=-before)


@transaction.atomic
def set_bookmark_hidden(user: User, bookmark: Bookmark, hidden: bool) -> Bookmark:
    """A moderator holding `hide_content` hides a bookmark from everyone but its owner, or shows
    it again (through `moderation.actions.content`, which writes the audit log)."""
    require(user, "hide_content")
    bookmark = Bookmark.objects.select_for_update().get(pk=bookmark.pk)
    before = _counts(bookmark)
    bookmark.is_hidden = hidden
    bookmark.save(update_fields=["is_hidden"])
    if bookmark.work_id is not None:
        bump_counts(bookmark.work_id, bookmarks=_counts(bookmark) - before)
    return bookmark

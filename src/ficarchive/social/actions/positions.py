"""Writes of a reader's place in a work: the paragraph in view, chapters read or unread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.social.actions.rules import require_readable
from ficarchive.social.models import ChapterRead, Reading

if TYPE_CHECKING:
    from ficarchive.accounts.models import User
    from ficarchive.works.models import Chapter, Work

MAX_PARAGRAPH = 1_000_000


def _require_posted_chapter(work: Work, chapter: Chapter) -> None:
    if chapter.work_id != work.pk or chapter.is_draft:
        raise ValidationError(
            {"chapter": [_("That chapter is not a posted chapter of this work.")]}
        )


@transaction.atomic
def set_position(
    user: User, work: Work, chapter: Chapter, paragraph: int, *, finished: bool = False
) -> Reading | None:
    """USER is at PARAGRAPH (0: the start) of CHAPTER; FINISHED: they reached its end, and it
    is marked read. Nothing is kept for a reader who turned history off (None)."""
    require_readable(user, work)
    _require_posted_chapter(work, chapter)
    if not 0 <= paragraph <= MAX_PARAGRAPH:
        raise ValidationError(
            {
                "paragraph": [
                    _("A paragraph is a number from 0 to %(most)s.") % {"most": MAX_PARAGRAPH}
                ]
            }
        )
    if not user.keep_history:
        return None
    now = timezone.now()
    reading, _created = Reading.objects.select_for_update().get_or_create(user=user, work=work)
    reading.chapter = chapter
    reading.paragraph = paragraph
    reading.position_at = now
    reading.viewed_at = reading.viewed_at or now
    reading.save(update_fields=["chapter", "paragraph", "position_at", "viewed_at", "updated_at"])
    if finished:
        ChapterRead.objects.get_or_create(user=user, work=work, chapter=chapter)
    return reading


@transaction.atomic
def mark_chapter_read(user: User, chapter: Chapter, read: bool = True) -> None:
    """Mark CHAPTER read (or unread again) for USER."""
    work = chapter.work
    require_readable(user, work)
    _require_posted_chapter(work, chapter)
    if not user.keep_history:
        raise ValidationError(
            _("Your reading history is off: turn it on in your preferences to keep your place.")
        )
    if read:
        ChapterRead.objects.get_or_create(user=user, work=work, chapter=chapter)
    else:
        ChapterRead.objects.filter(user=user, chapter=chapter).delete()

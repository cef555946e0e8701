"""The spam check of what a work shows readers, and holding a work until a moderator decides.

A work is checked when it is posted (its title, summary, notes and first chapter), when a
posted work's title, summary or notes change, and when a chapter of a posted work is posted or
its text changes: spam can come later than the first post. A held work is hidden ("Waiting for
review"), cannot be changed, and its subscribers hear of what it held only once a moderator
releases it: of the work, if it was never shown, or of the chapters posted since its last
passed check.
"""

from __future__ import annotations

import html
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.search.actions import record_change
from ficarchive.social import events as social_events
from ficarchive.works.models import HELD_REASON, Chapter, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


def require_not_held(work: Work) -> None:
    """A held work stays as the spam check saw it until a moderator decides it: "not spam"
    must not release text nobody reviewed."""
    if work.is_held:
        raise ValidationError(
            _("This work waits for the moderators' review; it cannot be changed until they decide.")
        )


def work_front_text(work: Work) -> str:
    """What the check reads of the work itself: its title, summary and notes."""
    title = f"<p>{html.escape(work.title)}</p>"
    return "\n".join([title, work.summary, work.begin_notes, work.end_notes])


def chapter_text(chapter: Chapter) -> str:
    """What the check reads of a chapter: its title, summary, notes and text."""
    title = f"<p>{html.escape(chapter.title)}</p>" if chapter.title else ""
    parts = [title, chapter.summary, chapter.begin_notes, chapter.body, chapter.end_notes]
    return "\n".join(part for part in parts if part)


def hold_if_spam(user: User, work: Work, text: str, *, new_post: bool = False) -> bool:
    """Check TEXT of WORK (posted by USER; NEW_POST: the work itself, not a later chapter or
    an edit); when the check holds it, hide the work waiting for review. Whether it was held."""
    from ficarchive.moderation.models import SpamState
    from ficarchive.moderation.spam import checking

    check = checking.check(checking.WORK, work.pk, text, author=user, counts_as_a_post=new_post)
    if check.state != SpamState.HELD:
        return False
    work.is_hidden = True
    work.hidden_reason = HELD_REASON
    work.save(update_fields=["is_hidden", "hidden_reason", "revised_at"])
    record_change([work.pk])
    return True


def check_posted_work(user: User, work: Work, body: str) -> None:
    """The spam check of a work just posted (its title, summary, notes and first chapter): a
    held work is hidden, waiting for review, and its subscribers hear of it only once it is
    released (`release_held_work`); others hear of it now."""
    if not hold_if_spam(user, work, "\n".join([work_front_text(work), body]), new_post=True):
        transaction.on_commit(partial(social_events.work_posted, work.pk))


def check_posted_chapter(user: User, chapter: Chapter, *, tell_subscribers: bool = True) -> None:
    """The spam check of a chapter just posted in a posted work: the work's subscribers hear of
    it now (unless it was posted silently), or, when it is held, once a moderator releases the
    work."""
    held = hold_if_spam(user, chapter.work, chapter_text(chapter))
    if not held and tell_subscribers:
        transaction.on_commit(partial(social_events.chapter_posted, chapter.work_id, chapter.pk))


def _last_passed_check(work: Work) -> datetime | None:
    """When the work's text last passed the check (None: it never did, so it was never shown)."""
    from ficarchive.moderation.models import SpamCheck, SpamState
    from ficarchive.moderation.spam import checking

    return (
        SpamCheck.objects.filter(
            target_kind=checking.WORK, target_id=work.pk, state=SpamState.PASSED
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


@transaction.atomic
def release_held_work(work: Work) -> Work:
    """Show a work the spam check held, found not to be spam in the spam queue (whose action,
    `moderation.actions.spam`, checks who asks). Its subscribers hear now of what they did not
    hear of while it was held: the work, if it was never shown; else its chapters posted
    since it last passed the check."""
    work = Work.objects.select_for_update().get(pk=work.pk)
    if not work.is_held:
        raise ValidationError(_("This work is not held for review."))
    work.is_hidden = False
    work.hidden_reason = ""
    work.save(update_fields=["is_hidden", "hidden_reason", "revised_at"])
    record_change([work.pk])
    shown_until = _last_passed_check(work)
    if shown_until is None:
        transaction.on_commit(partial(social_events.work_posted, work.pk))
        return work
    unheard = work.chapters.filter(is_draft=False, published_at__gt=shown_until)
    for chapter_id in unheard.order_by("position").values_list("pk", flat=True):
        transaction.on_commit(partial(social_events.chapter_posted, work.pk, chapter_id))
    return work

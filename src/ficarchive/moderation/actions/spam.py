"""Deciding held items in the spam queue: "spam", "spam & ban", or "not spam".

Each decision needs `review_spam`, decides one held check (a second decision is refused),
writes its audit entry in the same transaction, and is what the classifier learns from (the
check's text and its state, spam or ham). "Not spam" releases the item: the comment is shown
(or waits for the creators' approval where they moderate comments) and the creators hear of
it now; the work is shown and its subscribers hear of it; the pseud's text is shown. "Spam"
leaves the item as it was held: seen by its author only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ficarchive.moderation import audit
from ficarchive.moderation.actions.sanctions import spam_ban
from ficarchive.moderation.models import Sanction, SanctionKind, SpamCheck, SpamState
from ficarchive.moderation.permissions import may, require
from ficarchive.moderation.spam.checking import COMMENT, PSEUD, WORK
from ficarchive.moderation.spam.queue import HeldItem, held_items

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User


def may_ban_from_queue(user: User | AnonymousUser) -> bool:
    """Whether the queue offers "Spam & ban" (it needs `sanction_users` too)."""
    return may(user, "review_spam") and may(user, "sanction_users")


def _decide(actor: User, check: SpamCheck, state: str) -> tuple[SpamCheck, HeldItem]:
    check = SpamCheck.objects.select_for_update().get(pk=check.pk)
    if check.state != SpamState.HELD:
        raise ValidationError(
            _("This item was already decided: %(state)s.") % {"state": check.get_state_display()}
        )
    check.state = state
    check.decided_by = actor
    check.decided_at = timezone.now()
    check.save(update_fields=["state", "decided_by", "decided_at"])
    with translation.override(
        settings.LANGUAGE_CODE
    ):  # the audit log keeps it in the archive's language
        item = held_items([check])[check.pk]
    verb = "mark_spam" if state == SpamState.SPAM else "mark_not_spam"
    audit.record(
        actor,
        verb,
        target_kind=check.target_kind,
        target_id=check.target_id,
        target_label=item.label,
        subject=check.author,
        before={"state": SpamState.HELD.value, "score": check.score},
        after={"state": state, "spam_check": check.pk},
    )
    return check, item


def mark_spam(actor: User, check: SpamCheck, *, ban: bool = False, reason: str = "") -> SpamCheck:
    """Spam: the item stays seen by its author only. With BAN, its author is spam-banned too
    (everything they made is hidden), which needs `sanction_users` as well."""
    require(actor, "review_spam")
    if ban:
        require(actor, "sanction_users")
        if check.author is None:
            raise ValidationError(_("A guest's post has no account to ban."))
    with transaction.atomic():
        check, item = _decide(actor, check, SpamState.SPAM)
        if ban and check.author is not None and check.author.is_active:
            spam_ban(actor, check.author, reason.strip() or f"Spam: {item.label}.")
    return check


def _spam_banned(user_id: int) -> bool:
    return Sanction.objects.filter(
        user_id=user_id, kind=SanctionKind.SPAM_BAN, lifted_at__isnull=True
    ).exists()


def mark_not_spam(actor: User, check: SpamCheck) -> SpamCheck:
    """Not spam: the item is released, and those who hear of new items hear of it now."""
    from ficarchive.accounts.actions import show_pseud_texts
    from ficarchive.social.actions.comments import release_held_comment
    from ficarchive.social.models import Comment, CommentStatus
    from ficarchive.works.actions import HELD_REASON, release_held_work
    from ficarchive.works.models import Work

    require(actor, "review_spam")
    if check.author_id is not None and _spam_banned(check.author_id):
        raise ValidationError(
            _("Its author is spam-banned: the ban hides it, and only an unban shows it again.")
        )
    with transaction.atomic():
        check, _item = _decide(actor, check, SpamState.HAM)
        if check.target_kind == COMMENT:
            comment = Comment.objects.filter(pk=check.target_id, status=CommentStatus.HELD)
            heard = SpamCheck.objects.filter(  # it passed once, before an edit was held
                target_kind=COMMENT, target_id=check.target_id, state=SpamState.PASSED
            ).exists()
            if comment.exists():
                release_held_comment(comment.get(), announce=not heard)
        elif check.target_kind == WORK:
            work = Work.objects.filter(pk=check.target_id, hidden_reason=HELD_REASON)
            if work.filter(is_hidden=True).exists():
                release_held_work(work.get())
        elif check.target_kind == PSEUD:
            show_pseud_texts([check.target_id])
    return check

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.models import Mute
from ficarchive.accounts.standing import refusal_to_write, require_good_standing
from ficarchive.moderation import switches
from ficarchive.moderation.models import SpamState
from ficarchive.moderation.permissions import may
from ficarchive.moderation.spam import checking
from ficarchive.moderation.spam.limits import count_comment
from ficarchive.ratelimit import count_hit
from ficarchive.social.actions.inbox import notify
from ficarchive.social.actions.rules import creator_ids, require_not_blocked, require_readable
from ficarchive.social.models import Comment, CommentStatus, InboxKind, bump_counts
from ficarchive.text.formats import BodyFormat, render_body
from ficarchive.text.wordcount import count_words
from ficarchive.works.models import Chapter, CommentPolicy, Work

if TYPE_CHECKING:
    from ficarchive.accounts.models import User
    from ficarchive.social.actions.rules import AnyUser

MAX_COMMENT = 10_000
GUEST_LIMIT = 5  # guest comments per address per window
GUEST_WINDOW = 600  # seconds


@dataclass
class GuestDetails:
    name: str = ""
    email: str = ""
    address: str = ""  # the guest's IP address, for the rate limit only


def refusal_to_comment(user: AnyUser, work: Work) -> str:
    """Why this reader may not comment on the work ("" when they may)."""
    if refusal_to_write(user):
        return refusal_to_write(user)
    if work.comment_policy == CommentPolicy.NOBODY:
        return "Comments are turned off on this work."
    if work.comment_policy == CommentPolicy.REGISTERED and not user.is_authenticated:
        return "Only registered users may comment on this work."
    if not user.is_authenticated:
        return switches.current().refusal("guest_comments")
    return ""


def _render(text: str, body_format: str) -> str:
    if body_format not in (BodyFormat.PLAIN, BodyFormat.HTML):
        raise ValidationError({"body_format": [f"{body_format!r} is not a comment format."]})
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {
                "text": [
                    f"The comment is {len(text):,} characters long; the most is {MAX_COMMENT:,}."
                ]
            }
        )
    body = render_body(text, body_format) if text.strip() else ""
    if not count_words(body):
        raise ValidationError({"text": ["The comment is empty (after removing unsafe markup)."]})
    return body


def _check_guest(guest: GuestDetails) -> None:
    errors: dict[str, list[str]] = {}
    if not guest.name.strip() or len(guest.name) > 100:
        errors["guest_name"] = ["Give a name of 1 to 100 characters to comment as a guest."]
    try:
        validate_email(guest.email)
    except ValidationError:
        errors["guest_email"] = ["Give a valid email address to comment as a guest."]
    if errors:
        raise ValidationError(errors)
    limit = getattr(settings, "GUEST_COMMENT_LIMIT", GUEST_LIMIT)
    if not count_hit(f"guest-comments:{guest.address}", limit=limit, window=GUEST_WINDOW).allowed:
        raise ValidationError(
            "You have posted several comments in a short time; please wait a few minutes."
        )


def _check_reply(user: AnyUser, work: Work, parent: Comment) -> None:
    if parent.work_id != work.pk:
        raise PermissionDenied("That comment is on another work.")
    if parent.is_frozen:
        raise PermissionDenied("This thread is frozen; it takes no new replies.")
    if not parent.is_public:
        raise PermissionDenied("You cannot reply to this comment.")
    if parent.user_id is not None:
        require_not_blocked(user, {parent.user_id}, "reply to this comment")


@transaction.atomic
def post_comment(
    user: AnyUser,
    work: Work,
    text: str,
    body_format: str = BodyFormat.PLAIN,
    *,
    chapter: Chapter | None = None,
    parent: Comment | None = None,
    guest: GuestDetails | None = None,
) -> Comment:
    """Comment on a work or one of its chapters, or reply to a comment on it.

    The work's creators choose who may comment and whether comments wait for their approval;
    accounts a creator blocked may not comment, and nobody may reply to a frozen thread.
    """
    require_good_standing(user)
    require_readable(user, work)
    refusal = refusal_to_comment(user, work)
    if refusal:
        raise PermissionDenied(refusal)
    creators = creator_ids(work)
    require_not_blocked(user, creators, "comment on this work")
    if parent is not None:
        _check_reply(user, work, parent)
        chapter = parent.chapter
    if chapter is not None and (chapter.work_id != work.pk or chapter.is_draft):
        raise PermissionDenied("That chapter is not part of this work.")
    body = _render(text, body_format)
    guest = guest or GuestDetails()
    if not user.is_authenticated:
        _check_guest(guest)
    else:
        count_comment(user)  # new accounts: a few comments per window
    comment = Comment.objects.create(
        work=work,
        chapter=chapter,
        parent=parent,
        thread_id=parent.thread_id_or_own if parent else None,
        user_id=user.pk if user.is_authenticated else None,
        guest_name="" if user.is_authenticated else guest.name.strip(),
        guest_email="" if user.is_authenticated else guest.email.strip(),
        body_source=text,
        body_format=body_format,
        body=body,
        status=_status_for(work, user.pk, creators),
    )
    spam = checking.check(checking.COMMENT, comment.pk, body, author=user, address=guest.address)
    if spam.state == SpamState.HELD:  # its author sees it waiting for review; nobody hears
        comment.status = CommentStatus.HELD
        comment.save(update_fields=["status"])
        return comment
    if comment.is_public:
        bump_counts(work.pk, comments=1)
    _notify_new(comment, creators)
    return comment


def _status_for(work: Work, user_id: int | None, creators: set[int]) -> str:
    """Comments wait for the creators' approval where they moderate them (not their own)."""
    if work.moderate_comments and user_id not in creators:
        return CommentStatus.PENDING
    return CommentStatus.APPROVED


@transaction.atomic
def release_held_comment(comment: Comment, *, announce: bool = True) -> Comment:
    """Show a comment the spam check held, found not to be spam in the spam queue (whose action,
    `moderation.actions.spam`, checks who asks): public now, or waiting for the creators'
    approval where they moderate comments. With ANNOUNCE (not for a comment held after an
    edit: they heard of it when it was posted) the creators and the commenter replied to hear
    of it now, as of a new comment."""
    comment = _locked(comment)
    if comment.status != CommentStatus.HELD:
        raise ValidationError("This comment is not held for review.")
    creators = creator_ids(comment.work)
    comment.status = _status_for(comment.work, comment.user_id, creators)
    comment.save(update_fields=["status"])
    _count_change(False, comment)
    if announce:
        _notify_new(comment, creators)
    return comment


def _not_muting(user_ids: set[int], actor: int | None) -> set[int]:
    """Those of the accounts who do not mute the actor: a muted account's comments stay out
    of the muter's inbox as they stay out of the muter's pages."""
    if actor is None or not user_ids:
        return user_ids
    muters = Mute.objects.filter(muted_id=actor, muter_id__in=user_ids).values_list(
        "muter_id", flat=True
    )
    return user_ids - set(muters)


def _notify_new(comment: Comment, creators: set[int]) -> None:
    """Creators hear of every new comment on their work; a commenter of replies to them."""
    about = {"work_id": comment.work_id, "chapter": comment.chapter, "comment": comment}
    actor = comment.user_id
    parent_author = comment.parent.user_id if comment.parent else None
    replied = {parent_author} - {None, actor} if comment.is_public else set()
    kind = InboxKind.PENDING if comment.is_pending else InboxKind.COMMENT
    notify(_not_muting(creators - {actor} - replied, actor), kind, actor_id=actor, **about)
    notify(_not_muting(replied, actor), InboxKind.REPLY, actor_id=actor, **about)  # type: ignore[arg-type]


def _locked(comment: Comment) -> Comment:
    """The comment row, locked until the transaction ends, so counts move exactly once."""
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("work", "parent")
        .get(pk=comment.pk)
    )


def _require_moderator(user: User, comment: Comment, *, site: bool = False) -> set[int]:
    """The work's creators moderate its comments. Site moderators holding `hide_content` may
    anywhere, but only as `site=True`, which `moderation.actions.content` passes after asking
    their reason and before writing the audit entry: the creators' tools never skip the log."""
    creators = creator_ids(comment.work)
    if user.pk not in creators and not (site and may(user, "hide_content")):
        raise PermissionDenied("Only the work's creators may do that.")
    return creators


def _count_change(before: bool, comment: Comment) -> None:
    bump_counts(comment.work_id, comments=int(comment.is_public) - int(before))


@transaction.atomic
def edit_comment(user: User, comment: Comment, text: str, body_format: str) -> Comment:
    comment = _locked(comment)
    if not comment.is_editable_by(user):
        raise PermissionDenied("Only the commenter may edit a comment.")
    require_good_standing(user)
    if comment.is_frozen:
        raise PermissionDenied("This thread is frozen; its comments cannot be edited.")
    if comment.is_held:  # the spam queue shows the text checked: "not spam" must show that one
        raise ValidationError(
            "This comment waits for review by the moderators: edit it once they have seen it."
        )
    comment.body = _render(text, body_format)
    comment.body_source = text
    comment.body_format = body_format
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_source", "body_format", "edited_at"])
    spam = checking.check(checking.COMMENT, comment.pk, comment.body, author=user)
    if spam.state == SpamState.HELD and not comment.is_held:  # an edit may add the spam
        before = comment.is_public
        comment.status = CommentStatus.HELD
        comment.save(update_fields=["status"])
        _count_change(before, comment)
    return comment


@transaction.atomic
def delete_comment(user: User, comment: Comment, *, site: bool = False) -> None:
    """The commenter or the work's creators delete a comment.

    A comment with replies stays as a "deleted comment" placeholder so the replies keep their
    place; one without replies goes for good.
    """
    comment = _locked(comment)
    own = user.is_authenticated and comment.user_id == user.pk
    if not own:
        _require_moderator(user, comment, site=site)
    require_good_standing(user)
    before = comment.is_public
    if comment.replies.exists():
        comment.is_deleted = True
        comment.body = ""
        comment.body_source = ""
        comment.save(update_fields=["is_deleted", "body", "body_source"])
    else:
        comment.delete()
        comment.is_deleted = True
    _count_change(before, comment)


@transaction.atomic
def set_comment_hidden(
    user: User, comment: Comment, hidden: bool, *, site: bool = False
) -> Comment:
    """The work's creators hide a comment from readers (they and the commenter still see it)."""
    comment = _locked(comment)
    _require_moderator(user, comment, site=site)
    before = comment.is_public
    comment.is_hidden = hidden
    comment.save(update_fields=["is_hidden"])
    _count_change(before, comment)
    return comment


@transaction.atomic
def approve_comment(user: User, comment: Comment) -> Comment:
    comment = _locked(comment)
    _require_moderator(user, comment)
    if not comment.is_pending:
        raise ValidationError("This comment is already approved.")
    before = comment.is_public
    comment.status = CommentStatus.APPROVED
    comment.save(update_fields=["status"])
    _count_change(before, comment)
    parent_author = comment.parent.user_id if comment.parent else None
    if parent_author is not None and parent_author != comment.user_id:
        notify(
            _not_muting({parent_author}, comment.user_id),
            InboxKind.REPLY,
            actor_id=comment.user_id,
            work_id=comment.work_id,
            chapter_id=comment.chapter_id,
            comment=comment,
        )
    return comment


@transaction.atomic
def freeze_thread(user: User, comment: Comment, frozen: bool, *, site: bool = False) -> int:
    """Freeze (or thaw) a comment and every reply under it; returns how many changed."""
    comment = _locked(comment)
    _require_moderator(user, comment, site=site)
    thread = Comment.objects.filter(thread_id=comment.thread_id_or_own)
    children: dict[int, list[int]] = {}
    for pk, parent_id in thread.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    branch, todo = [comment.pk], [comment.pk]
    while todo:
        found = children.get(todo.pop(), [])
        branch.extend(found)
        todo.extend(found)
    return Comment.objects.filter(pk__in=branch).update(is_frozen=frozen)

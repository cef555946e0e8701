"""Moderators' actions on what others posted: works, comments and bookmarks, site-wide.

Each verb checks the moderator's permission first (`permissions.require`), validates (a reason
where one is needed), writes through the owning app's action (so the search change log, the
counters and the rules stay in one place) and records its audit entry in the same transaction,
with `case=` when the action answers a case and `subject=` the account whose post it was.
Hiding, freezing and tag edits can be undone from the audit log; deleting cannot (the entry
keeps what was deleted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.moderation import audit, undo
from ficarchive.moderation.models import AuditEntry, Target
from ficarchive.moderation.permissions import require
from ficarchive.social import actions as social
from ficarchive.social.actions.rules import creator_ids
from ficarchive.social.models import Bookmark, Comment, InboxKind
from ficarchive.works import actions as works
from ficarchive.works.models import Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User
    from ficarchive.moderation.models import Case

    AnyUser = User | AnonymousUser

MAX_REASON = 2000
UNHIDDEN_NOTICE = "Your work is shown to readers again."


def _reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationError({"reason": [_("Give a reason: the audit log keeps it.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {
                "reason": [
                    _("The reason is %(length)s characters; the most is %(most)s.")
                    % {"length": f"{len(reason):,}", "most": f"{MAX_REASON:,}"}
                ]
            }
        )
    return reason


def _work_subject(work: Work) -> User | None:
    """The account an action on WORK concerns: its first creator."""
    creators = work.actual_creators
    return creators[0].user if creators else None


def _comment_label(comment: Comment) -> str:
    return f"comment #{comment.pk} by {comment.author_name} on “{comment.work.title}”"


def _bookmark_label(bookmark: Bookmark) -> str:
    return f"{bookmark.user.username}'s bookmark of “{bookmark.target.title}”"


def _undo_reason(entry: AuditEntry) -> str:
    return f"Undo of audit entry #{entry.pk}."


# --- works -------------------------------------------------------------------------------


@transaction.atomic
def hide_work(
    user: AnyUser,
    work: Work,
    reason: str,
    *,
    case: Case | None = None,
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Hide WORK from everyone but its creators (and moderators), with a reason its creators
    read in their inbox; its title leaves readers' inboxes and feeds while it is hidden."""
    require(user, "hide_content")
    reason = _reason(reason, required=True)
    if work.is_hidden:
        raise ValidationError(_("This work is already hidden."))
    before = {"is_hidden": False, "hidden_reason": work.hidden_reason}
    works.hide_work(user, work, reason)  # type: ignore[arg-type]
    social.notify(creator_ids(work), InboxKind.WORK_HIDDEN, work=work, text=reason)
    return audit.record(
        user,
        "hide_work",
        target_kind=Target.WORK,
        target_id=work.pk,
        target_label=work.title,
        subject=_work_subject(work),
        case=case,
        reason=reason,
        before=before,
        after={"is_hidden": True, "hidden_reason": work.hidden_reason},
        undoes=undoes,
    )


@transaction.atomic
def unhide_work(
    user: AnyUser,
    work: Work,
    reason: str = "",
    *,
    case: Case | None = None,
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Show a hidden work again; its creators hear of it in their inbox."""
    require(user, "hide_content")
    reason = _reason(reason, required=False)
    if not work.is_hidden:
        raise ValidationError(_("This work is not hidden."))
    if work.hidden_reason == works.HELD_REASON:  # shown from there, its subscribers told
        raise ValidationError(_("The spam check holds this work: decide it in the spam queue."))
    before = {"is_hidden": True, "hidden_reason": work.hidden_reason}
    works.unhide_work(user, work)  # type: ignore[arg-type]
    social.notify(creator_ids(work), InboxKind.WORK_UNHIDDEN, work=work, text=UNHIDDEN_NOTICE)
    return audit.record(
        user,
        "unhide_work",
        target_kind=Target.WORK,
        target_id=work.pk,
        target_label=work.title,
        subject=_work_subject(work),
        case=case,
        reason=reason,
        before=before,
        after={"is_hidden": False, "hidden_reason": ""},
        undoes=undoes,
    )


def work_snapshot(work: Work) -> dict[str, Any]:
    """What the audit log keeps of a deleted work."""
    return {
        "title": work.title,
        "creators": [f"{pseud.name} ({pseud.user.username})" for pseud in work.actual_creators],
        "tags": works.tag_names_of(work),
        "word_count": work.word_count,
        "chapters": work.chapter_count,
        "summary": work.summary,
        "published_at": work.published_at.isoformat() if work.published_at else None,
    }


@transaction.atomic
def delete_work(user: AnyUser, work: Work, reason: str, *, case: Case | None = None) -> AuditEntry:
    """Delete WORK for good (not undoable); the audit entry keeps its title, creators, tags and
    word count."""
    require(user, "delete_content")
    reason = _reason(reason, required=True)
    snapshot = work_snapshot(work)
    subject = _work_subject(work)
    work_id = work.pk
    works.delete_work(user, work)  # type: ignore[arg-type]
    return audit.record(
        user,
        "delete_work",
        target_kind=Target.WORK,
        target_id=work_id,
        target_label=snapshot["title"],
        subject=subject,
        case=case,
        reason=reason,
        before=snapshot,
    )


@transaction.atomic
def edit_work_tags(
    user: AnyUser,
    work: Work,
    names: dict[str, list[str]],
    reason: str,
    *,
    case: Case | None = None,
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Change WORK's tags (NAMES by tag type); the entry keeps the tags before and after."""
    require(user, "edit_work_tags")
    reason = _reason(reason, required=True)
    before = works.tag_names_of(work)
    works.set_work_tags(user, work, names)  # type: ignore[arg-type]
    return audit.record(
        user,
        "edit_work_tags",
        target_kind=Target.WORK,
        target_id=work.pk,
        target_label=work.title,
        subject=_work_subject(work),
        case=case,
        reason=reason,
        before={"tags": before},
        after={"tags": works.tag_names_of(work)},
        undoes=undoes,
    )


# --- comments ----------------------------------------------------------------------------


def _comment_entry(
    user: AnyUser,
    verb: str,
    comment: Comment,
    reason: str,
    case: Case | None,
    undoes: AuditEntry | None,
    before: dict[str, Any],
    after: dict[str, Any],
) -> AuditEntry:
    return audit.record(
        user,
        verb,
        target_kind=Target.COMMENT,
        target_id=comment.pk,
        target_label=_comment_label(comment),
        subject=comment.user,
        case=case,
        reason=reason,
        before=before,
        after=after,
        undoes=undoes,
    )


@transaction.atomic
def set_comment_hidden(
    user: AnyUser,
    comment: Comment,
    hidden: bool,
    reason: str = "",
    *,
    case: Case | None = None,
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Hide any comment from its readers (its commenter and the work's creators still see it),
    or show it again. Hiding needs a reason."""
    require(user, "hide_content")
    reason = _reason(reason, required=hidden)
    if comment.is_deleted:
        raise ValidationError(_("This comment was deleted."))
    if comment.is_hidden == hidden:
        raise ValidationError(
            _("This comment is already hidden.") if hidden else _("This comment is not hidden.")
        )
    social.set_comment_hidden(user, comment, hidden, site=True)  # type: ignore[arg-type]
    comment.is_hidden = hidden
    verb = "hide_comment" if hidden else "unhide_comment"
    return _comment_entry(
        user, verb, comment, reason, case, undoes, {"is_hidden": not hidden}, {"is_hidden": hidden}
    )


@transaction.atomic
def delete_comment(
    user: AnyUser, comment: Comment, reason: str, *, case: Case | None = None
) -> AuditEntry:
    """Delete any comment (not undoable; the entry keeps its text). One with replies stays as
    a "deleted comment" placeholder, as when its commenter deletes it."""
    require(user, "hide_content")
    reason = _reason(reason, required=True)
    if comment.is_deleted:
        raise ValidationError(_("This comment was already deleted."))
    label = _comment_label(comment)
    before = {
        "text": comment.body_source,
        "format": comment.body_format,
        "commenter": comment.author_name,
        "work_id": comment.work_id,
        "work": comment.work.title,
        "created_at": comment.created_at.isoformat(),
    }
    social.delete_comment(user, comment, site=True)  # type: ignore[arg-type]
    return audit.record(
        user,
        "delete_comment",
        target_kind=Target.COMMENT,
        target_id=comment.pk,
        target_label=label,
        subject=comment.user,
        case=case,
        reason=reason,
        before=before,
    )


@transaction.atomic
def set_thread_frozen(
    user: AnyUser,
    comment: Comment,
    frozen: bool,
    reason: str = "",
    *,
    case: Case | None = None,
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Freeze (or thaw) a comment and every reply under it, on any work: no new replies, no
    edits. Freezing needs a reason."""
    require(user, "hide_content")
    reason = _reason(reason, required=frozen)
    if comment.is_frozen == frozen:
        raise ValidationError(
            _("This thread is already frozen.") if frozen else _("This thread is not frozen.")
        )
    changed = social.freeze_thread(user, comment, frozen, site=True)  # type: ignore[arg-type]
    comment.is_frozen = frozen
    verb = "freeze_thread" if frozen else "unfreeze_thread"
    after = {"is_frozen": frozen, "comments": changed}
    return _comment_entry(
        user, verb, comment, reason, case, undoes, {"is_frozen": not frozen}, after
    )


# --- bookmarks ---------------------------------------------------------------------------


@transaction.atomic
def set_bookmark_hidden(
    user: AnyUser,
    bookmark: Bookmark,
    hidden: bool,
    reason: str = "",
    *,
    case: Case | None = None,
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Hide a bookmark from everyone but its owner, or show it again. Hiding needs a reason."""
    require(user, "hide_content")
    reason = _reason(reason, required=hidden)
    if bookmark.is_hidden == hidden:
        raise ValidationError(
            _("This bookmark is already hidden.") if hidden else _("This bookmark is not hidden.")
        )
    social.set_bookmark_hidden(user, bookmark, hidden)  # type: ignore[arg-type]
    bookmark.is_hidden = hidden
    return audit.record(
        user,
        "hide_bookmark" if hidden else "unhide_bookmark",
        target_kind=Target.BOOKMARK,
        target_id=bookmark.pk,
        target_label=_bookmark_label(bookmark),
        subject=bookmark.user,
        case=case,
        reason=reason,
        before={"is_hidden": not hidden},
        after={"is_hidden": hidden},
        undoes=undoes,
    )


# --- undo --------------------------------------------------------------------------------


def _target(model: type[Any], entry: AuditEntry) -> Any:
    found = model.objects.filter(pk=entry.target_id).first()
    if found is None:
        kinds: dict[str, str] = {
            Target.WORK: _("The work of entry #%(entry)s no longer exists."),
            Target.COMMENT: _("The comment of entry #%(entry)s no longer exists."),
            Target.BOOKMARK: _("The bookmark of entry #%(entry)s no longer exists."),
        }
        gone = kinds.get(entry.target_kind, _("What entry #%(entry)s was about no longer exists."))
        raise ValidationError(gone % {"entry": entry.pk})
    return found


@undo.registers("hide_work")
def undo_hide_work(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    return unhide_work(actor, _target(Work, entry), _undo_reason(entry), undoes=entry)


@undo.registers("unhide_work")
def undo_unhide_work(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    reason = entry.before.get("hidden_reason") or _undo_reason(entry)
    return hide_work(actor, _target(Work, entry), reason, undoes=entry)


@undo.registers("edit_work_tags")
def undo_edit_work_tags(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    work = _target(Work, entry)
    return edit_work_tags(actor, work, entry.before["tags"], _undo_reason(entry), undoes=entry)


def _undo_comment(entry: AuditEntry, actor: AnyUser, setter: Any, value: bool) -> AuditEntry:
    comment = _target(Comment, entry)
    return setter(actor, comment, value, _undo_reason(entry), undoes=entry)  # type: ignore[no-any-return]


@undo.registers("hide_comment")
def undo_hide_comment(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    return _undo_comment(entry, actor, set_comment_hidden, False)


@undo.registers("unhide_comment")
def undo_unhide_comment(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    return _undo_comment(entry, actor, set_comment_hidden, True)


@undo.registers("freeze_thread")
def undo_freeze_thread(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    return _undo_comment(entry, actor, set_thread_frozen, False)


@undo.registers("unfreeze_thread")
def undo_unfreeze_thread(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    return _undo_comment(entry, actor, set_thread_frozen, True)


@undo.registers("hide_bookmark")
def undo_hide_bookmark(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    bookmark = _target(Bookmark, entry)
    return set_bookmark_hidden(actor, bookmark, False, _undo_reason(entry), undoes=entry)


@undo.registers("unhide_bookmark")
def undo_unhide_bookmark(actor: AnyUser, entry: AuditEntry) -> AuditEntry:
    bookmark = _target(Bookmark, entry)
    return set_bookmark_hidden(actor, bookmark, True, _undo_reason(entry), undoes=entry)

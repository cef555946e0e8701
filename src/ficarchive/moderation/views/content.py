"""Moderators' actions on works, comments and bookmarks: a confirmation page asking the reason
(GET), and the action (POST), which goes back to `next` (an address on this site), else to the
case, else to what was acted on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.moderation.actions import content
from ficarchive.moderation.forms import ReasonForm, WorkTagsForm
from ficarchive.moderation.models import AuditEntry, Case
from ficarchive.moderation.permissions import Permission, require
from ficarchive.moderation.views import back_to
from ficarchive.social.models import Bookmark, Comment
from ficarchive.works import actions as work_actions
from ficarchive.works.forms import add_action_errors
from ficarchive.works.models import Work
from ficarchive.works.views.posting import posted_data, status_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Act = Callable[[AuthedRequest, Any, Any, Case | None], AuditEntry]


@dataclass(frozen=True)
class Verb:
    permission: Permission
    heading: StrOrPromise  # "Hide", "Delete"...
    done: StrOrPromise  # the message after it
    act: Act
    reason_required: bool = True
    danger: bool = False


def _reason(form: Any) -> str:
    return str(form.cleaned_data["reason"])


WORK_VERBS: dict[str, Verb] = {
    "hide": Verb(
        "hide_content",
        _("Hide"),
        _("The work is hidden; its creators were told why."),
        lambda r, work, form, case: content.hide_work(r.user, work, _reason(form), case=case),
        danger=True,
    ),
    "unhide": Verb(
        "hide_content",
        _("Unhide"),
        _("The work is shown again."),
        lambda r, work, form, case: content.unhide_work(r.user, work, _reason(form), case=case),
        reason_required=False,
    ),
    "delete": Verb(
        "delete_content",
        _("Delete"),
        _("The work is deleted; the audit log keeps what it was."),
        lambda r, work, form, case: content.delete_work(r.user, work, _reason(form), case=case),
        danger=True,
    ),
    "tags": Verb(
        "edit_work_tags",
        _("Edit the tags of"),
        _("The work's tags are changed."),
        lambda r, work, form, case: content.edit_work_tags(
            r.user, work, form.tag_names(), _reason(form), case=case
        ),
    ),
}

COMMENT_VERBS: dict[str, Verb] = {
    "hide": Verb(
        "hide_content",
        _("Hide"),
        _("The comment is hidden."),
        lambda r, c, form, case: content.set_comment_hidden(
            r.user, c, True, _reason(form), case=case
        ),
        danger=True,
    ),
    "unhide": Verb(
        "hide_content",
        _("Unhide"),
        _("The comment is shown again."),
        lambda r, c, form, case: content.set_comment_hidden(
            r.user, c, False, _reason(form), case=case
        ),
        reason_required=False,
    ),
    "delete": Verb(
        "hide_content",
        _("Delete"),
        _("The comment is deleted; the audit log keeps its text."),
        lambda r, c, form, case: content.delete_comment(r.user, c, _reason(form), case=case),
        danger=True,
    ),
    "freeze": Verb(
        "hide_content",
        _("Freeze the thread of"),
        _("The thread is frozen."),
        lambda r, c, form, case: content.set_thread_frozen(
            r.user, c, True, _reason(form), case=case
        ),
    ),
    "unfreeze": Verb(
        "hide_content",
        _("Unfreeze the thread of"),
        _("The thread takes replies again."),
        lambda r, c, form, case: content.set_thread_frozen(
            r.user, c, False, _reason(form), case=case
        ),
        reason_required=False,
    ),
}

BOOKMARK_VERBS: dict[str, Verb] = {
    "hide": Verb(
        "hide_content",
        _("Hide"),
        _("The bookmark is hidden; its owner still sees it."),
        lambda r, b, form, case: content.set_bookmark_hidden(
            r.user, b, True, _reason(form), case=case
        ),
        danger=True,
    ),
    "unhide": Verb(
        "hide_content",
        _("Unhide"),
        _("The bookmark is shown again."),
        lambda r, b, form, case: content.set_bookmark_hidden(
            r.user, b, False, _reason(form), case=case
        ),
        reason_required=False,
    ),
}


def _verb(verbs: dict[str, Verb], name: str, request: AuthedRequest) -> Verb:
    verb = verbs.get(name)
    if verb is None:
        raise Http404(gettext("No such moderation action."))
    require(request.user, verb.permission)
    return verb


def _case_url(case: Case) -> str | None:
    try:
        return reverse("moderation:case", args=[case.pk])
    except NoReverseMatch:  # before the moderation queue's pages exist
        return None


def _back(request: AuthedRequest, given: str, case: Case | None, fallback: str) -> str:
    """NEXT when it is an address on this site, else the case, else FALLBACK."""
    return back_to(request, given, (_case_url(case) if case else None) or fallback)


def _confirm(
    request: AuthedRequest,
    verb: Verb,
    target: Model,
    form: ReasonForm,
    *,
    label: str,
    fallback: str,
) -> HttpResponse:
    """The confirmation page (GET, or a refused POST), or the action and the way back."""
    if form.is_valid():
        case = Case.objects.filter(pk=form.cleaned_data["case"]).first()
        try:
            verb.act(request, target, form, case)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, verb.done)
            return redirect(_back(request, form.cleaned_data["next"], case, fallback))
    context = {"verb": verb, "target": target, "label": label, "form": form}
    return render(request, "moderation/confirm.html", context, status=status_of(form))


def _initial(request: AuthedRequest) -> dict[str, Any]:
    return {"next": request.GET.get("next", ""), "case": request.GET.get("case") or None}


@login_required
def work_action(request: AuthedRequest, work_id: int, name: str) -> HttpResponse:
    verb = _verb(WORK_VERBS, name, request)
    work = get_object_or_404(Work.objects.posted(), pk=work_id)
    initial = _initial(request)
    if name == "tags":
        initial |= WorkTagsForm.initial_from(work_actions.tag_names_of(work))
        form: ReasonForm = WorkTagsForm(posted_data(request), initial=initial)
    else:
        form = ReasonForm(posted_data(request), initial=initial)
    fallback = reverse("home") if name == "delete" else work.get_absolute_url()
    work_label = pgettext("a work's title", "“%(title)s”") % {"title": work.title}
    return _confirm(request, verb, work, form, label=work_label, fallback=fallback)


@login_required
def comment_action(request: AuthedRequest, comment_id: int, name: str) -> HttpResponse:
    verb = _verb(COMMENT_VERBS, name, request)
    comment = get_object_or_404(Comment.objects.select_related("work", "user"), pk=comment_id)
    form = ReasonForm(posted_data(request), initial=_initial(request))
    label = gettext("the comment by %(name)s on “%(title)s”") % {
        "name": comment.author_name,
        "title": comment.work.title,
    }
    fallback = comment.work.get_absolute_url()
    return _confirm(request, verb, comment, form, label=label, fallback=fallback)


@login_required
def bookmark_action(request: AuthedRequest, bookmark_id: int, name: str) -> HttpResponse:
    verb = _verb(BOOKMARK_VERBS, name, request)
    bookmark = get_object_or_404(
        Bookmark.objects.select_related("user", "work", "series"), pk=bookmark_id
    )
    form = ReasonForm(posted_data(request), initial=_initial(request))
    label = gettext("%(username)s's bookmark of “%(title)s”") % {
        "username": bookmark.user.username,
        "title": bookmark.target.title,
    }
    fallback = reverse("social:user_bookmarks", args=[bookmark.user.username])
    return _confirm(request, verb, bookmark, form, label=label, fallback=fallback)

"""Posting, replying to, editing, deleting and moderating comments; a comment's own page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.social import actions, panels
from ficarchive.social.forms import CommentForm, NewCommentForm
from ficarchive.social.models import Comment
from ficarchive.social.views.common import client_address, is_htmx, readable_work
from ficarchive.works.forms import add_action_errors
from ficarchive.works.views.posting import posted_data, status_of


def _shown_comment(request: HttpRequest, comment_id: int) -> tuple[Comment, bool]:
    """The comment if the reader may see it and its work (else 404), and if they moderate it."""
    comment = get_object_or_404(Comment.objects.select_related("work", "user"), pk=comment_id)
    work = readable_work(request, comment.work_id)
    moderator = work.is_editable_by(request.user)
    shown = Comment.objects.filter(pk=comment.pk).shown_to(request.user, moderator=moderator)
    if not shown.exists():
        raise Http404("No such comment.")
    comment.work = work
    return comment, moderator


def comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment and the replies under it."""
    found, moderator = _shown_comment(request, comment_id)
    context = panels.thread_context(request, found, moderator=moderator)
    context |= {"comment": found, "comment_refusal": _refusal(request, found)}
    return render(request, "social/comment.html", context)


def _refusal(request: HttpRequest, parent: Comment) -> str:
    return actions.refusal_to_comment(request.user, parent.work)


@require_POST
def new(request: HttpRequest, work_id: int) -> HttpResponse:
    """Post a comment on the work, or on one of its chapters (POST chapter)."""
    work = readable_work(request, work_id)
    form = NewCommentForm(request.POST, guest=not request.user.is_authenticated)
    chapter = None
    if request.POST.get("chapter", "").isdigit():
        chapter = get_object_or_404(
            work.chapters.filter(is_draft=False), pk=request.POST["chapter"]
        )
    if form.is_valid():
        try:
            posted = actions.post_comment(
                request.user,
                work,
                form.cleaned_data["text"],
                form.cleaned_data["body_format"],
                chapter=chapter,
                guest=form.guest_details(client_address(request)),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return _posted(request, posted, chapter)
    if is_htmx(request):  # htmx swaps only 2xx answers: the section comes back with the errors
        moderator = work.is_editable_by(request.user)
        context = panels.comments_context(request, work, chapter=chapter, moderator=moderator)
        return render(request, "social/_comments.html", context | {"comment_form": form})
    context = {"form": form, "work": work, "chapter": chapter}
    return render(request, "social/comment_form.html", context, status=400)


def _posted(request: HttpRequest, posted: Comment, chapter: Any) -> HttpResponse:
    if posted.is_held:
        note = "Your comment is waiting for review by the archive's moderators."
    elif posted.is_pending:
        note = "Your comment waits for the creators' approval."
    else:
        note = "Your comment is posted."
    if is_htmx(request):
        moderator = posted.work.is_editable_by(request.user)
        context = panels.comments_context(
            request, posted.work, chapter=chapter, moderator=moderator
        )
        response = render(request, "social/_comments.html", context | {"comment_note": note})
        response.write(panels.counters_update(request, posted.work))
        return response
    messages.success(request, note)
    target = chapter.get_absolute_url() if chapter else posted.work.get_absolute_url()
    return redirect(f"{target}#comment-{posted.pk}" if posted.is_public else target)


def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Reply to a comment: a form on the comment's own page (GET), posted here (POST)."""
    parent, moderator = _shown_comment(request, comment_id)
    form = NewCommentForm(posted_data(request), guest=not request.user.is_authenticated)
    if form.is_valid():
        try:
            posted = actions.post_comment(
                request.user,
                parent.work,
                form.cleaned_data["text"],
                form.cleaned_data["body_format"],
                parent=parent,
                guest=form.guest_details(client_address(request)),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            held = (
                " and is waiting for review by the archive's moderators" if posted.is_held else ""
            )
            messages.success(request, f"Your reply is posted{held}.")
            if request.POST.get("next") == "inbox":
                return redirect("social:inbox")
            return redirect(f"{parent.get_absolute_url()}#comment-{posted.pk}")
    context = {"form": form, "parent": parent, "work": parent.work, "moderator": moderator}
    context["comment_refusal"] = _refusal(request, parent)
    return render(request, "social/reply.html", context, status=status_of(form))


@login_required
def edit(request: AuthedRequest, comment_id: int) -> HttpResponse:
    found, _permissions = _shown_comment(request, comment_id)
    if not found.is_editable_by(request.user):
        raise PermissionDenied("Only the commenter may edit a comment.")
    initial = {"text": found.body_source, "body_format": found.body_format}
    form = CommentForm(posted_data(request), initial=initial)
    if form.is_valid():
        try:
            actions.edit_comment(
                request.user, found, form.cleaned_data["text"], form.cleaned_data["body_format"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect(found)
    context = {"form": form, "comment": found, "work": found.work}
    return render(request, "social/comment_edit.html", context, status=status_of(form))


@login_required
def delete(request: AuthedRequest, comment_id: int) -> HttpResponse:
    found, moderator = _shown_comment(request, comment_id)
    if not moderator and found.user_id != request.user.pk:
        raise PermissionDenied("Only the commenter or the work's creators may delete it.")
    if request.method == "POST":
        actions.delete_comment(request.user, found)
        messages.success(request, _("The comment is deleted."))
        return redirect(found.work)
    context = {
        "heading": "Delete this comment?",
        "explanation": "A comment with replies stays as “deleted” so the replies keep their place.",
        "cancel_url": found.get_absolute_url(),
    }
    return render(request, "works/confirm_delete.html", context)


MODERATION = {
    "approve": lambda user, c: actions.approve_comment(user, c),
    "hide": lambda user, c: actions.set_comment_hidden(user, c, True),
    "unhide": lambda user, c: actions.set_comment_hidden(user, c, False),
    "freeze": lambda user, c: actions.freeze_thread(user, c, True),
    "unfreeze": lambda user, c: actions.freeze_thread(user, c, False),
}
DONE = {
    "approve": "The comment is approved.",
    "hide": "The comment is hidden from readers.",
    "unhide": "The comment is shown again.",
    "freeze": "The thread is frozen.",
    "unfreeze": "The thread takes replies again.",
}


@require_POST
@login_required
def moderate(request: AuthedRequest, comment_id: int, verb: str) -> HttpResponse:
    """The work's creators approve, hide or unhide a comment, or freeze or thaw its thread."""
    if verb not in MODERATION:
        raise Http404("No such moderation.")
    found, moderator = _shown_comment(request, comment_id)
    if not moderator:
        raise PermissionDenied("Only the work's creators may moderate its comments.")
    try:
        MODERATION[verb](request.user, found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE[verb])
    return redirect(found)

"""Who made a work (co-creator invitations) and hiding works (moderators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.moderation.actions import content as moderation
from ficarchive.moderation.permissions import require
from ficarchive.pages import paginate
from ficarchive.works import actions
from ficarchive.works.forms import HideForm, InviteForm, PickForm, add_action_errors
from ficarchive.works.models import Creatorship, Work
from ficarchive.works.views.posting import (
    editable_work,
    posted_data,
    status_of,
)


@login_required
def creators(request: AuthedRequest, work_id: int) -> HttpResponse:
    """List creators and invitations; invite a pseud (POST pseud) or remove one (POST pick)."""
    work = editable_work(request, work_id)
    if request.method == "POST" and "pick" in request.POST:
        return _remove_creator(request, work)
    form = InviteForm(posted_data(request))
    if form.is_valid():
        try:
            actions.invite_cocreator(request.user, work, form.cleaned_data["pseud"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            byline = form.cleaned_data["pseud"].byline
            messages.success(
                request,
                _("Invited %(pseud)s; they are named once they accept.") % {"pseud": byline},
            )
            return redirect("works:creators", work.pk)
    return _creators_page(request, work, form, status=status_of(form))


def _creators_page(
    request: HttpRequest, work: Work, form: InviteForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "work": work,
        "form": form,
        "creatorships": work.creatorships.select_related("pseud__user", "invited_by"),
    }
    return render(request, "works/creators.html", context, status=status)


def _remove_creator(request: AuthedRequest, work: Work) -> HttpResponse:
    pick = PickForm(work.creatorships.select_related("pseud__user"), request.POST)
    if not pick.is_valid():
        raise Http404("No such creator on this work.")
    creatorship = pick.cleaned_data["pick"]
    try:
        actions.remove_creator(request.user, creatorship)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _creators_page(request, work, InviteForm(), status=400)
    messages.success(
        request, _("%(pseud)s is no longer on this work.") % {"pseud": creatorship.pseud.byline}
    )
    if not work.is_editable_by(request.user):
        return redirect(reverse("accounts:user_works", args=[request.user.get_username()]))
    return redirect("works:creators", work.pk)


@login_required
def invitations(request: AuthedRequest) -> HttpResponse:
    pending = Creatorship.objects.invitations_for(request.user)
    return render(request, "works/invitations.html", paginate(request, pending))


@require_POST
@login_required
def answer_invitation(request: AuthedRequest, creatorship_id: int, answer: str) -> HttpResponse:
    invitation = get_object_or_404(
        Creatorship.objects.invitations_for(request.user), pk=creatorship_id
    )
    if answer == "accept":
        actions.accept_cocreator_invite(request.user, invitation)
        messages.success(
            request, _("You are now a creator of “%(title)s”.") % {"title": invitation.work.title}
        )
        return redirect(invitation.work)
    if answer == "decline":
        actions.decline_cocreator_invite(request.user, invitation)
        messages.success(
            request, _("Declined the invitation to “%(title)s”.") % {"title": invitation.work.title}
        )
        return redirect("works:invitations")
    raise Http404("Answer accept or decline.")


@login_required
def hide(request: AuthedRequest, work_id: int) -> HttpResponse:
    """Moderators hide a work from everyone but its creators, with a reason, or show it again
    (the same actions, permission and audit entries as the moderation pages)."""
    work = get_object_or_404(Work.objects.visible_to(request.user), pk=work_id)
    require(request.user, "hide_content")
    form = HideForm(posted_data(request))
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if work.is_hidden:
                moderation.unhide_work(request.user, work, reason)
            else:
                moderation.hide_work(request.user, work, reason)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("The work is hidden.") if work.is_hidden else _("The work is visible again."),
            )
            return redirect(work)
    context = {"form": form, "work": work}
    return render(request, "works/hide.html", context, status=status_of(form))

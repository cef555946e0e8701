"""Invitation pages: a visitor's request, a user's invitations to share, and support's page
(the queue, sending now, giving invitations, banned addresses)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import User
from ficarchive.accounts.requests import AuthedRequest
from ficarchive.moderation import switches
from ficarchive.moderation.actions import invitations as actions
from ficarchive.moderation.invitation_forms import (
    BanAddressForm,
    GiveInvitationsForm,
    InvitationRequestForm,
    SendInvitationsForm,
    ShareInvitationForm,
)
from ficarchive.moderation.models import (
    BannedAddress,
    Invitation,
    InvitationRequest,
    SignupMode,
)
from ficarchive.moderation.permissions import require
from ficarchive.pages import paginate
from ficarchive.ratelimit import count_hit
from ficarchive.social.views.common import client_address
from ficarchive.works.forms import add_action_errors


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _status(*forms: BaseForm | None) -> int:
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


# --- visitors -----------------------------------------------------------------------------


def request_invitation(request: HttpRequest) -> HttpResponse:
    form = InvitationRequestForm(_posted(request))
    if request.method == "POST":
        hit = count_hit(
            f"invitations:request:{client_address(request)}",
            limit=settings.INVITATION_REQUESTS_PER_ADDRESS,
            window=settings.INVITATION_REQUEST_WINDOW,
        )
        if not hit.allowed:
            form.is_valid()
            minutes = max(1, hit.retry_after // 60)
            too_many = ngettext(
                "Too many invitation requests from your address; try again in %(count)s minute.",
                "Too many invitation requests from your address; try again in %(count)s minutes.",
                minutes,
            )
            form.add_error(None, too_many % {"count": minutes})
        elif form.is_valid():
            try:
                place = actions.request_invitation(form.cleaned_data["email"])
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                return render(request, "moderation/invitation_queued.html", {"place": place})
    context = {"form": form, "switches": switches.current()}
    return render(request, "moderation/invitation_request.html", context, status=_status(form))


# --- users --------------------------------------------------------------------------------


def _mine_page(request: AuthedRequest, **context: Any) -> HttpResponse:
    mine = Invitation.objects.filter(owner=request.user)
    context = {
        "unused": mine.filter(used_by=None),
        "used": mine.exclude(used_by=None).select_related("used_by"),
        "form": context.pop("form", None) or ShareInvitationForm(),
        **context,
    }
    return render(
        request, "moderation/my_invitations.html", context, status=_status(context["form"])
    )


@login_required
def my_invitations(request: AuthedRequest) -> HttpResponse:
    return _mine_page(request)


@login_required
@require_POST
def share(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id, owner=request.user)
    form = ShareInvitationForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            link = actions.share_invitation(request.user, invitation, email)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if email:
                messages.success(
                    request, _("The invitation is on its way to %(email)s.") % {"email": email}
                )
                return redirect("moderation:my_invitations")
            return _mine_page(request, link=link, shared=invitation.pk)
    return _mine_page(request, form=form, failed=invitation.pk)


# --- support ------------------------------------------------------------------------------


def _manage_page(request: AuthedRequest, **forms: BaseForm) -> HttpResponse:
    require(request.user, "manage_invitations")
    waiting = InvitationRequest.objects.filter(sent_at=None).order_by("created_at", "id")
    context = paginate(request, waiting, settings.INVITATION_QUEUE_PER_PAGE)
    context.update(
        send_form=forms.get("send_form") or SendInvitationsForm(),
        give_form=forms.get("give_form") or GiveInvitationsForm(),
        ban_form=forms.get("ban_form") or BanAddressForm(),
        bans=BannedAddress.objects.select_related("created_by"),
        signups_label=SignupMode(switches.current().signups).label,
        per_batch=settings.INVITATIONS_PER_BATCH,
        batch_hours=settings.INVITATION_BATCH_HOURS,
    )
    return render(request, "moderation/invitations.html", context, status=_status(*forms.values()))


@login_required
def manage(request: AuthedRequest) -> HttpResponse:
    return _manage_page(request)


@login_required
@require_POST
def send_now(request: AuthedRequest) -> HttpResponse:
    require(request.user, "manage_invitations")
    form = SendInvitationsForm(request.POST)
    if form.is_valid():
        try:
            sent = actions.send_invitations(form.cleaned_data["count"], by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(count)s request answered.", "%(count)s requests answered.", sent)
                % {"count": sent},
            )
            return redirect("moderation:invitations")
    return _manage_page(request, send_form=form)


@login_required
@require_POST
def give(request: AuthedRequest) -> HttpResponse:
    require(request.user, "manage_invitations")
    form = GiveInvitationsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(username__iexact=data["username"]).first()
        try:
            if user is None:
                raise ValidationError(
                    {
                        "username": [
                            _("No account is named %(username)s.") % {"username": data["username"]}
                        ]
                    }
                )
            actions.give_invitations(request.user, user, data["count"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(username)s has %(count)s more to share.")
                % {"username": user.username, "count": data["count"]},
            )
            return redirect("moderation:invitations")
    return _manage_page(request, give_form=form)


SHOWN_ACCOUNTS = 10  # accounts named in the message after a ban


def _tell_of_accounts(request: AuthedRequest, ban: BannedAddress) -> None:
    """A ban refuses new uses of an address; name the accounts that already use it."""
    using = ban.accounts()
    count = using.count()
    if not count:
        return
    names = list(using.order_by("username").values_list("username", flat=True)[:SHOWN_ACCOUNTS])
    listed = ", ".join(names)
    if count > len(names):
        listed = _("%(names)s and %(count)s more") % {"names": listed, "count": count - len(names)}
    messages.warning(
        request,
        ngettext(
            "%(count)s existing account uses %(pattern)s: %(listed)s. The ban refuses new uses "
            "only: look at them from their moderation pages.",
            "%(count)s existing accounts use %(pattern)s: %(listed)s. The ban refuses new uses "
            "only: look at them from their moderation pages.",
            count,
        )
        % {"count": count, "pattern": ban.pattern, "listed": listed},
    )


@login_required
@require_POST
def ban(request: AuthedRequest) -> HttpResponse:
    require(request.user, "manage_invitations")
    form = BanAddressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            banned = actions.ban_address(request.user, data["pattern"], data["reason"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("%(pattern)s is banned.") % {"pattern": banned.pattern})
            _tell_of_accounts(request, banned)
            return redirect("moderation:invitations")
    return _manage_page(request, ban_form=form)


@login_required
@require_POST
def unban(request: AuthedRequest, ban_id: int) -> HttpResponse:
    require(request.user, "manage_invitations")
    banned = get_object_or_404(BannedAddress, pk=ban_id)
    actions.unban_address(request.user, banned)
    messages.success(request, _("%(pattern)s is no longer banned.") % {"pattern": banned.pattern})
    return redirect("moderation:invitations")

"""Pages of two-factor sign-in: the preferences page and its set-up steps, and the log-in's
second step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.two_factor import actions, devices, passkeys, signin, totp
from ficarchive.accounts.two_factor.forms import (
    CodeForm,
    PasskeyForm,
    PasskeySignInForm,
    PasswordForm,
)
from ficarchive.accounts.two_factor.models import Passkey
from ficarchive.works.forms import add_action_errors


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, template: str, form: BaseForm, **context: Any) -> HttpResponse:
    """Render a form page; a form that was sent and refused answers 400."""
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


def _json(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="application/json")


# --- preferences ------------------------------------------------------------------------------


@never_cache
@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "app": devices.totp_device(user),
        "passkeys": Passkey.objects.of(user),
        "backup_left": devices.backup_codes_left(user),
        "has_backup": devices.has_backup_codes(user),
        "on": devices.has_second_factor(user),
        "required": devices.required_for(user),
        "passkey_form": PasskeyForm(),
    }
    return render(request, "accounts/two_factor/overview.html", context)


@never_cache
@login_required
def add_app(request: AuthedRequest) -> HttpResponse:
    """A new secret (made by a POST with "start"), shown as a QR code; a first right code puts
    the app in use. Showing the page writes nothing."""
    user = request.user
    if request.method == "POST" and "start" in request.POST:
        try:
            actions.start_totp(user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:two_factor")
        return redirect("accounts:two_factor_app")
    device = devices.unconfirmed_totp(user)
    if device is None:
        return redirect("accounts:two_factor")
    form = CodeForm(_posted(request))
    if form.is_valid():
        try:
            actions.confirm_totp(user, device, form.cleaned_data["code"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Your authenticator app is set up."))
            if not devices.has_backup_codes(user):
                codes = actions.make_backup_codes(user)
                return render(request, "accounts/two_factor/backup_codes.html", {"codes": codes})
            return redirect("accounts:two_factor")
    context = {"secret": totp.secret_of(device), "qr": totp.qr_svg(device)}
    return _page(request, "accounts/two_factor/add_app.html", form, **context)


@never_cache
@login_required
@require_POST
def backup_codes(request: AuthedRequest) -> HttpResponse:
    """New backup codes, shown this once; the old ones stop working."""
    codes = actions.make_backup_codes(request.user)
    return render(request, "accounts/two_factor/backup_codes.html", {"codes": codes})


def _confirm_removal(
    request: AuthedRequest, remove: Any, done: str, what: str, **context: Any
) -> HttpResponse:
    """Ask for the password, then call REMOVE(password)."""
    form = PasswordForm(_posted(request))
    if form.is_valid():
        try:
            remove(form.cleaned_data["password"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("accounts:two_factor")
    return _page(request, "accounts/two_factor/remove.html", form, what=what, **context)


@sensitive_post_parameters("password")
@never_cache
@login_required
def remove_app(request: AuthedRequest) -> HttpResponse:
    if devices.totp_device(request.user) is None:
        raise Http404(_("You have no authenticator app."))
    return _confirm_removal(
        request,
        lambda password: actions.remove_totp(request.user, password),
        _("Your authenticator app is removed."),
        _("Remove your authenticator app"),
    )


@sensitive_post_parameters("password")
@never_cache
@login_required
def remove_passkey(request: AuthedRequest, passkey_id: int) -> HttpResponse:
    passkey = get_object_or_404(Passkey.objects.of(request.user), pk=passkey_id)
    return _confirm_removal(
        request,
        lambda password: actions.remove_passkey(request.user, passkey, password),
        _("The passkey “%(name)s” is removed.") % {"name": passkey.name},
        _("Remove the passkey “%(name)s”") % {"name": passkey.name},
    )


@sensitive_post_parameters("password")
@never_cache
@login_required
def turn_off(request: AuthedRequest) -> HttpResponse:
    return _confirm_removal(
        request,
        lambda password: actions.turn_off(request.user, password),
        _("Two-factor sign-in is off: your password alone signs you in."),
        _("Turn two-factor sign-in off"),
        everything=True,
    )


@never_cache
@login_required
@require_POST
def passkey_options(request: AuthedRequest) -> HttpResponse:
    """The options for the browser to make a passkey (JSON, read by two-factor.js)."""
    return _json(passkeys.registration_options(request, request.user))


@never_cache
@login_required
@require_POST
def add_passkey(request: AuthedRequest) -> HttpResponse:
    form = PasskeyForm(request.POST)
    if form.is_valid():
        try:
            if not form.cleaned_data["credential"]:
                raise ValidationError(
                    _(
                        "Your browser made no passkey: adding one needs JavaScript and a browser "
                        "or device that keeps passkeys."
                    )
                )
            credential_id, public_key, count = passkeys.verified_registration(
                request, form.cleaned_data["credential"]
            )
            actions.add_passkey(
                request.user, form.cleaned_data["name"], credential_id, public_key, count
            )
        except passkeys.PasskeyRefused as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Your passkey is added."))
            return redirect("accounts:two_factor")
    return _page(request, "accounts/two_factor/add_passkey.html", form)


# --- the log-in's second step ------------------------------------------------------------------

LATE = gettext_noop("Your log-in took too long or was not started; log in again.")


def _verify_page(
    request: HttpRequest,
    sign_in: signin.Pending,
    form: CodeForm,
    *,
    backup: bool,
    refusal: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "backup": backup,
        "has_app": devices.totp_device(sign_in.user) is not None,
        "has_passkey": Passkey.objects.of(sign_in.user).exists(),
        "passkey_form": PasskeySignInForm(),
        "refusal": refusal,
    }
    status = 400 if refusal or (form.is_bound and form.errors) else 200
    return render(request, "accounts/two_factor/verify.html", context, status=status)


@sensitive_post_parameters("code")
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Ask the pending sign-in for its second factor: a code, a backup code or a passkey."""
    sign_in = signin.pending(request)
    if sign_in is None:
        messages.error(request, _(LATE))
        return redirect("accounts:login")
    backup = "backup" in (request.GET.get("method"), request.POST.get("method"))
    form = CodeForm(_posted(request), backup=backup)
    if form.is_valid():
        try:
            signin.check_code(request, sign_in, form.cleaned_data["code"], backup=backup)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(signin.finish(request, sign_in))
    return _verify_page(request, sign_in, form, backup=backup)


@never_cache
@require_POST
def verify_passkey_options(request: HttpRequest) -> HttpResponse:
    """The options for the browser to sign with a passkey (JSON, read by two-factor.js)."""
    sign_in = signin.pending(request)
    if sign_in is None:
        return HttpResponse(_(LATE), status=403, content_type="text/plain; charset=utf-8")
    return _json(passkeys.authentication_options(request, sign_in.user))


@never_cache
@require_POST
def verify_passkey(request: HttpRequest) -> HttpResponse:
    sign_in = signin.pending(request)
    if sign_in is None:
        messages.error(request, _(LATE))
        return redirect("accounts:login")
    form = PasskeySignInForm(request.POST)
    credential = form.cleaned_data["credential"] if form.is_valid() else ""
    try:
        signin.check_passkey(request, sign_in, credential)
    except ValidationError as exc:
        return _verify_page(request, sign_in, CodeForm(), backup=False, refusal=exc.messages[0])
    return redirect(signin.finish(request, sign_in))

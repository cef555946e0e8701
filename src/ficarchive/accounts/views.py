"""Pages for accounts: signing up and in, passwords, preferences, pseuds and profiles."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm, Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from ficarchive.accounts import actions
from ficarchive.accounts import email_change as changing_email
from ficarchive.accounts import signup as signing_up
from ficarchive.accounts.filters import MAX_FILTERS
from ficarchive.accounts.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    FilterPreferencesForm,
    HideTagsForm,
    LoginForm,
    PreferencesForm,
    PseudForm,
    SignupForm,
)
from ficarchive.accounts.models import HiddenTag, HiddenWork, Mute, Pseud, User, username_is
from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import good_standing_required
from ficarchive.accounts.two_factor import devices as two_factor_devices
from ficarchive.accounts.two_factor import signin as two_factor_signin
from ficarchive.moderation import switches
from ficarchive.moderation.invitation_forms import InvitationRequestForm
from ficarchive.moderation.switches import SIGNUP_MESSAGES
from ficarchive.pages import paginate
from ficarchive.search.listings import listing
from ficarchive.tags.models import Tag
from ficarchive.works.forms import add_action_errors
from ficarchive.works.models import Series, Work

RECENT_WORKS = 5


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, template: str, form: BaseForm, **context: Any) -> HttpResponse:
    """Render a form page; a form that was sent and refused answers 400."""
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    """Where to go after logging in (or another POST): `next` when it is an address on this
    site, else the page named DEFAULT. (Anything else, `redirect` would read as a view name.)"""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    address = target.startswith("/") or urlsplit(target).scheme in ("http", "https")
    return target if safe and address else reverse(default)


# --- signing up, in and out --------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    now = switches.current()
    status = 403 if request.method == "POST" else 200
    if now.signup_refusal:  # no form while sign-ups are closed; a sign-up sent anyway is refused
        closed = {"refusal": now.signup_refusal}
        return render(request, "accounts/signup_closed.html", closed, status=status)
    invitation = (request.POST.get("invitation") or request.GET.get("invitation", "")).strip()
    if now.by_invitation and not invitation:  # the queue's form instead
        context = {"refusal": SIGNUP_MESSAGES["invitation"], "form": InvitationRequestForm()}
        return render(request, "accounts/signup_by_invitation.html", context, status=status)
    form = SignupForm(_posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            signing_up.sign_up(data["username"], data["email"], data["password1"], invitation)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return render(request, "accounts/signup_sent.html", {"email": data["email"]})
    shown = invitation if now.by_invitation else ""
    return _form_page(request, "accounts/signup.html", form, invitation=shown)


@never_cache
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = signing_up.confirm_sign_up(uidb64, token, request.GET.get("invitation", ""))
    except ValidationError as exc:
        refusal = {"refusal": " ".join(exc.messages)}
        return render(request, "accounts/signup_confirm_failed.html", refusal, status=400)
    if user is None:
        return render(request, "accounts/signup_confirm_failed.html", status=400)
    auth.login(request, user)
    messages.success(request, _("Welcome to the archive, %(name)s!") % {"name": user.username})
    return redirect(user)


@sensitive_post_parameters("password")
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=_posted(request))
    if form.is_valid():
        user = form.get_user()
        if two_factor_devices.has_second_factor(user):  # not logged in until the second factor
            two_factor_signin.begin(request, user, _safe_next(request))
            return redirect("accounts:two_factor_verify")
        auth.login(request, user)
        if two_factor_devices.must_set_up(user):
            return redirect("accounts:two_factor")
        return redirect(_safe_next(request))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return _form_page(request, "accounts/login.html", form, next=next_url)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("home")


# --- passwords ---------------------------------------------------------------------------


@sensitive_post_parameters()
@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, _posted(request))
    if form.is_valid():
        form.save()
        auth.update_session_auth_hash(request, form.user)
        messages.success(request, _("Your password is changed."))
        return redirect("accounts:preferences")
    return _form_page(request, "accounts/password_change.html", form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, with the link built from SITE_URL, never from the request's Host
    (which a forged request chooses: the token would be mailed inside the attacker's link)."""

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# --- the account -------------------------------------------------------------------------


@sensitive_post_parameters("password")
@login_required
def delete_account(request: AuthedRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, _posted(request))
    if form.is_valid():
        choice = form.cleaned_data["works"]
        actions.delete_account(request.user, choice)
        auth.logout(request)
        if choice == "orphan":
            done = _("Your account is deleted and your works orphaned.")
        else:
            done = _("Your account is deleted and your works deleted (shared works stay).")
        messages.success(request, done)
        return redirect("home")
    return _form_page(request, "accounts/delete_account.html", form)


@sensitive_post_parameters("password")
@login_required
def email_change(request: AuthedRequest) -> HttpResponse:
    form = EmailChangeForm(_posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            changing_email.request_email_change(request.user, data["email"], data["password"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return render(request, "accounts/email_change_sent.html", {"email": data["email"]})
    return _form_page(request, "accounts/email_change.html", form)


@never_cache
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = changing_email.confirm_email_change(token)
    except ValidationError as exc:
        context = {"refusal": " ".join(exc.messages)}
        return render(request, "accounts/email_change_failed.html", context, status=400)
    messages.success(request, _("Your email address is now %(email)s.") % {"email": user.email})
    return redirect("accounts:preferences")


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    form = PreferencesForm(_posted(request), instance=request.user)
    if form.is_valid():
        try:
            actions.update_preferences(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your preferences are saved."))
            return redirect("accounts:preferences")
    return _form_page(request, "accounts/preferences.html", form)


@require_http_methods(["GET", "POST"])
def choose_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switch. A guest's links (GET) keep the choice in a cookie only; a
    signed-in reader's form (POST, with its CSRF token) also saves it as their preference, so it
    follows them to other browsers."""
    code = (request.POST if request.method == "POST" else request.GET).get("language", "")
    if code not in dict(settings.LANGUAGES):
        refusal = _("%(value)s is not a language of this archive.") % {"value": repr(code[:40])}
        return HttpResponse(refusal, status=400, content_type="text/plain")
    if request.method == "POST" and request.user.is_authenticated:
        actions.update_preferences(request.user, language=code)  # type: ignore[arg-type]
    response = redirect(_safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


# --- standing filters ----------------------------------------------------------------------


def _filters_page(
    request: AuthedRequest,
    *,
    preferences_form: FilterPreferencesForm | None = None,
    tags_form: HideTagsForm | None = None,
) -> HttpResponse:
    user = request.user
    visible = Work.objects.visible_to(user)
    context = {
        "preferences_form": preferences_form or FilterPreferencesForm(instance=user),
        "tags_form": tags_form or HideTagsForm(),
        "hidden_tags": HiddenTag.objects.of(user).select_related("tag"),
        "hidden_works": HiddenWork.objects.of(user).filter(work__in=visible).select_related("work"),
        "hidden_creators": Mute.objects.filter(muter=user).select_related("muted"),
        "max_filters": MAX_FILTERS,
    }
    refused = any(form and form.is_bound and form.errors for form in (preferences_form, tags_form))
    return render(request, "accounts/filters.html", context, status=400 if refused else 200)


@login_required
def filters(request: AuthedRequest) -> HttpResponse:
    """The reader's standing filters; POST sets the switches for read and kudosed works."""
    form = FilterPreferencesForm(_posted(request), instance=request.user)
    if form.is_valid():
        actions.update_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("Your filters are saved."))
        return redirect("accounts:filters")
    return _filters_page(request, preferences_form=form)


@require_POST
@login_required
def hide_tags(request: AuthedRequest) -> HttpResponse:
    form = HideTagsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.hide_tags(request.user, data["q"], data["type"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            names = data["q"]
            if len(names) <= 5:
                done = _("Works tagged %(names)s are hidden from you.") % {
                    "names": ", ".join(names)
                }
            else:
                done = ngettext(
                    "Works tagged any of %(count)s tag are hidden from you.",
                    "Works tagged any of %(count)s tags are hidden from you.",
                    len(names),
                ) % {"count": len(names)}
            messages.success(request, done)
            return redirect("accounts:filters")
    return _filters_page(request, tags_form=form)


@require_POST
@login_required
def show_tag(request: AuthedRequest, tag_id: int) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=tag_id)
    actions.show_tag(request.user, tag)
    messages.success(request, _("Works tagged %(name)s are shown again.") % {"name": tag.name})
    return redirect(_safe_next(request, "accounts:filters"))


@require_POST
@login_required
def hide_work(request: AuthedRequest, work_id: int) -> HttpResponse:
    """Hide a work; from a blurb, htmx puts a note with "Show it again" in the blurb's place."""
    work = get_object_or_404(Work.objects.visible_to(request.user), pk=work_id)
    error = ""
    try:
        actions.hide_work(request.user, work)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.headers.get("HX-Request") == "true":
        context = {"work": work, "error": error, "next": _safe_next(request, "accounts:filters")}
        return render(request, "accounts/_hidden_blurb.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("%(title)s is hidden from your listings.") % {"title": work.title}
        )
    return redirect(_safe_next(request, "accounts:filters"))


@require_POST
@login_required
def show_work(request: AuthedRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(Work, pk=work_id)
    actions.show_work(request.user, work)
    messages.success(request, _("%(title)s is listed again.") % {"title": work.title})
    return redirect(_safe_next(request, "accounts:filters"))


@require_POST
@login_required
def hide_creator(request: AuthedRequest, username: str) -> HttpResponse:
    other = _owner(username)
    try:
        actions.hide_creator(request.user, other)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        muted = _("You muted %(name)s: their works and comments are hidden from you.")
        messages.success(request, muted % {"name": other.username})
    return redirect(_safe_next(request, "accounts:filters"))


@require_POST
@login_required
def show_creator(request: AuthedRequest, username: str) -> HttpResponse:
    other = _owner(username)
    actions.show_creator(request.user, other)
    unmuted = _("You unmuted %(name)s: their works are listed again.")
    messages.success(request, unmuted % {"name": other.username})
    return redirect(_safe_next(request, "accounts:filters"))


# --- pseuds ------------------------------------------------------------------------------


def _own_pseud(request: AuthedRequest, pseud_id: int) -> Pseud:
    pseud = get_object_or_404(Pseud.objects.select_related("user"), pk=pseud_id)
    if not pseud.is_editable_by(request.user):
        raise PermissionDenied(_("This pseud is not yours."))
    return pseud


@login_required
@good_standing_required
def pseud_new(request: AuthedRequest) -> HttpResponse:
    form = PseudForm(_posted(request))
    if form.is_valid():
        try:
            pseud = actions.create_pseud(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("You can now post as %(name)s.") % {"name": pseud.name})
            return redirect(pseud)
    return _form_page(request, "accounts/pseud_form.html", form)


@login_required
@good_standing_required
def pseud_edit(request: AuthedRequest, pseud_id: int) -> HttpResponse:
    pseud = _own_pseud(request, pseud_id)
    initial = {"name": pseud.name, "description": pseud.description}
    form = PseudForm(_posted(request), initial=initial)
    if form.is_valid():
        try:
            actions.update_pseud(request.user, pseud, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your pseud is saved."))
            return redirect(pseud)
    return _form_page(request, "accounts/pseud_form.html", form, pseud=pseud)


@login_required
@good_standing_required
def pseud_delete(request: AuthedRequest, pseud_id: int) -> HttpResponse:
    pseud = _own_pseud(request, pseud_id)
    form = Form(_posted(request))
    if form.is_valid():
        try:
            actions.delete_pseud(request.user, pseud)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            done = _("%(name)s is deleted; its works are under your name.")
            messages.success(request, done % {"name": pseud.name})
            return redirect("accounts:pseuds", request.user.username)
    return _form_page(request, "accounts/pseud_delete.html", form, pseud=pseud)


# --- public pages ------------------------------------------------------------------------


def _owner(username: str) -> User:
    return get_object_or_404(User, username_is(username))


def profile(request: HttpRequest, username: str) -> HttpResponse:
    owner = _owner(username)
    works = Work.objects.listed_for(request.user).by_user(owner).bylined_for(request.user)
    drawn = listing(request, creator=owner, per_page=RECENT_WORKS)
    context = {
        "owner": owner,
        "pseuds": owner.pseuds.all(),
        "work_count": works.count() if drawn is None else len(drawn),
        "series_count": Series.objects.by_user(owner).listed_for(request.user).count(),
        "recent_works": (
            works.with_blurb_data()[:RECENT_WORKS] if drawn is None else drawn[0:RECENT_WORKS]
        ),
        "drawn": drawn is not None,
    }
    return render(request, "accounts/profile.html", context)


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    owner = _owner(username)
    drawn = listing(request, creator=owner)
    works = (
        Work.objects.listed_for(request.user)
        .by_user(owner)
        .bylined_for(request.user)
        .with_blurb_data()
        if drawn is None
        else drawn
    )
    context = {"owner": owner, **paginate(request, works), "drawn": drawn is not None}
    return render(request, "accounts/user_works.html", context)


def user_series(request: HttpRequest, username: str) -> HttpResponse:
    owner = _owner(username)
    series = Series.objects.by_user(owner).listed_for(request.user)
    context = {"owner": owner, **paginate(request, series)}
    return render(request, "accounts/user_series.html", context)


def _held_pseud_ids(request: HttpRequest, pseuds: Any) -> set[int]:
    """The owner's pseuds whose hidden text the spam check holds (rather than a moderator)."""
    from ficarchive.moderation.models import SpamCheck
    from ficarchive.moderation.spam.checking import PSEUD

    ids = [p.pk for p in pseuds if p.description_hidden and p.user_id == request.user.pk]
    if not ids:
        return set()
    held = SpamCheck.objects.held().filter(target_kind=PSEUD, target_id__in=ids)
    return set(held.values_list("target_id", flat=True))


def pseuds(request: HttpRequest, username: str) -> HttpResponse:
    owner = _owner(username)
    context = {"owner": owner, **paginate(request, owner.pseuds.all())}
    context["held_ids"] = _held_pseud_ids(request, context["page_obj"])
    return render(request, "accounts/pseuds.html", context)


def pseud(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    found = get_object_or_404(
        Pseud.objects.of_username(username).named(pseud).select_related("user")
    )
    works = (
        Work.objects.listed_for(request.user)
        .by_pseud(found)
        .bylined_for(request.user)
        .with_blurb_data()
    )
    context = {"pseud": found, "owner": found.user, **paginate(request, works)}
    context["held_ids"] = _held_pseud_ids(request, [found])
    return render(request, "accounts/pseud.html", context)

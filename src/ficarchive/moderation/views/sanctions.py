"""An account's moderation page (its standing, sanctions, cases and audit entries, with the forms
to warn, suspend and ban), the actions those forms send, and the warned user's own warnings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import User
from ficarchive.accounts.requests import AuthedRequest
from ficarchive.accounts.standing import is_suspended
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import AuditEntry, Case, Sanction, SanctionKind
from ficarchive.moderation.permissions import may, require
from ficarchive.moderation.views import back_to
from ficarchive.pages import paginate
from ficarchive.works.forms import add_action_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class SanctionForm(forms.Form):
    """One sanction as a moderator sends it: why, until when (suspensions), and the way back."""

    reason = forms.CharField(
        required=False,
        max_length=sanctions.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "The account reads it (warnings, suspensions) and the audit log keeps it."
        ),
    )
    until = forms.DateField(
        label=gettext_lazy("Suspended until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Writing comes back at the start of that day."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    case = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


def _until(day: date | None) -> datetime:
    if day is None:
        raise ValidationError({"until": [_("Choose the day the suspension ends.")]})
    return timezone.make_aware(datetime.combine(day, time.min))


Act = Callable[[AuthedRequest, User, dict[str, Any], Case | None], Any]


@dataclass(frozen=True)
class Verb:
    button: StrOrPromise
    done: StrOrPromise
    act: Act


VERBS: dict[str, Verb] = {
    "warn": Verb(
        gettext_lazy("Warn"),
        gettext_lazy("Warned: the account must acknowledge the warning."),
        lambda r, u, d, case: sanctions.warn(r.user, u, d["reason"], case=case),
    ),
    "suspend": Verb(
        gettext_lazy("Suspend"),
        gettext_lazy("Suspended: the account may read but not write until then."),
        lambda r, u, d, case: sanctions.suspend(
            r.user, u, _until(d["until"]), d["reason"], case=case
        ),
    ),
    "unsuspend": Verb(
        gettext_lazy("Lift the suspension"),
        gettext_lazy("The suspension is lifted."),
        lambda r, u, d, case: sanctions.unsuspend(r.user, u, d["reason"]),
    ),
    "ban": Verb(
        gettext_lazy("Ban"),
        gettext_lazy("Banned: the account cannot log in; its sessions and tokens are ended."),
        lambda r, u, d, case: sanctions.ban(r.user, u, d["reason"], case=case),
    ),
    "spam-ban": Verb(
        gettext_lazy("Spam-ban"),
        gettext_lazy("Spam-banned: the account is banned and everything it made is hidden."),
        lambda r, u, d, case: sanctions.spam_ban(r.user, u, d["reason"], case=case),
    ),
    "unban": Verb(
        gettext_lazy("Unban"),
        gettext_lazy("Unbanned: the account may log in again."),
        lambda r, u, d, case: sanctions.unban(r.user, u, d["reason"]),
    ),
}


def _may_see(request: AuthedRequest) -> None:
    if not (may(request.user, "handle_reports") or may(request.user, "sanction_users")):
        raise PermissionDenied(_("Only moderators may see an account's moderation history."))


def _page(request: AuthedRequest, subject: User, form: SanctionForm | None = None, *,
          failed: str = "", status: int = 200) -> HttpResponse:  # fmt: skip
    history = AuditEntry.objects.filter(subject=subject).select_related("undone_by")
    per_page = settings.AUDIT_ENTRIES_PER_PAGE
    context = {
        "subject": subject,
        "suspended": is_suspended(subject),
        "sanctions": Sanction.objects.filter(user=subject).select_related(
            "created_by", "lifted_by"
        )[:per_page],
        "cases": Case.objects.about(subject.pk)[:per_page],
        "can_sanction": may(request.user, "sanction_users"),
        "failed": failed,
        "form": form,
        "now": timezone.now(),
        **paginate(request, history.order_by("-created_at", "-id"), per_page),
    }
    return render(request, "moderation/user.html", context, status=status)


@login_required
def user_page(request: AuthedRequest, username: str) -> HttpResponse:
    _may_see(request)
    return _page(request, get_object_or_404(User, username=username))


@require_POST
@login_required
def sanction(request: AuthedRequest, username: str, name: str) -> HttpResponse:
    verb = VERBS.get(name)
    if verb is None:
        raise Http404(_("No such moderation action."))
    require(request.user, "sanction_users")
    subject = get_object_or_404(User, username=username)
    form = SanctionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        case = Case.objects.filter(pk=data["case"]).first() if data["case"] else None
        try:
            verb.act(request, subject, data, case)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, verb.done)
            fallback = reverse("moderation:user", args=[subject.username])
            return redirect(back_to(request, data["next"], fallback))
    return _page(request, subject, form, failed=name, status=400)


# --- the warned user's own page --------------------------------------------------------------


@login_required
def warnings(request: AuthedRequest) -> HttpResponse:
    mine = Sanction.objects.filter(user=request.user, kind=SanctionKind.WARNING)
    return render(request, "moderation/warnings.html", paginate(request, mine))


@require_POST
@login_required
def acknowledge(request: AuthedRequest, sanction_id: int) -> HttpResponse:
    warning = get_object_or_404(Sanction, pk=sanction_id, user=request.user)
    try:
        sanctions.acknowledge_warning(request.user, warning)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    messages.success(request, _("Thank you: the warning is marked as read."))
    return redirect("moderation:warnings")

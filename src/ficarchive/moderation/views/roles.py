"""The roles page: superadmins give and take moderation roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.moderation import permissions, roles
from ficarchive.moderation.actions.roles import give_role, take_role
from ficarchive.moderation.models import Role
from ficarchive.moderation.models.roles import ROLE_NAMES
from ficarchive.pages import paginate
from ficarchive.works.forms import add_action_errors
from ficarchive.works.views.posting import posted_data, status_of


class MemberForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=40)
    reason = forms.CharField(
        label=gettext_lazy("Why (for the audit log)"), required=False, max_length=1000
    )


@login_required
def roles_page(request: AuthedRequest) -> HttpResponse:
    """Each role with its first members, a form to add one, and a link to all of them."""
    permissions.require(request.user, "give_roles")
    shown = settings.ROLE_MEMBERS_PER_PAGE
    listed = [_role_context(role, MemberForm(auto_id=f"{roles.key_of(role)}_%s")) for role in Role]
    for item in listed:
        item["members"] = list(roles.members(item["role"])[: shown + 1])
        item["more"] = len(item["members"]) > shown
        item["members"] = item["members"][:shown]
    return render(request, "moderation/roles.html", {"roles": listed})


@login_required
def role_page(request: AuthedRequest, key: str) -> HttpResponse:
    """One role's members, paginated; a POST adds the user named."""
    permissions.require(request.user, "give_roles")
    role = _role(key)
    form = MemberForm(posted_data(request))
    if form.is_valid():
        try:
            give_role(
                request.user,
                form.cleaned_data["username"],
                role,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(username)s now holds %(role)s.")
                % {"username": form.cleaned_data["username"], "role": ROLE_NAMES[role]},
            )
            return redirect("moderation:role", key)
    context = _role_context(role, form)
    context |= paginate(request, roles.members(role), settings.ROLE_MEMBERS_PER_PAGE)
    return render(request, "moderation/role.html", context, status=status_of(form))


@require_POST
@login_required
def remove_member(request: AuthedRequest, key: str) -> HttpResponse:
    permissions.require(request.user, "give_roles")
    role = _role(key)
    username = request.POST.get("username", "")
    try:
        take_role(request.user, username, role, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(username)s no longer holds %(role)s.")
            % {"username": username, "role": ROLE_NAMES[role]},
        )
    return redirect("moderation:role", key)


def _role(key: str) -> Role:
    role = roles.of_key(key)
    if role is None:
        raise Http404(_("No such role."))
    return role


def _role_context(role: Role, form: MemberForm) -> dict[str, Any]:
    return {
        "role": role,
        "key": roles.key_of(role),
        "permissions": roles.permission_names(role),
        "count": roles.members(role).count(),
        "form": form,
    }

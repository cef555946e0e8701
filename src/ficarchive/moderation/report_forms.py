"""The report form, the queue's filters and the case page's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.models import User
from ficarchive.moderation.actions.reports import MAX_OUTCOME, MAX_TEXT
from ficarchive.moderation.models import CaseState, Reason
from ficarchive.social.forms import HoneypotInput


def moderators() -> QuerySet[User]:
    """Active accounts holding `handle_reports`: superadmins, and members of a role (group) or
    accounts given the permission itself."""
    held = Q(
        groups__permissions__codename="handle_reports",
        groups__permissions__content_type__app_label="moderation",
    ) | Q(
        user_permissions__codename="handle_reports",
        user_permissions__content_type__app_label="moderation",
    )
    found = User.objects.filter(Q(is_superuser=True) | held, is_active=True)
    return User.objects.filter(pk__in=found.values("pk")).order_by("username")


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong.")},
    )
    text = forms.CharField(
        label=_("Tell the moderators more"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where in it, and why. Needed when the reason is “Other”."),
    )

    def __init__(self, *args: Any, guest: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if guest:
            self.fields["email"] = forms.EmailField(
                label=_("Your email (optional)"),
                required=False,
                help_text=_("Give it to hear how your report ends; only the moderators see it."),
                error_messages={"invalid": _("Give a valid email address, or leave it empty.")},
            )
            # People never see this field; automated senders fill it in.
            self.fields["website"] = forms.CharField(
                label=_("Leave this empty"), required=False, widget=HoneypotInput()
            )


STATE_CHOICES = [("", _("Open or assigned")), *CaseState.choices, ("all", _("Any state"))]


class QueueFilterForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("Any reason")), *Reason.choices]
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)
    moderator = forms.ChoiceField(label=_("Moderator"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [(user.username, user.username) for user in moderators()]
        field = self.fields["moderator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Anyone or nobody")), ("none", _("Nobody")), *names]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Give it to"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [(user.username, user.username) for user in moderators()]
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Nobody (back to the queue)")), *names]


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=MAX_OUTCOME,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Told to every reporter (inbox, or email for guests who gave one)."),
        error_messages={"required": _("Say how the case ended: the reporters are told.")},
    )

"""The forms of the invitation pages: asking for one, sharing one, and support's tools."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ficarchive.social.forms import HoneypotInput


class InvitationRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("The invitation is mailed here when your turn comes; nothing else is."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(required=False, label=_("Leave this empty"), widget=HoneypotInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(_("Your request could not be sent."))
        return cleaned


class ShareInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Send it to"),
        required=False,
        help_text=_("Leave empty to get a link to copy instead (shown once)."),
    )


class SendInvitationsForm(forms.Form):
    count = forms.IntegerField(
        label=_("Invitations to send now"),
        min_value=1,
        initial=10,
        help_text=_("To the oldest requests in the queue."),
    )


class GiveInvitationsForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=40)
    count = forms.IntegerField(label=_("Invitations"), min_value=1, initial=1)


class BanAddressForm(forms.Form):
    pattern = forms.CharField(
        label=_("Email address or domain"),
        max_length=254,
        help_text=_("someone@example.com, or example.com (which covers its subdomains too)."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

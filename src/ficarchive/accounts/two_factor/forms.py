"""Forms of two-factor sign-in: a code, a password to confirm a removal, a passkey's name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.two_factor.models import MAX_NAME


class CodeForm(forms.Form):
    """The six digits of an authenticator app (or, with BACKUP, a backup code)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: object, backup: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if backup:
            field = self.fields["code"]
            field.label = _("Backup code")
            field.help_text = _("One of the codes you saved; each works once.")
            field.widget.attrs["inputmode"] = "text"


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Asked again before a second factor is removed."),
    )


class PasskeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new passkey"),
        max_length=MAX_NAME,
        help_text=_("Say where it is, such as “my phone” or “security key”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    credential = forms.CharField(required=False, widget=forms.HiddenInput)


class PasskeySignInForm(forms.Form):
    credential = forms.CharField(required=False, widget=forms.HiddenInput)

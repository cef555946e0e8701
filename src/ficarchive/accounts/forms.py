"""Forms for accounts: they parse and check input; the writes happen in accounts.actions."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts import login_limits
from ficarchive.accounts.filters import MAX_FILTERS
from ficarchive.accounts.models import User
from ficarchive.tags.actions import split_tag_names
from ficarchive.tags.models import TagType, validate_tag_name


class SignupForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=40,
        help_text=_("3 to 40 letters, digits or underscores. It is your address on the archive."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Only for resetting your password and the notices you ask for."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters, not a common password and not all digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password1"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", gettext("The two passwords differ."))
        elif password:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LoginForm(AuthenticationForm):
    """Django's login form, also taking an email address (or any case) for the user name."""

    username = forms.CharField(
        label=_("User name or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That user name or email and password do not match an account."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django sizes this field for user names; email addresses are longer.
        self.fields["username"].widget.attrs["maxlength"] = 254

    def clean(self) -> dict[str, Any]:
        given = self.cleaned_data.get("username", "").strip()
        if given:
            field = "email__iexact" if "@" in given else "username__iexact"
            found = User.objects.filter(**{field: given}).values_list("username", flat=True)
            self.cleaned_data["username"] = found.first() or given
        # Counted as a failure first and given back if it succeeds (login_limits).
        attempts = login_limits.count_attempt(self.request, self.cleaned_data.get("username", ""))
        cleaned = super().clean()  # a failure raises here and stays counted
        login_limits.succeeded(attempts)
        return cleaned


class DeleteAccountForm(forms.Form):
    WORKS = [
        ("orphan", _("Orphan my works: they stay on the archive under orphan_account")),
        ("delete", _("Delete my works: works I made with others stay with them")),
    ]

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    works = forms.ChoiceField(
        label=_("What happens to your works"),
        choices=WORKS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to orphan or delete your works.")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("That is not your password."))
        return password


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Dates and times on the archive are shown in this time zone."),
        error_messages={"invalid_choice": _("%(value)s is not a time zone the archive knows.")},
    )
    language = forms.ChoiceField(
        label=_("Interface language"),
        choices=[("", _("The language of my browser")), *settings.LANGUAGES],
        required=False,
        help_text=_("The archive's menus, forms and messages are shown in this language."),
        error_messages={"invalid_choice": _("%(value)s is not a language of this archive.")},
    )

    class Meta:
        model = User
        fields = [
            "skip_adult_notice",
            "hide_warnings",
            "hide_freeform",
            "view_full_work",
            "time_zone",
            "language",
            "keep_history",
        ]


class PseudForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=40,
        help_text=_("1 to 40 letters, digits, underscores or spaces."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("Shown on the pseud's page."),
    )


# --- standing filters ----------------------------------------------------------------------

ANY_TYPE = ""


class FilterPreferencesForm(forms.ModelForm):
    """The two switches that hide works by what the reader did with them."""

    class Meta:
        model = User
        fields = ["hide_read_works", "hide_kudosed_works"]


class HideTagsForm(forms.Form):
    """Tag names to hide, comma-separated, of one type or of any. While the reader types, htmx
    asks the tag autocomplete for the chosen type (it reads the name typed from `q`)."""

    type = forms.ChoiceField(
        label=_("Type of tag"),
        required=False,
        choices=[(ANY_TYPE, _("Any type")), *TagType.choices],
        initial=ANY_TYPE,
    )
    q = forms.CharField(
        label=_("Tags to hide"),
        max_length=MAX_FILTERS * 10,
        help_text=_(
            "Separate tags with commas. Works with a synonym of a tag, or (for a fandom) "
            "with any of its sub-fandoms, are hidden too."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("tags:autocomplete"),
                "hx-include": "[name='type']",
                "hx-trigger": "input changed delay:250ms",
                "hx-sync": "this:replace",
                "hx-target": "next .tag-suggestions",
            }
        ),
        error_messages={"required": _("Name at least one tag to hide.")},
    )

    def clean_q(self) -> list[str]:
        names = split_tag_names(self.cleaned_data["q"])
        if not names:
            raise forms.ValidationError(gettext("Name at least one tag to hide."))
        if len(names) > MAX_FILTERS:
            raise forms.ValidationError(
                ngettext(
                    "Name at most %(count)s tag at once.",
                    "Name at most %(count)s tags at once.",
                    MAX_FILTERS,
                )
                % {"count": MAX_FILTERS}
            )
        for name in names:
            validate_tag_name(name)
        return names


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New email address"),
        help_text=_("A link to confirm it is mailed there; the address changes when it is opened."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

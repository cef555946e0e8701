"""The site's forms, run on API input so that the API cleans exactly as the pages do; and the
form of the tokens page."""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ficarchive.api.models import Scope

F = TypeVar("F", bound=forms.BaseForm)


def clean_form(form: F) -> F:
    """FORM, cleaned; its errors raise a ValidationError naming the fields (a 422)."""
    if not form.is_valid():
        errors = {
            (name if name != "__all__" else "__all__"): list(messages)
            for name, messages in form.errors.items()
        }
        raise ValidationError(errors)
    return form


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as the app's name."),
        error_messages={"required": _("Name the token, such as the app that will use it.")},
    )
    scope = forms.ChoiceField(
        label=pgettext_lazy("permission", "May"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
    )

"""Forms for shelves: they parse, `social.actions.shelves` writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ficarchive.social.actions.shelves import MAX_DESCRIPTION, MAX_NAME, ShelfDetails
from ficarchive.social.models import Shelf

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


class ShelfForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME,
        help_text=_("For example “to re-read” or “for my sister”. Only you see your shelves."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text; it opens the shelf's download."),
    )

    def details(self) -> ShelfDetails:
        return ShelfDetails(self.cleaned_data["name"], self.cleaned_data["description"])


class ShelveForm(forms.Form):
    """Which of the reader's shelves hold a work, and a new one to put it on."""

    shelves = forms.ModelMultipleChoiceField(
        label=_("Your shelves"),
        queryset=Shelf.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_shelf = forms.CharField(
        label=_("…and a new shelf called"), required=False, max_length=MAX_NAME
    )

    def __init__(self, user: User, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["shelves"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Shelf.objects.of_user(user).in_order()


class MoveForm(forms.Form):
    to = forms.IntegerField(label=_("Move to place"), min_value=1, max_value=100_000)

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ficarchive.moderation.actions.content import MAX_REASON
from ficarchive.moderation.models import SignupMode
from ficarchive.tags.models import TagType
from ficarchive.works.forms import WorkForm


class SwitchesForm(forms.Form):
    signups = forms.ChoiceField(
        label=_("Sign-ups"),
        choices=SignupMode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "By invitation: visitors join the invitation queue, and only an invitation's link "
            "opens the sign-up form."
        ),
    )
    guest_comments = forms.BooleanField(
        label=_("Guest comments"), required=False, help_text=_("Off: only logged-in users comment.")
    )
    downloads = forms.BooleanField(
        label=_("Downloads"),
        required=False,
        help_text=_("Off: no EPUB, HTML or TXT downloads (pages, API, e-reader apps); feeds stay."),
    )
    imports = forms.BooleanField(
        label=_("Imports"),
        required=False,
        help_text=_(
            "Off: the import page and its posting are refused (the command line still imports)."
        ),
    )
    new_works = forms.BooleanField(
        label=_("New works"),
        required=False,
        help_text=_("Off: no new works or drafts (pages and API); chapters may still be added."),
    )
    two_factor_for_staff = forms.BooleanField(
        label=_("Require two-factor sign-in for moderators, wranglers and admins"),
        required=False,
        help_text=_(
            "On: such an account without an authenticator app or a passkey must set one up "
            "right after its password, before any other page."
        ),
    )


class ReasonForm(forms.Form):
    """A moderator's confirmation of an action on content: why, and where to go after."""

    reason = forms.CharField(
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    case = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class WorkTagsForm(ReasonForm):
    """A work's tags as a moderator corrects them (the fields of the work form)."""

    rating = WorkForm.base_fields["rating"]
    warnings = WorkForm.base_fields["warnings"]
    categories = WorkForm.base_fields["categories"]
    fandoms = WorkForm.base_fields["fandoms"]
    relationships = WorkForm.base_fields["relationships"]
    characters = WorkForm.base_fields["characters"]
    freeforms = WorkForm.base_fields["freeforms"]

    field_order = ["rating", "warnings", "categories", "fandoms", "relationships", "characters"]

    @staticmethod
    def initial_from(names: dict[str, list[str]]) -> dict[str, Any]:
        ratings = names.get(TagType.RATING, [])
        return {
            "rating": ratings[0] if ratings else "",
            "warnings": names.get(TagType.WARNING, []),
            "categories": names.get(TagType.CATEGORY, []),
            "fandoms": names.get(TagType.FANDOM, []),
            "relationships": names.get(TagType.RELATIONSHIP, []),
            "characters": names.get(TagType.CHARACTER, []),
            "freeforms": names.get(TagType.FREEFORM, []),
        }

    def tag_names(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            TagType.RATING: [data["rating"]] if data["rating"] else [],
            TagType.WARNING: list(data["warnings"]),
            TagType.CATEGORY: list(data["categories"]),
            TagType.FANDOM: list(data["fandoms"]),
            TagType.RELATIONSHIP: list(data["relationships"]),
            TagType.CHARACTER: list(data["characters"]),
            TagType.FREEFORM: list(data["freeforms"]),
        }

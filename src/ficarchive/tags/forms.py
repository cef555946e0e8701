"""Forms for wrangling. They parse what the wrangler chose; the actions check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ficarchive.tags.actions import WrangleAction, split_tag_names
from ficarchive.tags.models import MediaType, Tag

NAMES_HELP = _(
    "For a synonym or a merge: the one canonical tag. For fandoms or characters: their names, "
    "separated by commas."
)
BULK_ACTIONS = [
    (WrangleAction.CANONICAL, WrangleAction.CANONICAL.label),
    (WrangleAction.SYNONYM, WrangleAction.SYNONYM.label),
    (WrangleAction.FANDOMS, WrangleAction.FANDOMS.label),
    (WrangleAction.CHARACTERS, WrangleAction.CHARACTERS.label),
]


class TagWrangleForm(forms.Form):
    """One wrangling action on one tag, with the names it needs."""

    action = forms.ChoiceField(label=_("Action"), choices=WrangleAction.choices)
    names = forms.CharField(
        label=_("Tag names"), required=False, max_length=2000, help_text=NAMES_HELP
    )

    def clean_names(self) -> list[str]:
        return split_tag_names(self.cleaned_data.get("names") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action, names = cleaned.get("action"), cleaned.get("names") or []
        if action in (WrangleAction.SYNONYM, WrangleAction.MERGE) and len(names) != 1:
            self.add_error("names", "Name exactly one canonical tag.")
        if action in (WrangleAction.FANDOMS, WrangleAction.CHARACTERS) and not names:
            self.add_error("names", "Name at least one tag.")
        return cleaned


class BulkWrangleForm(TagWrangleForm):
    """The wrangling page's form: checked tags and one action for all of them."""

    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.free(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one tag.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = BULK_ACTIONS


class AcceptSuggestionForm(forms.Form):
    """A suggestion's Accept button: `suggestion` is "TAG_ID:CANONICAL NAME"; `fandom` is the
    wrangling page's fandom, whose cast the suggestion came from."""

    suggestion = forms.CharField(max_length=400)
    fandom = forms.ModelChoiceField(queryset=Tag.objects.of_type("fandom"), required=False)

    def clean_suggestion(self) -> tuple[Tag, str]:
        tag_id, _colon, name = self.cleaned_data["suggestion"].partition(":")
        tag = Tag.objects.free().filter(pk=int(tag_id)).first() if tag_id.isdigit() else None
        if tag is None or not name.strip():
            raise ValidationError(_("That suggestion names no tag."))
        return tag, name.strip()


class MediaForm(forms.Form):
    """A canonical fandom's media type, on its wrangling page."""

    media_type = forms.ChoiceField(label=_("Media type"), choices=MediaType.choices)

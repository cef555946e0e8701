"""Forms for prompt memes: they parse, `collections.meme_actions` writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ficarchive.collections.exchange_forms import KIND_LABELS
from ficarchive.collections.matching import TAG_TYPES
from ficarchive.collections.meme_models import PromptMeme
from ficarchive.tags.actions import split_tag_names


class MemeForm(forms.Form):
    is_open = forms.BooleanField(label=_("Open for prompts"), required=False, initial=True)
    allow_anonymous = forms.BooleanField(
        label=_("Anonymous prompts allowed"), required=False, initial=True
    )


class PromptForm(forms.Form):
    text = forms.CharField(
        label=_("Prompt"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, meme: PromptMeme, data: Any = None) -> None:
        super().__init__(data)
        for kind in TAG_TYPES:
            self.fields[kind] = forms.CharField(
                label=KIND_LABELS[kind],
                required=False,
                max_length=2000,
                help_text=_("Separate tags with commas."),
            )
        self.order_fields([*TAG_TYPES, "text"])
        if meme.allow_anonymous:
            self.fields["anonymous"] = forms.BooleanField(
                label=_("Post it anonymously"), required=False
            )

    def tags(self) -> dict[str, list[str]]:
        return {kind: split_tag_names(self.cleaned_data[kind]) for kind in TAG_TYPES}

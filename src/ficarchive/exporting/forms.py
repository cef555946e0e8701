from __future__ import annotations

from django import forms


class SearchForm(forms.Form):
    """The catalog's search: words in a work's title (full-text search comes with its issue)."""

    q = forms.CharField(
        label="Search",
        max_length=200,
        error_messages={"required": "Enter words from a work's title to search for."},
    )

from __future__ import annotations

from django import forms

from ficarchive.moderation.models import SignupMode


class SwitchesForm(forms.Form):
    signups = forms.ChoiceField(
        label="Sign-ups",
        choices=SignupMode.choices,
        widget=forms.RadioSelect,
        help_text="By invitation: the sign-up page asks visitors to ask an archive admin.",
    )
    guest_comments = forms.BooleanField(
        label="Guest comments", required=False, help_text="Off: only logged-in users comment."
    )
    downloads = forms.BooleanField(
        label="Downloads",
        required=False,
        help_text="Off: no EPUB, HTML or TXT downloads (pages, API, e-reader apps); feeds stay.",
    )
    imports = forms.BooleanField(
        label="Imports",
        required=False,
        help_text="Off: the import page and its posting are refused (the command line still "
        "imports).",
    )
    new_works = forms.BooleanField(
        label="New works",
        required=False,
        help_text="Off: no new works or drafts (pages and API); chapters may still be added.",
    )

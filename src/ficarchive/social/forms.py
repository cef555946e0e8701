"""Forms for comments, bookmarks, subscriptions and the inbox: they parse, actions write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ficarchive.social.actions import BookmarkDetails
from ficarchive.social.actions.comments import MAX_COMMENT, GuestDetails
from ficarchive.social.models import InboxItem
from ficarchive.tags.actions import split_tag_names
from ficarchive.text import BodyFormat

COMMENT_FORMATS = [
    (BodyFormat.PLAIN.value, BodyFormat.PLAIN.label),
    (BodyFormat.HTML.value, BodyFormat.HTML.label),
]


class HoneypotInput(forms.TextInput):
    """A field people never see or fill in; bots that fill every field give themselves away."""

    is_hidden = True  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "class": "honeypot",
                "tabindex": "-1",
                "autocomplete": "off",
                "aria-hidden": "true",
            }
        )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 5, "data-rich-text": "comment"}),
        error_messages={"required": _("Write something to post a comment.")},
    )
    body_format = forms.ChoiceField(
        label=_("Text format"),
        choices=COMMENT_FORMATS,
        initial=BodyFormat.PLAIN.value,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)


class NewCommentForm(CommentForm):
    """A new comment or reply; guests also give a name and an email address."""

    guest_name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    guest_email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        help_text=_("Not shown to anyone; only for the archive's admins."),
    )
    website = forms.CharField(required=False, label=_("Leave this empty"), widget=HoneypotInput())

    def __init__(self, *args: Any, guest: bool, prefix_id: str = "", **kwargs: Any) -> None:
        if prefix_id:
            kwargs.setdefault("auto_id", f"comment_{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        if guest:
            self.fields["guest_name"].required = True
            self.fields["guest_email"].required = True
        else:
            del self.fields["guest_name"]
            del self.fields["guest_email"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(gettext("Your comment could not be posted."))
        return cleaned

    def guest_details(self, address: str) -> GuestDetails:
        return GuestDetails(
            name=self.cleaned_data.get("guest_name", ""),
            email=self.cleaned_data.get("guest_email", ""),
            address=address,
        )


class BookmarkForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text or HTML; unsafe markup is removed."),
    )
    tags = forms.CharField(
        label=_("Your tags"),
        required=False,
        max_length=2000,
        help_text=_("Separate tags with commas."),
    )
    is_private = forms.BooleanField(
        label=_("Private bookmark"), required=False, help_text=_("Only you can see it.")
    )
    is_rec = forms.BooleanField(label=_("Recommendation"), required=False)

    def details(self) -> BookmarkDetails:
        data = self.cleaned_data
        return BookmarkDetails(
            notes=data["notes"],
            tags=split_tag_names(data["tags"]),
            is_private=data["is_private"],
            is_rec=data["is_rec"],
        )


class SubscribeForm(forms.Form):
    email = forms.BooleanField(label=_("Also send me an email"), required=False)


class InboxForm(forms.Form):
    ACTIONS = [("read", _("Mark read")), ("unread", _("Mark unread")), ("delete", _("Delete"))]

    items = forms.ModelMultipleChoiceField(
        queryset=InboxItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one message.")},
    )
    action = forms.ChoiceField(choices=ACTIONS)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = InboxItem.objects.of(user)

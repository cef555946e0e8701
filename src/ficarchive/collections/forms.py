"""Forms for collections: they parse, `collections.actions` writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ficarchive.collections.actions import MAX_TEXT, MAX_TITLE, CollectionDetails
from ficarchive.collections.models import Collection, Role
from ficarchive.works.models import Work

DATETIME_INPUT = "%Y-%m-%dT%H:%M"  # what a datetime-local input sends and shows


class CollectionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        help_text=_("Its address, /collections/NAME: lowercase letters, digits and underscores."),
    )
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text or HTML; unsafe markup is removed."),
    )
    rules = forms.CharField(
        label=_("Rules"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_open = forms.BooleanField(
        label=_("Open"), required=False, initial=True, help_text=_("Creators may add works.")
    )
    is_moderated = forms.BooleanField(
        label=_("Moderated"),
        required=False,
        help_text=_("Works added wait until an owner or moderator approves them."),
    )
    parent = forms.CharField(
        label=_("Sub-collection of"),
        required=False,
        max_length=60,
        help_text=_(
            "The name of a collection you keep: this one's works are listed there too. "
            "Leave empty for none."
        ),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=_("Its works' creators are shown as “Anonymous” until the reveal."),
    )
    is_unrevealed = forms.BooleanField(
        label=_("Unrevealed"),
        required=False,
        help_text=_(
            "Its works are seen only by their creators and this collection's owners and "
            "moderators until the reveal."
        ),
    )
    reveal_at = forms.DateTimeField(
        label=_("Reveal on"),
        required=False,
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reveal_at"].help_text = _(
            "Leave empty to reveal by hand. In your time zone, %(zone)s."
        ) % {"zone": timezone.get_current_timezone_name()}

    def details(self) -> CollectionDetails:
        data = self.cleaned_data
        return CollectionDetails(
            name=data["name"],
            title=data["title"],
            summary=data["summary"],
            rules=data["rules"],
            is_open=data["is_open"],
            is_moderated=data["is_moderated"],
            is_anonymous=data["is_anonymous"],
            is_unrevealed=data["is_unrevealed"],
            reveal_at=data["reveal_at"],
            parent=data["parent"],
        )


class AddWorkForm(forms.Form):
    collection = forms.CharField(
        label=_("Collection name"),
        max_length=60,
        help_text=_("The name in its address: /collections/NAME."),
    )

    def clean_collection(self) -> Collection:
        name = self.cleaned_data["collection"].strip().lower()
        found = Collection.objects.filter(name=name).first()
        if found is None:
            raise forms.ValidationError(_("No collection is called “%(name)s”.") % {"name": name})
        return found


class MemberForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Role.MODERATOR, _("Moderator")), (Role.OWNER, _("Owner")), ("", _("None"))],
        required=False,
    )


class InviteWorkForm(forms.Form):
    work = forms.CharField(
        label=_("Invite a work"),
        max_length=300,
        help_text=_("Its number or its address (/works/NUMBER). Its creators are asked first."),
    )

    def clean_work(self) -> Work:
        text = self.cleaned_data["work"].strip().rstrip("/")
        number = text.rsplit("/", 1)[-1]
        found = Work.objects.filter(pk=int(number)).first() if number.isdigit() else None
        if found is None:
            raise forms.ValidationError(_("No work has the number “%(text)s”.") % {"text": text})
        return found

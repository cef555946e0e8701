"""The form that sets when a draft work or chapter posts itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ficarchive.works.models import ScheduledRelease

_FORMAT = "%Y-%m-%dT%H:%M"  # what a datetime-local input sends and shows


class ScheduleForm(forms.Form):
    post_at = forms.DateTimeField(
        label=_("Post on"),
        input_formats=[_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_FORMAT),
    )
    silent = forms.BooleanField(
        label=_("Post silently"),
        required=False,
        help_text=_(
            "Subscribers are not told and the work's updated date stays: for fixes and "
            "back-filled chapters."
        ),
    )

    def __init__(
        self, data: Any = None, *, release: ScheduledRelease | None, chapter: bool
    ) -> None:
        initial = None
        if release is not None:
            initial = {"post_at": timezone.localtime(release.post_at), "silent": release.silent}
        super().__init__(data, initial=initial)
        self.fields["post_at"].help_text = _("In your time zone, %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }
        if not chapter:
            del self.fields["silent"]

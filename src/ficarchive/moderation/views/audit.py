"""The audit log page: every moderation and admin action, newest first, never editable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.moderation import audit, permissions, undo
from ficarchive.moderation.models import AuditEntry, Target
from ficarchive.pages import paginate

TARGET_KINDS = [*Target.choices, ("site", pgettext_lazy("audit log target", "Site"))]
ANY = pgettext_lazy("audit log filter", "any")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=gettext_lazy("Done by (user name)"), required=False, max_length=150
    )
    verb = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    subject = forms.CharField(
        label=gettext_lazy("About (user name)"), required=False, max_length=150
    )
    target_kind = forms.ChoiceField(
        label=gettext_lazy("Target"), required=False, choices=[("", ANY), *TARGET_KINDS]
    )
    target_id = forms.IntegerField(label=gettext_lazy("Target number"), required=False, min_value=1)
    entry = forms.IntegerField(label=gettext_lazy("Entry number"), required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # each action phrase in the reader's language, in the order of that language
        verbs = sorted(((verb, str(name)) for verb, name in audit.VERBS.items()), key=_by_name)
        self.fields["verb"].choices = [("", ANY), *verbs]  # type: ignore[attr-defined]

    def entries(self) -> QuerySet[AuditEntry]:
        """The entries matching the filters given, newest first (all of them if none is)."""
        found = AuditEntry.objects.select_related("subject", "undone_by").order_by(
            "-created_at", "-id"
        )
        given = self.cleaned_data if self.is_valid() else {}
        lookups = {
            "actor": "actor_name__iexact",
            "verb": "verb",
            "subject": "subject__username__iexact",
            "target_kind": "target_kind",
            "target_id": "target_id",
            "entry": "pk",
        }
        for name, lookup in lookups.items():
            value = given.get(name)
            if value not in (None, ""):
                found = found.filter(**{lookup: value.strip() if isinstance(value, str) else value})
        return found


def _by_name(item: tuple[str, str]) -> str:
    return item[1]


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def readable(value: Any) -> str:
    """A before or after value as the page shows it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return pgettext("switch state", "on") if value else pgettext("switch state", "off")
    if isinstance(value, list):
        return ", ".join(readable(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {readable(item)}" for key, item in value.items())
    return str(value)


def changes(entry: AuditEntry) -> list[Change]:
    """Each field the entry's before or after names, with both values, readably."""
    fields = list(dict.fromkeys([*entry.before, *entry.after]))
    return [
        Change(
            field.replace("_", " "),
            readable(entry.before.get(field)),
            readable(entry.after.get(field)),
        )
        for field in fields
    ]


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    permissions.require(request.user, "view_audit_log")
    form = AuditFilterForm(request.GET or None)
    context = paginate(request, form.entries(), settings.AUDIT_ENTRIES_PER_PAGE)
    undoable = undo.undoable_verbs()
    for entry in context["page_obj"].object_list:
        entry.label = audit.label(entry.verb)
        entry.changes = changes(entry)
        entry.undoable = entry.verb in undoable and not undo.is_undone(entry)
    return render(request, "moderation/audit.html", context | {"form": form})


@require_POST
@login_required
def undo_entry(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Undo one entry (the undo function checks who may), back to the log with the outcome."""
    permissions.require(request.user, "view_audit_log")
    entry = get_object_or_404(AuditEntry, pk=entry_id)
    try:
        done = undo.undo(request.user, entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Undone: entry #%(entry)s is undone by entry #%(done)s.")
            % {"entry": entry.pk, "done": done.pk},
        )
    return redirect(reverse("moderation:audit") + f"?entry={entry.pk}")

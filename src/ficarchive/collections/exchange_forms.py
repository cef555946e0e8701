"""Forms for gift exchanges: they parse, `collections.exchange_actions` writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ficarchive.collections.exchange_actions import MAX_PROMPTS, MAX_TAGS, ExchangeSettings
from ficarchive.collections.exchange_models import ExchangeSignup, GiftExchange
from ficarchive.collections.forms import DATETIME_INPUT
from ficarchive.collections.matching import ALL, TAG_TYPES
from ficarchive.tags.actions import split_tag_names

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

KIND_LABELS = {
    "fandoms": _("Fandoms"),
    "characters": _("Characters"),
    "relationships": _("Relationships"),
    "freeforms": _("Additional tags"),
}
MATCH_CHOICES = [("0", _("none")), ("1", "1"), ("2", "2"), ("3", "3"), ("all", _("all"))]


def _when(label: StrOrPromise, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )


def _count(label: StrOrPromise, most: int, initial: int) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=most, initial=initial)


class ExchangeSettingsForm(forms.Form):
    """The exchange's window, limits, tag set and matching rules (owners)."""

    signups_open_at = _when(_("Sign-ups open"))
    signups_close_at = _when(_("Sign-ups close"))
    due_at = _when(_("Gifts due"), required=False)
    requests_min = _count(_("Fewest requests"), MAX_PROMPTS, 1)
    requests_max = _count(_("Most requests"), MAX_PROMPTS, 2)
    offers_min = _count(_("Fewest offers"), MAX_PROMPTS, 1)
    offers_max = _count(_("Most offers"), MAX_PROMPTS, 3)
    any_request = forms.BooleanField(
        label=_("A gift may answer any of the recipient's requests"),
        required=False,
        help_text=_("Otherwise it answers the request the matching paired with the offer."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["signups_open_at"].help_text = _("In your time zone, %(zone)s.") % {
            "zone": zone
        }
        defaults = {"fandoms": (1, 1, "1"), "characters": (0, 3, "0")}
        for kind in TAG_TYPES:
            label = KIND_LABELS[kind]
            low, high, need = defaults.get(kind, (0, 2, "0"))
            self.fields[f"{kind}_min"] = _count(
                _("%(kind)s: fewest") % {"kind": label}, MAX_TAGS, low
            )
            self.fields[f"{kind}_max"] = _count(
                _("%(kind)s: most") % {"kind": label}, MAX_TAGS, high
            )
            self.fields[f"{kind}_any"] = forms.BooleanField(
                label=_("%(kind)s: “any” allowed") % {"kind": label}, required=False
            )
            self.fields[f"{kind}_match"] = forms.ChoiceField(
                label=_("%(kind)s an offer must share with a request") % {"kind": label},
                choices=MATCH_CHOICES,
                initial=need,
            )
            self.fields[f"{kind}_nominations"] = forms.IntegerField(
                label=_("%(kind)s each participant may nominate for the tag set") % {"kind": label},
                min_value=0,
                max_value=MAX_TAGS,
                required=False,
                help_text=_("Leave empty for none."),
            )
            self.fields[f"{kind}_set"] = forms.CharField(
                label=_("%(kind)s allowed (the tag set)") % {"kind": label},
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Separate tags with commas; leave empty to allow any."),
            )

    @staticmethod
    def initial_of(exchange: GiftExchange) -> dict[str, Any]:
        local = timezone.localtime
        found: dict[str, Any] = {
            "signups_open_at": local(exchange.signups_open_at),
            "signups_close_at": local(exchange.signups_close_at),
            "due_at": local(exchange.due_at) if exchange.due_at else None,
            "requests_min": exchange.requests_min,
            "requests_max": exchange.requests_max,
            "offers_min": exchange.offers_min,
            "offers_max": exchange.offers_max,
            "any_request": exchange.any_request,
        }
        for kind in TAG_TYPES:
            found[f"{kind}_min"], found[f"{kind}_max"] = exchange.limits_of(kind)
            found[f"{kind}_any"] = kind in exchange.any_allowed
            need = exchange.rules.get(kind, 0)
            found[f"{kind}_match"] = "all" if need == ALL else str(need)
            found[f"{kind}_set"] = ", ".join(exchange.allowed_tags(kind))
            found[f"{kind}_nominations"] = exchange.nomination_limit(kind)
        return found

    def settings(self) -> ExchangeSettings:
        data = self.cleaned_data
        return ExchangeSettings(
            signups_open_at=data["signups_open_at"],
            signups_close_at=data["signups_close_at"],
            due_at=data["due_at"],
            requests_min=data["requests_min"],
            requests_max=data["requests_max"],
            offers_min=data["offers_min"],
            offers_max=data["offers_max"],
            tag_limits={k: [data[f"{k}_min"], data[f"{k}_max"]] for k in TAG_TYPES},
            any_allowed=[k for k in TAG_TYPES if data[f"{k}_any"]],
            tag_set={k: split_tag_names(data[f"{k}_set"]) for k in TAG_TYPES},
            rules={
                k: ALL if data[f"{k}_match"] == "all" else int(data[f"{k}_match"])
                for k in TAG_TYPES
            },
            nomination_limits={k: data[f"{k}_nominations"] or 0 for k in TAG_TYPES},
            any_request=data["any_request"],
        )


class SignupForm(forms.Form):
    """A participant's requests and offers: as many blocks as the exchange allows, each with
    tags per type, "any" where allowed, and (requests) a prompt and a link."""

    def __init__(
        self, exchange: GiftExchange, data: Any = None, signup: ExchangeSignup | None = None
    ) -> None:
        super().__init__(data, initial=self._initial(signup))
        self.exchange = exchange
        self.blocks: list[tuple[str, int, list[str]]] = []
        for kind, count in (("requests", exchange.requests_max), ("offers", exchange.offers_max)):
            for number in range(1, count + 1):
                names = self._add_block(kind, number)
                self.blocks.append((kind, number, names))

    def _add_block(self, kind: str, number: int) -> list[str]:
        prefix = f"{kind}_{number}"
        names = []
        for tag_kind in TAG_TYPES:
            low, high = self.exchange.limits_of(tag_kind)
            if high == 0 and tag_kind not in self.exchange.any_allowed:
                continue
            allowed = self.exchange.allowed_tags(tag_kind)
            help_text = _("%(low)s to %(high)s, separated by commas.") % {"low": low, "high": high}
            if allowed:
                help_text += " " + _("From: %(names)s.") % {"names": ", ".join(allowed[:30])}
            self.fields[f"{prefix}_{tag_kind}"] = forms.CharField(
                label=KIND_LABELS[tag_kind], required=False, max_length=2000, help_text=help_text
            )
            names.append(f"{prefix}_{tag_kind}")
            if tag_kind in self.exchange.any_allowed:
                self.fields[f"{prefix}_any_{tag_kind}"] = forms.BooleanField(
                    label=_("Any"), required=False
                )
                names.append(f"{prefix}_any_{tag_kind}")
        if kind == "requests":
            self.fields[f"{prefix}_text"] = forms.CharField(
                label=_("Prompt"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"{prefix}_url"] = forms.CharField(
                label=_("Link"), required=False, max_length=500
            )
            names += [f"{prefix}_text", f"{prefix}_url"]
        return names

    @staticmethod
    def _initial(signup: ExchangeSignup | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if signup is None:
            return found
        for kind, prompts in (("requests", signup.requests), ("offers", signup.offers)):
            for number, prompt in enumerate(prompts, start=1):
                prefix = f"{kind}_{number}"
                for tag_kind in TAG_TYPES:
                    found[f"{prefix}_{tag_kind}"] = ", ".join(prompt.get(tag_kind) or [])
                    found[f"{prefix}_any_{tag_kind}"] = tag_kind in (prompt.get("any") or [])
                found[f"{prefix}_text"] = prompt.get("text", "")
                found[f"{prefix}_url"] = prompt.get("url", "")
        return found

    def prompts(self, kind: str) -> list[dict[str, Any]]:
        data = self.cleaned_data
        found = []
        for block_kind, number, _names in self.blocks:
            if block_kind != kind:
                continue
            prefix = f"{kind}_{number}"
            prompt: dict[str, Any] = {
                tag_kind: split_tag_names(data.get(f"{prefix}_{tag_kind}") or "")
                for tag_kind in TAG_TYPES
            }
            prompt["any"] = [t for t in TAG_TYPES if data.get(f"{prefix}_any_{t}")]
            prompt["text"] = data.get(f"{prefix}_text") or ""
            prompt["url"] = data.get(f"{prefix}_url") or ""
            found.append(prompt)
        return found

    def add_action_errors(self, exc: ValidationError) -> None:
        """An action's errors on the block they name (its first field), else on the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            block = next((n[0] for k, num, n in self.blocks if f"{k}_{num}" == key and n), None)
            self.add_error(block, errors)


class AssignmentForm(forms.Form):
    """A keeper sets a giver's recipient by hand."""

    recipient = forms.ChoiceField(label=_("Writes for"), required=False)

    def __init__(self, exchange: GiftExchange, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        people = exchange.signups.select_related("pseud").order_by("pseud__name")
        self.signups = {str(s.pk): s for s in people}
        field = self.fields["recipient"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No one"))] + [(k, s.pseud.name) for k, s in self.signups.items()]

    def recipient_signup(self) -> ExchangeSignup | None:
        return self.signups.get(self.cleaned_data["recipient"] or "")


class NominationForm(forms.Form):
    """A participant's nominations: a field per tag type the exchange takes them of."""

    def __init__(self, exchange: GiftExchange, data: Any = None) -> None:
        super().__init__(data)
        for kind in TAG_TYPES:
            limit = exchange.nomination_limit(kind)
            if limit:
                self.fields[kind] = forms.CharField(
                    label=KIND_LABELS[kind],
                    required=False,
                    max_length=2000,
                    help_text=_("Up to %(limit)s, separated by commas.") % {"limit": limit},
                )

    def names(self) -> dict[str, list[str]]:
        return {
            kind: split_tag_names(self.cleaned_data[kind])
            for kind in self.fields
            if self.cleaned_data.get(kind)
        }

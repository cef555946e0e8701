"""Every write to a gift exchange: its settings, sign-ups, the matching, assignments, defaults,
pinch hits, gifts and their refusal.

Each verb checks who may act (PermissionDenied), validates (ValidationError naming the field)
and writes in one transaction. The matching runs in the background worker
(`collections.tasks.match_exchange` calls `run_matching`), with the same code as
`ficarchive challenges match`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ficarchive.accounts.models import Pseud, User
from ficarchive.accounts.standing import require_good_standing
from ficarchive.collections import revealing
from ficarchive.collections.exchange_models import (
    ExchangeAssignment,
    ExchangeSignup,
    Gift,
    GiftExchange,
    MatchingState,
    default_tag_limits,
)
from ficarchive.collections.matching import ALL, TAG_TYPES, Participant, Rules, Signup, match
from ficarchive.collections.models import Approval, Collection, CollectionItem, Role
from ficarchive.tags.models import Tag
from ficarchive.works.models import Work

logger = logging.getLogger(__name__)
MAX_PROMPT_TEXT = 2_000
MAX_URL = 500
MAX_PROMPTS = 10
MAX_TAGS = 20
KIND_NAMES = {
    "fandoms": pgettext_lazy("tag type", "fandom"),
    "characters": pgettext_lazy("tag type", "character"),
    "relationships": pgettext_lazy("tag type", "relationship"),
    "freeforms": pgettext_lazy("tag type", "additional tag"),
}


@dataclass
class ExchangeSettings:
    signups_open_at: datetime
    signups_close_at: datetime
    requests_min: int = 1
    requests_max: int = 2
    offers_min: int = 1
    offers_max: int = 3
    tag_limits: dict[str, list[int]] = field(default_factory=default_tag_limits)
    any_allowed: list[str] = field(default_factory=list)
    tag_set: dict[str, list[str]] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=lambda: {"fandoms": 1})
    due_at: datetime | None = None
    nomination_limits: dict[str, int] = field(default_factory=dict)
    any_request: bool = False


def _check_settings(details: ExchangeSettings) -> None:
    errors: dict[str, list[str]] = {}
    if details.signups_close_at <= details.signups_open_at:
        errors["signups_close_at"] = [_("Sign-ups close after they open.")]
    for low, high, name in (
        (details.requests_min, details.requests_max, "requests_max"),
        (details.offers_min, details.offers_max, "offers_max"),
    ):
        if not 1 <= low <= high <= MAX_PROMPTS:
            errors[name] = [
                _("Between 1 and %(most)s, and no fewer than the least.") % {"most": MAX_PROMPTS}
            ]
    for kind, (low, high) in details.tag_limits.items():
        if kind not in TAG_TYPES or not 0 <= low <= high <= MAX_TAGS:
            errors[f"{kind}_max"] = [
                _("Between 0 and %(most)s, and no fewer than the least.") % {"most": MAX_TAGS}
            ]
    if details.due_at is not None and details.due_at <= details.signups_close_at:
        errors["due_at"] = [_("Gifts are due after sign-ups close.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def configure_exchange(
    user: User, collection: Collection, details: ExchangeSettings
) -> GiftExchange:
    """Make COLLECTION a gift exchange, or change its settings (owners)."""
    require_good_standing(user)
    collection.require_role(user, Role.OWNER)
    _check_settings(details)
    exchange, _created = GiftExchange.objects.update_or_create(
        collection=collection,
        defaults={
            "signups_open_at": details.signups_open_at,
            "signups_close_at": details.signups_close_at,
            "requests_min": details.requests_min,
            "requests_max": details.requests_max,
            "offers_min": details.offers_min,
            "offers_max": details.offers_max,
            "tag_limits": {k: list(v) for k, v in details.tag_limits.items()},
            "any_allowed": [k for k in TAG_TYPES if k in details.any_allowed],
            "tag_set": {k: v for k, v in details.tag_set.items() if v},
            "rules": {k: v for k, v in details.rules.items() if v},
            "due_at": details.due_at,
            "nomination_limits": {k: v for k, v in details.nomination_limits.items() if v},
            "any_request": details.any_request,
        },
    )
    return exchange


# --- sign-ups ----------------------------------------------------------------------------


def _clean_prompt(
    exchange: GiftExchange, prompt: dict[str, Any], where: str, *, request: bool
) -> dict[str, Any] | None:
    """PROMPT checked against the exchange's limits and tag set (errors name WHERE), or None
    when it is empty."""
    wanted_any = [k for k in TAG_TYPES if k in (prompt.get("any") or [])]
    names = {k: [n.strip() for n in prompt.get(k) or [] if n.strip()] for k in TAG_TYPES}
    text = (prompt.get("text") or "").strip() if request else ""
    url = (prompt.get("url") or "").strip() if request else ""
    if not any(names.values()) and not wanted_any and not text and not url:
        return None
    problems = []
    for kind in TAG_TYPES:
        label = KIND_NAMES[kind]
        if kind in wanted_any:
            if kind not in exchange.any_allowed:
                problems.append(_("“any %(kind)s” is not allowed here") % {"kind": label})
            continue
        low, high = exchange.limits_of(kind)
        count = len(names[kind])
        if count < low or count > high:
            problems.append(
                _("%(low)s to %(high)s %(kind)s tags, not %(count)s")
                % {"low": low, "high": high, "kind": label, "count": count}
            )
        allowed = {n.casefold() for n in exchange.allowed_tags(kind)}
        outside = [n for n in names[kind] if allowed and n.casefold() not in allowed]
        if outside:
            problems.append(_("not in the tag set: %(names)s") % {"names": ", ".join(outside)})
    if len(text) > MAX_PROMPT_TEXT:
        problems.append(_("a prompt is at most %(most)s characters") % {"most": MAX_PROMPT_TEXT})
    if url and (urlsplit(url).scheme not in ("http", "https") or len(url) > MAX_URL):
        problems.append(_("a link starts with http:// or https://"))
    if problems:
        raise ValidationError({where: ["; ".join(problems) + "."]})
    return {**names, "any": wanted_any, "text": text, "url": url}


def _clean_prompts(
    exchange: GiftExchange, prompts: list[dict[str, Any]], kind: str
) -> list[dict[str, Any]]:
    request = kind == "requests"
    low, high = (
        (exchange.requests_min, exchange.requests_max)
        if request
        else (exchange.offers_min, exchange.offers_max)
    )
    errors: dict[str, list[str]] = {}
    cleaned = []
    for number, prompt in enumerate(prompts[:high], start=1):
        try:
            found = _clean_prompt(exchange, prompt, f"{kind}_{number}", request=request)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if found is not None:
            cleaned.append(found)
    if not errors and not low <= len(cleaned) <= high:
        message = (
            _("Make %(low)s to %(high)s requests.")
            if request
            else _("Make %(low)s to %(high)s offers.")
        )
        errors[kind] = [message % {"low": low, "high": high}]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def sign_up(
    user: User,
    exchange: GiftExchange,
    requests: list[dict[str, Any]],
    offers: list[dict[str, Any]],
    pseud: Pseud | None = None,
) -> ExchangeSignup:
    """USER's sign-up (made or changed) while sign-ups are open."""
    require_good_standing(user)
    if not exchange.signups_are_open():
        raise ValidationError(_("Sign-ups are not open."))
    pseud = pseud or user.default_pseud
    if pseud.user_id != user.pk:
        raise PermissionDenied(_("Sign up under one of your own pseuds."))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, list[dict[str, Any]]] = {}
    for kind, prompts in (("requests", requests), ("offers", offers)):
        try:
            cleaned[kind] = _clean_prompts(exchange, prompts, kind)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    signup, _created = ExchangeSignup.objects.update_or_create(
        exchange=exchange,
        user=user,
        defaults={"pseud": pseud, "requests": cleaned["requests"], "offers": cleaned["offers"]},
    )
    return signup


@transaction.atomic
def withdraw(user: User, signup: ExchangeSignup) -> None:
    """A participant leaves while sign-ups are open (then their assignments go too)."""
    if signup.user_id != user.pk:
        raise PermissionDenied(_("Only the participant may withdraw their sign-up."))
    if not signup.exchange.signups_are_open():
        raise ValidationError(_("Sign-ups are closed: ask the moderators to take you out."))
    signup.delete()


# --- matching ----------------------------------------------------------------------------


def _require_keeper(user: User, exchange: GiftExchange) -> None:
    require_good_standing(user)
    exchange.collection.require_role(user, Role.OWNER, Role.MODERATOR)


@transaction.atomic
def start_matching(user: User, exchange: GiftExchange) -> None:
    """Queue the matching for the background worker, once sign-ups closed and before the
    assignments are sent."""
    _require_keeper(user, exchange)
    locked = GiftExchange.objects.select_for_update().get(pk=exchange.pk)
    if locked.signups_are_open() or timezone.now() < locked.signups_open_at:
        raise ValidationError(_("Match once sign-ups have closed."))
    if locked.assignments_sent_at is not None:
        raise ValidationError(_("The assignments are sent: change them by hand."))
    if locked.matching_state in (MatchingState.QUEUED, MatchingState.RUNNING):
        raise ValidationError(_("The matching is already under way."))
    locked.matching_state = MatchingState.QUEUED
    locked.matching_started_at = timezone.now()
    locked.matching_finished_at = None
    locked.save(update_fields=["matching_state", "matching_started_at", "matching_finished_at"])
    from ficarchive.collections.tasks import match_exchange

    transaction.on_commit(partial(match_exchange.enqueue, locked.pk))


def _canonical_names(signups: list[ExchangeSignup]) -> dict[str, str]:
    """Each tag name the prompts use (case folded) → its canonical tag's name (synonyms count)."""
    names = {
        name
        for signup in signups
        for prompt in [*signup.requests, *signup.offers]
        for kind in TAG_TYPES
        for name in prompt.get(kind) or []
    }
    found: dict[str, str] = {}
    tags = Tag.objects.filter(name__in=names).select_related("synonym_of")
    for tag in tags:
        found[tag.name.casefold()] = (tag.synonym_of or tag).name
    return found


def _participant(signup: ExchangeSignup, canonical: dict[str, str]) -> Participant:
    def signup_of(prompt: dict[str, Any]) -> Signup:
        tags = {
            kind: [canonical.get(n.casefold(), n) for n in prompt.get(kind) or []]
            for kind in TAG_TYPES
        }
        return Signup.of(tags, prompt.get("any") or [])

    return Participant(
        str(signup.pk),
        tuple(signup_of(p) for p in signup.requests),
        tuple(signup_of(p) for p in signup.offers),
    )


def run_matching(exchange_id: int) -> dict[str, Any]:
    """The background job: match every sign-up by the exchange's rules and keep the result as
    the (unsent) assignments, replacing those of an earlier run; its report."""
    with transaction.atomic():
        exchange = GiftExchange.objects.select_for_update().get(pk=exchange_id)
        exchange.matching_state = MatchingState.RUNNING
        exchange.save(update_fields=["matching_state"])
    try:
        signups = list(exchange.signups.select_related("pseud"))
        canonical = _canonical_names(signups)
        rules = Rules({k: (ALL if v == ALL else int(v)) for k, v in exchange.rules.items()})
        result = match([_participant(s, canonical) for s in signups], rules)
        by_id = {str(s.pk): s for s in signups}
        report = {
            "participants": len(signups),
            "assignments": len(result.assignments),
            "allowed_pairs": result.pairs,
            "took_s": result.took_s,
            "unmatched": [
                {
                    "signup": int(left.participant),
                    "name": by_id[left.participant].pseud.name,
                    "gives": left.gives,
                    "receives": left.receives,
                    "why": left.why,
                }
                for left in result.unmatched
            ],
        }
        with transaction.atomic():
            exchange = GiftExchange.objects.select_for_update().get(pk=exchange_id)
            exchange.assignments.all().delete()
            ExchangeAssignment.objects.bulk_create(
                ExchangeAssignment(
                    exchange=exchange,
                    giver=by_id[a.giver],
                    recipient=by_id[a.recipient],
                    offer_index=a.offer,
                    request_index=a.request,
                    quality=a.quality,
                )
                for a in result.assignments
            )
            exchange.matching_state = MatchingState.DONE
            exchange.matching_finished_at = timezone.now()
            exchange.matching_report = report
            exchange.save(
                update_fields=["matching_state", "matching_finished_at", "matching_report"]
            )
    except Exception:
        logger.exception("matching of exchange %s failed", exchange_id)
        GiftExchange.objects.filter(pk=exchange_id).update(
            matching_state=MatchingState.FAILED, matching_finished_at=timezone.now()
        )
        raise
    return report


@transaction.atomic
def set_assignment(
    user: User, exchange: GiftExchange, giver: ExchangeSignup, recipient: ExchangeSignup | None
) -> ExchangeAssignment | None:
    """A keeper gives GIVER a recipient by hand (RECIPIENT None: no assignment). Whoever
    wrote for RECIPIENT before no longer does."""
    _require_keeper(user, exchange)
    if giver.exchange_id != exchange.pk or (
        recipient is not None and recipient.exchange_id != exchange.pk
    ):
        raise PermissionDenied(_("Both must have signed up to this exchange."))
    if recipient is not None and recipient.pk == giver.pk:
        raise ValidationError({"recipient": [_("No one writes for themselves.")]})
    assignments = exchange.assignments.select_for_update()
    sent = exchange.assignments_sent_at
    assignments.filter(giver=giver).delete()
    if recipient is None:
        return None
    assignments.filter(recipient=recipient).delete()
    return ExchangeAssignment.objects.create(
        exchange=exchange, giver=giver, recipient=recipient, by_hand=True, sent_at=sent
    )


@transaction.atomic
def send_assignments(user: User, exchange: GiftExchange) -> int:
    """Send every unsent assignment to its giver (inbox now, email from the worker); how many."""
    from ficarchive.collections.tasks import email_assignments
    from ficarchive.social.actions.inbox import notify
    from ficarchive.social.models import InboxKind

    _require_keeper(user, exchange)
    if exchange.matching_state != MatchingState.DONE and not exchange.assignments.exists():
        raise ValidationError(_("Run the matching first."))
    now = timezone.now()
    unsent = list(exchange.assignments.filter(sent_at__isnull=True).select_related("giver"))
    for assignment in unsent:
        assignment.sent_at = now
    ExchangeAssignment.objects.bulk_update(unsent, ["sent_at"])
    GiftExchange.objects.filter(pk=exchange.pk).update(assignments_sent_at=now)
    givers = [a.giver.user_id for a in unsent]
    notify(givers, InboxKind.ASSIGNMENT, text=exchange.collection.title)
    transaction.on_commit(partial(email_assignments.enqueue, exchange.pk, givers))
    return len(unsent)


@transaction.atomic
def default_assignment(user: User, assignment: ExchangeAssignment) -> ExchangeAssignment:
    """Its writer gives it up: it goes on the pinch hit list."""
    if assignment.writer_id != user.pk:
        raise PermissionDenied(_("Only its writer may default on an assignment."))
    if assignment.state != "open":
        raise ValidationError(_("This assignment is not open."))
    assignment.defaulted_at = timezone.now()
    assignment.pinch_hitter = None
    assignment.save(update_fields=["defaulted_at", "pinch_hitter"])
    return assignment


@transaction.atomic
def take_pinch_hit(user: User, assignment: ExchangeAssignment) -> ExchangeAssignment:
    """A reader takes a defaulted assignment and writes it instead."""
    require_good_standing(user)
    locked = ExchangeAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.state != "defaulted":
        raise ValidationError(_("Someone has taken this pinch hit already."))
    if locked.recipient.user_id == user.pk:
        raise ValidationError(_("No one writes their own gift."))
    locked.pinch_hitter = user
    locked.save(update_fields=["pinch_hitter"])
    return locked


def open_assignment(user: User, assignment_id: int) -> ExchangeAssignment:
    """USER's open assignment of that id (for the posting form), or PermissionDenied."""
    found = (
        ExchangeAssignment.objects.open_for(user.pk)
        .select_related("exchange__collection", "recipient__user")
        .filter(pk=assignment_id)
        .first()
    )
    if found is None:
        raise PermissionDenied(_("That is not an assignment of yours that waits for a gift."))
    return found


@transaction.atomic
def fulfil(user: User, assignment: ExchangeAssignment, work: Work) -> Gift:
    """WORK, just posted by USER, is the gift for ASSIGNMENT: it goes in the collection
    (approved, even when the collection is closed or moderated) and to its recipient."""
    locked = ExchangeAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.writer_id != user.pk or locked.state != "open":
        raise PermissionDenied(_("That is not an assignment of yours that waits for a gift."))
    collection = locked.exchange.collection
    CollectionItem.objects.get_or_create(
        collection=collection,
        work=work,
        defaults={"added_by": user, "moderator_status": Approval.APPROVED},
    )
    revealing.refresh_works([work.pk])
    locked.work = work
    locked.save(update_fields=["work"])
    gift, _created = Gift.objects.get_or_create(work=work, recipient=locked.recipient.user)
    work.refresh_from_db(fields=["in_unrevealed_collection", "in_anonymous_collection"])
    if not work.in_unrevealed_collection and not work.is_draft:
        revealing.tell_recipients([gift])
    return gift


@transaction.atomic
def refuse_gift(user: User, gift: Gift) -> Gift:
    """The recipient refuses a gift: the work no longer names them."""
    if gift.recipient_id != user.pk:
        raise PermissionDenied(_("Only its recipient may refuse a gift."))
    gift.refused = True
    gift.save(update_fields=["refused"])
    return gift

"""Gift exchanges: a collection's challenge in which each participant writes for another.

`GiftExchange` holds the challenge's settings (sign-up window, how many requests and offers,
how many tags of each type, the tag set, the matching rules, the due date) and the state of its
matching. `ExchangeSignup` is one participant's requests and offers, each a prompt of tag names
per type, the types it takes "any" of, and (for requests) optional text and a link.
`ExchangeAssignment` is one giver→recipient pair: made by the matching (or by hand), sent on
the moderators' command, fulfilled by a posted gift, or defaulted and then perhaps taken by a
pinch hitter. `Gift` names a work's recipient; the recipient may refuse it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from ficarchive.collections.matching import TAG_TYPES


def default_rules() -> dict[str, int]:
    return {"fandoms": 1}


def default_tag_limits() -> dict[str, list[int]]:
    """(fewest, most) tags of each type per request or offer."""
    return {"fandoms": [1, 1], "characters": [0, 3], "relationships": [0, 2], "freeforms": [0, 5]}


class MatchingState(models.TextChoices):
    NONE = "", "Not run"
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class GiftExchange(models.Model):
    collection = models.OneToOneField(
        "collections.Collection", on_delete=models.CASCADE, related_name="exchange"
    )
    signups_open_at = models.DateTimeField()
    signups_close_at = models.DateTimeField()
    requests_min = models.PositiveSmallIntegerField(default=1)
    requests_max = models.PositiveSmallIntegerField(default=2)
    offers_min = models.PositiveSmallIntegerField(default=1)
    offers_max = models.PositiveSmallIntegerField(default=3)
    tag_limits = models.JSONField(default=default_tag_limits)
    any_allowed = models.JSONField(default=list, help_text="Tag types a prompt may ask any of.")
    tag_set = models.JSONField(
        default=dict, help_text="Per tag type, the tag names allowed (none listed: any tag)."
    )
    rules = models.JSONField(
        default=default_rules, help_text="Per tag type, tags an offer must share (-1: all)."
    )
    nomination_limits = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per tag type, how many tags each participant may nominate for the tag set.",
    )
    any_request = models.BooleanField(
        default=False,
        help_text="A gift may answer any of its recipient's requests, not only the one the "
        "matching paired with the giver's offer.",
    )
    due_at = models.DateTimeField(null=True, blank=True)
    matching_state = models.CharField(
        max_length=10, choices=MatchingState.choices, default=MatchingState.NONE, blank=True
    )
    matching_started_at = models.DateTimeField(null=True, blank=True)
    matching_finished_at = models.DateTimeField(null=True, blank=True)
    matching_report = models.JSONField(default=dict, blank=True)
    assignments_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Gift exchange of {self.collection_id}"

    def signups_are_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.signups_open_at <= now < self.signups_close_at

    def limits_of(self, kind: str) -> tuple[int, int]:
        low, high = (self.tag_limits or {}).get(kind, [0, 0])
        return int(low), int(high)

    def allowed_tags(self, kind: str) -> list[str]:
        return list((self.tag_set or {}).get(kind, []))

    def nomination_limit(self, kind: str) -> int:
        return int((self.nomination_limits or {}).get(kind, 0))

    @property
    def takes_nominations(self) -> bool:
        return any(self.nomination_limit(kind) for kind in TAG_TYPES)


class NominationState(models.TextChoices):
    PENDING = "pending", "Waiting"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class TagNomination(models.Model):
    """A participant's nomination of a tag for the exchange's tag set, which the keepers
    approve (the tag joins the set) or reject."""

    exchange = models.ForeignKey(GiftExchange, on_delete=models.CASCADE, related_name="nominations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_nominations"
    )
    kind = models.CharField(max_length=16)
    name = models.CharField(max_length=150)
    state = models.CharField(
        max_length=10, choices=NominationState.choices, default=NominationState.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "user", "kind", "name"], name="nomination_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"


class ExchangeSignup(models.Model):
    exchange = models.ForeignKey(GiftExchange, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_signups"
    )
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="+")
    # Each a list of prompts: {"fandoms": [names], "characters": …, "relationships": …,
    # "freeforms": …, "any": [types], "text": str, "url": str}.
    requests = models.JSONField(default=list)
    offers = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "user"], name="exchange_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.pseud_id} in {self.exchange_id}"


def prompt_summary(prompt: dict[str, Any]) -> str:
    """A prompt's tags as one line: "Fandom A; Character B, Character C; any relationship"."""
    parts = []
    for kind in TAG_TYPES:
        names = prompt.get(kind) or []
        if kind in (prompt.get("any") or []):
            parts.append(f"any {kind[:-1]}")
        elif names:
            parts.append(", ".join(names))
    return "; ".join(parts)


class AssignmentQuerySet(models.QuerySet["ExchangeAssignment"]):
    def open_for(self, user_id: int) -> AssignmentQuerySet:
        """Sent assignments USER is to write now: their own, or one they took as a pinch
        hitter; not defaulted, not yet fulfilled."""
        own = models.Q(giver__user_id=user_id, pinch_hitter__isnull=True, defaulted_at__isnull=True)
        taken = models.Q(pinch_hitter_id=user_id)  # defaulted by its giver, taken by USER
        return self.filter(own | taken, sent_at__isnull=False, work__isnull=True)

    def pinch_hits(self) -> AssignmentQuerySet:
        """Defaulted assignments no one has taken yet."""
        return self.filter(defaulted_at__isnull=False, pinch_hitter__isnull=True)


class ExchangeAssignment(models.Model):
    exchange = models.ForeignKey(GiftExchange, on_delete=models.CASCADE, related_name="assignments")
    giver = models.ForeignKey(ExchangeSignup, on_delete=models.CASCADE, related_name="gives")
    recipient = models.ForeignKey(ExchangeSignup, on_delete=models.CASCADE, related_name="receives")
    offer_index = models.PositiveSmallIntegerField(null=True, blank=True)
    request_index = models.PositiveSmallIntegerField(null=True, blank=True)
    quality = models.PositiveSmallIntegerField(default=0)
    by_hand = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    defaulted_at = models.DateTimeField(null=True, blank=True)
    pinch_hitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pinch_hits",
    )
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["giver__created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "giver"], name="assignment_one_per_giver"),
            models.UniqueConstraint(
                fields=["exchange", "recipient"], name="assignment_one_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver_id} → {self.recipient_id}"

    @property
    def writer_id(self) -> int:
        """Who is to write it now: the pinch hitter who took it, else the giver."""
        return self.pinch_hitter_id or self.giver.user_id

    @property
    def requests_to_answer(self) -> list[dict[str, Any]]:
        """What the gift answers: the request the matching paired, or (where the exchange
        allows) any of the recipient's requests, the paired one first."""
        if not self.exchange.any_request:
            return [self.request]
        paired = self.request
        return [paired, *(r for r in self.recipient.requests or [] if r is not paired)]

    @property
    def request(self) -> dict[str, Any]:
        requests = self.recipient.requests or []
        index = self.request_index
        if index is not None and index < len(requests):
            return requests[index]
        return requests[0] if requests else {}

    @property
    def state(self) -> str:
        if self.work_id is not None:
            return "fulfilled"
        if self.defaulted_at is not None and self.pinch_hitter_id is None:
            return "defaulted"
        if self.sent_at is None:
            return "unsent"
        return "open"


class Gift(models.Model):
    """A work given to a recipient (an exchange's gift, or any gift its creator names)."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="gifts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gifts"
    )
    refused = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "recipient"], name="gift_once_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.work_id} for {self.recipient_id}"

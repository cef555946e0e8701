"""Tag set nominations of a gift exchange: participants nominate tags (as many of each type as
the exchange allows each of them) while sign-ups have not closed; the keepers approve a
tag, which joins the exchange's tag set, or reject it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.accounts.standing import require_good_standing
from ficarchive.collections.exchange_models import GiftExchange, NominationState, TagNomination
from ficarchive.collections.matching import TAG_TYPES
from ficarchive.collections.models import Role
from ficarchive.tags.models import validate_tag_name


@transaction.atomic
def nominate(user: User, exchange: GiftExchange, kind: str, names: list[str]) -> int:
    """USER nominates NAMES of tag type KIND; how many were new. Refused past the exchange's
    limit for the type (counting USER's earlier nominations), or once sign-ups closed."""
    require_good_standing(user)
    if kind not in TAG_TYPES or not exchange.nomination_limit(kind):
        raise ValidationError({kind: [_("This exchange takes no nominations of this type.")]})
    if timezone.now() >= exchange.signups_close_at:
        raise ValidationError(_("Nominations closed with the sign-ups."))
    for name in names:
        try:
            validate_tag_name(name)
        except ValidationError as exc:
            raise ValidationError({kind: exc.messages}) from exc
    mine = TagNomination.objects.select_for_update().filter(exchange=exchange, user=user, kind=kind)
    had = {n.casefold() for n in mine.values_list("name", flat=True)}
    fresh = list({n.casefold(): n for n in names if n.casefold() not in had}.values())
    limit = exchange.nomination_limit(kind)
    if len(had) + len(fresh) > limit:
        raise ValidationError(
            {
                kind: [
                    _("You may nominate %(limit)s of these; you have %(had)s already.")
                    % {"limit": limit, "had": len(had)}
                ]
            }
        )
    TagNomination.objects.bulk_create(
        TagNomination(exchange=exchange, user=user, kind=kind, name=name) for name in fresh
    )
    return len(fresh)


def pending(exchange: GiftExchange) -> list[dict[str, Any]]:
    """The nominated tags waiting for the keepers, each with how many nominated it."""
    rows = (
        exchange.nominations.filter(state=NominationState.PENDING)
        .values("kind", "name")
        .annotate(count=Count("id"))
        .order_by("kind", "-count", "name")
    )
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:  # one line per tag whatever the case each participant typed
        key = (row["kind"], row["name"].casefold())
        found = merged.setdefault(key, {"kind": row["kind"], "name": row["name"], "count": 0})
        found["count"] += row["count"]
    return list(merged.values())


@transaction.atomic
def review(user: User, exchange: GiftExchange, kind: str, name: str, approve: bool) -> int:
    """A keeper approves the tag NAME of type KIND (it joins the tag set) or rejects it; how
    many nominations that answered."""
    require_good_standing(user)
    exchange.collection.require_role(user, Role.OWNER, Role.MODERATOR)
    locked = GiftExchange.objects.select_for_update().get(pk=exchange.pk)
    answered = [
        n
        for n in locked.nominations.filter(kind=kind, state=NominationState.PENDING)
        if n.name.casefold() == name.casefold()
    ]
    if not answered:
        raise ValidationError(_("No nomination of “%(name)s” waits.") % {"name": name})
    state = NominationState.APPROVED if approve else NominationState.REJECTED
    TagNomination.objects.filter(pk__in=[n.pk for n in answered]).update(state=state)
    if approve:
        tag_set = dict(locked.tag_set or {})
        names = list(tag_set.get(kind, []))
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(answered[0].name)
        tag_set[kind] = names
        locked.tag_set = tag_set
        locked.save(update_fields=["tag_set"])
    return len(answered)

"""Writes of saved searches: saving, changing and deleting them, and their alerts.

`check_saved_searches` (the upkeep's, every minute) runs each alerting search on the search
engine, as its reader (visibility and standing filters included), limited to the days since its
last check, and keeps the works posted after that moment: each becomes a `SavedSearchHit` and an
inbox item, in the transaction that moves the search's `checked_at`, with the search's row
locked, so a work alerts once however many workers check. `send_digests` sends each reader one
email per day or week with the hits of their daily or weekly searches not emailed yet.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ficarchive.accounts.filters import keep_standing_filters
from ficarchive.search.index_keeper import search
from ficarchive.search.query import MAX_PER_PAGE, BadQuery, SearchQuery
from ficarchive.search.saved import Alert, SavedSearch, SavedSearchHit
from ficarchive.works.models import Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

logger = logging.getLogger(__name__)

MAX_NAME = 100
MAX_SAVED = 50  # saved searches per reader
MAX_HITS = 100  # new works one check of one search alerts about at most
LEFT_OUT = ("page", "per_page", "tag_default")  # not part of what a search asks
PERIODS = {Alert.DAILY: timedelta(days=1), Alert.WEEKLY: timedelta(days=7)}


def search_params(query: str | QueryDict) -> str:
    """The works search's parameters as a saved search keeps them (no page), checked: a query
    the search page would refuse is refused here with its reason."""
    params = QueryDict(query if isinstance(query, str) else query.urlencode(), mutable=True)
    for name in LEFT_OUT:
        params.pop(name, None)
    try:
        SearchQuery.from_params(params)
    except BadQuery as exc:
        raise ValidationError({"query": [str(exc)]}) from exc
    return params.urlencode()


def _check_name(user: User, name: str, leaving_out: int | None = None) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        reason = _("Name the search (1 to %(most)s characters).") % {"most": MAX_NAME}
        raise ValidationError({"name": [reason]})
    taken = SavedSearch.objects.filter(user=user, name__iexact=name)
    if leaving_out is not None:
        taken = taken.exclude(pk=leaving_out)
    if taken.exists():
        reason = _("You have a saved search called %(name)s already.") % {"name": name}
        raise ValidationError({"name": [reason]})
    return name


def _check_alert(alert: str) -> None:
    if alert not in Alert.values:
        raise ValidationError({"alert": [_("%(value)s is not an alert.") % {"value": repr(alert)}]})


@transaction.atomic
def save_search(
    user: User, name: str, query: str | QueryDict, alert: str = Alert.NONE
) -> SavedSearch:
    """Keep the works search QUERY under NAME; with ALERT, new works that match reach the inbox
    (and, daily or weekly, the mailbox) from now on."""
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED:
        reason = _("You have %(count)s saved searches; delete one first.") % {"count": MAX_SAVED}
        raise ValidationError({"name": [reason]})
    _check_alert(alert)
    return SavedSearch.objects.create(
        user=user,
        name=_check_name(user, name),
        query=search_params(query),
        alert=alert,
        checked_at=timezone.now(),
    )


def _require_owner(user: User, saved: SavedSearch) -> None:
    if saved.user_id != user.pk:
        raise PermissionDenied("This is not your saved search.")


@transaction.atomic
def update_search(
    user: User, saved: SavedSearch, *, name: str, alert: str, tag_default: bool
) -> SavedSearch:
    """Rename SAVED, change its alert, and make it (or not) the reader's default on tag pages
    (one search at most is)."""
    _require_owner(user, saved)
    _check_alert(alert)
    saved.name = _check_name(user, name, leaving_out=saved.pk)
    if alert != saved.alert and saved.alert == Alert.NONE:
        saved.checked_at = timezone.now()  # alerts start now, not from when it was saved
    saved.alert = alert
    if tag_default:
        SavedSearch.objects.filter(user=user, tag_default=True).exclude(pk=saved.pk).update(
            tag_default=False
        )
    saved.tag_default = tag_default
    saved.save()
    return saved


@transaction.atomic
def delete_search(user: User, saved: SavedSearch) -> None:
    _require_owner(user, saved)
    saved.delete()


CHUNK = 200  # saved searches checked, then written, together


def _candidates(saved: SavedSearch, since: datetime, now: datetime) -> list[int]:
    """The works SAVED finds for its reader among those posted on the days of (SINCE, NOW]
    (the engine keeps days; the moments are compared in `_check_chunk`)."""
    params = QueryDict(saved.query, mutable=True)
    params["published"] = f"{since.date().isoformat()}..{now.date().isoformat()}"
    params["sort"], params["order"] = "published", "asc"
    params["per_page"] = str(MAX_PER_PAGE)
    found: list[int] = []
    page = 1
    while len(found) < 10 * MAX_HITS:
        params["page"] = str(page)
        result = search(SearchQuery.from_params(params), saved.user)
        found += result.ids
        if len(result.ids) < MAX_PER_PAGE:
            break
        page += 1
    return found


def _check_chunk(search_ids: list[int], now: datetime) -> int:
    """Run the searches (outside any transaction: the engine reads only memory), then write
    what each found new in one short transaction, for the searches no one checked meanwhile
    (their `checked_at` is still what was read): so a work alerts once."""
    from ficarchive.social.actions.inbox import notify_works
    from ficarchive.social.models import InboxKind

    chunk = list(
        SavedSearch.objects.filter(pk__in=search_ids, checked_at__lt=now)
        .exclude(alert=Alert.NONE)
        .select_related("user")
    )
    readers: dict[int, User] = {}
    for saved in chunk:  # one object per reader, their filters read once for all their searches
        if saved.user_id not in readers:
            keep_standing_filters(saved.user)
            readers[saved.user_id] = saved.user
        saved.user = readers[saved.user_id]
    found: dict[int, list[int]] = {}
    for saved in chunk:
        try:
            found[saved.pk] = (
                _candidates(saved, saved.checked_at, now) if saved.user.is_active else []
            )
        except BadQuery:
            logger.info("saved search %s no longer parses; not checked", saved.pk)
            found[saved.pk] = []
    posted = dict(
        Work.objects.filter(pk__in={w for works in found.values() for w in works}).values_list(
            "pk", "published_at"
        )
    )
    read = {saved.pk: saved for saved in chunk}
    with transaction.atomic():
        locked = dict(
            SavedSearch.objects.select_for_update()
            .filter(pk__in=list(read))
            .values_list("pk", "checked_at")
        )
        mine = [pk for pk in read if locked.get(pk) == read[pk].checked_at]
        fresh: dict[int, list[int]] = {}
        for pk in mine:
            since = read[pk].checked_at
            new = [w for w in found[pk] if (moment := posted.get(w)) and since < moment <= now]
            fresh[pk] = sorted(new)[:MAX_HITS]
        known = set(
            SavedSearchHit.objects.filter(
                search_id__in=mine, work_id__in={w for works in fresh.values() for w in works}
            ).values_list("search_id", "work_id")
        )
        hits = [(pk, w) for pk, works in fresh.items() for w in works if (pk, w) not in known]
        SavedSearchHit.objects.bulk_create(
            [SavedSearchHit(search_id=pk, work_id=w) for pk, w in hits]
        )
        notify_works([(read[pk].user_id, w, read[pk].name) for pk, w in hits], InboxKind.SEARCH)
        SavedSearch.objects.filter(pk__in=mine).update(checked_at=now)
    return len(hits)


def check_saved_searches(now: datetime | None = None) -> int:
    """Check every alerting saved search against the works posted since its last check: how
    many alerts went out."""
    now = now or timezone.now()
    due = SavedSearch.objects.exclude(alert=Alert.NONE).filter(checked_at__lt=now)
    oldest = due.order_by("checked_at").values_list("checked_at", flat=True).first()
    if oldest is None:
        return 0
    if not Work.objects.posted().filter(published_at__gt=oldest, published_at__lte=now).exists():
        due.update(checked_at=now)  # nothing new anywhere: every search is checked at once
        return 0
    ids = list(due.order_by("user_id", "pk").values_list("pk", flat=True))  # a reader's together
    return sum(_check_chunk(ids[start : start + CHUNK], now) for start in range(0, len(ids), CHUNK))


def _digest(user: User, hits: list[SavedSearchHit]) -> None:
    by_search: dict[str, list[Work]] = defaultdict(list)
    for hit in hits:
        by_search[hit.search.name].append(hit.work)
    context = {
        "user": user,
        "searches": sorted(by_search.items()),
        "site_url": settings.SITE_URL.rstrip("/"),
        "SITE_NAME": settings.SITE_NAME,
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("search/email/saved_subject.txt", context).split())
        body = render_to_string("search/email/saved_digest.txt", context)
    mail.EmailMessage(subject, body, to=[user.email]).send()


def send_digests(now: datetime | None = None) -> int:
    """One email per reader with the new works of their daily searches (once a day) and weekly
    searches (once a week) not emailed yet: how many emails went out."""
    now = now or timezone.now()
    waited = Q(emailed_at__isnull=True)
    for alert, period in PERIODS.items():
        waited |= Q(alert=alert, emailed_at__lte=now - period)
    unsent = SavedSearchHit.objects.filter(search=OuterRef("pk"), emailed=False)
    rows = (
        SavedSearch.objects.filter(waited, alert__in=list(PERIODS), user__is_active=True)
        .filter(Exists(unsent))
        .values_list("user_id", "pk")
    )
    due: dict[int, list[int]] = defaultdict(list)
    for user_id, search_id in rows:
        due[user_id].append(search_id)
    sent = 0
    for search_ids in due.values():
        with transaction.atomic():
            locked = list(
                SavedSearch.objects.select_for_update(of=("self",))
                .filter(pk__in=search_ids)
                .values_list("pk", flat=True)
            )
            hits = list(
                SavedSearchHit.objects.filter(search_id__in=locked, emailed=False)
                .select_related("search__user", "work")
                .order_by("search__name", "found_at", "id")
            )
            if not hits:
                continue
            user = hits[0].search.user
            visible = set(
                Work.objects.visible_to(user)
                .filter(pk__in=[hit.work_id for hit in hits])
                .values_list("pk", flat=True)
            )
            SavedSearchHit.objects.filter(pk__in=[hit.pk for hit in hits]).update(emailed=True)
            SavedSearch.objects.filter(pk__in=locked).update(emailed_at=now)
            shown = [hit for hit in hits if hit.work_id in visible]
            if shown:
                _digest(user, shown)
                sent += 1
    return sent


def tag_default_of(user: User | AnonymousUser) -> SavedSearch | None:
    """The reader's saved search that tag pages show their works through, if any."""
    if not user.is_authenticated:
        return None
    return SavedSearch.objects.filter(user=user, tag_default=True).first()

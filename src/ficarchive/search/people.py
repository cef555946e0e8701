"""The people search: pseuds found by their name or their account's user name, each with its
number of works the reader may list and its top fandoms among them.

A page costs a fixed number of queries whatever its length: the count, the page of pseuds (with
their accounts), the works counts, the fandom counts and the fandoms' names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext as _

from ficarchive.accounts.models import ORPHAN_ACCOUNT, Pseud, PseudQuerySet
from ficarchive.search.query import Params
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Creatorship, Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

MAX_QUERY = 100  # a pseud's or a user name is at most 40 characters
TOP_FANDOMS = 5


class BadPeopleQuery(ValueError):
    """The `q` parameter cannot be searched: the message says why."""


@dataclass
class Person:
    """One result: a pseud, its account, its listed works and its top fandoms (name, works)."""

    pseud: Pseud
    works: int = 0
    fandoms: list[tuple[Tag, int]] = field(default_factory=list)


def people_query(params: Params) -> str:
    """The search text from the URL: one `q`, trimmed, at most MAX_QUERY characters."""
    values = params.getlist("q")
    if len(values) > 1:
        raise BadPeopleQuery("q: " + _("give it once."))
    text = " ".join((values[0] if values else "").split())
    if len(text) > MAX_QUERY:
        reason = _("at most %(most)s characters (names are at most 40); this one has %(count)s.")
        raise BadPeopleQuery("q: " + reason % {"most": MAX_QUERY, "count": len(text)})
    return text


def matching_pseuds(text: str) -> PseudQuerySet:
    """Pseuds whose name or account's user name holds TEXT (any case), of active accounts but
    the orphan account; names starting with it first, then by name."""
    starts = Q(name__istartswith=text) | Q(user__username__istartswith=text)
    return (
        Pseud.objects.filter(Q(name__icontains=text) | Q(user__username__icontains=text))
        .filter(user__is_active=True)
        .exclude(user__username=ORPHAN_ACCOUNT)
        .select_related("user")
        .annotate(
            starts=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("starts", Lower("name"), Lower("user__username"), "id")
    )


def describe(pseuds: list[Pseud], reader: User | AnonymousUser) -> list[Person]:
    """Each pseud with its works the reader may list (as its page lists them) and its top
    fandoms among them (a synonym counted as its canonical fandom), in two queries plus one
    for the fandoms' names."""
    people = {pseud.pk: Person(pseud) for pseud in pseuds}
    if not people:
        return []
    listed = Work.objects.listed_for(reader).bylined_for(reader).order_by().values("id")
    credits = Creatorship.objects.filter(pseud_id__in=people, accepted=True, work_id__in=listed)
    for row in credits.values("pseud_id").annotate(n=Count("work_id", distinct=True)).order_by():
        people[row["pseud_id"]].works = row["n"]
    fandom_rows = (
        credits.filter(work__taggings__tag__type=TagType.FANDOM)
        .annotate(fandom=Coalesce("work__taggings__tag__synonym_of_id", "work__taggings__tag_id"))
        .values("pseud_id", "fandom")
        .annotate(n=Count("work_id", distinct=True))
        .values_list("pseud_id", "fandom", "n")
        .order_by()
    )
    counts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pseud_id, fandom_id, n in fandom_rows:
        counts[pseud_id].append((fandom_id, n))
    tops = {
        pseud_id: sorted(rows, key=lambda row: (-row[1], row[0]))[: TOP_FANDOMS * 2]
        for pseud_id, rows in counts.items()
    }
    names = Tag.objects.in_bulk({fandom for rows in tops.values() for fandom, _count in rows})
    for pseud_id, rows in tops.items():
        ranked = sorted(
            ((names[f], n) for f, n in rows if f in names),
            key=lambda pair: (-pair[1], pair[0].name.casefold()),
        )
        people[pseud_id].fandoms = ranked[:TOP_FANDOMS]
    return [people[pseud.pk] for pseud in pseuds]

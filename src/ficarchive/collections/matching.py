"""Gift-exchange matching: who writes for whom.

Every participant signs up with requests (what they would like to receive) and offers (what they
would write), each a set of tags per type. The challenge's rules say, per tag type, how many
tags of a request an offer must share ("any" on either side matches every tag of that type;
`ALL` asks for every tag the request names). A giver may write for a recipient when one of the
giver's offers fits one of the recipient's requests; the pair's quality is the most tags such an
offer and request share.

The assignment gives each participant at most one recipient and one giver, never themselves,
covering as many gifts as any assignment can (a maximum matching of the giver→recipient graph),
and among those the one of the best total quality. It is solved exactly as an assignment
problem, one connected group of participants at a time (small fandoms make many small groups),
with scipy's `linear_sum_assignment`: each allowed pair weighs more than all the quality there
is, so that no gain in quality can cost a gift.

AO3 instead assigns greedily, people with the fewest potential matches first, which can leave
out people a maximum matching covers (`bench/bench_matching.py` compares the two).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

TAG_TYPES = ("fandoms", "characters", "relationships", "freeforms")
ALL = -1  # a rule asking for every tag of that type the request names


def tag_key(name: str) -> str:
    """Tags compare without regard to case or runs of spaces ("Harry  Potter" = "harry potter")."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Signup:
    """One request or offer: its tags per type (as keys), and the types it takes "any" of."""

    tags: Mapping[str, frozenset[str]]
    any: frozenset[str] = frozenset()

    @classmethod
    def of(cls, tags: Mapping[str, Iterable[str]], any_types: Iterable[str] = ()) -> Signup:
        return cls(
            {kind: frozenset(tag_key(t) for t in tags.get(kind, ())) for kind in TAG_TYPES},
            frozenset(any_types),
        )


@dataclass(frozen=True)
class Participant:
    name: str
    requests: tuple[Signup, ...]
    offers: tuple[Signup, ...]


@dataclass(frozen=True)
class Rules:
    """Per tag type, how many tags of a request an offer must share (ALL: every one)."""

    required: Mapping[str, int] = field(default_factory=lambda: {"fandoms": 1})

    def fit(self, offer: Signup, request: Signup) -> int | None:
        """The tags OFFER and REQUEST share when the offer fits the request, else None."""
        shared = 0
        for kind in TAG_TYPES:
            wanted = request.tags[kind]
            common = len(offer.tags[kind] & wanted)
            shared += common
            need = self.required.get(kind, 0)
            if need == 0 or kind in request.any or kind in offer.any:
                continue
            need = len(wanted) if need == ALL else min(need, len(wanted))
            if common < need:
                return None
        return shared

    def index_type(self) -> str | None:
        """The tag type every fitting pair must share a tag of (the candidates' index)."""
        required = [kind for kind in TAG_TYPES if self.required.get(kind, 0)]
        return required[0] if required else None


@dataclass(frozen=True)
class Pair:
    """Giver may write for recipient: GIVER's offer OFFER fits RECIPIENT's request REQUEST."""

    giver: int
    recipient: int
    offer: int
    request: int
    quality: int


@dataclass
class Assignment:
    giver: str
    recipient: str
    offer: int
    request: int
    quality: int


@dataclass
class Unmatched:
    participant: str
    gives: bool
    receives: bool
    why: list[str]


@dataclass
class Matching:
    assignments: list[Assignment]
    unmatched: list[Unmatched]
    pairs: int  # allowed giver→recipient pairs
    took_s: float

    def as_json(self) -> dict[str, object]:
        return {
            "assignments": [vars(a) for a in self.assignments],
            "unmatched": [vars(u) for u in self.unmatched],
            "allowed_pairs": self.pairs,
            "took_s": self.took_s,
        }


def allowed_pairs(people: list[Participant], rules: Rules) -> list[Pair]:
    """Every giver→recipient pair the rules allow, with its best offer and request.

    Requests are indexed by the tags of the first type the rules require, so that an offer is
    only checked against requests that share one of its tags (or take "any" of that type).
    """
    kind = rules.index_type()
    by_tag: dict[str, set[tuple[int, int]]] = defaultdict(set)
    open_requests: set[tuple[int, int]] = set()  # requests of "any" of that type, or none
    every_request = [
        (who, number) for who, person in enumerate(people) for number in range(len(person.requests))
    ]
    if kind is not None:
        for who, number in every_request:
            request = people[who].requests[number]
            if kind in request.any or not request.tags[kind]:
                open_requests.add((who, number))
            for tag in request.tags[kind]:
                by_tag[tag].add((who, number))
    best: dict[tuple[int, int], Pair] = {}
    for giver, person in enumerate(people):
        for offer_number, offer in enumerate(person.offers):
            if kind is None or kind in offer.any:
                candidates: Iterable[tuple[int, int]] = every_request
            else:
                found = set(open_requests)
                for tag in offer.tags[kind]:
                    found |= by_tag.get(tag, set())
                candidates = sorted(found)
            for recipient, request_number in candidates:
                if recipient == giver:
                    continue
                quality = rules.fit(offer, people[recipient].requests[request_number])
                if quality is None:
                    continue
                kept = best.get((giver, recipient))
                if kept is None or quality > kept.quality:
                    best[giver, recipient] = Pair(
                        giver, recipient, offer_number, request_number, quality
                    )
    return list(best.values())


def maximum_matching(count: int, pairs: list[Pair]) -> list[Pair]:
    """The most pairs with each giver and each recipient used once, and among those the best
    total quality: an assignment problem per connected group of givers and recipients."""
    if not pairs:
        return []
    givers = np.fromiter((p.giver for p in pairs), dtype=np.int64, count=len(pairs))
    recipients = np.fromiter((p.recipient for p in pairs), dtype=np.int64, count=len(pairs))
    # Nodes 0..count-1 are givers, count..2*count-1 recipients.
    graph = coo_matrix(
        (np.ones(len(pairs)), (givers, recipients + count)), shape=(2 * count, 2 * count)
    )
    _, group_of = connected_components(graph, directed=False)
    groups: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[int(group_of[pair.giver])].append(pair)
    chosen: list[Pair] = []
    for members in groups.values():
        chosen.extend(_solve_group(members))
    return chosen


def _solve_group(pairs: list[Pair]) -> list[Pair]:
    giver_ids = sorted({p.giver for p in pairs})
    recipient_ids = sorted({p.recipient for p in pairs})
    row = {giver: n for n, giver in enumerate(giver_ids)}
    column = {recipient: n for n, recipient in enumerate(recipient_ids)}
    # One more pair must outweigh all the quality a group can have.
    gift = float(sum(p.quality for p in pairs) + 1)
    weights = np.zeros((len(giver_ids), len(recipient_ids)))
    by_cell: dict[tuple[int, int], Pair] = {}
    for pair in pairs:
        cell = (row[pair.giver], column[pair.recipient])
        weights[cell] = gift + pair.quality
        by_cell[cell] = pair
    rows, columns = linear_sum_assignment(weights, maximize=True)
    return [
        by_cell[cell]
        for cell in zip(rows.tolist(), columns.tolist(), strict=True)
        if cell in by_cell
    ]


def _reasons(
    who: int, gives: bool, receives: bool, can_give: set[int], can_receive: set[int]
) -> list[str]:
    why = []
    if not gives:
        why.append(
            "their offers fit no one's requests"
            if who not in can_give
            else "everyone their offers fit gets a gift from someone else: no assignment "
            "covers more people"
        )
    if not receives:
        why.append(
            "no offer fits their requests"
            if who not in can_receive
            else "everyone whose offers fit them writes for someone else: no assignment "
            "covers more people"
        )
    return why


def match(people: list[Participant], rules: Rules) -> Matching:
    """Match PEOPLE by RULES: the assignments, and who is left out of giving or receiving, why."""
    started = time.perf_counter()
    names = [person.name for person in people]
    pairs = allowed_pairs(people, rules)
    chosen = maximum_matching(len(people), pairs)
    gives = {pair.giver for pair in chosen}
    receives = {pair.recipient for pair in chosen}
    can_give = {pair.giver for pair in pairs}
    can_receive = {pair.recipient for pair in pairs}
    assignments = [
        Assignment(names[p.giver], names[p.recipient], p.offer, p.request, p.quality)
        for p in sorted(chosen, key=lambda p: (names[p.giver], names[p.recipient]))
    ]
    unmatched = [
        Unmatched(
            names[who],
            who in gives,
            who in receives,
            _reasons(who, who in gives, who in receives, can_give, can_receive),
        )
        for who in range(len(people))
        if who not in gives or who not in receives
    ]
    took = round(time.perf_counter() - started, 3)
    return Matching(assignments, unmatched, len(pairs), took)

"""Gift-exchange matching: ours against AO3's, on an exchange shaped like Yuletide.

    python bench/bench_matching.py [--participants 3000] [--seed 7]
        (writes bench/results/matching.json)

The exchange: small fandoms with a long tail (a Zipf-like spread over many fandoms, so that most
are asked for by a handful of people), each participant asking for 2-4 requests (a fandom and
one to three of its characters, sometimes "any" character) and offering 4-8 (a fandom they can
write, with one to four of its characters, or "any" in three offers of ten). Rules as
Yuletide's: a fandom and a character in common.

- **ours**: `collections.matching.match`, which finds every allowed pair through an index of
  requests by fandom and solves a maximum matching of the best quality exactly;
- **AO3's**: what otwarchive does, written here from its description: potential matches by
  checking every request sign-up against every offer sign-up (its own comments call it
  "asymptotically quadratic"), then the greedy assignment of `ChallengeAssignment.
  delayed_generate`: sign-ups bucketed by how many potential matches they have, the fewest
  first (random order within a bucket), each request given its best offer not yet used
  (a giver who is already its own recipient's recipient kept as a last choice), then each
  offer likewise.

Both are checked against a maximum flow of the same pairs (scipy): the most gifts any assignment
can give. Coverage is gifts given (pairs) and participants who both give and receive.

`--through-archive` also runs the exchange as the archive's background job runs it
(`exchange_actions.run_matching`, in a fresh SQLite archive of its own): the sign-ups written as
the sign-up form writes them, read back, their tags met through the tag table, matched, and the
assignments written. It reports that job's time beside the matching alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "matching.json"
sys.path.insert(0, str(ROOT / "src"))

from ficarchive.collections.matching import (  # noqa: E402
    Pair,
    Participant,
    Rules,
    Signup,
    allowed_pairs,
    match,
)

RULES = Rules({"fandoms": 1, "characters": 1})


def yuletide(participants: int, seed: int) -> list[Participant]:
    """An exchange of many small fandoms, long-tailed, 2-4 requests and 4-8 offers each."""
    rng = random.Random(seed)
    fandoms = max(50, participants)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(fandoms)]
    cast = {f: [f"F{f} character {c}" for c in range(rng.randint(3, 12))] for f in range(fandoms)}

    def request() -> Signup:
        fandom = rng.choices(range(fandoms), weights)[0]
        wanted = rng.sample(cast[fandom], min(len(cast[fandom]), rng.randint(1, 3)))
        any_types = ("characters",) if rng.random() < 0.1 else ()
        return Signup.of({"fandoms": [f"F{fandom}"], "characters": wanted}, any_types)

    def offer() -> Signup:
        fandom = rng.choices(range(fandoms), weights)[0]
        if rng.random() < 0.3:
            return Signup.of({"fandoms": [f"F{fandom}"]}, ("characters",))
        known = rng.sample(cast[fandom], min(len(cast[fandom]), rng.randint(1, 4)))
        return Signup.of({"fandoms": [f"F{fandom}"], "characters": known})

    return [
        Participant(
            f"participant{n}",
            tuple(request() for _ in range(rng.randint(2, 4))),
            tuple(offer() for _ in range(rng.randint(4, 8))),
        )
        for n in range(participants)
    ]


def ao3_potential_matches(people: list[Participant], rules: Rules) -> list[Pair]:
    """Every request sign-up against every offer sign-up, as AO3 generates potential matches."""
    found = []
    for recipient, asker in enumerate(people):
        for giver, writer in enumerate(people):
            if giver == recipient:
                continue
            best: Pair | None = None
            for o, offer in enumerate(writer.offers):
                for r, request in enumerate(asker.requests):
                    quality = rules.fit(offer, request)
                    if quality is not None and (best is None or quality > best.quality):
                        best = Pair(giver, recipient, o, r, quality)
            if best is not None:
                found.append(best)
    return found


def ao3_greedy(count: int, pairs: list[Pair], seed: int) -> list[Pair]:
    """AO3's assignment: the fewest options first, each taking its best still-free match."""
    rng = random.Random(seed)
    as_request: dict[int, list[Pair]] = defaultdict(list)  # a recipient's potential givers
    as_offer: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        as_request[pair.recipient].append(pair)
        as_offer[pair.giver].append(pair)
    giving: dict[int, int] = {}  # giver -> recipient
    receiving: dict[int, int] = {}  # recipient -> giver
    buckets_request: dict[int, list[int]] = defaultdict(list)
    buckets_offer: dict[int, list[int]] = defaultdict(list)
    for who in range(count):
        buckets_request[len(as_request[who])].append(who)
        buckets_offer[len(as_offer[who])].append(who)
    most = max([*buckets_request, *buckets_offer], default=0)

    def take(giver: int, recipient: int) -> None:
        giving[giver] = recipient
        receiving[recipient] = giver

    for size in range(most + 1):
        for recipient in sorted(buckets_request.get(size, []), key=lambda _: rng.random()):
            if recipient in receiving:
                continue
            last_choice = None
            for pair in sorted(as_request[recipient], key=lambda p: -p.quality):
                if pair.giver in giving:
                    continue
                if giving.get(recipient) == pair.giver and last_choice is None:
                    last_choice = pair  # a circle of two: only if nothing else
                    continue
                take(pair.giver, recipient)
                break
            else:
                if last_choice is not None:
                    take(last_choice.giver, recipient)
        for giver in sorted(buckets_offer.get(size, []), key=lambda _: rng.random()):
            if giver in giving:
                continue
            for pair in sorted(as_offer[giver], key=lambda p: -p.quality):
                if pair.recipient not in receiving:
                    take(giver, pair.recipient)
                    break
    by_pair = {(p.giver, p.recipient): p for p in pairs}
    return [by_pair[giver, recipient] for giver, recipient in giving.items()]


def maximum_flow_size(count: int, pairs: list[Pair]) -> int:
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    source, sink = 2 * count, 2 * count + 1
    rows = [source] * count + [count + r for r in range(count)] + [p.giver for p in pairs]
    cols = list(range(count)) + [sink] * count + [count + p.recipient for p in pairs]
    graph = csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(2 * count + 2,) * 2
    )
    return int(maximum_flow(graph, source, sink).flow_value)


def coverage(count: int, chosen: list[tuple[int, int]], quality: int) -> dict[str, Any]:
    givers = {g for g, _ in chosen}
    recipients = {r for _, r in chosen}
    return {
        "gifts": len(chosen),
        "participants_giving_and_receiving": len(givers & recipients),
        "participants_left_out": count - len(givers & recipients),
        "total_quality": quality,
    }


def run(participants: int, seed: int, ao3_runs: int) -> dict[str, Any]:
    people = yuletide(participants, seed)
    requests = sum(len(p.requests) for p in people)
    offers = sum(len(p.offers) for p in people)

    started = time.perf_counter()
    ours = match(people, RULES)
    ours_seconds = time.perf_counter() - started
    pairs = allowed_pairs(people, RULES)
    best = maximum_flow_size(len(people), pairs)
    index = {p.name: n for n, p in enumerate(people)}
    ours_pairs = [(index[a.giver], index[a.recipient]) for a in ours.assignments]

    started = time.perf_counter()
    potential = ao3_potential_matches(people, RULES)
    potential_seconds = time.perf_counter() - started
    assert {(p.giver, p.recipient) for p in potential} == {(p.giver, p.recipient) for p in pairs}
    greedy_runs = []
    for run_seed in range(ao3_runs):  # AO3 shuffles within a bucket: a few draws
        started = time.perf_counter()
        chosen = ao3_greedy(len(people), potential, run_seed)
        greedy_runs.append(
            {
                **coverage(
                    len(people),
                    [(p.giver, p.recipient) for p in chosen],
                    sum(p.quality for p in chosen),
                ),
                "assignment_seconds": round(time.perf_counter() - started, 2),
            }
        )
    return {
        "exchange": {
            "participants": participants,
            "requests": requests,
            "offers": offers,
            "fandoms_asked_for": len(
                {t for p in people for s in p.requests for t in s.tags["fandoms"]}
            ),
            "rules": dict(RULES.required),
            "allowed_pairs": len(pairs),
            "seed": seed,
        },
        "maximum_matching_by_flow": best,
        "ours": {
            **coverage(len(people), ours_pairs, sum(a.quality for a in ours.assignments)),
            "seconds": round(ours_seconds, 2),
            "covers_the_maximum": len(ours.assignments) == best,
        },
        "ao3": {
            "potential_matches_seconds": round(potential_seconds, 2),
            "runs": greedy_runs,
            "best_gifts": max(r["gifts"] for r in greedy_runs),
            "worst_gifts": min(r["gifts"] for r in greedy_runs),
        },
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }


def _prompt(signup: Signup) -> dict[str, Any]:
    return {**{kind: sorted(names) for kind, names in signup.tags.items()}, "any": [*signup.any]}


def through_archive(participants: int, seed: int) -> dict[str, Any]:
    """The same exchange run by the archive's matching job, on a fresh SQLite archive."""
    import tempfile
    from datetime import timedelta

    os.environ["FICARCHIVE_DATA"] = tempfile.mkdtemp(prefix="ficarchive-bench-matching-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    os.environ.setdefault("FICARCHIVE_DEMO", "0")
    import django

    django.setup()
    from django.utils import timezone

    from ficarchive.accounts.actions import create_user
    from ficarchive.cli import ensure_database
    from ficarchive.collections import actions, exchange_actions
    from ficarchive.collections.models import ExchangeSignup, GiftExchange

    ensure_database()
    owner = create_user("bench_owner", "bench_owner@example.org", None)
    fest = actions.create_collection(owner, actions.CollectionDetails("bench_swap", "Swap"))
    now = timezone.now()
    exchange = exchange_actions.configure_exchange(
        owner,
        fest,
        exchange_actions.ExchangeSettings(
            now - timedelta(days=1), now + timedelta(days=1), rules=dict(RULES.required)
        ),
    )
    people = yuletide(participants, seed)
    started = time.perf_counter()
    for person in people:
        user = create_user(person.name, f"{person.name}@example.org", None)
        ExchangeSignup.objects.create(
            exchange=exchange,
            user=user,
            pseud=user.default_pseud,
            requests=[_prompt(r) for r in person.requests],
            offers=[_prompt(o) for o in person.offers],
        )
    signing_up = time.perf_counter() - started
    GiftExchange.objects.filter(pk=exchange.pk).update(signups_close_at=now)
    started = time.perf_counter()
    report = exchange_actions.run_matching(exchange.pk)
    job_seconds = time.perf_counter() - started
    return {
        "accounts_and_signups_written_seconds": round(signing_up, 1),
        "job_seconds": round(job_seconds, 2),
        "matching_alone_seconds": report["took_s"],
        "assignments": report["assignments"],
        "assignments_written": exchange.assignments.count(),
        "participants_left_out": len(report["unmatched"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ao3-runs", type=int, default=3)
    parser.add_argument(
        "--through-archive", action="store_true", help="also run the archive's matching job"
    )
    args = parser.parse_args()
    result = run(args.participants, args.seed, args.ao3_runs)
    if args.through_archive:
        result["through_archive"] = through_archive(args.participants, args.seed)
        assert result["through_archive"]["assignments"] == result["ours"]["gifts"]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""What saved-search alerts cost: many saved searches checked against a day of new works.

    python bench/bench_saved_searches.py [WORKS] [--searches N]
        (default 20,000 works and 10,000 saved searches; writes bench/results/saved_searches.json)

An AO3-shaped archive (bench/corpus.py, loaded as `ficarchive works load` loads it) gets 1,000
readers with N alerting saved searches among them, drawn from a mix of what readers save (a
popular fandom or additional tag, a word of the text, a word-count range, a language, complete
works only, and combinations). The newest works (one in two hundred, at least 200) are made
"the day's new works"; the rest were posted before. Then the upkeep's check
(`search.saved_actions.check_saved_searches`) runs once over every search, with its writes (the
hits and inbox items), and is timed. The baseline in the same run is each search run as the
search page runs it, without the day's limit (a sample of 500), so that the ratio says what
checking a day costs against an ordinary search on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "saved_searches.json"
READERS = 1000
BASELINE_SAMPLE = 500

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
os.environ.setdefault("FICARCHIVE_DEMO", "0")


def _queries(rng: random.Random, count: int) -> list[str]:
    """What readers save: tags, words, ranges, a language, complete works, and mixes."""
    from django.db.models import Count

    from ficarchive.tags.models import Tag

    tags = list(
        Tag.objects.filter(type__in=["fandom", "freeform", "relationship"])
        .annotate(uses=Count("works"))
        .order_by("-uses")
        .values_list("name", flat=True)[:300]
    )
    words = ["night", "storm", "letter", "dragon", "coffee", "ship", "winter", "garden"]
    made = []
    for _ in range(count):
        parts = [f"include={rng.choice(tags)}"]
        roll = rng.random()
        if roll < 0.25:
            parts.append(f"q={rng.choice(words)}")
        elif roll < 0.45:
            parts.append(f"words={rng.choice([1000, 5000, 10000])}-")
        elif roll < 0.6:
            parts.append("complete=true")
        elif roll < 0.7:
            parts.append("lang=en")
        if rng.random() < 0.2:
            parts.append(f"exclude={rng.choice(tags)}")
        made.append("&".join(parts))
    return made


def run(works: int, searches: int) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix="ficarchive-bench-saved-"))
    os.environ["FICARCHIVE_DATA"] = str(data)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.http import QueryDict
    from django.utils import timezone

    from bench.search import make_archive
    from ficarchive.accounts.models import User
    from ficarchive.cli import ensure_database
    from ficarchive.search import index_keeper
    from ficarchive.search.query import SearchQuery
    from ficarchive.search.saved import SavedSearch
    from ficarchive.search.saved_actions import check_saved_searches
    from ficarchive.social.models import InboxItem
    from ficarchive.works.models import Work

    ensure_database()
    result: dict[str, Any] = {"works": works, "saved_searches": searches}
    result.update(make_archive(works, data))
    now = timezone.now()
    rng = random.Random(5)

    day = max(200, works // 200)
    newest = list(Work.objects.order_by("-id").values_list("id", flat=True)[:day])
    Work.objects.exclude(id__in=newest).update(published_at=now - timedelta(days=30))
    for work_id in newest:
        moment = now - timedelta(minutes=rng.randrange(1, 24 * 60))
        Work.objects.filter(pk=work_id).update(published_at=moment, updated_at=moment)
    result["day_of_new_works"] = day

    password = make_password(None)
    User.objects.bulk_create(
        [
            User(username=f"reader{n}", email=f"reader{n}@example.org", password=password)
            for n in range(READERS)
        ]
    )
    readers = list(User.objects.filter(username__startswith="reader"))
    queries = _queries(rng, searches)
    SavedSearch.objects.bulk_create(
        [
            SavedSearch(
                user=readers[n % len(readers)],
                name=f"Search {n}",
                query=query,
                alert="inbox",
                checked_at=now - timedelta(days=1),
            )
            for n, query in enumerate(queries)
        ]
    )

    index_keeper.reset_index()
    started = time.perf_counter()
    index_keeper.get_index().answers.kept = 0  # each search read from the index
    result["index_build_seconds"] = round(time.perf_counter() - started, 2)

    sample = rng.sample(range(searches), min(BASELINE_SAMPLE, searches))
    times = []
    for n in sample:
        started = time.perf_counter()
        query = SearchQuery.from_params(QueryDict(queries[n]))
        index_keeper.search(query, readers[n % len(readers)])
        times.append((time.perf_counter() - started) * 1000)
    baseline_ms = statistics.mean(times)

    started = time.perf_counter()
    alerts = check_saved_searches(now)
    seconds = time.perf_counter() - started
    per_search_ms = seconds * 1000 / searches
    result |= {
        "check": {
            "seconds": round(seconds, 2),
            "per_search_ms": round(per_search_ms, 3),
            "alerts": alerts,
            "inbox_items": InboxItem.objects.count(),
        },
        "baseline": {
            "what": "the same searches as the search page runs them (no day limit), a sample",
            "sample": len(sample),
            "mean_ms": round(baseline_ms, 3),
            "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 3),
        },
        "check_per_search_over_baseline": round(per_search_ms / baseline_ms, 2),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("works", nargs="?", default="20000")
    parser.add_argument("--searches", type=int, default=10_000)
    args = parser.parse_args()
    works = int(args.works.lower().replace("k", "000").replace("m", "000000"))
    result = run(works, args.searches)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

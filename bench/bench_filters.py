"""Standing filters benchmark: what a reader's filters cost the listings that use the database.

    python bench/bench_filters.py [WORKS]   (default 20000; writes bench/results/filters.json)

Loads an AO3-shaped corpus, then times `Work.objects.listed_for(reader)` — the query behind the
works index, tag pages, creator pages and feeds — as its count plus its first page of 20 with
blurb data, for a guest, a reader with no filters and a reader with many (hidden fandoms and
additional tags, single works, and a long reading and kudos history). Also times
`standing_filters(reader)`, which the search engine reads for each query.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "filters.json"
REPEAT = 7
HIDDEN_TAGS = 100
HIDDEN_WORKS = 300
READ_WORKS = 2000
KUDOSED_WORKS = 500

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


def _median_ms(action: Callable[[], object]) -> float:
    action()  # warm
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _listing(user: Any) -> Callable[[], object]:
    from ficarchive.works.models import Work

    def run() -> object:
        works = Work.objects.listed_for(user)
        return works.count(), list(works.with_blurb_data()[:20])

    return run


def run(size: int) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from bench.corpus import works as corpus
    from ficarchive.accounts.actions import create_user, update_preferences
    from ficarchive.accounts.filters import standing_filters
    from ficarchive.accounts.models import HiddenTag, HiddenWork
    from ficarchive.cli import ensure_database
    from ficarchive.search.loading import load_works
    from ficarchive.social.models import Kudos, Reading
    from ficarchive.tags.models import Tag, TagType
    from ficarchive.works.models import Work

    ensure_database()
    report = load_works(json.dumps(w) for w in corpus(size))
    assert not report.bad, report.bad[:3]

    plain = create_user("plain_reader", "plain@example.org", None)
    picky = create_user("picky_reader", "picky@example.org", None)
    popular = (
        Tag.objects.filter(type=TagType.FREEFORM).annotate(uses=Count("taggings")).order_by("-uses")
    )
    # Hide common additional tags below the very top, so the listing still has works to show.
    tags = list(popular[20 : 20 + HIDDEN_TAGS])
    HiddenTag.objects.bulk_create(HiddenTag(user=picky, tag=tag) for tag in tags)
    ids = list(Work.objects.order_by("?").values_list("id", flat=True)[: READ_WORKS + 1000])
    HiddenWork.objects.bulk_create(HiddenWork(user=picky, work_id=i) for i in ids[:HIDDEN_WORKS])
    read = Work.objects.filter(id__in=ids[:READ_WORKS]).values_list("id", "updated_at")
    Reading.objects.bulk_create(
        Reading(user=picky, work_id=i, viewed_at=when, visits=1) for i, when in read
    )
    Kudos.objects.bulk_create(Kudos(user=picky, work_id=i) for i in ids[-KUDOSED_WORKS:])
    picky = update_preferences(picky, hide_read_works=True, hide_kudosed_works=True)

    filters = standing_filters(picky)
    guest = AnonymousUser()
    return {
        "works": size,
        "filters": {
            "hidden_tags": len(tags),
            "tags_covered": len(filters.tag_ids),
            "work_ids": len(filters.work_ids),
            "works_left_out": size - Work.objects.listed_for(picky).count(),
        },
        "listing_count_and_first_page_ms": {
            "guest": _median_ms(_listing(guest)),
            "reader_without_filters": _median_ms(_listing(plain)),
            "reader_with_filters": _median_ms(_listing(picky)),
        },
        "standing_filters_ms": _median_ms(lambda: standing_filters(picky)),
    }


def main() -> None:
    """One corpus size per run (Django reads its settings once per process)."""
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory(prefix="ficarchive-filters-bench-") as data:
        os.environ["FICARCHIVE_DATA"] = data
        import django

        django.setup()
        result = run(size)
    print(json.dumps(result), flush=True)
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = {str(r["works"]): r for r in old.get("runs", [])}
    runs[str(size)] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "runs": sorted(runs.values(), key=lambda r: r["works"]),
    }
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()

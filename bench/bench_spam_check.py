"""What the spam check and the new-account comment limit add to posting a comment: the comment
action as it runs, against the same action with the check and the limit left out (the
baseline, in the same run), on SQLite by default or on PostgreSQL with DATABASE_URL.

    python bench/bench_spam_check.py   (writes bench/results/spam-check-sqlite.json, or
                                        spam-check-postgresql.json with DATABASE_URL)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
COMMENTS = 200  # per round and per way
ROUNDS = 5

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("FICARCHIVE_DATA", tempfile.mkdtemp(prefix="ficarchive-bench-spam-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
os.environ.setdefault("FICARCHIVE_DEMO", "0")
os.environ.setdefault("FICARCHIVE_COMMENT_LIMIT", str(10**9))  # counted, never refused

TEXTS = [
    "I loved the ending, and the lighthouse keeper's letters most of all.",
    "This chapter made me cry on the bus. Thank you for writing it!",
    "Great read, and the second scene with the storm was my favourite of the whole series.",
]


def per_comment_ms(post: Any, readers: list[Any], work: Any, round_number: int) -> float:
    started = time.perf_counter()
    for number in range(COMMENTS):
        reader = readers[number % len(readers)]
        post(reader, work, f"{TEXTS[number % len(TEXTS)]} ({round_number}.{number})")
    return (time.perf_counter() - started) / COMMENTS * 1e3


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from ficarchive.accounts.actions import create_user
    from ficarchive.cli import ensure_database
    from ficarchive.moderation.models import SpamCheck
    from ficarchive.social.actions import comments
    from ficarchive.tags.models import GENERAL, NO_WARNINGS
    from ficarchive.works import actions as works

    ensure_database()
    author = create_user("bench_author", "bench_author@example.org", None)
    readers = [create_user(f"bench_{n}", f"bench_{n}@example.org", None) for n in range(20)]
    work = works.post_work(
        author,
        [author.default_pseud],
        works.WorkDetails(
            title="Bench", rating=GENERAL, warnings=[NO_WARNINGS], fandoms=["Original Work"]
        ),
        works.ChapterDetails(body="<p>The lamp turned all night.</p>"),
    )
    real_check, real_count = comments.checking.check, comments.count_comment

    def without_check(*args: Any, **kwargs: Any) -> Any:
        comments.checking.check = lambda *a, **k: SimpleNamespace(state="passed")  # type: ignore[assignment]
        comments.count_comment = lambda user: None  # type: ignore[assignment]
        try:
            return comments.post_comment(*args, **kwargs)
        finally:
            comments.checking.check, comments.count_comment = real_check, real_count

    checked_rounds, baseline_rounds = [], []
    for round_number in range(ROUNDS):  # interleaved: both ways see tables of the same size
        checked_rounds.append(per_comment_ms(comments.post_comment, readers, work, round_number))
        baseline_rounds.append(per_comment_ms(without_check, readers, work, round_number))
    checked = statistics.median(checked_rounds)
    baseline = statistics.median(baseline_rounds)
    held = SpamCheck.objects.filter(state="held").count()
    results = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "comments_per_round": COMMENTS,
        "post_comment_with_check_ms": round(checked, 3),
        "post_comment_without_check_ms": round(baseline, 3),
        "added_ms": round(checked - baseline, 3),
        "held_of_checked": f"{held}/{COMMENTS * ROUNDS}",  # ordinary comments: none held
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"spam-check-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

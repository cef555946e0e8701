"""The Fandoms pages on an AO3-shaped archive: how long counting every fandom's visible works
takes (once per change to the index; kept until the next), and how long `/media` and the largest
media type's page take to answer a guest, cold and warm.

    python bench/bench_fandoms.py            20,000 works
    python bench/bench_fandoms.py 100000

Writes bench/results/fandoms.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "fandoms.json"


def timed(run, repeat: int = 5) -> dict[str, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def main() -> None:
    works = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    data = Path(tempfile.mkdtemp(prefix="bench-fandoms-"))
    os.environ["FICARCHIVE_DATA"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client, override_settings

    from bench.search import make_archive
    from ficarchive.cli import ensure_database
    from ficarchive.search import browsing, index_keeper
    from ficarchive.tags.models import MediaType, Tag, TagType

    ensure_database()
    archive = make_archive(works, data)
    fandoms = Tag.objects.filter(type=TagType.FANDOM)
    fandoms.update(canonical=True)
    kinds = list(MediaType)
    for number, pk in enumerate(fandoms.order_by("pk").values_list("pk", flat=True)):
        Tag.objects.filter(pk=pk).update(media=kinds[number % 3].value)  # three busy types
    index_keeper.reset_index()
    started = time.perf_counter()
    index = index_keeper.get_index()
    build = time.perf_counter() - started
    guest = AnonymousUser()

    def count_cold() -> None:
        browsing._kept.pop(index, None)
        browsing.fandom_work_counts(guest)

    # The pages as the test client asks for them: no collected static files, its host allowed.
    staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(
        ALLOWED_HOSTS=["testserver"], STORAGES={**settings.STORAGES, "staticfiles": staticfiles}
    ).enable()
    client = Client()
    biggest = MediaType(kinds[0].value)
    listed = len(browsing.fandom_work_counts(guest))

    def get(path: str) -> None:
        assert client.get(path).status_code == 200

    result = {
        "works": works,
        "fandoms": fandoms.count(),
        "fandoms_with_works": listed,
        "archive": archive,
        "index_build_s": round(build, 1),
        "count_every_fandom_cold": timed(count_cold),
        "count_every_fandom_kept": timed(lambda: browsing.fandom_work_counts(guest)),
        "media_page_warm": timed(lambda: get("/media")),
        "type_page_warm": timed(lambda: get(f"/media/{biggest.value}/fandoms")),
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

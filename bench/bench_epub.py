"""EPUB generation for a 200,000-word, 60-chapter work: time and peak memory, beside calibre.

Run by `make bench`. In the same run it measures, on the same work:
- ours: the EPUB writer end to end (read the work from the database, convert every chapter to
  XHTML, write the package), the median of several runs, and its peak Python memory;
- EbookLib writing the same chapters (when it is installed), to show which writer is faster;
- calibre's `ebook-convert` turning our HTML download of the work into an EPUB, which is what
  the Archive of Our Own runs for each download (Debian's calibre package; skipped, with a note,
  when it is not installed).
Results go to bench/results/epub.json, with the ratio calibre / ours (target: at least 20).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "epub.json"
RUNS = 7
TARGET_RATIO = 20

sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="ficarchive-bench-"))
os.environ["FICARCHIVE_DATA"] = str(DATA)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


def _timed(function: Any, runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def _summary(times: list[float]) -> dict[str, Any]:
    return {
        "seconds_median": round(statistics.median(times), 4),
        "seconds_min": round(min(times), 4),
        "runs": [round(t, 4) for t in times],
    }


def _peak_mib(function: Any) -> float:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def _ebooklib(book: Any) -> dict[str, Any]:
    """The same book written with EbookLib, for the choice of writer."""
    try:
        from ebooklib import epub as ebooklib_epub
    except ImportError:
        return {"skipped": "EbookLib is not installed (pip install ebooklib) - not compared."}
    from django.template.loader import render_to_string

    from ficarchive.exporting.formats.common import xhtml_parts

    def write() -> bytes:
        out = ebooklib_epub.EpubBook()
        out.set_identifier(book.url)
        out.set_title(book.title)
        out.set_language(book.language)
        for person in book.creators:
            out.add_author(person.name)
        chapters = []
        for part in xhtml_parts(book, images=False):
            for item in part.chapters:
                page = ebooklib_epub.EpubHtml(
                    title=item.chapter.heading,
                    file_name=f"chapter{item.chapter.number:03d}.xhtml",
                    lang=book.language,
                )
                page.content = render_to_string(
                    "exporting/_chapter.html", {"part": part.part, "item": item}
                )
                out.add_item(page)
                chapters.append(page)
        out.toc = chapters
        out.spine = ["nav", *chapters]
        out.add_item(ebooklib_epub.EpubNcx())
        out.add_item(ebooklib_epub.EpubNav())
        with tempfile.NamedTemporaryFile(suffix=".epub") as target:
            ebooklib_epub.write_epub(target.name, out)
            return Path(target.name).read_bytes()

    times, data = _timed(write, 3)
    return {**_summary(times), "bytes": len(data), "note": "chapters only, no title page"}


def _epubcheck(data: bytes, folder: Path) -> dict[str, Any]:
    from tests.tools import epubcheck_command

    command = epubcheck_command()
    if command is None:
        return {"skipped": "Debian's epubcheck is not installed (apt-get install epubcheck)."}
    path = folder / "ours.epub"
    path.write_bytes(data)
    result = subprocess.run([*command, str(path)], capture_output=True, text=True)
    report = (result.stdout + result.stderr).strip().splitlines()
    return {"valid": result.returncode == 0, "report": report[-3:]}


def _calibre(html: bytes, folder: Path) -> dict[str, Any]:
    program = shutil.which("ebook-convert")
    if program is None:
        return {
            "skipped": "calibre's ebook-convert is not installed (Debian's calibre package; "
            "`make bench` installs it when run as root on Debian). No comparison made."
        }
    source = folder / "work.html"
    source.write_bytes(html)
    times = []
    for run in range(2):
        target = folder / f"calibre-{run}.epub"
        start = time.perf_counter()
        result = subprocess.run(
            [program, str(source), str(target)],
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            return {"failed": result.stderr.strip().splitlines()[-5:]}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        **_summary(times),
        "peak_rss_mib": round(peak / 1024, 1),
        "bytes": target.stat().st_size,
        "version": subprocess.run(
            [program, "--version"], capture_output=True, text=True
        ).stdout.splitlines()[0],
    }


def main() -> int:
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command

    from bench.big_work import post_big_work
    from ficarchive.exporting.book import Site, work_book
    from ficarchive.exporting.formats import epub, html

    call_command("migrate", verbosity=0)
    print("Posting the 200,000-word, 60-chapter work…", flush=True)
    work = post_big_work()
    site = Site("ficarchive", "http://localhost:8000")
    reader = AnonymousUser()

    def generate() -> bytes:
        return epub.write(work_book(work, reader, site))

    generate()  # templates loaded, caches warm: what a running server has
    times, data = _timed(generate, RUNS)
    book = work_book(work, reader, site)
    write_times, _ = _timed(lambda: epub.write(book), RUNS)
    ours = {
        **_summary(times),
        "write_only_seconds_median": round(statistics.median(write_times), 4),
        "peak_traced_mib": _peak_mib(generate),
        "peak_note": "Python allocations (tracemalloc); libxml2's own buffers are not traced",
        "process_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "bytes": len(data),
        "writer": "standard library zipfile + Django templates + lxml",
    }
    print(
        f"ours: {ours['seconds_median']} s median, {ours['peak_traced_mib']} MiB peak", flush=True
    )
    folder = Path(tempfile.mkdtemp(prefix="ficarchive-bench-out-"))
    ebooklib = _ebooklib(book)
    validation = _epubcheck(data, folder)
    print("calibre ebook-convert on our HTML download…", flush=True)
    calibre = _calibre(html.write(book), folder)
    ratio = None
    if "seconds_median" in calibre:
        ratio = round(calibre["seconds_median"] / ours["seconds_median"], 1)
    results = {
        "benchmark": "EPUB for a 200,000-word, 60-chapter work",
        "work": {"words": work.word_count, "chapters": work.chapter_count},
        "ours": ours,
        "epubcheck": validation,
        "ebooklib": ebooklib,
        "calibre_ebook_convert": calibre,
        "ratio_calibre_over_ours": ratio,
        "target_ratio": TARGET_RATIO,
        "meets_target": None if ratio is None else ratio >= TARGET_RATIO,
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(DATA, ignore_errors=True)
    summary = f"ratio calibre/ours: {ratio}" if ratio else calibre.get("skipped", calibre)
    print(f"Wrote {RESULTS.relative_to(ROOT)}: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

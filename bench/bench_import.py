"""Import throughput: MB/s and peak Python memory reading plain text, HTML and EPUB.

Run by `make bench`. Each file is a synthetic 60-chapter work of about 2 MB, made here from
a few sentences, with a title page, author's notes and scene breaks, so that every stage of the
readers (decoding, splitting, notes, sanitizing, counting words) runs. Results go to
bench/results/import.json.
"""

from __future__ import annotations

import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "import.json"
RUNS = 3
CHAPTERS = 60

sys.path.insert(0, str(ROOT))
os.environ.setdefault("FICARCHIVE_DATA", tempfile.mkdtemp(prefix="ficarchive-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")

SENTENCES = [
    "The lamplighter climbed the ladder while the fog rolled in off the canal.",
    "\u201cYou\u2019re late,\u201d said Tobias, not looking up from the wick.",
    "She counted the barrels twice \u2014 once for him, once for herself\u2026",
    "Somewhere below, a boat knocked against the quay like a patient visitor.",
]


def _paragraphs(chapter: int) -> list[str]:
    return [" ".join(SENTENCES[(chapter + i) % 4] for i in range(6)) for _ in range(75)]


def make_text() -> bytes:
    parts = ["The Lamplighter\nby Bench Writer\n\nRated T\nFandom: Original Work\n"]
    parts.append("Summary: A long night of lamps.\n\nA/N: For the benchmark.\n\n***\n")
    for chapter in range(1, CHAPTERS + 1):
        paragraphs = _paragraphs(chapter)
        paragraphs.insert(30, "* * *")
        parts.append(f"\nChapter {chapter}: Lamp {chapter}\n\n" + "\n\n".join(paragraphs) + "\n")
    return "".join(parts).encode("utf-8")


def _chapter_html(chapter: int) -> str:
    return "".join(f"<p>{p}</p>" for p in _paragraphs(chapter))


def make_html() -> bytes:
    chapters = "".join(
        f'<div class="meta group"><h2 class="heading">Chapter {n}: Lamp {n}</h2></div>'
        f'<div class="userstuff">{_chapter_html(n)}</div>'
        for n in range(1, CHAPTERS + 1)
    )
    page = (
        '<html><body><div id="preface"><div class="meta"><dl class="tags">'
        '<dt>Rating:</dt><dd><a href="#">Teen And Up Audiences</a></dd>'
        '<dt>Fandom:</dt><dd><a href="#">Original Work</a></dd></dl>'
        '<h1>The Lamplighter</h1><div class="byline">by <a rel="author">Bench Writer</a></div>'
        f'</div></div><div id="chapters" class="userstuff">{chapters}</div></body></html>'
    )
    return page.encode("utf-8")


def make_epub() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="content.opf"/></rootfiles></container>',
        )
        items = "".join(
            f'<item id="c{n}" href="c{n}.xhtml" media-type="application/xhtml+xml"/>'
            for n in range(1, CHAPTERS + 1)
        )
        spine = "".join(f'<itemref idref="c{n}"/>' for n in range(1, CHAPTERS + 1))
        book.writestr(
            "content.opf",
            '<package xmlns="http://www.idpf.org/2007/opf"><metadata '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Lamplighter</dc:title>'
            "<dc:creator>Bench Writer</dc:creator><dc:language>en</dc:language></metadata>"
            f"<manifest>{items}</manifest><spine>{spine}</spine></package>",
        )
        for n in range(1, CHAPTERS + 1):
            book.writestr(
                f"c{n}.xhtml",
                f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter {n}</title>'
                f"</head><body><h1>Chapter {n}: Lamp {n}</h1>{_chapter_html(n)}</body></html>",
            )
    return buffer.getvalue()


def unpacked_size(data: bytes) -> int:
    """What a zip-based file holds, uncompressed: the text the reader really works through."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def measure(name: str, data: bytes, size: int | None = None) -> dict[str, float | int]:
    from ficarchive.importing.readers import read

    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work = read(name, data)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    read(name, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    seconds = statistics.median(times)
    size = size or len(data)
    return {
        "file_bytes": len(data),
        "bytes": size,
        "chapters": len(work.chapters),
        "words": work.words,
        "seconds": round(seconds, 3),
        "mb_per_second": round(size / seconds / 1_000_000, 2),
        "peak_python_mb": round(peak / 1_000_000, 1),
    }


def main() -> None:
    import django

    django.setup()
    epub = make_epub()
    results = {
        "text": measure("bench.txt", make_text()),
        "html": measure("bench.html", make_html()),
        "epub": measure("bench.epub", epub, unpacked_size(epub)),
    }
    report = {"python": platform.python_version(), "machine": platform.machine(), **results}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for fmt, result in results.items():
        print(
            f"import {fmt}: {result['mb_per_second']} MB/s "
            f"({result['bytes']:,} bytes of text, {result['chapters']} chapters, "
            f"{result['words']:,} "
            f"words), peak {result['peak_python_mb']} MB"
        )


if __name__ == "__main__":
    main()

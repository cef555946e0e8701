"""Import inference against a real-sized vocabulary: precision and recall of the fandoms,
characters and ratings it proposes, and seconds per import.

    python bench/bench_inference.py                    (writes bench/results/inference.json)
    python bench/bench_inference.py --baseline REV     (also measures the code of commit REV,
                                                        in a process of its own, as "before")

The vocabulary (over 5,000 tags: fandoms and their synonyms, characters, many of them named by
common words, their other names, relationships) and the labelled stories (named cast in full,
first names only, a disclaimer naming the fandom, original fiction, common words, titles such
as "the Doctor", crossovers, an explicit scene, a long novel with one explicit word or a few far
apart, a violent scene) are made by `bench/inference_corpus.py`. When the real excerpt
`../shared/samples/vocabulary/fandom500.csv` (500 fandoms, in the OTW dump's format) is there it
is loaded too, and the public-domain novels in `../shared/samples/gutenberg/` are read as
stories of no fandom.

A fandom or character proposal is right when the story's label holds it; precision is right
proposals over all proposals, recall right proposals over all labels. Seconds per import: reading
the file and inferring, on a fresh archive (SQLite) holding only the vocabulary.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "inference.json"
SAMPLES = ROOT.parent / "shared" / "samples"

sys.path.insert(0, str(ROOT))
os.environ.setdefault("FICARCHIVE_DATA", tempfile.mkdtemp(prefix="ficarchive-bench-infer-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
os.environ.setdefault("FICARCHIVE_DEMO", "0")


def _gutenberg() -> list[Any]:
    from bench.inference_corpus import Story

    stories = []
    folder = SAMPLES / "gutenberg"
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="replace")
        start, end = text.find("*** START OF"), text.find("*** END OF")
        if start >= 0:
            text = text[text.find("\n", start) + 1 : end if end > start else None]
        stories.append(Story(path.name, "public-domain novel", "Title: A novel\n\n" + text))
    return stories


def _ratio(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


def measure() -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from bench.inference_corpus import make_stories, make_vocabulary
    from ficarchive.cli import ensure_database
    from ficarchive.importing.inference import infer
    from ficarchive.importing.readers import read
    from ficarchive.tags.actions import load_tags
    from ficarchive.tags.models import Tag

    ensure_database()
    vocabulary = make_vocabulary()
    load_tags(vocabulary.csv(), "bench-vocabulary.csv")
    real = SAMPLES / "vocabulary" / "fandom500.csv"
    if real.is_file():
        call_command("tags", "load", "--quiet", str(real), stdout=io.StringIO())
    tags = Tag.objects.count()
    stories = make_stories(vocabulary) + _gutenberg()

    counts: dict[str, dict[str, int]] = {
        kind: {"proposed": 0, "right": 0, "labelled": 0}
        for kind in ("fandoms", "characters", "rating")
    }
    shapes: dict[str, dict[str, int]] = {}
    seconds: list[float] = []
    wrong: list[dict[str, Any]] = []
    for story in stories:
        started = time.perf_counter()
        work = infer(read(story.name, story.text.encode()))
        seconds.append(time.perf_counter() - started)
        inferred_rating = work.rating if work.rating_source == "inferred" else ""
        got = {
            "fandoms": {f.casefold() for f in work.fandoms},
            "characters": {c.casefold() for c in work.characters},
            "rating": {inferred_rating} - {""},
        }
        want = {
            "fandoms": {f.casefold() for f in story.fandoms},
            "characters": {c.casefold() for c in story.characters},
            "rating": {story.rating} - {""},
        }
        shape = shapes.setdefault(
            story.shape, {"stories": 0, "fandoms proposed": 0, "fandoms right": 0}
        )
        shape["stories"] += 1
        shape["fandoms proposed"] += len(got["fandoms"])
        shape["fandoms right"] += len(got["fandoms"] & want["fandoms"])
        for kind, found in got.items():
            counts[kind]["proposed"] += len(found)
            counts[kind]["right"] += len(found & want[kind])
            counts[kind]["labelled"] += len(want[kind])
        if got["fandoms"] - want["fandoms"] and len(wrong) < 10:
            wrong.append(
                {"story": story.name, "proposed": work.fandoms, "why": work.inferred["fandoms"]}
            )
    scores = {
        kind: {
            **c,
            "precision": _ratio(c["right"], c["proposed"]),
            "recall": _ratio(c["right"], c["labelled"]),
        }
        for kind, c in counts.items()
    }
    return {
        "tags": tags,
        "generated tags": vocabulary.size,
        "real fandoms loaded": real.is_file(),
        "stories": len(stories),
        "scores": scores,
        "shapes": shapes,
        "seconds per import": {
            "mean": round(statistics.mean(seconds), 4),
            "median": round(statistics.median(seconds), 4),
            "max": round(max(seconds), 4),
        },
        "wrong fandoms (first 10)": wrong,
    }


def baseline(revision: str) -> dict[str, Any]:
    """`measure` run on the source of REVISION, in a process of its own."""
    with tempfile.TemporaryDirectory(prefix="ficarchive-bench-baseline-") as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", revision, "src"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        out = Path(folder) / "result.json"
        env = {
            **os.environ,
            "PYTHONPATH": str(Path(folder) / "src"),
            "FICARCHIVE_DATA": tempfile.mkdtemp(prefix="ficarchive-bench-infer-"),
        }
        subprocess.run([sys.executable, __file__, "--measure-only", str(out)], env=env, check=True)
        result: dict[str, Any] = json.loads(out.read_text())
        return result


def _line(name: str, result: dict[str, Any]) -> str:
    parts = [f"{name}:"]
    for kind, score in result["scores"].items():
        parts.append(
            f"{kind} precision {score['precision']} recall {score['recall']} "
            f"({score['right']}/{score['proposed']} proposed, {score['labelled']} labelled);"
        )
    parts.append(f"{result['seconds per import']['mean']:.4f} s per import")
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", metavar="REV", help="also measure the code of commit REV")
    parser.add_argument("--measure-only", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        Path(args.measure_only).write_text(json.dumps(measure()))
        return
    after = measure()
    report: dict[str, Any] = {
        "benchmark": "inference",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "after": after,
    }
    print(_line("now", after))
    if args.baseline:
        report["before"] = {"revision": args.baseline, **baseline(args.baseline)}
    elif RESULTS.is_file():  # measured once, kept
        report["before"] = json.loads(RESULTS.read_text()).get("before")
    if report.get("before"):
        print(_line(f"before ({report['before']['revision']})", report["before"]))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

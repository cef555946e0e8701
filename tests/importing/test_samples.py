"""Real downloads kept outside the repository (AO3 HTML, FanFicFare's TXT, HTML and EPUB of
its test story and of a FanFiction.Net story) import with every checked field right, whole,
without their title page, and with chapter titles repeated in their text. The files are found
in FICARCHIVE_SAMPLES or ../shared/samples beside the checkout; without them the test skips,
saying so. Nothing of the stories is copied here: only their metadata is checked."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from ficarchive.importing.inference import infer
from ficarchive.importing.parsed import ParsedWork
from ficarchive.importing.readers import read
from ficarchive.tags.models import GENERAL, TEEN, TagType
from tests.tags.conftest import canonical

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = Path(os.environ.get("FICARCHIVE_SAMPLES") or ROOT.parent / "shared" / "samples")

FFF_TEST = {
    "title": "Test Story Title 4",
    "creators": ["Test Author aa"],
    "rating": "",  # "Tweenie" is no rating the archive knows: reported, not guessed
    "chapters": 9,
    "chapter titles": ["Xenos on Cinnabar", "Sinmay on Kintikin", '"Over" Cinnabar'],
    "fandoms": 5,
    "published": "1975-03-15",
    "complete": True,
}
FFN = {
    "title": "Blueberry Pie",
    "creators": ["Elizabeth Blossom"],
    "rating": TEEN,
    "chapters": 8,
    "chapter titles": ["I Have a Craving for Blueberry Pie", "Break Up", "Age of Miracles"],
    "fandoms": 1,
    "published": "2015-02-09",
    "complete": False,
    "language": "en",
}
EXPECTED: dict[str, dict[str, Any]] = {
    "fanficfare/Test Story Title 4-tst1_4.txt": FFF_TEST,
    "fanficfare/Test Story Title 4-tst1_4.html": FFF_TEST,
    "fanficfare/Test Story Title 4-tst1_4.epub": {**FFF_TEST, "language": "en"},
    "fanficfare/Test Story Title 673-tst1_673.txt": {
        **FFF_TEST,
        "title": "Test Story Title 673",
        "creators": 20,
        "fandoms": 7,
        "complete": False,
    },
    "fanficfare/tst1_664.txt": {**FFF_TEST, "title": None, "creators": 1},
    "fanficfare/ffn-story.txt": FFN,
    "ao3-html/The World In Its.html": {
        "title": "The World In Its Circular Way",
        "creators": ["natsinator"],
        "rating": GENERAL,
        "chapters": 2,
        "fandoms": 1,
        "published": "2023-05-25",
        "complete": True,
        "language": "en",
    },
    "ao3-html/A Funeral Shroud for.html": {
        "creators": ["natsinator"],
        "rating": GENERAL,
        "chapters": 1,
        "fandoms": 1,
        "published": "2021-11-16",
        "language": "en",
    },
    "ao3-html/Zhan Yan Yin Yu.html": {
        "creators": ["ChiefAccelerator"],
        "rating": TEEN,
        "chapters": 13,
        "fandoms": 1,
        "published": "2022-06-11",
        "complete": True,
        "language": "zh",
    },
}


def field_checks(work: ParsedWork, expected: dict[str, Any]) -> dict[str, bool]:
    """Each expected field: right or not (a number stands for how many the list holds)."""
    found: dict[str, Any] = {
        "title": work.title,
        "creators": work.creators,
        "rating": work.rating,
        "chapters": len(work.chapters),
        "chapter titles": [c.title for c in work.chapters],
        "fandoms": work.fandoms,
        "published": work.published.isoformat() if work.published else None,
        "complete": work.complete,
        "language": work.language,
    }
    checks = {}
    for name, want in expected.items():
        have = found[name]
        if want is None:
            checks[name] = bool(have)
        elif name == "chapter titles":
            checks[name] = have[1 : len(want) + 1] == want or have[: len(want)] == want
        elif isinstance(want, int) and isinstance(have, list):
            checks[name] = len(have) == want
        else:
            checks[name] = have == want
    return checks


def variants(path: Path) -> dict[str, bytes]:
    """The file whole; for text, also without its title page and table of contents (cut at
    its first chapter), and with each chapter's title repeated as its first line."""
    data = path.read_bytes()
    found = {"whole": data}
    if path.suffix != ".txt":
        return found
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    first = re.search(r"\n\n\n+(?:\t| {4,})\S|\n\n(?=CHAPTER 1\n)", text)
    if first:
        found["no title page"] = text[first.start() :].encode()
    repeated = re.sub(
        r"(\n\n\n+(?:\t| {4,})(\S[^\n]*)\n\n)|(\nCHAPTER \d+\n([^\n]+)\n\n)",
        lambda m: m.group(0) + (m.group(2) or m.group(4)) + "\n\n",
        text,
    )
    found["titles repeated"] = repeated.encode()
    return found


def sample_results() -> list[tuple[str, str, str, bool]]:
    """(sample, variant, field, right) for every check."""
    results = []
    for name, expected in EXPECTED.items():
        path = SAMPLES / name
        for variant, data in variants(path).items():
            work = read("1234567" + path.suffix if variant != "whole" else path.name, data)
            want = (
                expected
                if variant == "whole"
                else {k: v for k, v in expected.items() if k in {"chapters", "chapter titles"}}
            )
            for field, right in field_checks(work, want).items():
                results.append((name, variant, field, right))
    return results


@pytest.mark.skipif(
    not all((SAMPLES / name).exists() for name in EXPECTED),
    reason=f"the sample downloads are not at {SAMPLES} (set FICARCHIVE_SAMPLES to check them)",
)
def test_sample_downloads_import_with_every_field_right():
    wrong = [r[:3] for r in sample_results() if not r[3]]
    assert wrong == []


@pytest.mark.skipif(
    not all((SAMPLES / name).exists() for name in EXPECTED),
    reason=f"the sample downloads are not at {SAMPLES} (set FICARCHIVE_SAMPLES to check them)",
)
def test_inference_adds_no_tag_to_an_ao3_download_that_lists_them(wendy):
    """Every AO3 preface lists all the work's tags: a genre word in the summary ("AU") or a
    name in the text adds nothing to it, whatever the archive's vocabulary holds."""
    for word in ("Alternate Universe", "Angst", "Fluff", "Hurt/Comfort"):
        canonical(wendy, TagType.FREEFORM, word)
    for name in (n for n in EXPECTED if n.startswith("ao3-html/")):
        read_only = read(name, (SAMPLES / name).read_bytes())
        inferred = infer(read(name, (SAMPLES / name).read_bytes()))
        assert read_only.tags_stated, name
        for field in ("fandoms", "relationships", "characters", "freeforms"):
            assert getattr(inferred, field) == getattr(read_only, field), (name, field)
            assert field not in inferred.inferred, (name, field)

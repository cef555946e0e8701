"""What the browser tests share for looking at a page at a desktop and a phone width: where the
screenshots go (FICARCHIVE_SCREENSHOTS, else the test's temporary folder) and a walk over both
widths in both themes that saves a screenshot of each and checks that nothing is wider than the
window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.browser.contrast import SCHEMES

PHONE, DESKTOP = 390, 1280
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def screenshots_dir(tmp_path: Path) -> Path:
    named = os.environ.get("FICARCHIVE_SCREENSHOTS")
    folder = Path(named) if named else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def each_width(page: Any, shots: Path, name: str) -> Iterator[int]:
    """For the desktop and the phone width: screenshots NAME-WIDTH-SCHEME.png in light and
    dark, asserts the page is no wider than the window, then yields the width (in the dark
    theme) for the caller's own checks. The page is left light, at the desktop width."""
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(shots / f"{name}-{width}-{scheme}.png"), full_page=True)
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= 0, f"{page.url} is {overflow}px wider than the window at {width}px"
        yield width
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": DESKTOP, "height": 900})

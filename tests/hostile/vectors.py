"""The XSS vectors of tests/data/hostile/xss_vectors.txt, and the labels that say where each
one was put."""

from __future__ import annotations

from functools import cache
from pathlib import Path

VECTORS_FILE = Path(__file__).parent.parent / "data" / "hostile" / "xss_vectors.txt"


@cache
def xss_vectors() -> tuple[str, ...]:
    """Every vector of the list, in its order (notes and empty lines left out)."""
    lines = VECTORS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line and not (line == "#" or line.startswith("# ")))


def label(number: int, field: str) -> str:
    """Plain text put before vector NUMBER in FIELD, so that a finding can name both."""
    return f"XV{number:03d}-{field}"


def labelled(number: int, field: str) -> str:
    """Vector NUMBER as FIELD holds it: its label, a space, the vector."""
    return f"{label(number, field)} {xss_vectors()[number]}"


def vector_line(number: int) -> str:
    return f"vector {number}: {xss_vectors()[number]}"


def nastiest() -> list[int]:
    """The vectors that set `window.__xss` when they run: the browser test watches that flag."""
    return [number for number, vector in enumerate(xss_vectors()) if "__xss" in vector]

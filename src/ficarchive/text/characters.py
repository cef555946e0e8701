"""The one rule for characters no text may hold: NUL and lone surrogates.

A NUL (U+0000) cannot be stored in a PostgreSQL text column, and a lone surrogate (U+D800 to
U+DFFF without its pair, which JSON can spell as "\\udc80" and undecodable file names and
command-line arguments carry) cannot be written as UTF-8: SQLite stores it, and every page,
feed and backup that later tries to show it fails. So both are refused where text comes in:
requests (`ficarchive.input_guard`), forms (Django's own NUL validator), imports and the
command line, each through `unusable_character` or `check_text` here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError

_UNUSABLE = re.compile("[\x00\ud800-\udfff]")


def unusable_character(value: str) -> str | None:
    """Why VALUE cannot be stored, or None when every character in it can be."""
    found = _UNUSABLE.search(value)
    if found is None:
        return None
    char = found.group()
    position = found.start() + 1
    if char == "\x00":
        return f"it holds a NUL character (at character {position})"
    return (
        f"it holds a lone surrogate U+{ord(char):04X} (at character {position}), "
        "which is not a character of any text encoding"
    )


def check_text(value: str, *, name: str) -> None:
    """Raise a ValidationError naming NAME when VALUE holds a character no text may hold."""
    reason = unusable_character(value)
    if reason is not None:
        raise ValidationError(f"{name} cannot be used: {reason}.", code="unusable_character")


def unusable_in(data: Any, path: str = "") -> tuple[str, str] | None:
    """The first string in a JSON-like value (keys too) that cannot be stored: (where, why)."""
    for where, text in _strings(data, path):
        reason = unusable_character(text)
        if reason is not None:
            return where or "(the whole value)", reason
    return None


def _strings(data: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            inner = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                yield inner, key
            yield from _strings(value, inner)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{path}[{index}]")

"""A gift exchange's sign-ups as one JSON object a line, for `ficarchive challenges match`:

    {"participant": "ada", "requests": [SIGNUP, …], "offers": [SIGNUP, …]}

each SIGNUP an object of tag lists `fandoms`, `characters`, `relationships`, `freeforms`, and
`"any": [TYPES]` for the types it takes any tag of. Every mistake is named with its line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ficarchive.collections.matching import ALL, TAG_TYPES, Participant, Rules, Signup

MAX_SIGNUPS = 50  # requests or offers of one participant
MAX_TAGS = 100  # tags of one type in one request or offer
MAX_LINE = 1_000_000  # characters of one line


class ExchangeFileError(ValueError):
    pass


def _signup(value: Any, where: str) -> Signup:
    if not isinstance(value, dict):
        raise ExchangeFileError(f"{where}: a request or offer is an object of tag lists")
    unknown = set(value) - {*TAG_TYPES, "any"}
    if unknown:
        raise ExchangeFileError(
            f"{where}: unknown field {sorted(unknown)[0]!r}; the fields are "
            f"{', '.join(TAG_TYPES)} and any"
        )
    tags: dict[str, list[str]] = {}
    for kind in TAG_TYPES:
        names = value.get(kind, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ExchangeFileError(f"{where}: {kind} is a list of tag names")
        if len(names) > MAX_TAGS:
            raise ExchangeFileError(f"{where}: {len(names)} {kind}; at most {MAX_TAGS}")
        tags[kind] = [name for name in names if name.strip()]
    any_types = value.get("any", [])
    if not isinstance(any_types, list) or not set(any_types) <= set(TAG_TYPES):
        raise ExchangeFileError(f"{where}: any lists tag types, of {', '.join(TAG_TYPES)}")
    return Signup.of(tags, any_types)


def _signups(line: dict[str, Any], key: str, where: str) -> tuple[Signup, ...]:
    values = line.get(key, [])
    if not isinstance(values, list):
        raise ExchangeFileError(f"{where}: {key} is a list")
    if len(values) > MAX_SIGNUPS:
        raise ExchangeFileError(f"{where}: {len(values)} {key}; at most {MAX_SIGNUPS}")
    return tuple(_signup(v, f"{where}, {key[:-1]} {n}") for n, v in enumerate(values))


def read_participants(lines: Iterable[str], source: str = "input") -> list[Participant]:
    """The participants of LINES (blank lines skipped); ExchangeFileError names the first fault."""
    people: list[Participant] = []
    seen: set[str] = set()
    for number, text in enumerate(lines, start=1):
        where = f"{source}, line {number}"
        if len(text) > MAX_LINE:
            raise ExchangeFileError(f"{where}: longer than {MAX_LINE:,} characters")
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except ValueError as exc:
            raise ExchangeFileError(f"{where}: not JSON ({exc.args[0]})") from exc
        if not isinstance(line, dict):
            raise ExchangeFileError(f"{where}: each line is a JSON object")
        name = line.get("participant")
        if not isinstance(name, str) or not name.strip():
            raise ExchangeFileError(f"{where}: participant is a non-empty name")
        if name in seen:
            raise ExchangeFileError(f"{where}: {name!r} signed up twice")
        unknown = set(line) - {"participant", "requests", "offers"}
        if unknown:
            raise ExchangeFileError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        seen.add(name)
        requests = _signups(line, "requests", where)
        offers = _signups(line, "offers", where)
        people.append(Participant(name, requests, offers))
    return people


def parse_rules(specs: list[str]) -> Rules:
    """`fandoms=1`, `characters=all` … as Rules (no spec: a fandom in common)."""
    if not specs:
        return Rules()
    required: dict[str, int] = {}
    for spec in specs:
        kind, equals, count = spec.partition("=")
        if not equals or kind not in TAG_TYPES:
            raise ExchangeFileError(
                f"--match {spec}: write TYPE=COUNT, TYPE one of {', '.join(TAG_TYPES)}"
            )
        if count == "all":
            required[kind] = ALL
        elif count.isdigit() and int(count) <= MAX_TAGS:
            required[kind] = int(count)
        else:
            raise ExchangeFileError(f"--match {spec}: the count is a number from 0, or all")
    return Rules(required)

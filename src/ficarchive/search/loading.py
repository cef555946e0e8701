"""Bulk-load works from JSON Lines (`ficarchive works load FILE.jsonl`), for big archives and the
search benchmark. Each batch is written in one transaction, or not at all if a line in it is bad.

One object per line: title, creators (list of account names, made as needed), rating, warnings,
categories, fandoms, relationships, characters, freeforms (lists of tag names; free tags are made
unwrangled as needed), language, words, chapters, expected_chapters (null for "?"), complete,
published, updated (ISO dates), kudos, comments, bookmarks, hits, summary, and optionally text.
The work gets one posted chapter holding the text; its counts are the ones given.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction

from ficarchive.accounts.models import Pseud, User
from ficarchive.search.actions import record_change
from ficarchive.social.models import WorkStats
from ficarchive.tags.models import FIXED_TAGS, MAX_TAG_LENGTH, Tag, TagType, clean_tag_name
from ficarchive.works.models import LANGUAGES, Chapter, Creatorship, Tagging, Work

BATCH = 2000
ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{2,39}$")  # accounts.models.USERNAME_RULE
TAG_FIELDS: dict[str, str] = {
    "rating": TagType.RATING,
    "warnings": TagType.WARNING,
    "categories": TagType.CATEGORY,
    "fandoms": TagType.FANDOM,
    "relationships": TagType.RELATIONSHIP,
    "characters": TagType.CHARACTER,
    "freeforms": TagType.FREEFORM,
}
COUNTS = ("words", "chapters", "kudos", "comments", "bookmarks", "hits")
CODES = {code for code, _ in LANGUAGES}


class BadLine(ValueError):
    pass


@dataclass
class LoadReport:
    loaded: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    data: dict[str, Any]
    tags: list[tuple[str, str]]
    published: datetime
    updated: datetime


def _names(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if key == "rating":
        value = [value] if value else []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadLine(f"{key} must be a list of names.")
    names = [clean_tag_name(v) for v in value if v.strip()]
    for name in names:
        if "," in name or len(name) > MAX_TAG_LENGTH:
            raise BadLine(f"{key}: {name[:40]!r} is not a valid tag name.")
    return names


def _moment(data: dict[str, Any], key: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(str(data[key])[:10]), datetime.min.time(), UTC)
    except (KeyError, ValueError):
        raise BadLine(f"{key} must be an ISO date.") from None


def parse_line(line: str) -> Entry:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg}).") from None
    if not isinstance(data, dict):
        raise BadLine("not a JSON object.")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise BadLine("title is missing.")
    creators = data.get("creators")
    if not isinstance(creators, list) or not creators:
        raise BadLine("creators must be a non-empty list of account names.")
    for name in creators:
        if not isinstance(name, str) or not ACCOUNT_NAME.match(name):
            raise BadLine(f"creator {name!r} is not a valid account name.")
    for key in COUNTS:
        value = data.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise BadLine(f"{key} must be a whole number.")
    expected = data.get("expected_chapters")
    if expected is not None and (not isinstance(expected, int) or expected < 1):
        raise BadLine("expected_chapters must be a positive number or null.")
    if data.get("language", "en") not in CODES:
        raise BadLine(f"language {data.get('language')!r} is not known.")
    tags = [(TAG_FIELDS[key], name) for key in TAG_FIELDS for name in _names(data, key)]
    for kind, name in tags:
        if kind in FIXED_TAGS and name not in FIXED_TAGS[kind]:
            raise BadLine(f"{name!r} is not a {kind}.")
    return Entry(data, tags, _moment(data, "published"), _moment(data, "updated"))


class Loader:
    """Keeps the names it has seen, so each account and tag is looked up or made once."""

    def __init__(self) -> None:
        defaults = Pseud.objects.filter(is_default=True).values_list("user__username", "pk")
        self.pseuds = {name.lower(): pk for name, pk in defaults}
        self.tags = {
            (t, n.lower()): pk for pk, t, n in Tag.objects.values_list("pk", "type", "name")
        }

    def _pseuds_for(self, names: Iterable[str]) -> None:
        new = sorted({n for n in names if n.lower() not in self.pseuds}, key=str.lower)
        new = list({n.lower(): n for n in new}.values())
        if not new:
            return
        users = User.objects.bulk_create(
            User(username=n, email=f"{n.lower()}@users.invalid", password="!") for n in new
        )
        pseuds = Pseud.objects.bulk_create(
            Pseud(user=u, name=u.username, is_default=True) for u in users
        )
        self.pseuds.update((p.name.lower(), p.pk) for p in pseuds)

    def _tags_for(self, pairs: Iterable[tuple[str, str]]) -> None:
        new = {(t, n.lower()): (t, n) for t, n in pairs if (t, n.lower()) not in self.tags}
        made = Tag.objects.bulk_create(Tag(type=t, name=n) for t, n in new.values())
        self.tags.update(((t.type, t.name.lower()), t.pk) for t in made)

    def write(self, entries: list[Entry]) -> None:
        with transaction.atomic():
            self._pseuds_for(n for e in entries for n in e.data["creators"])
            self._tags_for(pair for e in entries for pair in e.tags)
            works = Work.objects.bulk_create(_work(e) for e in entries)
            Chapter.objects.bulk_create(_chapter(w, e) for w, e in zip(works, entries, strict=True))
            Creatorship.objects.bulk_create(
                Creatorship(work=w, pseud_id=self.pseuds[n.lower()], accepted=True, position=i)
                for w, e in zip(works, entries, strict=True)
                for i, n in enumerate(dict.fromkeys(e.data["creators"]))
            )
            Tagging.objects.bulk_create(
                Tagging(work=w, tag_id=self.tags[(t, n.lower())])
                for w, e in zip(works, entries, strict=True)
                for t, n in dict.fromkeys((t, n.lower()) for t, n in e.tags)
            )
            WorkStats.objects.bulk_create(
                WorkStats(
                    work=w,
                    **{k: e.data.get(k, 0) for k in ("kudos", "comments", "bookmarks", "hits")},
                )
                for w, e in zip(works, entries, strict=True)
            )
            record_change(w.pk for w in works)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _work(entry: Entry) -> Work:
    data = entry.data
    return Work(
        title=data["title"].strip()[:255],
        summary=_paragraphs(str(data.get("summary", ""))),
        language=data.get("language", "en"),
        word_count=data.get("words", 0),
        chapter_count=max(1, data.get("chapters", 1)),
        expected_chapters=data.get("expected_chapters"),
        is_draft=False,
        published_at=entry.published,
        updated_at=max(entry.updated, entry.published),
    )


def _chapter(work: Work, entry: Entry) -> Chapter:
    body = _paragraphs(str(entry.data.get("text", "")))
    return Chapter(
        work=work,
        position=1,
        body_source=body,
        body=body,
        word_count=work.word_count,
        is_draft=False,
        published_at=entry.published,
    )


def load_works(
    lines: Iterable[str], batch: int = BATCH, progress: Callable[[int], None] | None = None
) -> LoadReport:
    """Load the good lines, each batch in one transaction; report bad lines by number."""
    report = LoadReport()
    loader = Loader()
    entries: list[Entry] = []
    number = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                entries.append(parse_line(line))
            except BadLine as exc:
                report.bad.append((number, str(exc)))
        if len(entries) >= batch:
            loader.write(entries)
            report.loaded += len(entries)
            entries = []
            if progress:
                progress(number)
    if entries:
        loader.write(entries)
        report.loaded += len(entries)
    if progress:
        progress(number)
    return report

# ruff: noqa: RUF001 - reasons quote the text with typographic quotes
"""Fandom, characters and relationships from the names in the text, matched against the
archive's canonical tags."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ficarchive.importing.parsed import ParsedWork
from ficarchive.tags import resolving
from ficarchive.tags.models import Tag, TagType
from ficarchive.text.wordcount import html_to_text

MIN_MENTIONS = 3  # a character named fewer times than this is not proposed
MAX_CHARACTERS = 8


@dataclass
class _Match:
    character: resolving.KnownCharacter
    mentions: int
    how: str


def _capitalized_words(text: str) -> Counter[str]:
    return Counter(resolving.fold(m.group()) for m in re.finditer(r"\b[A-Z][\w'’-]*", text))


def _match_characters(cast: resolving.Cast, text: str) -> list[_Match]:
    if not cast.characters:
        return []
    words = _capitalized_words(text)
    folded = re.sub(r"\s+", " ", resolving.fold(text))
    found = []
    for character in cast.characters:
        best = (0, "")
        for name in character.names:
            if not name.words:
                continue
            full = folded.count(" ".join(name.words)) if len(name.words) > 1 else 0
            parts = {w: words[w] for w in name.words if len(w) >= 3 and words[w]}
            mentions = max([full, *parts.values()])
            if mentions > best[0]:
                detail = ", ".join(f"“{w}” {n}×" for w, n in parts.items())
                how = ", ".join(
                    filter(None, [f"“{name.text}” in full {full}×" * bool(full), detail])
                )
                best = (mentions, how)
        if best[0] >= MIN_MENTIONS:
            found.append(_Match(character, best[0], best[1]))
    return sorted(found, key=lambda m: -m.mentions)


def infer_cast(work: ParsedWork, text: str) -> None:
    stated = Tag.objects.of_type(TagType.FANDOM).canonical()
    if work.fandoms:
        fandoms = [
            t.merger
            for name in work.fandoms
            for t in Tag.objects.of_type(TagType.FANDOM).named(name)
        ]
        cast = resolving.cast_of(fandoms) if fandoms else resolving.Cast()
    else:
        cast = resolving.cast_of(stated)
    matches = _match_characters(cast, text)
    if not work.fandoms and matches:
        scores: Counter[int] = Counter()
        people: Counter[int] = Counter()
        for match in matches:
            for fandom_id in match.character.fandom_ids:
                scores[fandom_id] += match.mentions
                people[fandom_id] += 1
        if scores:
            best = max(scores, key=lambda f: (people[f], scores[f]))
            fandom = stated.filter(pk=best).first()
            if fandom is not None and (people[best] >= 2 or scores[best] >= 10):
                work.fandoms = [fandom.name]
                named = [m for m in matches if best in m.character.fandom_ids]
                work.infer(
                    "fandoms",
                    f"{fandom.name}: its characters are named most ("
                    + "; ".join(f"{m.character.tag.name}: {m.how}" for m in named[:5])
                    + ")",
                )
                matches = named
    if not work.characters and matches and work.fandoms:
        chosen = matches[:MAX_CHARACTERS]
        work.characters = [m.character.tag.name for m in chosen]
        work.infer(
            "characters",
            "; ".join(f"{m.character.tag.name}: {m.how}" for m in chosen),
        )
    _infer_relationships(work, cast)


def _infer_relationships(work: ParsedWork, cast: resolving.Cast) -> None:
    """Pairings and ship names the summary and notes use ("Johnlock", "Wren/Mira")."""
    if work.relationships or not cast.characters:
        return
    text = html_to_text(" ".join([work.summary, work.begin_notes, work.end_notes]))
    found: dict[str, str] = {}
    pairings = re.findall(r"\b([A-Z][\w'’ .-]{1,40}?\s*[/&]\s*[A-Z][\w'’.-]{1,40})", text)
    ships = re.findall(r"\b([A-Z][a-z]{3,20})\b", text)
    for name in list(dict.fromkeys(pairings + ships))[:60]:
        tag = resolving.resolve_in(cast, TagType.RELATIONSHIP, name.strip())
        if tag is not None and tag.name not in found:
            found[tag.name] = f"{tag.name}: “{name.strip()}” in the summary or notes"
    if found:
        work.relationships = list(found)
        work.infer("relationships", "; ".join(found.values()))

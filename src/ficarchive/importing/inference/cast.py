# ruff: noqa: RUF001 - reasons quote the text with typographic quotes
"""Fandom, characters and relationships from the names in the text, matched against the
archive's canonical tags, proposed only on distinctive evidence:

- a character's full name ("Sakura Haruno", "Will Graham"; in either order for two words) with
  a word that is no common word in this text: sure of the character;
- a single name word ("Sasuke") that the text capitalizes in the middle of a sentence, never
  writes in lowercase, and that is no stop word or title ("the", "will", "Doctor"): likely, and
  only when it names one character of the fandom;
- a fandom: a full name of one of its characters, or several different characters of it named,
  each counting less the more fandoms share its name word ("Harry" is in many, "Sasuke" in
  one); or the fandom named in the disclaimer (`front_matter`), the summary or the notes.

Every proposal says which evidence gave it and how sure it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ficarchive.importing.inference import vocabulary as vocab
from ficarchive.importing.inference.common_words import ARTICLES
from ficarchive.importing.inference.evidence import TextEvidence, read_text
from ficarchive.importing.parsed import ParsedWork
from ficarchive.tags import resolving
from ficarchive.tags.models import Tag, TagType
from ficarchive.text.wordcount import html_to_text

SURE, LIKELY = "sure", "likely"
MIN_MENTIONS = 2  # a single name word named fewer times than this is no evidence
MAX_CHARACTERS = 8
MAX_FANDOMS = 3
LIKELY_SCORE = 1.5  # several names of one fandom, each weighing 1 / the fandoms sharing it
SURE_SCORE = 2.5


@dataclass(frozen=True)
class Sighting:
    """How the text names one character: in full, and by its most used distinctive word."""

    person: vocab.Person
    full: tuple[str, ...] = ()  # the words of the full name found, in the text's order
    full_count: int = 0
    word: str = ""  # folded
    word_count: int = 0
    sharing: int = 1  # characters of the vocabulary with the same full name

    @property
    def mentions(self) -> int:
        return max(self.full_count, self.word_count)

    @property
    def unique_full(self) -> bool:
        return bool(self.full_count) and self.sharing == 1

    def how(self, text: TextEvidence) -> str:
        parts = []
        if self.full_count:
            written = " ".join(text.written(w) for w in self.full)
            parts.append(f"“{written}” in full {self.full_count}×")
        if self.word_count:
            parts.append(f"“{text.written(self.word)}” {self.word_count}×")
        return ", ".join(parts)


def _full_name(person: vocab.Person, text: TextEvidence) -> tuple[tuple[str, ...], int, bool]:
    """The person's full name the text uses most: its words, how often, and whether in the
    name's own order."""
    best: tuple[tuple[str, ...], int, bool] = ((), 0, False)
    for name in person.names:
        core = _strip_articles(name)
        if len(core) < 2:
            continue
        if all(text.ordinary(w) for w in core):
            continue  # "the Goose Girl" where "goose" and "girl" are ordinary words
        for words, own in ((core, True), (core[::-1], False)):
            count = text.phrases[words] if own or len(core) == 2 else 0
            if count > best[1]:
                best = (words, count, own)
    return best


def _strip_articles(words: tuple[str, ...]) -> tuple[str, ...]:
    """A name without its leading article: "The Goose Girl" is named by "Goose Girl"."""
    return words[1:] if len(words) > 1 and words[0] in ARTICLES else words


def sightings(vocabulary: vocab.Vocabulary, text: TextEvidence) -> list[Sighting]:
    """The characters the text names with distinctive evidence, most named first. A full name
    that fits several characters says so (`sharing`); one that fits a character in its own
    order is not also taken as another's in the other order."""
    words = [w for w in text.capitalized if w in vocabulary.by_word]
    candidates = {p.pk: p for w in words for p in vocabulary.by_word[w]}
    fulls: dict[int, tuple[tuple[str, ...], int, bool]] = {}
    by_phrase: dict[tuple[str, ...], list[int]] = {}
    for person in candidates.values():
        phrase, count, own = _full_name(person, text)
        if count:
            fulls[person.pk] = (phrase, count, own)
            by_phrase.setdefault(phrase, []).append(person.pk)
    for pks in by_phrase.values():
        if any(fulls[pk][2] for pk in pks):
            for pk in [pk for pk in pks if not fulls[pk][2]]:
                pks.remove(pk)
                del fulls[pk]
    found = []
    for person in candidates.values():
        phrase, full_count, _ = fulls.get(person.pk, ((), 0, False))
        word, word_count = "", 0
        for candidate in person.name_words:
            count = text.capitalized[candidate]
            if count >= MIN_MENTIONS and count > word_count and text.distinctive(candidate):
                word, word_count = candidate, count
        if full_count or word_count:
            sharing = len(by_phrase[phrase]) if full_count else 1
            found.append(Sighting(person, phrase, full_count, word, word_count, sharing))
    return sorted(found, key=lambda s: (-s.mentions, s.person.name))


@dataclass
class FandomCase:
    """The evidence of one fandom: each piece once (two characters named by one word, or a
    word that is part of a full name already counted, add nothing)."""

    fandom_id: int
    score: float = 0.0
    full: int = 0  # characters named by a full name no other character has
    named: list[Sighting] = field(default_factory=list)
    keys: set[tuple[str, ...]] = field(default_factory=set)

    @property
    def confidence(self) -> str:
        names = len(self.named)
        if (self.full and names >= 2) or (names >= 3 and self.score >= SURE_SCORE):
            return SURE
        if self.full or (names >= 2 and self.score >= LIKELY_SCORE):
            return LIKELY
        return ""

    def add(self, sighting: Sighting, vocabulary: vocab.Vocabulary) -> None:
        if sighting.full_count:
            key, weight = sighting.full, 1 / sighting.sharing
        elif (sighting.word,) in self.keys or any(sighting.word in k for k in self.keys):
            return
        else:
            key = (sighting.word,)
            weight = 1 / max(vocabulary.fandoms_with_word.get(sighting.word, 1), 1)
        if key in self.keys:
            return
        self.keys.add(key)
        self.named.append(sighting)
        self.score += weight
        self.full += sighting.unique_full


def fandom_cases(vocabulary: vocab.Vocabulary, seen: list[Sighting]) -> list[FandomCase]:
    """The fandoms the sightings give enough evidence of, best first."""
    cases: dict[int, FandomCase] = {}
    for sighting in sorted(seen, key=lambda s: not s.full_count):  # full names first
        for fandom_id in sighting.person.fandom_ids:
            cases.setdefault(fandom_id, FandomCase(fandom_id)).add(sighting, vocabulary)
    passing = [c for c in cases.values() if c.confidence and c.fandom_id in vocabulary.fandoms]
    passing.sort(key=lambda c: (-c.full, -c.score, vocabulary.fandoms[c.fandom_id]))
    if not passing:
        return []
    best = passing[0]
    return [c for c in passing if c.score >= best.score / 2][:MAX_FANDOMS]


def _fandom_reason(vocabulary: vocab.Vocabulary, case: FandomCase, text: TextEvidence) -> str:
    named = case.named
    people = "; ".join(f"{s.person.name}: {s.how(text)}" for s in named[:5])
    count = len(named)
    what = "its character is named in full" if count == 1 else f"{count} of its characters named"
    return f"{vocabulary.fandoms[case.fandom_id]} — {case.confidence}: {what} ({people})"


def _named_in_notes(work: ParsedWork, *, disclaimer_only: bool = False) -> list[tuple[str, str]]:
    """Fandoms the disclaimer, summary or notes name: (canonical name, reason). A name that
    several fandoms share ("Hidden Storm" and "Hidden Storm (TV)", "The Quiet Ash" and "Quiet
    Ash") counts only as written in full, the longest written."""
    parts = [work.disclaimer]
    if not disclaimer_only:
        parts += [work.summary, work.begin_notes, work.end_notes]
    notes = html_to_text(" ".join(parts))
    if not notes.strip():
        return []
    text = read_text(notes)
    folded = " ".join(resolving.fold(notes).split())
    found: dict[int, tuple[str, str]] = {}  # fandom id -> (as written, how sure)
    for words, fandoms in vocab.fandom_names().items():
        core = _strip_articles(words)
        if len(core) == 1:
            count, sure = (text.capitalized[core[0]] if text.distinctive(core[0]) else 0), LIKELY
        else:
            count, sure = text.phrases[core], SURE
        if not count:
            continue
        if len(fandoms) > 1:
            written = {pk: resolving.fold(n) for pk, n in fandoms.items()}
            written = {pk: n for pk, n in written.items() if n in folded}
            fandoms = {
                pk: n
                for pk, n in written.items()
                if not any(n in m and n != m for m in written.values())
            }
        if len(fandoms) == 1:
            [fandom_id] = fandoms
            found.setdefault(fandom_id, (" ".join(text.written(w) for w in core), sure))
    chosen = list(found)[:MAX_FANDOMS]
    titles = dict(Tag.objects.filter(pk__in=chosen).values_list("pk", "name"))
    return [
        (
            titles[pk],
            f"{titles[pk]} — {found[pk][1]}: the disclaimer, summary or notes name "
            f"“{found[pk][0]}”",
        )
        for pk in chosen
    ]


def _stated_fandoms(names: list[str]) -> list[Tag]:
    found = []
    for name in names:
        tag = Tag.objects.of_type(TagType.FANDOM).named(name).select_related("synonym_of").first()
        if tag is not None and tag.is_wrangled:
            found.append(tag.merger)
    return found


def infer_cast(work: ParsedWork, text: str) -> None:
    """Propose what the file leaves out of fandoms, characters and relationships."""
    evidence = read_text(text)
    if work.fandoms and "fandoms" in work.inferred:
        # Named in the disclaimer: known fandoms its text names in full come first ("I don't
        # own The Quiet Ash" is not "Quiet Ash").
        named = _named_in_notes(work, disclaimer_only=True)
        if named:
            work.fandoms = [name for name, _ in named]
    if work.fandoms:
        fandoms = _stated_fandoms(work.fandoms)
        if "fandoms" in work.inferred:  # named in the disclaimer
            sure = SURE if fandoms else LIKELY
            known = "" if fandoms else " (no fandom of the archive has this name yet)"
            work.infer(
                "fandoms", f"{', '.join(work.fandoms)} — {sure}: {work.inferred['fandoms']}{known}"
            )
        cast = resolving.cast_of(fandoms) if fandoms else resolving.Cast()
        known_people = vocab.cast_vocabulary(cast, fandoms)
        seen = sightings(known_people, evidence)
    else:
        named = _named_in_notes(work)
        if named:
            work.fandoms = [name for name, _ in named]
            work.infer("fandoms", "; ".join(reason for _, reason in named))
            fandoms = _stated_fandoms(work.fandoms)
            cast = resolving.cast_of(fandoms)
            known_people = vocab.cast_vocabulary(cast, fandoms)
            seen = sightings(known_people, evidence)
        else:
            known_people = vocab.whole_vocabulary()
            seen = sightings(known_people, evidence)
            cases = fandom_cases(known_people, seen)
            if not cases:
                return
            work.fandoms = [known_people.fandoms[c.fandom_id] for c in cases]
            work.infer(
                "fandoms", "; ".join(_fandom_reason(known_people, c, evidence) for c in cases)
            )
            chosen = {c.fandom_id for c in cases}
            seen = [s for s in seen if s.person.fandom_ids & chosen]
            fandoms = list(Tag.objects.filter(pk__in=chosen))
            cast = resolving.cast_of(fandoms)
    if not work.characters:
        _infer_characters(work, known_people, seen, evidence)
    _infer_relationships(work, cast)


def _infer_characters(
    work: ParsedWork, people: vocab.Vocabulary, seen: list[Sighting], text: TextEvidence
) -> None:
    """The characters named in full, or by a word that names only them in their fandoms."""
    chosen = []
    phrases = [s.full for s in seen if s.full_count]
    for sighting in seen:
        if sighting.full_count:
            if phrases.count(sighting.full) > 1:
                continue  # two characters of these fandoms with one name
        else:
            others = [
                p
                for p in people.by_word.get(sighting.word, [])
                if p.pk != sighting.person.pk and p.fandom_ids & sighting.person.fandom_ids
            ]
            if others:
                continue  # "Uchiha" names several
        chosen.append(sighting)
    chosen = chosen[:MAX_CHARACTERS]
    if not chosen:
        return
    work.characters = [s.person.name for s in chosen]
    work.infer(
        "characters",
        "; ".join(
            f"{s.person.name} — {SURE if s.full_count else LIKELY}: {s.how(text)}" for s in chosen
        ),
    )


def _infer_relationships(work: ParsedWork, cast: resolving.Cast) -> None:
    """Pairings and ship names the summary and notes use ("Johnlock", "Wren/Mira"), within
    the work's fandoms."""
    if work.relationships or not cast.characters:
        return
    text = html_to_text(" ".join([work.summary, work.begin_notes, work.end_notes]))
    found: dict[str, str] = {}
    pairings = re.findall(r"\b([A-Z][\w'’ .-]{1,40}?\s*[/&]\s*[A-Z][\w'’.-]{1,40})", text)
    ships = re.findall(r"\b([A-Z][a-z]{3,20})\b", text)
    for name in list(dict.fromkeys(pairings + ships))[:60]:
        tag = resolving.resolve_in(cast, TagType.RELATIONSHIP, name.strip())
        if tag is not None and tag.name not in found:
            sure = SURE if name in pairings else LIKELY
            how = "pairing" if name in pairings else "ship name"
            found[tag.name] = (
                f"{tag.name} — {sure}: the {how} “{name.strip()}” in the summary or notes"
            )
    if found:
        work.relationships = list(found)
        work.infer("relationships", "; ".join(found.values()))

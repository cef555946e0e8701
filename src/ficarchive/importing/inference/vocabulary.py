"""The archive's canonical characters and fandoms as inference reads them: every name a
character is known by, split into words, and indexed by word, fetched in a few queries."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ficarchive.importing.inference.common_words import ARTICLES, STOP
from ficarchive.tags import resolving
from ficarchive.tags.models import Tag, TagType

BULK = 5000  # ids in one IN (...) list


@dataclass(frozen=True)
class Person:
    """A canonical character: its tag's name, the words of each name it is known by (its own,
    then its synonyms', without a disambiguator), and its fandoms."""

    pk: int
    name: str
    names: tuple[tuple[str, ...], ...]
    fandom_ids: frozenset[int]

    @property
    def name_words(self) -> frozenset[str]:
        """Every word of its names that can name it (stop words never do)."""
        return frozenset(w for name in self.names for w in name if w not in STOP)


@dataclass
class Vocabulary:
    people: list[Person] = field(default_factory=list)
    fandoms: dict[int, str] = field(default_factory=dict)  # canonical fandoms by id
    by_word: dict[str, list[Person]] = field(default_factory=dict)
    fandoms_with_word: dict[str, int] = field(default_factory=dict)

    def index(self) -> Vocabulary:
        by_word: dict[str, list[Person]] = defaultdict(list)
        fandoms: dict[str, set[int]] = defaultdict(set)
        for person in self.people:
            for word in person.name_words:
                by_word[word].append(person)
                fandoms[word] |= person.fandom_ids or {0}
        self.by_word = dict(by_word)
        self.fandoms_with_word = {word: len(ids) for word, ids in fandoms.items()}
        return self


_NOTE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)$")  # "(Little Summer (TV))" too


@lru_cache(maxsize=200_000)
def _words(name: str) -> tuple[str, ...]:
    """The words of a name without its disambiguator."""
    return resolving.Name.parse(_NOTE.sub("", name) or name).words


def whole_vocabulary() -> Vocabulary:
    """Every canonical character and fandom, in four queries (names split into words once
    per process: splitting was most of the time)."""
    tags = Tag.objects.filter(canonical=True).order_by()
    fandoms = dict(tags.filter(type=TagType.FANDOM).values_list("pk", "name"))
    names: dict[int, list[tuple[str, ...]]] = {}
    titles: dict[int, str] = {}
    for pk, name in tags.filter(type=TagType.CHARACTER).values_list("pk", "name"):
        titles[pk] = name
        names[pk] = [_words(name)]
    synonyms = Tag.objects.filter(type=TagType.CHARACTER, synonym_of__isnull=False).order_by()
    for pk, name in synonyms.values_list("synonym_of_id", "name"):
        if pk in names:
            names[pk].append(_words(name))
    parents: dict[int, set[int]] = defaultdict(set)
    ids = list(fandoms)
    for start in range(0, len(ids), BULK):  # by ids: joining both ends was 30 times slower
        links = Tag.parents.through.objects.filter(to_tag_id__in=ids[start : start + BULK])
        for character_id, fandom_id in links.values_list("from_tag_id", "to_tag_id"):
            if character_id in names:
                parents[character_id].add(fandom_id)
    people = [
        Person(pk, titles[pk], tuple(dict.fromkeys(names[pk])), frozenset(parents[pk]))
        for pk in titles
    ]
    return Vocabulary(people, fandoms).index()


def fandom_names() -> dict[tuple[str, ...], dict[int, str]]:
    """The words of every canonical fandom's name and its synonyms' (and of the part before a
    " - " or " | ": "Harry Potter" of "Harry Potter - J. K. Rowling"), to the canonical
    fandoms they may stand for, with the name that has them."""
    tags = Tag.objects.filter(type=TagType.FANDOM).order_by()
    rows = list(tags.filter(canonical=True).values_list("pk", "name"))
    synonyms = tags.filter(synonym_of__canonical=True)
    rows += list(synonyms.values_list("synonym_of_id", "name"))
    found: dict[tuple[str, ...], dict[int, str]] = defaultdict(dict)
    for pk, name in rows:
        for part in [name, *re.split(r"\s[-|\u2013\u2014]\s", name)]:
            words = _words(part)
            if len(words) > 1 and words[0] in ARTICLES:
                words = words[1:]  # "The Quiet Ash" is also named "Quiet Ash"
            if words and not all(w in STOP for w in words):
                found[words].setdefault(pk, name)
    return found


def cast_vocabulary(cast: resolving.Cast, fandoms: Iterable[Tag]) -> Vocabulary:
    """The characters of a cast (the fandoms a file states, with their metatags and
    sub-fandoms), counted as of those FANDOMS."""
    ids = frozenset(f.pk for f in fandoms)
    people = [
        Person(
            c.tag.pk,
            c.tag.name,
            tuple(dict.fromkeys(n.words for n in c.names)),
            (c.fandom_ids & ids) or ids,
        )
        for c in cast.characters
    ]
    return Vocabulary(people, {f.pk: f.name for f in fandoms}).index()

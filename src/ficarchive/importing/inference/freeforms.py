"""Additional tags from the genre words an author uses in the summary and notes."""

from __future__ import annotations

import re

from django.db.models.functions import Lower

from ficarchive.importing.parsed import ParsedWork
from ficarchive.tags.models import Tag, TagType, clean_tag_name
from ficarchive.text.wordcount import html_to_text

GENRES = {
    "angst": "Angst",
    "angsty": "Angst",
    "fluff": "Fluff",
    "fluffy": "Fluff",
    "hurt/comfort": "Hurt/Comfort",
    "h/c": "Hurt/Comfort",
    "au": "Alternate Universe",
    "alternate universe": "Alternate Universe",
    "modern au": "Alternate Universe - Modern Setting",
    "canon divergence": "Alternate Universe - Canon Divergence",
    "smut": "Smut",
    "pwp": "Porn Without Plot",
    "crack": "Crack",
    "crackfic": "Crack",
    "fix-it": "Fix-It",
    "slow burn": "Slow Burn",
    "enemies to lovers": "Enemies to Lovers",
    "friends to lovers": "Friends to Lovers",
    "whump": "Whump",
    "humor": "Humor",
    "humour": "Humor",
    "romance": "Romance",
    "tragedy": "Tragedy",
    "drabble": "Drabble",
    "one-shot": "One Shot",
    "oneshot": "One Shot",
}
_GENRE = re.compile(
    r"(?<![\w/-])(" + "|".join(re.escape(g) for g in sorted(GENRES, key=len, reverse=True)) + r")"
    r"(?![\w/-])",
    re.IGNORECASE,
)


# A line that labels a list of tags: "Genre: angst, fluff", "Tags - slow burn; pining".
_LABELLED = re.compile(
    r"(?:^|(?<=[.!?:])\s)\s*(?:genres?|tags?|additional\s+tags|tropes?|themes?|contains|content)\s*[:\-\u2013\u2014]\s*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_ITEM_SPLIT = re.compile(r"\s*(?:[,;|\u00b7\u2022]|\s\+\s|\band\b|&)\s*", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:(?:some|a\s+little|a\s+bit\s+of|lots\s+of|a\s+lot\s+of|plenty\s+of|mild|light|"
    r"heavy|major|minor|with|plus|also|pure|mostly|just|and|the)\s+)+",
    re.IGNORECASE,
)
MAX_ITEMS = 200  # candidate names looked up per work


def infer_freeforms(work: ParsedWork) -> None:
    """Genre words and the archive's own additional tags named in the summary and notes:

    - the common genre words (`GENRES`) anywhere ("pure angst, a coffee shop AU");
    - any canonical additional tag of the archive, or a synonym of one (given as its
      canonical), when it is an item of a labelled list ("Genre: hurt/comfort, pining") or of
      a list in which at least two items are tags the archive knows, so that a tag named by an
      ordinary word ("Love", "Friendship") is never taken from a sentence."""
    sources = {
        "summary": html_to_text(work.summary),
        "notes": html_to_text(work.begin_notes + "\n" + work.end_notes),
    }
    have = {name.casefold() for name in work.freeforms}
    reasons: list[str] = []

    def add(name: str, why: str) -> None:
        if name.casefold() not in have:
            have.add(name.casefold())
            work.freeforms.append(name)
            reasons.append(f"{name} ({why})")

    for where, text in sources.items():
        says, lists = ("say", "list") if where == "notes" else ("says", "lists")
        for match in _GENRE.finditer(text):
            word = match.group(1)
            if word == "AU" or word.lower() != "au":
                add(_canonical_freeform(GENRES[word.lower()]), f"the {where} {says} “{word}”")
        for item, tag, labelled in _listed_tags(text):
            how = lists if labelled else f"{lists}, among other tags,"
            add(tag, f"the {where} {how} “{item}”")
    if reasons:
        work.infer("freeforms", "; ".join(reasons))


def _items(line: str) -> list[str]:
    items = []
    for raw in _ITEM_SPLIT.split(line):
        item = _FILLER.sub("", raw.strip(" \t.!?:()[]\"'\u201c\u201d\u2018\u2019*_"))
        if 1 < len(item) <= 100:
            items.append(item)
    return items


def _listed_tags(text: str) -> list[tuple[str, str, bool]]:
    """(the words as written, the canonical additional tag, whether the list was labelled) for
    every item of a list in TEXT that names one of the archive's additional tags."""
    labelled = [_items(m.group(1)) for m in _LABELLED.finditer(text)]
    lines = [
        _items(line)
        for line in re.split(r"[\n.!?]+", _LABELLED.sub("", text))
        if line.count(",") + line.count(";") >= 1
    ]
    wanted = {item.casefold() for items in labelled + lines for item in items}
    known = _known_freeforms(list(wanted)[:MAX_ITEMS])
    found: list[tuple[str, str, bool]] = []
    for items in labelled:
        found += [(i, known[i.casefold()], True) for i in items if i.casefold() in known]
    for items in lines:
        named = [(i, known[i.casefold()], False) for i in items if i.casefold() in known]
        if len({tag for _, tag, _ in named} | _genre_items(items)) >= 2:
            found += named
    return found


def _genre_items(items: list[str]) -> set[str]:
    return {GENRES[i.casefold()] for i in items if i.casefold() in GENRES}


def _known_freeforms(names: list[str]) -> dict[str, str]:
    """The casefolded NAMES that are additional tags of the archive, canonical or synonyms of
    a canonical one, with the canonical name each stands for."""
    if not names:
        return {}
    tags = (
        Tag.objects.of_type(TagType.FREEFORM)
        .annotate(lowered=Lower("name"))
        .filter(lowered__in=[clean_tag_name(n).lower() for n in names])
        .select_related("synonym_of")
    )
    return {
        tag.name.casefold(): tag.merger.name
        for tag in tags
        if tag.canonical or (tag.synonym_of_id and tag.merger.canonical)
    }


def _canonical_freeform(name: str) -> str:
    found = Tag.objects.of_type(TagType.FREEFORM).named(name).select_related("synonym_of").first()
    return found.merger.name if found else name

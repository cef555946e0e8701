"""Additional tags from the genre words an author uses in the summary and notes."""

from __future__ import annotations

import re

from ficarchive.importing.parsed import ParsedWork
from ficarchive.tags.models import Tag, TagType
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


def infer_freeforms(work: ParsedWork) -> None:
    sources = {
        "summary": html_to_text(work.summary),
        "notes": html_to_text(work.begin_notes + " " + work.end_notes),
    }
    have = {name.casefold() for name in work.freeforms}
    reasons = []
    for where, text in sources.items():
        for match in _GENRE.finditer(text):
            word = match.group(1)
            if word == "AU" or word.lower() != "au":
                name = _canonical_freeform(GENRES[word.lower()])
                if name.casefold() not in have:
                    have.add(name.casefold())
                    work.freeforms.append(name)
                    reasons.append(f"{name} (the {where} says “{word}”)")
    if reasons:
        work.infer("freeforms", "; ".join(reasons))


def _canonical_freeform(name: str) -> str:
    found = Tag.objects.of_type(TagType.FREEFORM).named(name).select_related("synonym_of").first()
    return found.merger.name if found else name

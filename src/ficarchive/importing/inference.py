# ruff: noqa: RUF001 - reasons quote the text with typographic quotes
"""Proposals where a file does not say: fandom, characters and relationships from the names
in the text matched against the archive's canonical tags, a rating from the content, and
additional tags from the genre words an author uses. Every proposal is listed in the work's
`inferred` with the reason; a stated value is never replaced."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ficarchive.importing.parsed import INFERRED, ParsedWork, markup_start
from ficarchive.tags import resolving
from ficarchive.tags.models import EXPLICIT, GENERAL, MATURE, TEEN, Tag, TagType
from ficarchive.text.wordcount import html_to_text

MIN_MENTIONS = 3  # a character named fewer times than this is not proposed
MAX_CHARACTERS = 8
# Proposals read the first million characters of the story (about 180,000 words): enough to
# tell a cast and a rating, and a bound on the memory that reading a huge file takes.
SAMPLE_CHARS = 1_000_000

# --- rating ----------------------------------------------------------------------------

_EXPLICIT = re.compile(
    r"\b(?:cock|cunt|pussy|clit(?:oris)?|orgasm(?:ed|s)?|erection|ejaculat\w*|"
    r"cum(?:ming|med)?|penetrat(?:ed|ing|ion)|fucked\s+(?:him|her|them|me)|"
    r"(?:his|her)\s+(?:dick|shaft)|nipples?|thrust(?:ing|s)?\s+into)\b",
    re.IGNORECASE,
)
_VIOLENT = re.compile(
    r"\b(?:disembowel\w*|decapitat\w*|entrails|gore|gutted|tortur(?:e|ed|ing)|"
    r"slit\s+(?:his|her|their)\s+throat|blood\s+(?:spurt|spray|pool)\w*|corpses?|"
    r"stabbed|bludgeon\w*|brains?\s+(?:spatter|splatter)\w*|dismember\w*)\b",
    re.IGNORECASE,
)
_ORDER = [GENERAL, TEEN, MATURE, EXPLICIT]


def _passages(pattern: re.Pattern[str], text: str, limit: int = 3) -> tuple[int, list[str]]:
    count = 0
    quoted = []
    for match in pattern.finditer(text):
        count += 1
        if count <= limit:
            start, end = max(match.start() - 30, 0), min(match.end() + 30, len(text))
            quoted.append("…" + " ".join(text[start:end].split()) + "…")
    return count, quoted


def infer_rating(work: ParsedWork, text: str) -> None:
    explicit, explicit_quotes = _passages(_EXPLICIT, text)
    violent, violent_quotes = _passages(_VIOLENT, text)
    suggested, reason = "", ""
    if explicit >= 3:
        suggested = EXPLICIT
        reason = f"{explicit} explicit sexual words, as in " + "; ".join(explicit_quotes)
    elif violent >= 5:
        suggested = MATURE
        reason = f"{violent} words of graphic violence, as in " + "; ".join(violent_quotes)
    if not suggested:
        return
    if work.rating and work.rating_source != INFERRED:
        if work.rating in _ORDER and _ORDER.index(work.rating) + 1 < _ORDER.index(suggested):
            work.problem(
                f"The stated rating {work.rating} seems far below the content "
                f"(which suggests {suggested}: {reason})."
            )
        return
    work.set_rating(suggested, INFERRED)
    work.infer("rating", reason)


# --- genre words -----------------------------------------------------------------------

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


# --- fandom, characters, relationships ---------------------------------------------------


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


def story_sample(work: ParsedWork, limit: int = SAMPLE_CHARS) -> str:
    """The visible text of the chapters, up to LIMIT characters (whole chapters, then the
    start of the one that reaches it)."""
    parts: list[str] = []
    left = limit
    for chapter in work.chapters:
        if left <= 0:
            break
        text = html_to_text(markup_start(chapter.body, left * 2))[:left]
        parts.append(text)
        left -= len(text) + 1
    return "\n".join(parts)


def infer(work: ParsedWork) -> ParsedWork:
    """Fill what the file leaves out, from the text and the archive's tags."""
    text = story_sample(work)
    infer_rating(work, text)
    infer_freeforms(work)
    infer_cast(work, text)
    return work

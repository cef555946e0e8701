# ruff: noqa: RUF001 - the patterns match typographic quotes and dashes on purpose
"""The conventions fan fiction files follow, shared by every reader: rating names, header
keys, chapter headings, author's notes, credits and dates."""

from __future__ import annotations

import re
from datetime import date, datetime

from ficarchive.importing.parsed import Credit, ParsedWork, unique
from ficarchive.tags.models import EXPLICIT, GENERAL, MATURE, NOT_RATED, TEEN
from ficarchive.works.models import LANGUAGES, CreditRole

# Rating names as files state them: AO3's own, FanFiction.Net's, film-style letters.
RATINGS: dict[str, str] = {
    "general audiences": GENERAL,
    "general": GENERAL,
    "g": GENERAL,
    "k": GENERAL,
    "k+": GENERAL,
    "pg": GENERAL,
    "teen and up audiences": TEEN,
    "teen and up": TEEN,
    "teen": TEEN,
    "t": TEEN,
    "pg-13": TEEN,
    "pg13": TEEN,
    "mature": MATURE,
    "m": MATURE,
    "r": MATURE,
    "explicit": EXPLICIT,
    "e": EXPLICIT,
    "ma": EXPLICIT,
    "nc-17": EXPLICIT,
    "nc17": EXPLICIT,
    "x": EXPLICIT,
    "xxx": EXPLICIT,
    "not rated": NOT_RATED,
}
_RATING_WORDS = sorted(RATINGS, key=len, reverse=True)
_RATING_IN_TEXT = re.compile(
    r"^\s*(?:fiction\s+)?(?:rated|rating)\s*[:\-]?\s*("
    + "|".join(re.escape(w) for w in _RATING_WORDS)
    + r")(?![\w+\-])",
    re.IGNORECASE,
)


def rating_name(text: str) -> str | None:
    """The archive's rating for a stated one ("M", "Rated MA for violence", "Teen And Up")."""
    value = " ".join(text.strip().split()).casefold()
    value = re.sub(r"^(?:fiction\s+)?(?:rated|rating)\s*[:\-]?\s*", "", value)
    if value in RATINGS:
        return RATINGS[value]
    match = re.match("(" + "|".join(re.escape(w) for w in _RATING_WORDS) + r")(?![\w+\-])", value)
    return RATINGS[match.group(1)] if match else None


def rating_line(line: str) -> str | None:
    """A line like "Rated M", "Rating: T", "Rated MA for language": the rating it states."""
    match = _RATING_IN_TEXT.match(line)
    return RATINGS[match.group(1).casefold()] if match else None


# --- languages -------------------------------------------------------------------------

_LANGUAGE_NAMES = {name.casefold(): code for code, name in LANGUAGES}
_LANGUAGE_NAMES.update({code: code for code, _ in LANGUAGES})
_LANGUAGE_NAMES.update(
    {
        "english": "en",
        "spanish": "es",
        "español": "es",
        "french": "fr",
        "german": "de",
        "italian": "it",
        "portuguese": "pt",
        "russian": "ru",
        "japanese": "ja",
        "korean": "ko",
        "chinese": "zh",
        "中文-普通话 國語": "zh",
        "中文-广东话 粵語": "zh",
        "polish": "pl",
        "dutch": "nl",
    }
)


def language_code(text: str) -> str | None:
    value = " ".join(text.split()).casefold()
    if value in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[value]
    base = value.split("-")[0].split("_")[0]
    if base in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[base]
    if value.startswith("中文"):
        return "zh"
    return None


def set_language(work: ParsedWork, text: str) -> None:
    code = language_code(text)
    known = {c for c, _ in LANGUAGES}
    if code and code in known:
        work.language = code
    elif text.strip():
        work.problem(f"The language {text.strip()!r} is not one the archive knows.")


# --- dates -----------------------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y",
    "%m/%d/%Y", "%m-%d-%y", "%m/%d/%y",
)  # fmt: skip


def parse_date(text: str) -> date | None:
    value = text.strip()
    match = re.match(r"(\d{4}-\d{2}-\d{2})", value)
    if match:
        value = match.group(1)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_int(text: str) -> int | None:
    digits = re.sub(r"[,.\s\u00a0]", "", text)
    return int(digits) if digits.isdigit() else None


# --- chapter headings ------------------------------------------------------------------

NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
]
_NUMBER = (
    r"(?:\d+(?:\.\d+)?|[ivxlcdm]+|"
    + r"(?:(?:twenty|thirty|forty|fifty)[\s-])?(?:"
    + "|".join(NUMBER_WORDS)
    + r")|[a-z])"
)
_SEP = r"(?:\s*[:.\-–—,|]\s*|\s+)"
CHAPTER_HEADING = re.compile(
    rf"^(?:(?:chapter|chap\.?|ch\.?)\s*{_NUMBER}\b\.?|part\s+{_NUMBER}\b\.?|"
    rf"(?:prologue|epilogue|interlude|afterword|foreword|preface)\b)(?:{_SEP}(?P<title>.*))?$",
    re.IGNORECASE,
)


def chapter_heading(text: str) -> tuple[str, str] | None:
    """(full heading, title after the number) when the text is a chapter heading line."""
    if len(text) > 1000:  # a heading is at most 120 characters, however it is spaced
        return None
    line = " ".join(text.replace("#", " ").replace("*", " ").split()).strip()
    if not line or len(line) > 120:
        return None
    match = CHAPTER_HEADING.match(line)
    if not match:
        return None
    title = (match.group("title") or "").strip(" :.-–—")
    if title and len(title.split()) > 15:
        return None
    return line, title


# --- author's notes, disclaimers, credits -----------------------------------------------

NOTE_START = re.compile(
    r"^\s*(?:\**\s*)(?:a/n|an|author'?s?['’]?\s*notes?|notes?|[\w .'’-]{1,40}['’]s\s+notes?)"
    r"\s*(?:\d+)?\s*[:\-–—.]",
    re.IGNORECASE,
)
NOTE_PARENS = re.compile(r"^\s*[(\[]\s*(?:a/n|an|author'?s? note)\b", re.IGNORECASE)
CLOSING = re.compile(
    r"\b(?:please\s+(?:read\s+and\s+)?review|r\s*&\s*r|reviews?\s+(?:are|is)\s+"
    r"(?:love|appreciated|welcome)|let me know what you (?:think|thought)|"
    r"thanks? (?:you )?for reading|leave a (?:review|comment|kudos)|kudos and comments|"
    r"comments? (?:and|&) kudos|see you (?:next|in the next) chapter|to be continued|"
    r"until next time|read and review)\b",
    re.IGNORECASE,
)
DISCLAIMER = re.compile(r"^\s*\**\s*disclaimer\s*\**\s*[:\-–—.]?\s*\**", re.IGNORECASE)
_OWNED = re.compile(
    r"\b(?:do(?:n['’]t| not)|does(?:n['’]t| not)|never)\s+(?:own|owned)\s+(?:anything\s+"
    r"(?:from|of|in|related to)\s+)?(?:the\s+)?(?P<fandom>[^.,;!()]+?)(?:\s*(?:[,.;!(]|$)|\s+"
    r"(?:or|and|nor|characters?|franchise|series|universe|belongs?|is|are|which|that|it)\b)",
    re.IGNORECASE,
)
_BELONGS = re.compile(
    r"^(?:the\s+)?(?P<fandom>[A-Z][^.,;!()]{1,60}?)\s+(?:and\s+(?:all|its)\s+[^.]*?\s+)?"
    r"(?:belongs?|is\s+owned|is\s+the\s+property)\b",
)


# Openings that speak to the reader about the writing: enough on their own in a short block.
_NOTE_OPENER = re.compile(
    r"^[\s*_(\[~-]*(?:"
    r"written\s+(?:for|as\s+(?:a|an|part)|in\s+response)\b|"
    r"thanks?\s+(?:you\s+)?(?:so\s+much\s+|again\s+)?(?:to|for)\s+(?:all\b|everyone|everybody|"
    r"my\b|our\b|you\b|the\s+(?:reviews|reviewers|follows|favou?rites|faves|readers|kudos|"
    r"comments|support))|"
    r"enjoy(?:\s+(?:the|this|my)\s+(?:chapter|chap|story|fic|update|read|one-?shot))?"
    r"\s*(?:[!.:)]|$)|"
    r"(?:i\s+)?hope\s+(?:you|y['’]all|everyone|everybody)\s+(?:all\s+|guys\s+)?"
    r"(?:like|enjoy|liked|enjoyed|love|loved)\b|"
    r"sorry\s+(?:for|about)\s+(?:the|this)\s+(?:\w+\s+)?(?:wait|delay|update|hiatus)|"
    r"sorry\s+(?:it|this)\s+took|"
    r"(?:un-?|not\s+)?beta(?:['’]?d|ed)\b|"
    r"disclaimer\b|dedicated\s+to\b|happy\s+reading\b|"
    r"on\s+with\s+the\s+(?:story|chapter|fic|show)\b|"
    r"here['’]?s\s+(?:the\s+)?(?:next|new|another|chapter)\b|"
    r"(?:so\s+)?(?:this|here)\s+is\s+(?:the\s+)?(?:next|new|another|last|final)\s+(?:chapter|part)"
    r")",
    re.IGNORECASE,
)
# Openings that closing notes use, at the start of a paragraph at a chapter's end.
_CLOSING_OPENER = re.compile(
    r"^[\s*_(\[~-]*(?:next\s+(?:chapter|time|update)\b|in\s+the\s+next\s+chapter\b|"
    r"stay\s+tuned\b|more\s+(?:soon|to\s+come)\b|(?:i['’]ll\s+)?update\s+soon\b|"
    r"thanks?\s+(?:you\s+)?(?:so\s+much\s+)?(?:for|to)\s+(?:reading|all|everyone|the\s+reviews))",
    re.IGNORECASE,
)
# Talk about the writing: a weaker signal, enough only with a scene break or framing.
_WRITING_WORDS = re.compile(
    r"\b(?:chapters?|chap|fics?|fanfic(?:tion)?|one-?shots?|drabbles?|updates?|updated|updating|"
    r"prompts?|reviews?|reviewers?|readers|plot|pairings?|sequel|beta|challenge|pov|"
    r"canon|ooc|edit|editing|writing|write|this\s+story|my\s+stor(?:y|ies)|author|"
    r"cliffhanger|kudos|hiatus)\b",
    re.IGNORECASE,
)
_SPEAKER = re.compile(
    r"(?:\b(?:i|i['’](?:m|ve|ll|d)|my|me|we['’](?:re|ve)?)\b|"
    r"\b(?:you|guys|y['’]all|everyone|everybody|readers)\b)",
    re.IGNORECASE,
)
_TRYING = re.compile(
    r"^[\s*_(\[~-]*i(?:['’]ve|\s+have)?\s+(?:decided|given\s+up|tried|been\s+trying|finally)\b",
    re.IGNORECASE,
)


def note_opening(text: str) -> bool:
    """A paragraph that opens the way an author's note does, or a labelled note."""
    return is_note(text) or bool(_NOTE_OPENER.match(text)) or is_closing(text)


def closing_opening(text: str) -> bool:
    """A paragraph that closes a chapter the way notes do ("Next chapter…", review requests)."""
    return is_note(text) or is_closing(text) or bool(_CLOSING_OPENER.match(text))


def writing_talk(text: str) -> bool:
    """The author speaking about the writing, in the first person or to the readers."""
    if _TRYING.match(text):
        return True
    return bool(_SPEAKER.search(text) and _WRITING_WORDS.search(text))


def is_note(text: str) -> bool:
    return bool(NOTE_START.match(text) or NOTE_PARENS.match(text))


def is_closing(text: str) -> bool:
    return len(text) < 600 and bool(CLOSING.search(text))


def strip_note_label(text: str) -> str:
    match = NOTE_START.match(text)
    return text[match.end() :].strip() if match else text


def disclaimer_text(text: str) -> str | None:
    match = DISCLAIMER.match(text)
    if not match:
        return None
    return text[match.end() :].strip(" *")


def fandom_in_disclaimer(text: str) -> str | None:
    body = DISCLAIMER.sub("", text).strip(" *")
    for pattern in (_OWNED, _BELONGS):
        match = pattern.search(body)
        if match:
            name = match.group("fandom").strip(" '\"’”“*_")
            name = re.sub(r"^(?:any\s+of\s+|anything\s+|any\s+)", "", name, flags=re.I)
            if 1 <= len(name) <= 60 and name.lower() not in {"it", "them", "anything", "this"}:
                return name
    return None


_BETA = re.compile(
    r"(?:beta(?:['’]?d|ed)?\s+(?:read\s+)?by|beta(?:\s*reader)?s?\s*[:\-–—]|"
    r"thanks?\s+(?:you\s+)?to\s+(?:my|our)\s+(?:lovely\s+|amazing\s+|wonderful\s+)?"
    r"beta(?:\s*reader)?s?,?|"
    r"(?:my|our)\s+(?:lovely\s+|amazing\s+|wonderful\s+)?beta(?:\s*reader)?s?,?)\s+"
    r"(?P<names>[^.!;\n]+)",
    re.IGNORECASE,
)
_TRANSLATOR = re.compile(r"translat(?:ed|ion)\s+by\s+(?P<names>[^.!;\n]+)", re.I)
_ARTIST = re.compile(r"(?:art|cover|illustrations?)\s+by\s+(?P<names>[^.!;\n]+)", re.I)
_COLLAB = re.compile(
    r"collaboration\s+(?:between|with)\s+(?P<names>[^.!;\n]+)",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*,\s*|\s+(?:&|and|\+)\s+", re.IGNORECASE)
_BY_LINE = re.compile(r"^\s*(?:written\s+)?by\s*[:\-]?\s+(?P<names>.+?)\s*$", re.IGNORECASE)
SIGN_OFF = re.compile(
    r"^\s*(?:[-–—~]+\s*)(?P<names>[A-Z][\w.'’]*(?:\s*(?:&|and|,)\s*[A-Z][\w.'’]*){0,3})\s*$"
)


def split_names(text: str, max_words: int = 4) -> list[str]:
    names = []
    for part in _NAME_SPLIT.split(text):
        part = part.strip(" '\"“”!:")
        part = re.sub(r"^(?:the\s+(?:wonderful|lovely|amazing)\s+|the\s+)", "", part, flags=re.I)
        part = re.sub(r"(?:^|\s+)(?:for|who|with|on|in)\b.*$", "", part, flags=re.I)
        if part and len(part) <= 60 and len(part.split()) <= max_words:
            names.append(part)
    return names


def by_line(text: str) -> list[str]:
    match = _BY_LINE.match(text)
    if not match or len(match.group("names")) > 80 or re.search(r"[.!?;]$", match.group(1)):
        return []
    return split_names(match.group("names"), max_words=8)


def collaborators(text: str) -> list[str]:
    """Creators named in a note: "a collaboration between me (X) and Y"."""
    match = _COLLAB.search(text)
    if not match:
        return []
    names = match.group("names")
    names = re.sub(r"\b(?:me|myself|us)\s*\(([^)]+)\)", r"\1", names, flags=re.I)
    return [n for n in split_names(names) if n.lower() not in {"me", "myself", "us", "i"}]


def find_credits(text: str) -> list[Credit]:
    found = []
    for pattern, role in (
        (_BETA, CreditRole.BETA),
        (_TRANSLATOR, CreditRole.TRANSLATOR),
        (_ARTIST, CreditRole.ARTIST),
    ):
        for match in pattern.finditer(text):
            for name in split_names(match.group("names")):
                found.append(Credit(role=str(role), name=name))
    return found


def add_credits(work: ParsedWork, text: str) -> None:
    known = {(c.role, c.name.casefold()) for c in work.credits}
    for credit in find_credits(text):
        if (credit.role, credit.name.casefold()) not in known:
            known.add((credit.role, credit.name.casefold()))
            work.credits.append(credit)
    work.creators = unique(work.creators + collaborators(text))


def list_value(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s*,\s*", text) if part.strip()]


def status_complete(text: str) -> bool | None:
    value = text.strip().casefold()
    if value in {"complete", "completed", "finished", "yes", "true"}:
        return True
    if value in {"in-progress", "in progress", "incomplete", "wip", "ongoing", "no", "false"}:
        return False
    return None


# --- "Key: value" metadata, as title pages and text headers carry it --------------------

from ficarchive.tags.models import CATEGORIES, WARNINGS  # noqa: E402

_CATEGORY_NAMES = {c.casefold(): c for c in CATEGORIES}
_WARNING_NAMES = {w.casefold(): w for w in WARNINGS}
_WARNING_NAMES["choose not to use archive warnings"] = WARNINGS[0]

FIELD_KEYS: dict[str, str] = {
    "title": "title",
    "story": "title",
    "author": "creators",
    "authors": "creators",
    "writer": "creators",
    "by": "creators",
    "rating": "rating",
    "rated": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "content warnings": "warnings",
    "category": "category",
    "categories": "category",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "genre": "freeforms",
    "genres": "freeforms",
    "additional tags": "freeforms",
    "tags": "freeforms",
    "freeform": "freeforms",
    "freeforms": "freeforms",
    "character": "characters",
    "characters": "characters",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "ship": "relationships",
    "ships": "relationships",
    "status": "status",
    "published": "published",
    "posted": "published",
    "updated": "updated",
    "completed": "updated",
    "chapters": "chapters",
    "words": "words",
    "language": "language",
    "summary": "summary",
    "description": "summary",
    "disclaimer": "disclaimer",
    "series": "series",
    "beta": "beta",
    "beta reader": "beta",
    "beta readers": "beta",
    "betas": "beta",
    "beta'd by": "beta",
    "notes": "notes",
    "author's notes": "notes",
    "author's note": "notes",
    "a/n": "notes",
}
# Keys a reader accepts from a title page but that name nothing to keep.
IGNORED_KEYS = {
    "packaged",
    "publisher",
    "story url",
    "author url",
    "url",
    "source",
    "stats",
    "collections",
    "id",
    "reviews",
    "favs",
    "follows",
    "kudos",
    "hits",
    "bookmarks",
    "comments",
}
KEY_LINE = re.compile(
    r"^\s*\**\s*(?P<key>[A-Za-z][A-Za-z' /]{0,24}?)\s*\**\s*:\s*\**\s*(?P<value>.*)$"
)


def field_key(key: str) -> str | None:
    folded = " ".join(key.replace("’", "'").split()).casefold()
    if folded in IGNORED_KEYS:
        return "ignore"
    return FIELD_KEYS.get(folded)


def apply_field(work: ParsedWork, key: str, value: str) -> bool:
    """Put a "Key: value" pair where it belongs; False when the key means nothing here."""
    name = field_key(key)
    value = value.strip()
    if name is None:
        return False
    if name == "ignore" or not value:
        return True
    if name == "title":
        work.title = work.title or value
    elif name == "creators":
        work.creators = unique(work.creators + split_names(value))
    elif name == "rating":
        rating = rating_name(value)
        if rating:
            work.set_rating(rating)
        else:
            work.problem(f"The rating {value!r} is not one the archive knows.")
    elif name == "warnings":
        for warning in list_value(value):
            known = _WARNING_NAMES.get(warning.casefold())
            if known:
                work.warnings.append(known)
            else:
                work.freeforms.append(warning)
    elif name == "category":
        for part in list_value(value):
            if part.casefold() in _CATEGORY_NAMES:
                work.categories.append(_CATEGORY_NAMES[part.casefold()])
            else:
                work.fandoms.append(part)
    elif name == "characters":
        add_characters(work, value)
    elif name in {"fandoms", "freeforms", "relationships"}:
        getattr(work, name).extend(list_value(value))
    elif name == "status":
        work.complete = status_complete(value)
    elif name in {"published", "updated"}:
        setattr(work, name, parse_date(value))
        if key.strip().casefold() == "completed":
            work.complete = True
    elif name == "chapters":
        set_chapter_count(work, value)
    elif name == "language":
        set_language(work, value)
    elif name == "summary":
        work.summary = work.summary or value
    elif name == "disclaimer":
        work.disclaimer = work.disclaimer or value
    elif name == "series":
        set_series(work, value)
    elif name == "beta":
        work.credits.extend(Credit(role=str(CreditRole.BETA), name=n) for n in split_names(value))
    elif name == "notes":
        work.begin_notes = work.begin_notes or value
    return True


def add_characters(work: ParsedWork, value: str) -> None:
    """FanFiction.Net's character list: "[A, B] C" names A, B and C, and the pairing A/B."""
    for pairing in re.findall(r"\[([^\]]+)\]", value):
        members = list_value(pairing)
        if len(members) > 1:
            work.relationships.append("/".join(members))
    work.characters.extend(m.strip() for m in re.split(r"[,\[\]]", value) if m.strip())


def set_chapter_count(work: ParsedWork, value: str) -> None:
    """AO3's "3/10" or "3/?" and FanFicFare's plain count."""
    match = re.match(r"\s*(\d+)\s*/\s*(\d+|\?)", value)
    if match:
        posted = int(match.group(1))
        expected = None if match.group(2) == "?" else int(match.group(2))
        work.expected_chapters = expected
        if work.complete is None:
            work.complete = expected is not None and posted == expected
    elif parse_int(value) is not None and work.complete:
        work.expected_chapters = parse_int(value)


def set_series(work: ParsedWork, value: str) -> None:
    text = " ".join(value.split())
    match = re.match(r"^part\s+(\d+)\s+of\s+(?:the\s+)?(.+?)(?:\s+series)?$", text, re.I)
    if match:
        from ficarchive.importing.parsed import SeriesPlace

        work.series = SeriesPlace(name=match.group(2).strip(), part=int(match.group(1)))
        return
    match = re.match(r"^(.+?)\s*\[(\d+)\]$|^(.+?)\s*[,#(]\s*(?:part\s*)?(\d+)\)?$", text, re.I)
    from ficarchive.importing.parsed import SeriesPlace

    if match:
        name = match.group(1) or match.group(3)
        part = match.group(2) or match.group(4)
        work.series = SeriesPlace(name=name.strip(), part=int(part))
    else:
        work.series = SeriesPlace(name=text)


def chapter_title(heading: str) -> str:
    """A chapter's own title from its heading: "Chapter 3: Storm" gives "Storm", "Chapter 3"
    nothing, "Prologue" and headings that are not numbered stay whole."""
    heading = " ".join(heading.split())
    parsed = chapter_heading(heading)
    if parsed is None:
        return heading
    word = heading.split()[0].casefold().rstrip(".:")
    if word not in {"chapter", "ch", "chap", "part"}:
        return heading
    title = parsed[1]
    if title and not (title[0].isalnum() or title[0] in "\"'“‘"):
        return heading
    return title

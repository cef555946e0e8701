# ruff: noqa: RUF001 - the patterns match typographic quotes and dashes on purpose
"""Author's notes, closings, disclaimers (and the fandom they name), credits for beta readers,
translators and artists, collaborators and sign-offs."""

from __future__ import annotations

import re

from ficarchive.importing.parsed import Credit, ParsedWork, unique
from ficarchive.works.models import CreditRole

# --- author's notes, disclaimers, credits -----------------------------------------------

NOTE_START = re.compile(
    r"^\s*(?:\**\s*)(?:a/n|an|author'?s?['’]?\s*notes?|notes?|[\w .'’-]{1,40}['’]s\s+notes?)"
    r"\s*(?:\d+|[IVX]{1,4}|\(\w{1,4}\))?\s*\**\s*[:\-–—.]",
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
    r"(?:from|of|in|related to)\s+)?(?:(?-i:the)\s+)?(?P<fandom>[^.,;!()]+?)(?:\s*(?:[,.;!(]|$)|\s+"
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


# What "I don't own …" names when it names no fandom.
_NOT_A_FANDOM = {
    "it",
    "them",
    "anything",
    "this",
    "characters",
    "the characters",
    "these characters",
}


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
            name = re.sub(r"^(?:any\s+of\s+|anything\s+|any\s+)", "", name, flags=re.IGNORECASE)
            if 1 <= len(name) <= 60 and name.lower() not in _NOT_A_FANDOM:
                return name
    return None


_PRAISE = r"(?:(?:lovely|amazing|wonderful|awesome|fantastic|brilliant|fabulous|great|dear)\s+)*"
_BETA = re.compile(
    r"(?:(?<![\w-])beta(?:['’]?d|ed)?\s+(?:read\s+)?by|(?<![\w-])beta(?:[\s-]*reader)?s?\s*[:\-–—]|"
    rf"thanks?\s+(?:you\s+)?(?:so\s+much\s+)?to\s+(?:my|our)\s+{_PRAISE}"
    r"beta(?:[\s-]*reader)?s?,?|"
    rf"(?<![\w-])(?:my|our)\s+{_PRAISE}beta(?:[\s-]*reader)?s?,?)\s+"
    r"(?P<names>[^.!;\n]+)",
    re.IGNORECASE,
)
_TRANSLATOR = re.compile(r"translat(?:ed|ion)\s+by\s+(?P<names>[^.!;\n]+)", re.IGNORECASE)
_ARTIST = re.compile(r"(?:art|cover|illustrations?)\s+by\s+(?P<names>[^.!;\n]+)", re.IGNORECASE)
_COLLAB = re.compile(
    r"(?:collaboration\s+(?:between|with)|(?:co-?)?written\s+(?:together\s+)?with|"
    r"co-?written\s+by|co-?authored\s+(?:with|by))\s+(?P<names>[^.!;\n]+)",
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
        part = re.sub(
            r"^(?:the\s+(?:wonderful|lovely|amazing)\s+|the\s+)",
            "",
            part,
            flags=re.IGNORECASE,
        )
        part = re.sub(r"(?:^|\s+)(?:for|who|with|on|in)\b.*$", "", part, flags=re.IGNORECASE)
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
    names = re.sub(r"\b(?:me|myself|us)\s*\(([^)]+)\)", r"\1", names, flags=re.IGNORECASE)
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

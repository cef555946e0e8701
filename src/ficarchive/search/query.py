"""The one search query: parsed from URL parameters (the page, its URL and the command line alike).

`SearchQuery.from_params(querydict)` returns the query or raises `BadQuery` naming the parameter
and what is wrong with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _

from ficarchive.works.models import LANGUAGES

RANGE_FIELDS = ("words", "chapters", "kudos", "hits", "bookmarks", "comments")
DATE_FIELDS = ("published", "updated")
SORTS = (
    "relevance",
    "updated",
    "published",
    "title",
    "creator",
    "words",
    "chapters",
    "kudos",
    "comments",
    "bookmarks",
    "hits",
)
ASCENDING_BY_DEFAULT = {"title", "creator"}
ORDERS = ("asc", "desc")
PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_NUMBER = 2**62
LANGUAGE_CODES = {code for code, _name in LANGUAGES}
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits; "_" splits words


class BadQuery(ValueError):
    """A malformed parameter: `param` names it, the message says why."""

    def __init__(self, param: str, reason: str) -> None:
        super().__init__(f"{param}: {reason}")
        self.param = param
        self.reason = reason


class Params(Protocol):
    def getlist(self, key: str, default: list[str] | None = None) -> list[str]: ...


def tokens(text: str) -> list[str]:
    """Lower-case words as the text index and the query see them."""
    return TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Range:
    """Inclusive bounds; None is open."""

    low: int | None = None
    high: int | None = None

    def __and__(self, other: Range) -> Range:
        lows = [v for v in (self.low, other.low) if v is not None]
        highs = [v for v in (self.high, other.high) if v is not None]
        return Range(max(lows) if lows else None, min(highs) if highs else None)

    def contains(self, value: int) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class DateRange:
    start: date | None = None
    end: date | None = None

    def contains(self, day: date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Term:
    """A word or a phrase (several words in order); `negated` for `-word`."""

    words: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """`text` is a conjunction of clauses; each clause is a disjunction (OR) of terms."""

    q: str = ""
    text: tuple[tuple[Term, ...], ...] = ()
    body: bool = False  # the text clauses also search the chapters' text
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    complete: bool | None = None
    lang: str | None = None
    collection: str | None = None  # a collection's name: its works (and its sub-collections')
    # Tags by id, each through its synonyms and sub-fandoms (a tag's page: not from the URL).
    tags: tuple[int, ...] = ()
    creators: tuple[int, ...] = ()  # accounts by id: their works (but anonymous ones)
    ranges: dict[str, Range] = field(default_factory=dict)
    dates: dict[str, DateRange] = field(default_factory=dict)
    sort: str = "updated"
    order: str = "desc"
    page: int = 1
    per_page: int = PER_PAGE
    facets: bool = True  # listings show no facets and skip counting them

    @classmethod
    def from_params(cls, params: Params) -> SearchQuery:
        return parse(params)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def positive_words(self) -> list[str]:
        return [
            w for clause in self.text for term in clause if not term.negated for w in term.words
        ]

    def with_page(self, page: int) -> SearchQuery:
        return replace(self, page=page)


def _values(params: Params, name: str) -> list[str]:
    return [value.strip() for value in params.getlist(name) if value.strip()]


def _single(params: Params, name: str) -> str | None:
    values = _values(params, name)
    if len(values) > 1:
        raise BadQuery(name, _("give it once."))
    return values[0] if values else None


def _tag_names(params: Params, name: str) -> tuple[str, ...]:
    names: list[str] = []
    for value in _values(params, name):
        for part in value.split(","):
            cleaned = " ".join(part.split())
            if cleaned and cleaned.lower() not in {n.lower() for n in names}:
                names.append(cleaned)
    return tuple(names)


def _number(param: str, text: str) -> int:
    if not text.isdecimal():  # isdigit() also takes "²", which int() refuses
        raise BadQuery(param, _("%(value)s is not a whole number.") % {"value": repr(text)})
    value = int(text)
    if value > MAX_NUMBER:
        raise BadQuery(param, _("%(value)s is too large.") % {"value": text})
    return value


def parse_range(param: str, text: str) -> Range:
    """`100-500`, `100-`, `-500` or a single number `300`."""
    low, dash, high = text.replace(" ", "").partition("-")
    if not dash:
        value = _number(param, low)
        return Range(value, value)
    if not low and not high:
        raise BadQuery(
            param, _("give a low bound, a high bound or both, as 100-500, 100- or -500.")
        )
    bounds = Range(_number(param, low) if low else None, _number(param, high) if high else None)
    if bounds.low is not None and bounds.high is not None and bounds.low > bounds.high:
        reason = _("the low bound %(low)s is above the high bound %(high)s.")
        raise BadQuery(param, reason % {"low": bounds.low, "high": bounds.high})
    return bounds


def _date(param: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        reason = _("%(value)s is not a date like 2024-01-31.") % {"value": repr(text)}
        raise BadQuery(param, reason) from None


def parse_dates(param: str, text: str) -> DateRange:
    """`2024-01-01..2024-12-31`, `2024-01-01..`, `..2024-12-31` or one day `2024-05-01`."""
    start, dots, end = text.replace(" ", "").partition("..")
    if not dots:
        day = _date(param, start)
        return DateRange(day, day)
    if not start and not end:
        raise BadQuery(param, _("give a start, an end or both, as 2024-01-01..2024-12-31."))
    span = DateRange(_date(param, start) if start else None, _date(param, end) if end else None)
    if span.start and span.end and span.start > span.end:
        reason = _("the start %(start)s is after the end %(end)s.")
        raise BadQuery(param, reason % {"start": span.start, "end": span.end})
    return span


def parse_bool(param: str, text: str) -> bool:
    lowered = text.lower()
    if lowered in {"true", "yes", "1"}:
        return True
    if lowered in {"false", "no", "0"}:
        return False
    raise BadQuery(param, _("%(value)s is neither true nor false.") % {"value": repr(text)})


_COMPARISON = re.compile(r"^(>=|<=|>|<|=)?(.*)$")


def _field_range(param: str, value: str) -> Range:
    match = _COMPARISON.match(value)
    assert match is not None  # the pattern matches any text
    op, rest = match.group(1) or "", match.group(2)
    if not op:
        return parse_range(param, rest)
    number = _number(param, rest)
    return {
        ">": Range(number + 1, None),
        ">=": Range(number, None),
        "<": Range(None, number - 1) if number > 0 else Range(1, 0),
        "<=": Range(None, number),
        "=": Range(number, number),
    }[op]


_Q_PIECES = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class _Parsed:
    text: list[list[Term]] = field(default_factory=list)
    ranges: dict[str, Range] = field(default_factory=dict)
    complete: bool | None = None
    lang: str | None = None
    collection: str | None = None


def parse_q(q: str) -> _Parsed:
    """Words, "phrases", -negations, OR between terms, and field expressions (kudos:>100)."""
    parsed = _Parsed()
    join_next = False
    for match in _Q_PIECES.finditer(q):
        negated, phrase, bare = match.group(1) == "-", match.group(2), match.group(3)
        if bare == "OR":
            join_next = bool(parsed.text)
            continue
        if bare is not None:
            name, colon, value = bare.partition(":")
            if colon and name.lower() in RANGE_FIELDS and value:
                param = f"q ({name.lower()}:)"
                fresh = _field_range(param, value)
                old = parsed.ranges.get(name.lower(), Range())
                parsed.ranges[name.lower()] = old & fresh
                continue
            if colon and name.lower() == "complete" and value:
                parsed.complete = parse_bool("q (complete:)", value)
                continue
            if colon and name.lower() in {"lang", "language"} and value:
                parsed.lang = _language("q (lang:)", value)
                continue
            if colon and name.lower() == "collection" and value:
                parsed.collection = value.lower()
                continue
            negated = bare.startswith("-") and len(bare) > 1
            phrase = bare[1:] if negated else bare
        words = tuple(tokens(phrase or ""))
        if not words:
            join_next = False
            continue
        term = Term(words, negated)
        if join_next:
            parsed.text[-1].append(term)
        else:
            parsed.text.append([term])
        join_next = False
    return parsed


def _language(param: str, value: str) -> str:
    for code in LANGUAGE_CODES:
        if code.lower() == value.lower():
            return code
    reason = _("%(value)s is not a language code of the archive (such as en, de).")
    raise BadQuery(param, reason % {"value": repr(value)})


def _page_number(params: Params, name: str, default: int, top: int) -> int:
    text = _single(params, name)
    if text is None:
        return default
    value = _number(name, text)
    if value < 1:
        raise BadQuery(name, _("must be 1 or more."))
    if value > top:
        raise BadQuery(name, _("must be at most %(top)s.") % {"top": top})
    return value


def parse(params: Params) -> SearchQuery:
    q = " ".join(_values(params, "q"))
    parsed = parse_q(q)
    ranges = dict(parsed.ranges)
    for name in RANGE_FIELDS:
        text = _single(params, name)
        if text is not None:
            ranges[name] = ranges.get(name, Range()) & parse_range(name, text)
    dates = {}
    for name in DATE_FIELDS:
        text = _single(params, name)
        if text is not None:
            dates[name] = parse_dates(name, text)
    complete = parsed.complete
    text = _single(params, "complete")
    if text is not None:
        value = parse_bool("complete", text)
        if complete is not None and complete != value:
            raise BadQuery("complete", _("the search text asks for the opposite."))
        complete = value
    lang = parsed.lang
    text = _single(params, "lang")
    if text is not None:
        lang = _language("lang", text)
    sort = (_single(params, "sort") or ("relevance" if parsed.text else "updated")).lower()
    if sort not in SORTS:
        reason = _("%(value)s is not one of %(choices)s.")
        raise BadQuery("sort", reason % {"value": repr(sort), "choices": ", ".join(SORTS)})
    order = (_single(params, "order") or "").lower()
    if order and order not in ORDERS:
        raise BadQuery("order", _("%(value)s is neither asc nor desc.") % {"value": repr(order)})
    order = order or ("asc" if sort in ASCENDING_BY_DEFAULT else "desc")
    body = _single(params, "body")
    collection = _single(params, "collection")
    if collection is not None and parsed.collection and collection.lower() != parsed.collection:
        raise BadQuery("collection", _("the search text names another collection."))
    return SearchQuery(
        q=q,
        text=tuple(tuple(clause) for clause in parsed.text),
        body=parse_bool("body", body) if body is not None else False,
        include=_tag_names(params, "include"),
        exclude=_tag_names(params, "exclude"),
        complete=complete,
        lang=lang,
        collection=collection.lower() if collection else parsed.collection,
        ranges=ranges,
        dates=dates,
        sort=sort,
        order=order,
        page=_page_number(params, "page", 1, MAX_PAGE),
        per_page=_page_number(params, "per_page", PER_PAGE, MAX_PER_PAGE),
    )

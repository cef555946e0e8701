"""A rating proposed from the content: explicit sexual words or graphic violence, with the
passages that gave it; a stated rating is never replaced, only flagged when far below."""

from __future__ import annotations

import re

from ficarchive.importing.parsed import INFERRED, ParsedWork
from ficarchive.tags.models import EXPLICIT, GENERAL, MATURE, TEEN

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

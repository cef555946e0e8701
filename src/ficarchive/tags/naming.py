"""Tag names in URLs, escaped as the Archive of Our Own escapes them ("F/M" is "F*s*M")."""

from __future__ import annotations

import re

_ESCAPES = [("*", "*star*"), ("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]
_RAW = {escaped: raw for raw, escaped in _ESCAPES}
_ESCAPED = re.compile("|".join(re.escape(escaped) for _, escaped in _ESCAPES))


def tag_to_url(name: str) -> str:
    # "*" goes first so that the escapes' own stars are not escaped again.
    for raw, escaped in _ESCAPES:
        name = name.replace(raw, escaped)
    return name


def tag_from_url(value: str) -> str:
    # One pass from the left, so that "*star*s*star*" is "*s*" and not "*star/star*".
    return _ESCAPED.sub(lambda match: _RAW[match.group()], value)


class TagNameConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return tag_from_url(value)

    def to_url(self, value: str) -> str:
        return tag_to_url(value)

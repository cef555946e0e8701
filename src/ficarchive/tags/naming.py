"""Tag names in URLs, escaped as the Archive of Our Own escapes them ("F/M" is "F*s*M")."""

from __future__ import annotations

_ESCAPES = [("*", "*star*"), ("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]


def tag_to_url(name: str) -> str:
    # "*" goes first so that the escapes' own stars are not escaped again.
    for raw, escaped in _ESCAPES:
        name = name.replace(raw, escaped)
    return name


def tag_from_url(value: str) -> str:
    for raw, escaped in reversed(_ESCAPES):
        value = value.replace(escaped, raw)
    return value


class TagNameConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return tag_from_url(value)

    def to_url(self, value: str) -> str:
        return tag_to_url(value)

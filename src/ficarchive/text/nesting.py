"""Bound how deeply sanitized HTML nests, keeping every word in its place.

No story needs a hundred nested elements, but a chapter of 400 unclosed `<div>`s is easy to
paste. Browsers show such text however deep it goes; e-book and XML tools do not (libxml2 stops
at 255 levels and drops the rest). So the archive stores no element deeper than `MAX_DEPTH`:
past it, tags are left out and their text stays where it was. A block left out (a paragraph, a
list item, a cell) leaves a line break, so that its text does not run into its neighbours'.

This works on the sanitizer's output, which is a serialised tree: every tag is well formed,
every element that is not void has its end tag, and `<` in text is always escaped.
"""

from __future__ import annotations

import re

MAX_DEPTH = 100

_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)"
    r"((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*(/?)>"
)
# The start or end of an element that can hold others (no void element): "" or "/".
_HOLDER_TAG = re.compile(
    r"<(/?)(?!(?:area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b)[A-Za-z]",
    re.IGNORECASE,
)
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Elements that need more levels under them to hold text the way HTML allows.
_ROOM = {"table": 3, "thead": 2, "tbody": 2, "tfoot": 2, "tr": 1, "ul": 1, "ol": 1, "dl": 1}
# Elements that mean something only inside their own parent (a cell in a row, an item in a list).
_NEEDS_PARENT = {
    "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup",
    "rt", "rp",
}  # fmt: skip
# Elements that start a new line of their own (the sanitizer's block elements).
_BLOCKS = {
    "p", "div", "center", "blockquote", "pre", "address", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr",
    "th", "td", "details", "summary", "figure", "figcaption",
}  # fmt: skip
_BREAK = "<br>"


def _deeper_than(html: str, max_depth: int) -> bool:
    """Whether any element nests deeper than MAX_DEPTH: a quick look at the tags' first bytes."""
    depth = 0
    for closing in _HOLDER_TAG.findall(html):
        if closing:
            depth -= 1
        else:
            depth += 1
            if depth > max_depth:
                return True
    return False


def flatten_deep(html: str, max_depth: int = MAX_DEPTH) -> str:
    """HTML with no element nested deeper than MAX_DEPTH; the same text in the same order."""
    if html.count("<") <= max_depth or not _deeper_than(html, max_depth):
        return html
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, kept) for every open element
    depth = 0  # kept elements open
    text_since_break = False
    position = 0
    for match in _TAG.finditer(html):
        text = html[position : match.start()]
        position = match.end()
        if text:
            out.append(text)
            text_since_break = text_since_break or bool(text.strip())
        closing, name, _, self_closing = match.group(1), match.group(2).lower(), *match.group(3, 4)
        if not closing and (name in _VOID or self_closing):
            out.append(match.group(0))
            text_since_break = text_since_break or name != "br"
            continue
        if not closing:
            kept = depth + _ROOM.get(name, 0) < max_depth and (
                name not in _NEEDS_PARENT or not stack or stack[-1][1]
            )
            stack.append((name, kept))
            if kept:
                depth += 1
                out.append(match.group(0))
                text_since_break = False
            elif name in _BLOCKS and text_since_break:
                out.append(_BREAK)
                text_since_break = False
            continue
        opened = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == name), None)
        if opened is None:  # an end tag nothing opened: leave it as it came
            out.append(match.group(0))
            continue
        for inner, kept in reversed(stack[opened + 1 :]):
            if kept:
                out.append(f"</{inner}>")
                depth -= 1
        del stack[opened + 1 :]
        _, kept = stack.pop()
        if kept:
            depth -= 1
            out.append(match.group(0))
            text_since_break = False
        elif name in _BLOCKS and text_since_break:
            out.append(_BREAK)
            text_since_break = False
    out.append(html[position:])
    return "".join(out)

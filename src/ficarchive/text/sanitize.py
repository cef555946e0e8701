"""The one HTML sanitizer: an allow-list close to the Archive of Our Own's, through nh3."""

from __future__ import annotations

import re

import nh3

from ficarchive.text.nesting import flatten_deep

BLOCK_TAGS = {
    "p", "br", "hr", "div", "center", "blockquote", "pre", "address",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "details", "summary", "figure", "figcaption",
}  # fmt: skip
INLINE_TAGS = {
    "a", "abbr", "acronym", "b", "big", "cite", "code", "del", "dfn", "em", "i", "img", "ins",
    "kbd", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "tt", "u",
    "var", "ruby", "rt", "rp", "bdo", "mark",
}  # fmt: skip
ALIGNABLE = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "img", "table"}

_COMMON = {"title", "dir", "lang", "style"}
ATTRIBUTES: dict[str, set[str]] = {"*": _COMMON}
for _tag in ALIGNABLE:
    ATTRIBUTES[_tag] = {"align"}
ATTRIBUTES["a"] = {"href", "name"}
ATTRIBUTES["img"] = {"src", "alt", "width", "height", "align"}
ATTRIBUTES["ol"] = {"start", "type"}
ATTRIBUTES["td"] = {"align", "colspan", "rowspan"}
ATTRIBUTES["th"] = {"align", "colspan", "rowspan", "scope"}
ATTRIBUTES["col"] = {"span"}
ATTRIBUTES["colgroup"] = {"span"}
ATTRIBUTES["blockquote"] = {"cite"}
ATTRIBUTES["q"] = {"cite"}
ATTRIBUTES["abbr"] = {"title"}

STYLE_PROPERTIES = {"text-align", "font-style", "font-weight", "text-decoration"}
URL_SCHEMES = {"http", "https", "mailto"}
# Addresses nh3 does not check itself (it checks href and src): kept only with a scheme above.
CHECKED_ADDRESSES = {"cite"}
# A scheme as a browser reads it: after tabs and newlines go and leading controls are stripped.
_SCHEME = re.compile(r"[\x00-\x20]*([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """An attribute's value as kept, or None to drop it: `cite` with any other scheme goes."""
    if attribute in CHECKED_ADDRESSES:
        scheme = _SCHEME.match(value.replace("\t", "").replace("\n", "").replace("\r", ""))
        if scheme and scheme.group(1).lower() not in URL_SCHEMES:
            return None
    return value


def sanitize_html(html: str) -> str:
    """Keep the allowed tags and attributes; drop scripts, styles, handlers and unsafe URLs.

    Links get rel="nofollow noopener noreferrer"; the content of script and style elements is
    removed, not shown as text. Nothing nests deeper than `nesting.MAX_DEPTH` elements, so that
    every download holds all the text the page shows.
    """
    cleaned = nh3.clean(
        html,
        tags=BLOCK_TAGS | INLINE_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        filter_style_properties=STYLE_PROPERTIES,
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )
    return flatten_deep(cleaned).strip()


def sanitize_inline(html: str) -> str:
    """Sanitize a short field (summary, notes) with the same allow-list as a chapter body."""
    return sanitize_html(html)

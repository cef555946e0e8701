"""Sanitized HTML (as the archive stores it) turned into well-formed, valid XHTML, or plain text.

Bodies, summaries and notes are stored as sanitized HTML: safe, but HTML (`<br>`, `&nbsp;`,
`align="center"`, `<center>`, a `<div>` inside an `<em>`). E-books need XHTML that is
well-formed XML and follows HTML5's content models, or epubcheck refuses the book and some
readers show nothing. `to_xhtml` parses with lxml, rewrites what HTML5 made obsolete, fixes the
nesting rules a browser forgives, and serialises as XML. `to_text` reads the same tree as text.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from urllib.parse import quote, urljoin

from lxml import etree

from ficarchive.text.nesting import flatten_deep

# Characters XML 1.0 does not allow (controls other than tab and newlines, lone surrogates,
# U+FFFE/U+FFFF): removed from anything that goes into an XML file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

# Elements whose content must be phrasing content (text and inline elements).
_PHRASING = {
    "a", "abbr", "b", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd",
    "mark", "q", "ruby", "rt", "rp", "s", "samp", "small", "span", "strong", "sub", "sup", "u",
    "var",
}  # fmt: skip
_TRANSPARENT = {"a", "ins", "del"}  # phrasing when their content is, flow otherwise
_PHRASING_ONLY = (_PHRASING - _TRANSPARENT) | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
# HTML5 dropped these; each becomes its modern equivalent (tag, extra style).
_OBSOLETE = {
    "center": ("div", "text-align: center"),
    "big": ("span", "font-size: larger"),
    "tt": ("code", ""),
    "strike": ("s", ""),
    "acronym": ("abbr", ""),
    "address": ("div", ""),
    "details": ("div", ""),
    "summary": ("p", "font-weight: bold"),
    "figure": ("div", ""),
    "figcaption": ("p", ""),
}
# The look an inline element keeps when it must become a block to hold blocks.
_INLINE_LOOK = {
    "em": "font-style: italic",
    "i": "font-style: italic",
    "cite": "font-style: italic",
    "var": "font-style: italic",
    "dfn": "font-style: italic",
    "strong": "font-weight: bold",
    "b": "font-weight: bold",
    "u": "text-decoration: underline",
    "ins": "text-decoration: underline",
    "s": "text-decoration: line-through",
    "del": "text-decoration: line-through",
    "code": "font-family: monospace",
    "kbd": "font-family: monospace",
    "samp": "font-family: monospace",
    "small": "font-size: smaller",
    "pre": "white-space: pre-wrap; font-family: monospace",
    "h1": "font-size: 2em; font-weight: bold",
    "h2": "font-size: 1.5em; font-weight: bold",
    "h3": "font-size: 1.17em; font-weight: bold",
    "h4": "font-weight: bold",
    "h5": "font-size: .83em; font-weight: bold",
    "h6": "font-size: .67em; font-weight: bold",
}
_ALIGNS = {"left", "right", "center", "justify"}
_TABLE_PARENTS = {
    "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "caption": {"table"},
    "colgroup": {"table"},
    "col": {"colgroup", "table"},
}
_NUMBER_ATTRIBUTES = {"colspan", "rowspan", "span", "width", "height", "start"}
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def xml_text(value: str) -> str:
    """The text without the characters XML cannot hold."""
    return _NOT_XML.sub("", value)


def parse(html: str) -> etree._Element:
    """The fragment as a tree under one `<div>` (libxml2's HTML parser, forgiving as browsers).

    Text saved before the archive bounded nesting is bounded here the same way, and libxml2 is
    told not to cut long text or deep trees (`huge_tree`): no text the page shows is lost.
    """
    html = flatten_deep(xml_text(html)).strip()
    if not html:
        return etree.Element("div")
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
    )
    document = etree.fromstring(f"<html><body>{html}</body></html>", parser)
    body = document.find("body")
    if body is None:  # nothing the parser could read
        return etree.Element("div")
    body.tag = "div"
    return body


def to_xhtml(html: str, *, base_url: str = "", images: bool = True) -> str:
    """Well-formed XHTML for a sanitized HTML fragment, valid as EPUB 3 content.

    Relative links are made absolute against `base_url`. With `images=False` (EPUB, which may
    not load remote images) each image becomes a link to it, labelled with its alt text.
    """
    root = parse(html)
    for element in list(root.iter()):
        if isinstance(element.tag, str):
            _modernise(element, base_url, images)
    _fix_structure(root)
    _fix_content(root)
    inner = etree.tostring(root, encoding="unicode", method="xml")
    # Drop the wrapper's own tags: `<div>` ... `</div>` (or `<div/>` when empty).
    return "" if inner == "<div/>" else inner[len("<div>") : -len("</div>")]


def _modernise(element: etree._Element, base_url: str, images: bool) -> None:
    """Obsolete elements and attributes become their HTML5 equivalents; links go absolute."""
    tag = element.tag
    if tag in _OBSOLETE:
        element.tag, look = _OBSOLETE[tag]
        if look:
            _add_style(element, look)
    align = element.attrib.pop("align", "").strip().lower()
    if align in _ALIGNS and element.tag not in {"img", "table"}:
        _add_style(element, f"text-align: {align}")
    for name in _NUMBER_ATTRIBUTES & set(element.attrib):
        if not element.attrib[name].strip().isdigit():
            del element.attrib[name]
    if element.attrib.get("dir", "ltr") not in {"ltr", "rtl", "auto"}:
        del element.attrib["dir"]
    if element.tag == "bdo" and "dir" not in element.attrib:
        element.tag = "span"
    if element.tag == "th" and element.attrib.get("scope") not in {
        None,
        "row",
        "col",
        "rowgroup",
        "colgroup",
    }:
        del element.attrib["scope"]
    parent = element.getparent()
    if element.tag in {"rt", "rp"} and parent is not None and parent.tag != "ruby":
        element.tag = "span"
    if element.tag == "a":
        element.attrib.pop("name", None)
        if element.attrib.get("href", "").strip():
            element.attrib["href"] = _absolute(element.attrib["href"], base_url)
        else:  # an old-style anchor, not a link
            element.tag = "span"
            element.attrib.pop("href", None)
            element.attrib.pop("rel", None)
    if element.tag == "img":
        _fix_image(element, base_url, images)


def _fix_image(element: etree._Element, base_url: str, images: bool) -> None:
    src = _absolute(element.attrib.get("src", ""), base_url)
    alt = element.attrib.get("alt", "")
    if images and src:
        element.attrib["src"] = src
        if "alt" not in element.attrib:
            element.attrib["alt"] = ""
        return
    tail = element.tail
    element.attrib.clear()
    element.tag = "a" if src else "span"
    if src:
        element.attrib["href"] = src
    element.text = f"[Image: {alt}]" if alt.strip() else "[Image]"
    element.tail = tail


def _absolute(href: str, base_url: str) -> str:
    href = quote(href.strip(), safe=_URL_SAFE)
    return urljoin(base_url, href) if base_url else href


def _add_style(element: etree._Element, style: str) -> None:
    existing = element.attrib.get("style", "").strip().rstrip(";")
    element.attrib["style"] = f"{existing}; {style}" if existing else style


def _fix_structure(root: etree._Element) -> None:
    """Lists, definition lists and tables hold only the children HTML5 allows them."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        allowed = _TABLE_PARENTS.get(element.tag)
        if allowed is not None and (parent is None or parent.tag not in allowed):
            element.tag = "span" if element.tag == "col" else "div"
        if element.tag == "a" and any(a.tag == "a" for a in element.iterancestors()):
            element.tag = "span"
            element.attrib.pop("href", None)
            element.attrib.pop("rel", None)
    for element in list(root.iter()):
        if element.tag in {"ul", "ol"}:
            _wrap_strays(element, keep={"li"}, wrapper="li")
        elif element.tag == "dl":
            _wrap_strays(element, keep={"dt", "dd"}, wrapper="dd")
    for element in list(root.iter("li", "dt", "dd")):
        parent = element.getparent()
        wanted = {"ul", "ol"} if element.tag == "li" else {"dl"}
        if parent is not None and parent.tag not in wanted:
            _wrap_run(element, "ul" if element.tag == "li" else "dl")


def _wrap_strays(element: etree._Element, *, keep: set[str], wrapper: str) -> None:
    """Put the text and the children a list may not hold into items of their own."""
    if element.text and element.text.strip():
        item = etree.Element(wrapper)
        item.text, element.text = element.text, None
        element.insert(0, item)
    else:
        element.text = None
    children = list(element)
    current = None
    for child in children:
        if isinstance(child.tag, str) and child.tag in keep:
            current = None
            if child.tail and child.tail.strip():
                current = etree.Element(wrapper)
                current.text, child.tail = child.tail, None
                child.addnext(current)
            continue
        if current is None:
            current = etree.Element(wrapper)
            child.addprevious(current)
        current.append(child)


def _wrap_run(element: etree._Element, wrapper: str) -> None:
    """Wrap a stray list item (and the items right after it) in a list of their own."""
    box = etree.Element(wrapper)
    element.addprevious(box)
    kinds = {"li"} if wrapper == "ul" else {"dt", "dd"}
    node: etree._Element | None = element
    while node is not None and node.tag in kinds:
        following = node.getnext()
        tail = node.tail
        box.append(node)
        if tail and tail.strip():
            node.tail = None
            box.tail = tail
            break
        node = following


def _is_phrasing(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return True  # comments and processing instructions say nothing
    if element.tag not in _PHRASING:
        return False
    if element.tag in _TRANSPARENT:
        return all(_is_phrasing(child) for child in element)
    return True


def _fix_content(element: etree._Element) -> None:
    """Blocks inside inline elements or paragraphs: the holder becomes a block that looks alike.

    Children first, so that a holder made a block makes its own holder one in turn.
    """
    for child in element:
        if isinstance(child.tag, str):
            _fix_content(child)
    if element.tag in _PHRASING_ONLY and not all(_is_phrasing(child) for child in element):
        look = _INLINE_LOOK.get(element.tag, "")
        element.tag = "div"
        if look:
            _add_style(element, look)


# --- plain text -----------------------------------------------------------------------------

WIDTH = 78
SCENE_BREAK = "* * *"
_BLOCKS = {
    "p", "div", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "center", "address", "details", "summary",
    "figure", "figcaption", "caption", "thead", "tbody", "tfoot",
}  # fmt: skip


def to_text(html: str, width: int = WIDTH) -> str:
    """Sanitized HTML as plain text: paragraphs wrapped, blank lines between, breaks kept."""
    blocks: list[str] = []
    _text_blocks(parse(html), blocks, indent="", width=width)
    return "\n\n".join(block for block in blocks if block.strip())


def _text_blocks(element: etree._Element, blocks: list[str], *, indent: str, width: int) -> None:
    """Append the element's blocks of text, each wrapped, to `blocks`."""
    inline: list[str] = [element.text or ""]

    def flush() -> None:
        text = "".join(inline)
        inline.clear()
        if text.strip():
            blocks.append(wrap(text, width, indent, centered=_centered(element)))

    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCKS:
            flush()
            if tag == "hr":
                blocks.append(SCENE_BREAK.center(width).rstrip())
            elif tag == "pre":
                blocks.append(_indented("".join(child.itertext()).strip("\n"), indent))
            else:
                deeper = indent + ("    " if tag == "blockquote" else "")
                prefix = {"li": "- ", "dd": "    "}.get(tag, "")
                start = len(blocks)
                _text_blocks(child, blocks, indent=deeper, width=width)
                if prefix and len(blocks) > start:
                    blocks[start] = _prefixed(blocks[start], prefix, deeper)
                if tag == "tr":
                    cells = blocks[start:]
                    del blocks[start:]
                    blocks.append(indent + " | ".join(cell.strip() for cell in cells))
        elif tag == "br":
            inline.append("\n")
        elif tag in {"td", "th"}:
            flush()
            blocks.append(" ".join("".join(child.itertext()).split()))
        elif tag:
            inline.append(_inline_text(child))
        inline.append(child.tail or "")
    flush()


def _inline_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append("\n" if child.tag == "br" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _centered(element: etree._Element) -> bool:
    style = element.attrib.get("style", "").replace(" ", "").lower()
    return (
        element.tag == "center"
        or element.attrib.get("align", "").lower() == "center"
        or "text-align:center" in style
    )


def _prefixed(block: str, prefix: str, indent: str) -> str:
    if block.startswith(indent):
        return indent + prefix + block[len(indent) :].lstrip()
    return prefix + block.lstrip()


def _indented(text: str, indent: str) -> str:
    return "\n".join(indent + line for line in text.split("\n"))


def wrap(text: str, width: int = WIDTH, indent: str = "", *, centered: bool = False) -> str:
    """Wrap a paragraph at `width` columns, keeping its own line breaks.

    Words are never split; lines of wide characters (Chinese, Japanese, Korean), which have no
    spaces to wrap at, are cut by their display width instead.
    """
    lines = []
    for line in text.split("\n"):
        line = " ".join(line.replace("\u00a0", " ").split())
        if centered:
            lines.append(line.center(width).rstrip())
            continue
        wrapped = textwrap.wrap(
            line,
            width=width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [indent]
        for piece in wrapped:
            lines.extend(_cut_wide(piece, width, indent))
    return "\n".join(lines).rstrip()


def _cut_wide(line: str, width: int, indent: str) -> list[str]:
    if _display_width(line) <= width or _display_width(line) == len(line):
        return [line]
    pieces, current, used = [], "", 0
    for char in line[len(indent) :]:
        char_width = _display_width(char)
        if used + char_width > width - len(indent) and current:
            pieces.append(indent + current)
            current, used = "", 0
        current += char
        used += char_width
    pieces.append(indent + current)
    return pieces


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)

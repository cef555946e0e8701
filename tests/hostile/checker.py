"""One checker for everything the archive sends out: is there anything a browser or a reader
app would run, or that would send the reader elsewhere?

Pages are parsed as a browser parses them (an HTML5 parser, Lexbor through selectolax), so
markup that only turns live after the browser's own repairs (mutation XSS) is found too.
Feeds and EPUB files are parsed as XML, as reader apps parse them, and HTML carried escaped
inside a feed (`type="html"`) is parsed again as HTML.

A finding names what was found and the label of the text before it: the hostile suite writes
each field as `XV<vector>-<field> <vector>`, so a finding says which vector in which field.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

LABEL = re.compile(r"XV(\d+)-([a-z-]+)")

# Schemes that run script or hold a whole document; data: is allowed only for images.
RUNNING_SCHEMES = {"javascript", "vbscript", "livescript", "mocha", "jscript", "data"}
SAFE_DATA = re.compile(r"data:(,|image/(png|gif|jpeg|jpg|webp|avif)[;,])")
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "codebase", "background",
    "poster", "cite", "lowsrc", "dynsrc", "ping", "manifest", "icon", "srcset", "archive",
    "longdesc", "usemap", "profile", "xml:base", "to", "from", "values", "by", "imagesrcset",
    "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete", "hx-push-url", "hx-replace-url",
    "data-hx-get", "data-hx-post", "data-hx-put", "data-hx-patch", "data-hx-delete",
}  # fmt: skip
LIST_ATTRIBUTES = {"srcset": ",", "imagesrcset": ",", "values": ";", "ping": " "}
# Elements no page of ours holds and that embed, navigate or change how the rest is read.
FORBIDDEN = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "template",
    "noscript", "noembed", "noframes", "xmp", "plaintext", "listing", "isindex", "keygen",
    "foreignobject", "handler", "listener", "import", "fencedframe",
}  # fmt: skip
OWN_SCRIPTS = ("/static/", "/admin/jsi18n/")  # the archive's and the Django admin's files
HARMLESS_HTTP_EQUIV = {"content-type", "content-language", "x-ua-compatible"}
HARMLESS_HTTP_EQUIV.add("content-security-policy")
LOADING_RELS = {"stylesheet", "import", "preload", "modulepreload", "prefetch", "prerender"}
AUTO_TRIGGERS = re.compile(r"\b(load|revealed|intersect|every)\b")
CSS_DANGER = re.compile(
    r"expression\s*\(|javascript:|vbscript:|-moz-binding|(?<![-\w])behavior\s*:|@import",
    re.IGNORECASE,
)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
URL_NOISE = re.compile(r"[\t\n\r]")
C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
TEMPLATE_TAGS = re.compile(r"^<template[^>]*>|</template>$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    where: str  # the address or file checked
    label: str  # the label of the text before it: "vector 12 in chapter-body"
    what: str  # what was found

    def __str__(self) -> str:
        return f"{self.where}: {self.what} (after {self.label})"


# --- rules on one element ------------------------------------------------------------------


def _css_text(value: str) -> str:
    """CSS as a browser reads it: comments gone, escapes decoded."""

    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code < 0x110000 else ""
        return match.group(2)

    return CSS_ESCAPE.sub(unescape, CSS_COMMENT.sub("", value))


def running_scheme(value: str, *, image: bool = False) -> str:
    """The scheme of the address VALUE if following it runs script (as a browser reads the
    attribute: tabs and newlines dropped, leading and trailing controls and spaces stripped)."""
    address = URL_NOISE.sub("", value).strip(C0_AND_SPACE)
    match = SCHEME.match(address)
    if not match:
        return ""
    scheme = match.group(1).lower()
    if scheme not in RUNNING_SCHEMES:
        return ""
    if scheme == "data" and (
        address.lower() == "data:," or (image and SAFE_DATA.match(address.lower()))
    ):
        return ""
    return scheme


def _local_path(value: str) -> bool:
    """An address on this site or next to this file: no scheme, no other host."""
    address = URL_NOISE.sub("", value).strip()
    return not SCHEME.match(address) and not address.startswith(("//", "\\\\", "/\\", "\\/"))


def element_problems(
    tag: str, attributes: dict[str, str | None], text: str, *, own_scripts: bool
) -> Iterator[str]:
    """What is wrong with one element (TAG lower-case, without namespace)."""
    attrs = {name.lower(): value or "" for name, value in attributes.items()}
    shown = _show(tag, attrs)
    if tag == "script":
        src = attrs.get("src", "")
        if not own_scripts or not src.startswith(OWN_SCRIPTS) or text.strip():
            yield f"a script element {shown}"
    elif tag in FORBIDDEN:
        yield f"a <{tag}> element {shown}"
    elif tag == "meta" and "http-equiv" in attrs:
        if attrs["http-equiv"].strip().lower() not in HARMLESS_HTTP_EQUIV:
            yield f"a <meta http-equiv> element {shown}"
    elif tag == "link":
        rels = set(attrs.get("rel", "").lower().split())
        if rels & LOADING_RELS and not _local_path(attrs.get("href", "")):
            yield f"a <link> loading from elsewhere {shown}"
    elif tag == "form" and not _local_path(attrs.get("action", "")):
        yield f"a form sending elsewhere {shown}"
    elif tag == "style" and CSS_DANGER.search(_css_text(text)):
        yield f"a style element running code or loading: {text[:120]!r}"
    for name, value in attrs.items():
        bare = name.removeprefix("data-")
        if name.startswith("on") or bare.startswith("hx-on"):
            yield f"an event handler attribute {name}= {shown}"
        elif name == "srcdoc":
            yield f"a srcdoc attribute {shown}"
        elif name == "style":
            css = _css_text(value)
            if CSS_DANGER.search(css) or "url(" in css.lower().replace(" ", ""):
                yield f"a style attribute running code or loading {shown}"
        elif bare in ("hx-vals", "hx-headers") and value.strip().lower().startswith(
            ("js:", "javascript:")
        ):
            yield f"an htmx attribute running code {shown}"
        elif bare == "hx-trigger" and AUTO_TRIGGERS.search(value):
            yield f"an htmx request fired by itself {shown}"
        elif name == "attributename" and value.strip().lower() in ("href", "xlink:href"):
            yield f"an SVG animation of an address {shown}"
        if name in URL_ATTRIBUTES:
            if bare.startswith("hx-") and not _local_path(value):
                yield f"an htmx request to another site {shown}"
            separator = LIST_ATTRIBUTES.get(name)
            parts = value.split(separator) if separator else [value]
            image = tag == "img" and name in ("src", "srcset")
            for part in parts:
                address = part.strip().split(" ")[0] if separator else part
                scheme = running_scheme(address, image=image)
                if scheme:
                    yield f"a {scheme}: address in {name}= {shown}"


def _show(tag: str, attrs: dict[str, str]) -> str:
    inside = " ".join(f'{name}="{value[:80]}"' for name, value in attrs.items())
    return f"<{tag}{' ' if inside else ''}{inside}>"


# --- HTML ------------------------------------------------------------------------------------


def check_html(html: str, where: str, *, own_scripts: bool = True) -> list[Finding]:
    """Findings in an HTML page or fragment, parsed as a browser would parse it.

    OWN_SCRIPTS: whether the archive's own scripts (from /static/, without inline code) may be
    there, as they are on its pages but not in a download or a feed's content.
    """
    tree = LexborHTMLParser(html)
    findings: list[Finding] = []
    label = "the start"
    root = tree.root
    if root is None:
        return findings
    for node in _walk(root):
        if node.tag == "-text":
            label = _last_label(node.text_content or "", label)
            continue
        if node.tag in ("-comment", "-doctype") or not node.tag:
            continue
        tag = node.tag.lower().rsplit(":", 1)[-1]
        attributes = dict(node.attributes)
        label = _last_label(" ".join(v or "" for v in attributes.values()), label)
        text = node.text(deep=True) if tag in ("script", "style") else ""
        for problem in element_problems(tag, attributes, text, own_scripts=own_scripts):
            findings.append(Finding(where, label, problem))
        if tag == "template":
            # The parser keeps a template's content apart; read it as the browser would clone it.
            inner = TEMPLATE_TAGS.sub("", node.html or "")
            findings.extend(check_html(inner, f"{where} (template)", own_scripts=False))
    return findings


def _walk(node: LexborNode) -> Iterator[LexborNode]:
    yield from node.traverse(include_text=True)


def _last_label(text: str, label: str) -> str:
    found = LABEL.findall(text)
    if found:
        number, field = found[-1]
        return f"vector {int(number)} in {field}"
    return label


# --- XML: feeds, the EPUB's files ----------------------------------------------------------


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _name(qualified: str) -> str:
    """An element's or attribute's name without its namespace (xlink:href keeps its prefix)."""
    if qualified.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + qualified.split("}", 1)[1]
    if qualified.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml:" + qualified.split("}", 1)[1]
    return qualified.rsplit("}", 1)[-1]


def check_xml(data: bytes, where: str) -> list[Finding]:
    """Findings in an XML file (an Atom or OPDS feed, an EPUB's XHTML, OPF or NCX).

    No element may be a script or carry a handler or a running address, whatever its namespace;
    content of `type="html"` is checked as HTML.
    """
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        return [Finding(where, "the start", f"XML that does not parse: {exc}")]
    findings: list[Finding] = []
    label = "the start"
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if event == "end":
                label = _last_label(element.tail or "", label)
            continue
        if event == "end":
            label = _last_label(element.tail or "", label)
            continue
        tag = _name(element.tag).lower()
        attributes = {_name(k): v for k, v in element.attrib.items()}
        text = "".join(element.itertext()) if tag in ("script", "style") else ""
        label = _last_label(" ".join(attributes.values()), label)
        for problem in element_problems(tag, attributes, text, own_scripts=False):
            findings.append(Finding(where, label, problem))
        if element.get("type") == "html" and element.text:
            findings.extend(check_html(element.text, f"{where} <{tag}>", own_scripts=False))
        label = _last_label(element.text or "", label)
    return findings


def check_epub(data: bytes, where: str) -> list[Finding]:
    """Findings in every XHTML, HTML, SVG, OPF and NCX file of an EPUB, read as XML and as HTML
    (some reader apps read chapters with an HTML parser)."""
    findings: list[Finding] = []
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = book.namelist()
        for name in names:
            if name.lower().endswith((".js", ".swf")):
                findings.append(Finding(where, "the start", f"a script file {name}"))
            if not name.lower().endswith((".xhtml", ".html", ".htm", ".svg", ".opf", ".ncx")):
                continue
            content = book.read(name)
            findings.extend(check_xml(content, f"{where}!{name}"))
            if name.lower().endswith((".xhtml", ".html", ".htm")):
                html = content.decode("utf-8", "replace")
                findings.extend(check_html(html, f"{where}!{name} (as HTML)", own_scripts=False))
    return findings


def check_plain_text(content_type: str, where: str) -> list[Finding]:
    """A plain-text download must say it is plain text, so that no browser renders it."""
    if not content_type.lower().startswith("text/plain"):
        return [Finding(where, "the start", f"a text download served as {content_type!r}")]
    return []


def report(findings: Iterable[Finding], limit: int = 40) -> str:
    """The findings as lines for a failing test, the first LIMIT of them."""
    found = list(findings)
    lines = [str(f) for f in found[:limit]]
    if len(found) > limit:
        lines.append(f"… and {len(found) - limit} more")
    return "\n".join(lines)

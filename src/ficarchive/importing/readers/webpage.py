"""HTML (.html, .htm): AO3 downloads and FanFicFare outputs read field by field; any other
page split at its chapter headings like text."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import lxml.html
from lxml import etree

from ficarchive.importing import conventions as conv
from ficarchive.importing.assemble import (
    BREAK,
    HEADING,
    PARA,
    Block,
    assemble,
    is_break_text,
    move_outer_notes,
    notes_markup,
    take_notes,
)
from ficarchive.importing.parsed import (
    Credit,
    ParsedChapter,
    ParsedWork,
    UnreadableFile,
    note_active_content,
    one_line,
    unique,
)
from ficarchive.importing.safety import decode_text
from ficarchive.works.models import CreditRole

EXTENSIONS = (".html", ".htm", ".xhtml")
FORMAT = "html"

_BLOCK_TAGS = {
    "p", "div", "blockquote", "ul", "ol", "dl", "table", "pre", "hr", "center", "section",
    "article", "main", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "address", "details",
}  # fmt: skip
_CONTAINERS = {"div", "section", "article", "main", "body", "center"}


def read(name: str, data: bytes) -> ParsedWork:
    markup = decode_text(name, data)
    root = parse(name, markup)
    if is_ao3(root):
        work = read_ao3(name, root, "ao3-html")
    elif root.xpath('//div[@id="storytext"]') and root.xpath('//div[@id="profile_top"]'):
        work = read_ffn(name, root)
    elif is_fanficfare(root):
        work = read_fanficfare(name, root, "fanficfare-html")
    else:
        work = read_root(name, root, FORMAT)
    note_active_content(work, markup)
    return work


def parse(name: str, markup: str) -> lxml.html.HtmlElement:
    markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup.lstrip("\ufeff"))
    try:
        return lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFile(name, "the HTML could not be parsed.") from exc


def read_markup(name: str, markup: str, fmt: str) -> ParsedWork:
    if not markup.strip():
        raise UnreadableFile(name, "the file holds no text.")
    return read_root(name, parse(name, f"<html><body>{markup}</body></html>"), fmt)


def read_root(name: str, root: lxml.html.HtmlElement, fmt: str) -> ParsedWork:
    work = ParsedWork(source=name, format=fmt)
    body = root.find("body")
    blocks = blocks_from(body if body is not None else root)
    assemble(work, blocks)
    if not work.title:
        title = root.findtext(".//title") or ""
        work.title = title.strip()
    return work


# --- helpers ---------------------------------------------------------------------------


def text_of(element: lxml.html.HtmlElement | None) -> str:
    if element is None:
        return ""
    return one_line(element.text_content())


def outer(element: lxml.html.HtmlElement) -> str:
    return etree.tostring(element, encoding="unicode", method="html", with_tail=False)


def inner(element: lxml.html.HtmlElement | None) -> str:
    if element is None:
        return ""
    parts = [html.escape(element.text, quote=False) if element.text else ""]  # type: ignore[attr-defined]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts).strip()


def blocks_from(element: lxml.html.HtmlElement) -> list[Block]:
    """Block-level pieces of an element, descending into wrappers."""
    blocks: list[Block] = []
    loose: list[str] = []

    def flush() -> None:
        markup = "".join(loose).strip()
        loose.clear()
        if markup:
            fragment = lxml.html.fragment_fromstring(f"<p>{markup}</p>")
            text = fragment.text_content()
            if text.strip():
                blocks.append(Block(_lines(fragment), f"<p>{markup}</p>"))

    if element.text and element.text.strip():
        loose.append(html.escape(element.text, quote=False))  # type: ignore[attr-defined]
    for child in element:
        if not isinstance(child.tag, str):
            if child.tail:
                loose.append(html.escape(child.tail, quote=False))  # type: ignore[attr-defined]
            continue
        tag = child.tag.lower()
        if tag in {"script", "style", "noscript", "template", "head", "title", "meta", "link"}:
            if child.tail and child.tail.strip():
                loose.append(html.escape(child.tail, quote=False))  # type: ignore[attr-defined]
            continue
        if tag not in _BLOCK_TAGS and tag != "br":
            loose.append(outer(child))
        elif tag == "br":
            loose.append("<br>")
        else:
            flush()
            blocks.extend(_block(child, tag))
        if child.tail and child.tail.strip():
            loose.append(html.escape(child.tail, quote=False))  # type: ignore[attr-defined]
    flush()
    return blocks


def inline_notes(work: ParsedWork, *, outer: bool = True) -> None:
    """Author's notes written into the chapter text (FanFiction.Net stories, and so FanFicFare's
    downloads of them, keep them there) become the chapter's notes, by the rules plain text
    follows; with `outer`, the first and last chapters' notes become the work's."""
    for index, chapter in enumerate(work.chapters):
        if not chapter.body.strip():
            continue
        container = lxml.html.fragment_fromstring(chapter.body, create_parent="div")
        blocks = blocks_from(container)
        begin, story, end = take_notes(work, list(blocks), last=index == len(work.chapters) - 1)
        if (begin or end or len(story) != len(blocks)) and story:
            chapter.body = "\n".join(b.markup for b in story)
            chapter.begin_notes = "\n".join(
                part for part in (chapter.begin_notes, notes_markup(begin)) if part
            )
            chapter.end_notes = "\n".join(
                part for part in (notes_markup(end), chapter.end_notes) if part
            )
    if outer:
        move_outer_notes(work)


def _block(child: lxml.html.HtmlElement, tag: str) -> list[Block]:
    if tag in _CONTAINERS and any(
        isinstance(c.tag, str) and c.tag.lower() in _BLOCK_TAGS for c in child
    ):
        return blocks_from(child)
    text = text_of(child)
    if tag == "hr":
        return [Block("* * *", '<p align="center">* * *</p>', BREAK)]
    if re.fullmatch(r"h[1-6]", tag):
        return [Block(text, f"<p><strong>{inner(child)}</strong></p>", HEADING, int(tag[1]))]
    if not text and "<img" not in outer(child):
        return []
    if is_break_text(text):
        return [Block(text, outer(child), BREAK)]
    return [Block(_lines(child), outer(child), PARA)]


def _lines(element: lxml.html.HtmlElement) -> str:
    """Visible text with <br> as line breaks."""
    copy = lxml.html.fragment_fromstring(outer(element))
    for br in copy.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(one_line(line) for line in copy.text_content().split("\n"))


# --- AO3 downloads ---------------------------------------------------------------------


def is_ao3(root: lxml.html.HtmlElement) -> bool:
    return bool(root.xpath('//div[@id="preface"]//dl[contains(@class,"tags")]')) or bool(
        root.xpath('//div[@id="preface"]') and root.xpath('//div[@id="chapters"]')
    )


_AO3_KEYS = {
    "rating": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "freeforms",
}


def read_ao3(name: str, root: lxml.html.HtmlElement, fmt: str) -> ParsedWork:
    work = ParsedWork(source=name, format=fmt)
    preface = root.find('.//div[@id="preface"]')
    scope = preface if preface is not None else root
    read_ao3_tags(work, scope)
    meta = scope.find('.//div[@class="meta"]')
    meta = meta if meta is not None else scope
    work.title = text_of(meta.find(".//h1")) or text_of(root.find(".//title"))
    byline = meta.find('.//div[@class="byline"]')
    authors = [text_of(a) for a in (byline.findall(".//a") if byline is not None else [])]
    if not authors and byline is not None:
        authors = conv.split_names(re.sub(r"^\s*by\s+", "", text_of(byline)))
    work.creators = unique(authors)
    work.summary = _labelled(meta, "Summary")
    work.begin_notes = _labelled(meta, "Notes")
    for item in meta.xpath(".//ul/li"):
        match = re.search(r"A translation of .+? by (.+)$", text_of(item))
        if match:
            work.credits.append(Credit(str(CreditRole.ORIGINAL_AUTHOR), match.group(1).strip()))
    chapters = root.find('.//div[@id="chapters"]')
    if chapters is not None:
        work.chapters = _ao3_chapters(chapters)
        inline_notes(work, outer=False)
    endnotes = root.find('.//div[@id="endnotes"]')
    if endnotes is not None:
        quote = endnotes.find(".//blockquote")
        work.end_notes = inner(quote) if quote is not None else ""
    for text in (work.begin_notes, work.end_notes):
        conv.add_credits(work, lxml.html.fragment_fromstring(f"<div>{text}</div>").text_content())
    if not work.title:
        raise UnreadableFile(name, "the AO3 download has no title.")
    return work


def read_ao3_tags(work: ParsedWork, scope: lxml.html.HtmlElement) -> None:
    for dl in scope.xpath('.//dl[contains(@class,"tags")]'):
        for dt in dl.findall("dt"):
            dd = dt.getnext()
            if dd is None or dd.tag != "dd":
                continue
            key = text_of(dt).rstrip(":").strip().casefold()
            names = [text_of(a) for a in dd.findall(".//a")] or conv.list_value(text_of(dd))
            if key in {"rating", "fandom", "fandoms"}:
                work.tags_stated = True  # AO3 lists every tag a work has in its preface
            if key == "rating":
                rating = conv.rating_name(names[0]) if names else None
                if rating:
                    work.set_rating(rating)
                elif names:
                    work.problem(f"The rating {names[0]!r} is not one the archive knows.")
            elif key in {"archive warning", "archive warnings"}:
                conv.apply_field(work, "warnings", ", ".join(names))
            elif key in _AO3_KEYS:
                getattr(work, _AO3_KEYS[key]).extend(names)
            elif key == "language":
                conv.set_language(work, text_of(dd))
            elif key == "series":
                conv.set_series(work, text_of(dd).split(" Part ")[0])
            elif key == "stats":
                _ao3_stats(work, text_of(dd))


def _ao3_stats(work: ParsedWork, stats: str) -> None:
    for key in ("Published", "Updated", "Completed"):
        match = re.search(rf"{key}:\s*(\d{{4}}-\d{{2}}-\d{{2}})", stats)
        if match:
            value = conv.parse_date(match.group(1))
            if key == "Published":
                work.published = value
            else:
                work.updated = value
    match = re.search(r"Chapters:\s*(\d+\s*/\s*(?:\d+|\?))", stats)
    if match:
        conv.set_chapter_count(work, match.group(1))


def _labelled(scope: lxml.html.HtmlElement, label: str) -> str:
    """The blockquote after a <p>Label</p>, as AO3 marks summaries and notes."""
    for p in scope.findall("p"):
        if text_of(p).casefold() == label.casefold():
            following = p.getnext()
            if following is not None and following.tag == "blockquote":
                return inner(following)
    return ""


def _ao3_chapters(chapters: lxml.html.HtmlElement) -> list[ParsedChapter]:
    found: list[ParsedChapter] = []
    current: ParsedChapter | None = None
    for child in chapters:
        if not isinstance(child.tag, str):
            continue
        classes = (child.get("class") or "").split()
        if child.tag == "div" and "meta" in classes and "group" in classes:
            heading = text_of(child.find(".//h2")) or text_of(child.find(".//h3"))
            parsed = conv.chapter_heading(heading)
            title = parsed[1] if parsed and parsed[1] else heading
            if parsed and not parsed[1] and heading.split()[0].casefold() == "chapter":
                title = ""
            current = ParsedChapter(title=title)
            current.summary = _labelled(child, "Chapter Summary")
            current.begin_notes = _labelled(child, "Chapter Notes")
            found.append(current)
        elif child.tag == "div" and "userstuff" in classes:
            if current is None or current.body:
                current = ParsedChapter()
                found.append(current)
            current.body = inner(child)
        elif (
            child.tag == "div"
            and (child.get("id") or "").startswith("endnotes")
            and current is not None
        ):
            quote = child.find(".//blockquote")
            current.end_notes = inner(quote) if quote is not None else ""
    return found


# --- FanFicFare ------------------------------------------------------------------------


def is_fanficfare(root: lxml.html.HtmlElement) -> bool:
    return bool(
        root.xpath('//a[@class="authorlink"]')
        or root.xpath('//a[starts-with(@name,"section")]/h2')
        or root.xpath('//body[contains(@class,"fff_")]')
    )


def read_fanficfare_title_page(work: ParsedWork, root: lxml.html.HtmlElement) -> None:
    """FanFicFare's title block: the linked title, "by" authors, and "Key: value" rows."""
    heading = root.find(".//h1")
    if heading is None:
        heading = root.find(".//h3")
    if heading is not None:
        links = heading.findall("a")
        if links:
            work.title = work.title or text_of(links[0])
        authors = [text_of(a) for a in heading.xpath('.//a[@class="authorlink"]')]
        work.creators = unique(work.creators + authors)
    for label in root.xpath(
        "//b[substring(normalize-space(.), string-length(normalize-space(.)))=':']"
    ):
        key = text_of(label).rstrip(":")
        value_markup, value_text = _value_after(label)
        if conv.field_key(key) == "summary":
            work.summary = value_markup
        elif key.casefold() == "warnings":
            conv.apply_field(work, "warnings", value_text)
        elif key.casefold() == "chapters":
            work.expected_chapters = conv.parse_int(value_text)
        elif key.casefold() == "words":
            continue  # counted from the text, not trusted from the file
        else:
            conv.apply_field(work, key, value_text)
    if work.complete is False:
        work.expected_chapters = None


def _value_after(label: lxml.html.HtmlElement) -> tuple[str, str]:
    parent = label.getparent()
    if parent is not None and parent.tag == "td":
        cell = parent.getnext()
        if cell is not None:
            return inner(cell), text_of(cell)
    parts: list[str] = [label.tail or ""]
    node = label.getnext()
    while node is not None and node.tag not in {"br", "b"}:
        parts.append(outer(node) + (node.tail or ""))
        node = node.getnext()
    markup = "".join(parts).strip()
    text = lxml.html.fragment_fromstring(f"<div>{markup}</div>").text_content()
    return markup, one_line(text)


def read_fanficfare(name: str, root: lxml.html.HtmlElement, fmt: str) -> ParsedWork:
    work = ParsedWork(source=name, format=fmt)
    read_fanficfare_title_page(work, root)
    for anchor in root.xpath('//a[starts-with(@name,"section")]'):
        heading = anchor.find("h2")
        if heading is None:
            continue
        content = anchor.getnext()
        body = inner(content) if content is not None and content.tag == "div" else ""
        work.chapters.append(ParsedChapter(title=chapter_title(text_of(heading)), body=body))
    inline_notes(work)
    if not work.title:
        raise UnreadableFile(name, "the FanFicFare file has no title.")
    return work


def chapter_title(heading: str) -> str:
    return conv.chapter_title(heading)


# --- FanFiction.Net pages saved from the browser ---------------------------------------

_FFN_GENRES = {
    "adventure", "angst", "crime", "drama", "family", "fantasy", "friendship", "general",
    "horror", "humor", "hurt/comfort", "mystery", "parody", "poetry", "romance", "sci-fi",
    "spiritual", "supernatural", "suspense", "tragedy", "western",
}  # fmt: skip


def read_ffn(name: str, root: lxml.html.HtmlElement) -> ParsedWork:
    """A story page: the profile box's title, author, summary and " - "-separated facts, the
    fandom from the breadcrumb, and the one chapter the page shows."""
    work = ParsedWork(source=name, format="ffn-html")
    profile = root.xpath('//div[@id="profile_top"]')[0]
    work.title = text_of(profile.find("b"))
    work.creators = [text_of(a) for a in profile.xpath(".//a[contains(@href,'/u/')]")][:1]
    summary = profile.xpath('./div[contains(@class,"xcontrast_txt")]')
    work.summary = html.escape(text_of(summary[0])) if summary else ""
    crumbs = root.xpath('//div[@id="pre_story_links"]//a')
    if crumbs:
        work.fandoms = [re.sub(r"\s+(?:Crossover|FanFiction)$", "", text_of(crumbs[-1]))]
    facts = profile.xpath('.//span[contains(@class,"xgray")]')
    if facts:
        _ffn_facts(work, facts[0])
    selected = root.xpath('//select[@id="chap_select"]/option[@selected]')
    title = re.sub(r"^\d+\.\s*", "", text_of(selected[0])) if selected else ""
    body = root.xpath('//div[@id="storytext"]')[0]
    work.chapters = [ParsedChapter(title=title, body=inner(body))]
    inline_notes(work)
    if not work.title:
        raise UnreadableFile(name, "the FanFiction.Net page has no title.")
    return work


def _ffn_facts(work: ParsedWork, span: lxml.html.HtmlElement) -> None:
    for timed in span.xpath(".//span[@data-xutime]"):
        try:
            stamp = int(timed.get("data-xutime"))
        except (TypeError, ValueError):
            continue
        timed.text = datetime.fromtimestamp(stamp, UTC).date().isoformat()
        for child in list(timed):
            timed.remove(child)
    parts = [p.strip() for p in text_of(span).split(" - ") if p.strip()]
    for index, part in enumerate(parts):
        key, colon, value = part.partition(":")
        folded = key.strip().casefold()
        if folded == "rated":
            rating = conv.rating_name(value.replace("Fiction", ""))
            if rating:
                work.set_rating(rating)
            continue
        if colon and folded in {"chapters", "words", "reviews", "favs", "follows", "id"}:
            if folded == "chapters":
                count = conv.parse_int(value)
                work.expected_chapters = count
            continue
        if colon and folded in {"updated", "published"}:
            setattr(work, folded, conv.parse_date(value))
            continue
        if colon and folded == "status":
            work.complete = conv.status_complete(value)
            continue
        if index == 1 and conv.language_code(part):
            conv.set_language(work, part)
            continue
        if all(g.casefold() in _FFN_GENRES for g in re.split(r"/(?!comfort)", part, flags=re.I)):
            work.freeforms.extend(re.split(r"/(?!comfort)", part, flags=re.I))
            continue
        conv.add_characters(work, part)
    if work.complete is not True:
        work.expected_chapters = None

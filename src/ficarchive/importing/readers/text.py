"""Plain text (.txt): any common encoding; paragraphs from blank lines or from hard-wrapped
lines; `_italics_` and `**bold**` as FanFicFare and Project Gutenberg write them; runs of blank
lines and lines like "***" as scene breaks. FanFicFare's TXT title page and table of contents
are read as metadata."""

from __future__ import annotations

import html
import re

from ficarchive.importing.assemble import (
    BREAK,
    CHAPTER,
    HEADING,
    Block,
    assemble,
    is_break_text,
    scene_break,
)
from ficarchive.importing.parsed import ParsedWork, one_line
from ficarchive.importing.safety import decode_text

EXTENSIONS = (".txt", ".text")
FORMAT = "text"

_GUTENBERG_START = re.compile(r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG.*$", re.M | re.I)
_GUTENBERG_END = re.compile(
    r"^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG.*$|^End of (?:the )?Project Gutenberg.*$",
    re.M | re.I,
)
_FANFICFARE_END = re.compile(r"^\s*End file\.\s*$", re.M)
_TOC = re.compile(r"^\s*TABLE OF CONTENTS\s*$", re.M)


def read(name: str, data: bytes) -> ParsedWork:
    text, toc = _table_of_contents(normalize(_mark_chapters(decode_text(name, data))))
    blocks = text_blocks(text)
    del text  # the blocks hold it now: one copy fewer while they are assembled
    return assemble(ParsedWork(source=name, format=FORMAT), blocks, toc=toc)


# FanFicFare's chapter start: two blank lines or more, the chapter's title indented (a tab,
# or the spaces it became), wrapped lines of it unindented, then a blank line.
_FANFICFARE_CHAPTER = re.compile(
    r"(?:\A|\n[ \t]*\n[ \t]*\n)(?:\t| {4,})(?P<title>\S[^\n]{0,150}(?:\n[^\s][^\n]{0,150}){0,2})"
    r"(?=\n[ \t]*\n)"
)
_MARK = "\ue000"  # a private-use character: marks a chapter start between the two steps
# At most this share of the paragraphs may be indented titles: text whose every paragraph is
# indented has no such layout.
_MARKED_SHARE = 0.34


def _mark_chapters(text: str) -> str:
    """FanFicFare's layout marks every chapter by its indented title, with or without the
    title page and table of contents: each title becomes a marked line."""
    text = text.replace(_MARK, "").replace("\r\n", "\n").replace("\r", "\n")
    starts = list(_FANFICFARE_CHAPTER.finditer(text))
    paragraphs = sum(1 for chunk in re.split(r"\n[ \t]*\n", text) if chunk.strip())
    if not starts or len(starts) > max(1, paragraphs * _MARKED_SHARE):
        return text
    if len(starts) == 1 and not _TOC.search(text) and not _FANFICFARE_END.search(text):
        return text  # one indented line alone is no layout
    return _FANFICFARE_CHAPTER.sub(
        lambda m: m.group(0).replace(m.group("title"), _MARK + " ".join(m.group("title").split())),
        text,
    )


def normalize(text: str) -> str:
    """One kind of line break, no BOM, non-breaking spaces ordinary where they stand for
    spaces (runs and indents), and no Project Gutenberg licence around the book."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = re.sub(r"[\u00a0\u2007\u202f]{2,}", " ", text)
    text = re.sub(r"(?m)^[\u00a0 \t]+|[\u00a0 \t]+$", "", text)
    text = re.sub(r"(?<=\s)\u00a0|\u00a0(?=\s)", " ", text)
    start = _GUTENBERG_START.search(text)
    if start:
        text = text[start.end() :]
    end = _GUTENBERG_END.search(text)
    if end:
        text = text[: end.start()]
    end = _FANFICFARE_END.search(text)
    if end:
        text = text[: end.start()]
    return text


def _table_of_contents(text: str) -> tuple[str, list[str]]:
    """FanFicFare's "TABLE OF CONTENTS": the headings to split at, taken out of the text."""
    match = _TOC.search(text)
    if not match:
        return text, []
    rest = text[match.end() :]
    entries: list[str] = []
    position = 0
    for block in re.finditer(r"(?s)(.*?)(?:\n\s*\n|$)", rest):
        chunk = one_line(block.group(1))
        if not chunk:
            if entries and rest[block.end() :].startswith("\n\n"):
                position = block.end()
                break
            continue
        if chunk.startswith(_MARK) or (entries and chunk.casefold() == entries[0].casefold()):
            position = block.start()
            break
        entries.append(chunk)
        position = block.end()
        if len(chunk) > 150:
            return text, []
    return text[: match.start()].rstrip() + "\n\n" + rest[position:], entries


def text_blocks(text: str) -> list[Block]:
    """Paragraphs and scene breaks from plain text."""
    raw = re.split(r"(\n[ \t]*\n(?:[ \t]*\n)*)", text.strip("\n"))
    width = _wrap_width(text)
    blocks: list[Block] = []
    for index, chunk in enumerate(raw):
        if index % 2 == 1:
            if chunk.count("\n") >= 4 and blocks and blocks[-1].kind != BREAK:
                blocks.append(scene_break())
            continue
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith(_MARK):
            title = " ".join(lines).lstrip(_MARK)
            blocks.append(Block(title, f"<p><strong>{html.escape(title)}</strong></p>", CHAPTER))
            continue
        if len(lines) == 1 and is_break_text(lines[0]):
            blocks.append(scene_break(lines[0]))
            continue
        heading = _MARKDOWN_HEADING.match(lines[0])
        if len(lines) == 1 and heading:
            title = heading.group(2).strip()
            level = len(heading.group(1))
            markup = f"<p><strong>{inline(title)}</strong></p>"
            blocks.append(Block(title, markup, HEADING, level))
            continue
        blocks.extend(_paragraphs(lines, width))
    return blocks


_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")


def _wrap_width(text: str) -> int:
    lengths = sorted(len(line) for line in text.split("\n") if line.strip())
    if not lengths:
        return 0
    return lengths[int(len(lengths) * 0.9)]


def _paragraphs(lines: list[str], width: int) -> list[Block]:
    hard_wrapped = 50 <= width <= 100 and all(len(line) <= width + 2 for line in lines)
    if len(lines) == 1:
        return [_block(lines)]
    if hard_wrapped and all(len(line) >= width * 0.55 for line in lines[:-1]):
        return [_block([" ".join(lines)])]
    if not hard_wrapped and all(len(line) > 100 for line in lines[:-1]):
        return [_block([line]) for line in lines]  # one paragraph per line
    return [_block(lines)]  # short lines kept as they are: verse, lyrics, letters


_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)(\s*)\*\*")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)(\s*)_(?![\w_])")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")


def inline(text: str) -> str:
    markup = html.escape(text, quote=False)
    markup = _BOLD.sub(r"<strong>\1</strong>\2", markup)
    markup = _ITALIC_UNDERSCORE.sub(r"<em>\1</em>\2", markup)
    return _ITALIC_STAR.sub(r"<em>\1</em>", markup)


def _block(lines: list[str]) -> Block:
    text = "\n".join(lines)
    plain = re.sub(r"\*\*|(?<![\w_])_|_(?![\w_])", "", text)
    markup = "<p>" + "<br>\n".join(inline(line) for line in lines) + "</p>"
    return Block(plain, markup)

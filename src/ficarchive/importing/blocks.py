"""Blocks, the pieces every reader hands to `assemble`: paragraphs, headings, scene breaks
and chapter starts a layout marks for certain, with the rules that look at one block."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property

from ficarchive.importing import conventions as conv
from ficarchive.importing.parsed import one_line
from ficarchive.text.formats import SCENE_BREAK

_WORD = re.compile(r"\S+")
PARA = "para"
BREAK = "break"
HEADING = "heading"
CHAPTER = "chapter"  # a chapter start that the file's layout marks for certain


@dataclass
class Block:
    text: str  # visible text, lines kept
    markup: str  # HTML of the whole block
    kind: str = PARA
    level: int = 0  # heading level

    @cached_property
    def flat(self) -> str:
        """The visible text on one line (made once: every rule looks at it)."""
        return one_line(self.text)

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.split("\n") if line.strip()]


def scene_break(symbol: str = "* * *") -> Block:
    return Block(symbol, f'<p align="center">{html.escape(symbol)}</p>', BREAK)


def is_break_text(text: str) -> bool:
    flat = text.strip()
    return bool(flat) and len(flat) <= 12 and bool(SCENE_BREAK.match(flat))


def chapter_start(
    block: Block, toc: list[str], heading_level: int | None
) -> tuple[str, str, bool] | None:
    """(heading, title, title on second line) when the block begins a chapter."""
    if block.kind == BREAK or not block.lines:
        return None
    flat = block.flat
    if block.kind == CHAPTER:
        return flat, conv.chapter_title(flat), False
    if toc:
        if flat.casefold() in toc:
            return flat, conv.chapter_title(flat), False
        return None
    first = block.lines[0]
    if block.kind == HEADING:
        found = conv.chapter_heading(flat)
        if found:
            return found[0], _title(found), False
        if heading_level is not None and block.level == heading_level:
            return flat, flat, False
        return None
    if len(block.lines) > 3:
        return None
    found = conv.chapter_heading(first)
    if not found:
        return None
    if len(block.lines) == 1:
        return found[0], _title(found), False
    second = block.lines[1]
    if not found[1] and len(second) <= 80 and len(block.lines) == 2:
        return f"{found[0]}: {second}", second, True
    return None


def _title(found: tuple[str, str]) -> str:
    return conv.chapter_title(found[0])


def break_within(blocks: list[Block], limit: int) -> int | None:
    for index, block in enumerate(blocks[:limit]):
        if block.kind == BREAK:
            return index
        if block.kind == HEADING:
            return None
    return None


def word_count(blocks: list[Block], at_most: int) -> int:
    """The blocks' words, counted no further than AT_MOST."""
    count = 0
    for block in blocks:
        for _ in _WORD.finditer(block.text):
            count += 1
            if count >= at_most:
                return count
    return count


def strip_label(block: Block) -> str:
    stripped = conv.strip_note_label(block.flat)
    if stripped == block.flat:
        return block.markup
    return f"<p>{html.escape(stripped.strip(' *_'))}</p>"

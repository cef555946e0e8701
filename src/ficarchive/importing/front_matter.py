"""The front matter of a file: title, by-line, "Key: value" headers, rating, summary,
disclaimer and the notes before the story."""

from __future__ import annotations

import html
import re

from ficarchive.importing import conventions as conv
from ficarchive.importing.blocks import (
    BREAK,
    HEADING,
    PARA,
    Block,
    break_within,
    chapter_start,
    strip_label,
)
from ficarchive.importing.parsed import ParsedWork, unique


def front_matter(work: ParsedWork, blocks: list[Block], toc: list[str]) -> list[Block]:
    """Read title, by-line, "Key: value" headers, rating, summary, disclaimer and notes at the
    start; return the blocks that remain."""
    index = 0
    notes: list[Block] = []
    last_key = ""
    while index < len(blocks):
        block = blocks[index]
        if chapter_start(block, toc, None) is not None:
            break
        if block.kind == BREAK:
            index += 1
            if notes:
                break  # the notes end at the first scene break
            continue
        if last_key == "summary" and _summary_goes_on(blocks, index, toc):
            work.summary += f"\n<p>{html.escape(block.flat)}</p>"
            index += 1
            continue
        consumed = _header_block(work, block, last_key) if not notes else None
        if consumed is not None:
            last_key = consumed
            index += 1
            continue
        if conv.is_note(block.flat) or (notes and _note_goes_on(blocks, index)):
            notes.append(block)
            index += 1
            continue
        if not work.title and index == 0 and len(block.lines) > 1:
            names = conv.by_line(block.lines[-1])
            if names and len(block.lines) <= 3:
                work.title = " ".join(block.lines[:-1])
                work.creators = unique(work.creators + names)
                index += 1
                continue
        if not work.title and index == 0 and _title_like(block, blocks, index):
            work.title = block.flat
            index += 1
            continue
        break
    if notes and index < len(blocks) and blocks[index - 1].kind != BREAK:
        # Notes not closed by a scene break: only the marked paragraphs are notes.
        marked = [b for b in notes if conv.is_note(b.flat)]
        index -= len(notes) - len(marked)
        notes = marked if len(marked) == len(notes) else notes[: notes.index(marked[-1]) + 1]
        index = blocks.index(notes[-1]) + 1 if notes else index
    if notes:
        work.begin_notes = "\n".join(strip_label(b) for b in notes)
        for block in notes:
            conv.add_credits(work, block.text)
    return blocks[index:]


def _summary_goes_on(blocks: list[Block], index: int, toc: list[str]) -> bool:
    """A paragraph after "Summary:" continues it when the front matter ends right after."""
    block = blocks[index]
    if block.kind != PARA or len(block.flat) > 1200 or _key(block.lines[0]):
        return False
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if following is None:
        return False  # the last paragraph is the story, however short
    return following.kind == BREAK or chapter_start(following, toc, None) is not None


def _note_goes_on(blocks: list[Block], index: int) -> bool:
    """Paragraphs after an author's note stay in it when a scene break comes soon after."""
    return break_within(blocks[index:], 4) is not None


def _title_like(block: Block, blocks: list[Block], index: int) -> bool:
    if block.kind == HEADING:
        return True
    if len(block.flat) > 120 or block.flat.endswith((".", ",", "!", "?", '"', "”")):
        return False
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return following is not None and bool(
        _BY_BLOCK.match(following.lines[0] if following.lines else "")
        or conv.KEY_LINE.match(following.lines[0] if following.lines else "")
        or conv.rating_line(following.flat)
    )


_BY_BLOCK = re.compile(r"^\s*(?:written\s+)?by\s*:?\s+(?=\S)", re.IGNORECASE)


def _header_block(work: ParsedWork, block: Block, last_key: str) -> str | None:
    """Apply a block of header lines; the last key read, or None when it is no header."""
    lines = block.lines
    if not lines:
        return None
    first = lines[0]
    if _BY_BLOCK.match(first) and len(lines) <= 12 and not _key(first):
        names = conv.split_names(_BY_BLOCK.sub("", " ".join(lines)), max_words=8)
        if names:
            work.creators = unique(work.creators + names)
            return "creators"
    if not (
        conv.by_line(first)
        or conv.rating_line(first)
        or conv.disclaimer_text(first) is not None
        or _key(first)
    ):
        return None
    key = last_key
    pending: tuple[str, str] | None = None
    for line in lines:
        names = conv.by_line(line)
        rating = conv.rating_line(line)
        disclaimer = conv.disclaimer_text(line)
        match = _key(line) or (_label(line) if pending else None)
        if names and not match:
            _flush(work, pending)
            pending = None
            work.creators = unique(work.creators + names)
            key = "creators"
        elif disclaimer is not None:
            _flush(work, pending)
            pending = ("disclaimer", disclaimer)
            key = "disclaimer"
        elif match:
            _flush(work, pending)
            pending = (match.group("key"), match.group("value"))
            key = conv.field_key(match.group("key")) or ""
        elif rating and not pending:
            work.set_rating(rating)
            key = "rating"
        elif pending:
            pending = (pending[0], f"{pending[1]} {line}")
        else:
            return None
    _flush(work, pending)
    return key


def _key(line: str) -> re.Match[str] | None:
    match = conv.KEY_LINE.match(line)
    if match and conv.field_key(match.group("key")) and match.group("value").strip():
        return match
    return None


# A "Key: value" line whose key the archive does not know ("Series URL", "Story ID"), read as
# a label of its own (and dropped) once a header has begun, never as more of the last value.
_LABEL = re.compile(r"^[A-Z][A-Za-z']*(?: (?:[A-Z][A-Za-z']*|URL|ID|of)){0,3}$")


def _label(line: str) -> re.Match[str] | None:
    match = conv.KEY_LINE.match(line)
    if match and _LABEL.match(match.group("key").strip()) and match.group("value").strip():
        return match
    return None


def _flush(work: ParsedWork, pending: tuple[str, str] | None) -> None:
    if pending is None:
        return
    key, value = pending
    if key == "disclaimer" or conv.field_key(key) == "disclaimer":
        take_disclaimer(work, value)
    elif conv.field_key(key) == "summary":
        work.summary = work.summary or f"<p>{html.escape(value.strip())}</p>"
    elif conv.field_key(key) == "notes":
        work.begin_notes += f"<p>{html.escape(value.strip())}</p>"
        conv.add_credits(work, value)
    else:
        conv.apply_field(work, key, value)


def take_disclaimer(work: ParsedWork, text: str) -> None:
    text = text.strip(" *_")
    if not work.disclaimer:
        work.disclaimer = text
    fandom = conv.fandom_in_disclaimer(text)
    if fandom and not work.fandoms:
        work.fandoms.append(fandom)
        work.infer("fandoms", f"named in the disclaimer: {text[:120]!r}")

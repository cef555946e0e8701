"""From a list of blocks (paragraphs, headings, scene breaks) to a work: the front matter's
metadata, chapters split at their headings, and author's notes, disclaimers, epigraphs and
sign-offs taken out of the story text. Text, Markdown, DOCX and generic HTML all end here."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ficarchive.importing import conventions as conv
from ficarchive.importing.blocks import (
    BREAK,
    CHAPTER,
    HEADING,
    PARA,
    Block,
    break_within,
    chapter_start,
    is_break_text,
    scene_break,
    strip_label,
    word_count,
)
from ficarchive.importing.front_matter import front_matter, take_disclaimer
from ficarchive.importing.parsed import INFERRED, ParsedChapter, ParsedWork, unique


@dataclass
class _Chapter:
    heading: str = ""
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)  # known to be its beginning notes


def assemble(work: ParsedWork, blocks: list[Block], toc: list[str] | None = None) -> ParsedWork:
    """Fill the work from blocks; `toc` lists chapter headings known from a table of contents."""
    wanted = [" ".join(t.split()).casefold() for t in toc or []]
    front = blocks
    blocks = front_matter(work, blocks, wanted)
    front = front[: len(front) - len(blocks)]
    chapters = _split(blocks, wanted)
    for index, chapter in enumerate(chapters):
        parsed = _chapter(work, chapter, last=index == len(chapters) - 1)
        work.chapters.append(parsed)
    move_outer_notes(work)
    _rating_in_prose(work, front + (chapters[0].notes + chapters[0].blocks[:3] if chapters else []))
    return work


def _rating_in_prose(work: ParsedWork, blocks: list[Block]) -> None:
    """A rating stated in a sentence of the front matter or the opening notes."""
    if work.rating:
        return
    for block in blocks:
        rating = conv.rating_in_prose(block.flat) if block.kind != BREAK else None
        if rating:
            work.set_rating(rating)
            return


def move_outer_notes(work: ParsedWork) -> None:
    """The first chapter's beginning notes and the last chapter's end notes are the work's,
    unless the work has its own."""
    if work.chapters:
        first, last = work.chapters[0], work.chapters[-1]
        if not work.begin_notes and first.begin_notes:
            work.begin_notes, first.begin_notes = first.begin_notes, ""
        if not work.end_notes and last.end_notes:
            work.end_notes, last.end_notes = last.end_notes, ""


def notes_markup(blocks: list[Block]) -> str:
    """The HTML of note blocks, without their "A/N:" labels."""
    return "\n".join(strip_label(b) for b in blocks)


# --- chapters --------------------------------------------------------------------------


def _split(blocks: list[Block], wanted: list[str]) -> list[_Chapter]:
    if any(b.kind == CHAPTER for b in blocks):
        wanted = []  # the layout marks every chapter: nothing else starts one
    headings = [b for b in blocks if b.kind == HEADING]
    levels = sorted({b.level for b in headings})
    # Plain headings (no "Chapter N") make chapters only when there are several at one level.
    heading_level = next(
        (lvl for lvl in levels if sum(1 for b in headings if b.level == lvl) >= 2), None
    )
    chapters: list[_Chapter] = []
    current = _Chapter()
    marked = any(b.kind == CHAPTER for b in blocks)
    for block in blocks:
        start = chapter_start(block, wanted, heading_level)
        if start is not None and marked and block.kind != CHAPTER:
            start = None
        if start is not None and wanted:
            # A table of contents is read in order: a title repeated inside a chapter is
            # the chapter's own, not the next chapter.
            at = wanted.index(block.flat.casefold())
            wanted = wanted[at + 1 :] or ["\x00"]  # every entry found: no more chapters
        if start is not None:
            if current.blocks or current.heading:
                chapters.append(current)
            current = _Chapter(heading=start[0], title=start[1])
            rest = block.lines[2:] if start[2] else block.lines[1:]
            if block.kind == PARA and rest and len(block.lines) > 1:
                text = "\n".join(rest)
                current.blocks.append(Block(text, f"<p>{html.escape(text)}</p>"))
            continue
        current.blocks.append(block)
    if current.blocks or current.heading:
        chapters.append(current)
    chapters = _repeated_headings(chapters)
    # Text before the first heading that is only a short note stays with the first chapter.
    if len(chapters) > 1 and not chapters[0].heading:
        preamble = chapters[0]
        words = word_count(preamble.blocks, 150)
        if words < 150 or all(b.kind == BREAK or conv.is_note(b.flat) for b in preamble.blocks):
            chapters = chapters[1:]
            chapters[0].blocks = preamble.blocks + chapters[0].blocks
    return chapters


# A chapter heading repeated after notes: at most this many blocks and words come before it.
REPEAT_BLOCKS = 8
REPEAT_WORDS = 600


def _repeated_headings(chapters: list[_Chapter]) -> list[_Chapter]:
    """A chapter's heading repeated after its opening notes (or after the notes before the
    first heading) ends those notes: they are the chapter's beginning notes, never a chapter,
    and the repeated heading is no story text."""
    merged: list[_Chapter] = []
    for chapter in chapters:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not previous.notes
            and (not previous.heading or conv.same_heading(previous.heading, chapter.heading))
            and _note_sized(previous.blocks)
            and (previous.heading or len(merged) == 1)
        ):
            chapter.notes = [b for b in previous.blocks if b.kind != BREAK]
            chapter.heading = chapter.heading or previous.heading
            chapter.title = chapter.title or previous.title
            merged[-1] = chapter
            continue
        for index, block in enumerate(chapter.blocks[:REPEAT_BLOCKS]):
            if (
                index
                and block.kind != BREAK
                and len(block.lines) <= 2
                and conv.same_heading(block.flat, chapter.heading)
                and _note_sized(chapter.blocks[:index])
            ):
                chapter.notes = [b for b in chapter.blocks[:index] if b.kind != BREAK]
                chapter.blocks = chapter.blocks[index + 1 :]
                break
        if chapter.blocks and conv.same_heading(chapter.blocks[0].flat, chapter.heading):
            chapter.blocks = chapter.blocks[1:]  # the title repeated in the chapter's text
        merged.append(chapter)
    return merged


def _note_sized(blocks: list[Block]) -> bool:
    return (
        0 < len(blocks) <= REPEAT_BLOCKS
        and word_count(blocks, REPEAT_WORDS + 1) <= REPEAT_WORDS
        and any(
            conv.is_note(b.flat)
            or conv.note_opening(b.flat)
            or conv.writing_talk(b.flat)
            or conv.rating_in_prose(b.flat)
            for b in blocks
        )
    )


def _chapter(work: ParsedWork, chapter: _Chapter, *, last: bool) -> ParsedChapter:
    begin, blocks, end = take_notes(work, list(chapter.blocks), last=last)
    begin = chapter.notes + begin
    for block in chapter.notes:
        conv.add_credits(work, block.text)
    blocks = _epigraph(blocks)
    return ParsedChapter(
        title=chapter.title,
        body="\n".join(b.markup for b in blocks),
        begin_notes=notes_markup(begin),
        end_notes=notes_markup(end),
    )


# A note is short: this many blocks and words at most before the scene break that closes it.
NOTE_BLOCKS = 4
NOTE_WORDS = 250
# A note with no scene break after it must say so at its start, and be shorter.
LONE_NOTE_WORDS = 80


def take_notes(
    work: ParsedWork, blocks: list[Block], *, last: bool
) -> tuple[list[Block], list[Block], list[Block]]:
    """(begin notes, story, end notes) of a chapter's blocks. Disclaimers go to the work and
    sign-offs of the last chapter name its creators; credits in notes are read."""
    begin: list[Block] = []
    end: list[Block] = []
    # Leading: disclaimers, author's notes (up to the first scene break after them).
    while blocks:
        block = blocks[0]
        disclaimer = conv.disclaimer_text(block.flat)
        if block.kind == BREAK:
            blocks.pop(0)
            continue
        if disclaimer is not None:
            take_disclaimer(work, disclaimer)
            blocks.pop(0)
            continue
        if conv.is_note(block.flat):
            begin.append(blocks.pop(0))
            cut = break_within(blocks, NOTE_BLOCKS)
            if cut is not None:
                begin.extend(blocks[:cut])
                blocks = blocks[cut + 1 :]
            continue
        taken = _leading_note(blocks)
        if taken:
            begin.extend(b for b in blocks[:taken] if b.kind != BREAK)
            blocks = blocks[taken:]
            continue
        break
    # Trailing: notes, "please review" paragraphs, sign-offs; a note after the last scene
    # break takes everything after that break with it.
    while blocks:
        block = blocks[-1]
        if block.kind == BREAK:
            blocks.pop()
            continue
        if conv.disclaimer_text(block.flat) is not None:
            take_disclaimer(work, conv.disclaimer_text(block.flat) or "")
            blocks.pop()
            continue
        if last and _sign_off(work, block.flat):
            blocks.pop()
            continue
        if conv.closing_opening(block.flat) or (
            _framed(block) and conv.writing_talk(block.flat) and _short([block], LONE_NOTE_WORDS)
        ):
            end.insert(0, blocks.pop())
            continue
        tail = _note_after_last_break(blocks)
        if tail is not None:
            end = blocks[tail + 1 :] + end
            blocks = blocks[:tail]
            continue
        break
    if not any(b.kind != BREAK for b in blocks) and (begin or end):
        # Nothing would be left of the story: what looked like notes was the story.
        return [], begin + blocks + end, []
    for block in begin + end:
        conv.add_credits(work, block.text)
    return begin, blocks, end


def _leading_note(blocks: list[Block]) -> int:
    """How many leading blocks (with the scene break that closes them) are an author's note
    that carries no label: a short block that speaks to the readers about the writing."""
    cut = break_within(blocks, NOTE_BLOCKS + 1)
    if cut:
        note = blocks[:cut]
        if (
            all(b.kind == PARA for b in note)
            and _short(note, NOTE_WORDS)
            and any(conv.note_opening(b.flat) or conv.writing_talk(b.flat) for b in note)
            and break_within(blocks[cut + 1 :], 2) is None  # not a run of tiny scenes
            and len(blocks) > cut + 1
        ):
            return cut + 1
    first = blocks[0]
    if first.kind != PARA or not _short([first], LONE_NOTE_WORDS):
        return 0
    if conv.note_opening(first.flat) or (_framed(first) and conv.writing_talk(first.flat)):
        return 1
    return 0


def _short(blocks: list[Block], words: int) -> bool:
    return word_count(blocks, words + 1) <= words


_EMPHASIS = re.compile(r"<(em|strong|b|i)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _framed(block: Block) -> bool:
    """The whole paragraph set in bold or italics, as notes often are."""
    if "<" not in block.markup:
        return False
    rest = block.markup
    for _ in range(3):
        rest = _EMPHASIS.sub("", rest)
    rest = re.sub(r"<[^>]+>", "", rest)
    return not re.search(r"\w", html.unescape(rest))


def _sign_off(work: ParsedWork, text: str) -> bool:
    """A closing "- X & Y": the creators who sign it (given names of known ones count)."""
    match = conv.SIGN_OFF.match(text)
    if not match:
        return False
    names = conv.split_names(match.group("names"))
    known = {part.casefold() for creator in work.creators for part in creator.split()}
    if not names or (len(names) == 1 and names[0].casefold() not in known):
        return False
    work.creators = unique(work.creators + [n for n in names if n.casefold() not in known])
    return True


def _note_after_last_break(blocks: list[Block]) -> int | None:
    for index in range(len(blocks) - 1, max(len(blocks) - 6, -1), -1):
        if blocks[index].kind == BREAK:
            after = blocks[index + 1 :]
            if not after or any(b.kind != PARA for b in after):
                return None
            if any(conv.is_note(b.flat) for b in after) or (
                _short(after, NOTE_WORDS)
                and any(conv.closing_opening(b.flat) or conv.writing_talk(b.flat) for b in after)
            ):
                return index
            return None
    return None


_ATTRIBUTION = re.compile(r"^\s*[-–—~]+\s*\S")  # noqa: RUF001


def _epigraph(blocks: list[Block]) -> list[Block]:
    """Lyrics or a quotation before the story, ending in an attribution, set apart."""
    for index, block in enumerate(blocks[:4]):
        if block.kind != PARA:
            return blocks
        if _ATTRIBUTION.match(block.flat) and len(block.flat) < 120 and index > 0:
            quoted = blocks[: index + 1]
            if sum(len(b.flat) for b in quoted) > 800:
                return blocks
            markup = "<blockquote>" + "".join(b.markup for b in quoted) + "</blockquote>"
            merged = Block("\n".join(b.text for b in quoted), markup)
            return [merged, *blocks[index + 1 :]]
    return blocks


__all__ = [
    "BREAK",
    "CHAPTER",
    "HEADING",
    "INFERRED",
    "PARA",
    "Block",
    "assemble",
    "is_break_text",
    "move_outer_notes",
    "notes_markup",
    "scene_break",
    "take_notes",
]

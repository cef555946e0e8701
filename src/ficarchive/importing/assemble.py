"""From a list of blocks (paragraphs, headings, scene breaks) to a work: the front matter's
metadata, chapters split at their headings, and author's notes, disclaimers, epigraphs and
sign-offs taken out of the story text. Text, Markdown, DOCX and generic HTML all end here."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cached_property

from ficarchive.importing import conventions as conv
from ficarchive.importing.parsed import INFERRED, ParsedChapter, ParsedWork, one_line, unique
from ficarchive.text.formats import SCENE_BREAK

_WORD = re.compile(r"\S+")
PARA = "para"
BREAK = "break"
HEADING = "heading"


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


@dataclass
class _Chapter:
    heading: str = ""
    title: str = ""
    blocks: list[Block] = field(default_factory=list)


def assemble(work: ParsedWork, blocks: list[Block], toc: list[str] | None = None) -> ParsedWork:
    """Fill the work from blocks; `toc` lists chapter headings known from a table of contents."""
    wanted = [" ".join(t.split()).casefold() for t in toc or []]
    blocks = _front_matter(work, blocks, wanted)
    chapters = _split(blocks, wanted)
    for index, chapter in enumerate(chapters):
        parsed = _chapter(work, chapter, last=index == len(chapters) - 1)
        work.chapters.append(parsed)
    move_outer_notes(work)
    if work.complete is None and work.chapters and work.expected_chapters is None:
        work.expected_chapters = None
    return work


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
    return "\n".join(_strip_label(b) for b in blocks)


# --- front matter ----------------------------------------------------------------------


def _front_matter(work: ParsedWork, blocks: list[Block], toc: list[str]) -> list[Block]:
    """Read title, by-line, "Key: value" headers, rating, summary, disclaimer and notes at the
    start; return the blocks that remain."""
    index = 0
    notes: list[Block] = []
    last_key = ""
    while index < len(blocks):
        block = blocks[index]
        if _chapter_start(block, toc, None) is not None:
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
        work.begin_notes = "\n".join(_strip_label(b) for b in notes)
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
    return following.kind == BREAK or _chapter_start(following, toc, None) is not None


def _note_goes_on(blocks: list[Block], index: int) -> bool:
    """Paragraphs after an author's note stay in it when a scene break comes soon after."""
    return _break_within(blocks[index:], 4) is not None


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
        _disclaimer(work, value)
    elif conv.field_key(key) == "summary":
        work.summary = work.summary or f"<p>{html.escape(value.strip())}</p>"
    elif conv.field_key(key) == "notes":
        work.begin_notes += f"<p>{html.escape(value.strip())}</p>"
        conv.add_credits(work, value)
    else:
        conv.apply_field(work, key, value)


def _disclaimer(work: ParsedWork, text: str) -> None:
    text = text.strip(" *_")
    if not work.disclaimer:
        work.disclaimer = text
    fandom = conv.fandom_in_disclaimer(text)
    if fandom and not work.fandoms:
        work.fandoms.append(fandom)
        work.infer("fandoms", f"named in the disclaimer: {text[:120]!r}")


# --- chapters --------------------------------------------------------------------------


def _split(blocks: list[Block], wanted: list[str]) -> list[_Chapter]:
    headings = [b for b in blocks if b.kind == HEADING]
    levels = sorted({b.level for b in headings})
    # Plain headings (no "Chapter N") make chapters only when there are several at one level.
    heading_level = next(
        (lvl for lvl in levels if sum(1 for b in headings if b.level == lvl) >= 2), None
    )
    chapters: list[_Chapter] = []
    current = _Chapter()
    for block in blocks:
        start = _chapter_start(block, wanted, heading_level)
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
    # Text before the first heading that is only a short note stays with the first chapter.
    if len(chapters) > 1 and not chapters[0].heading:
        preamble = chapters[0]
        words = word_count(preamble.blocks, 150)
        if words < 150 or all(b.kind == BREAK or conv.is_note(b.flat) for b in preamble.blocks):
            chapters = chapters[1:]
            chapters[0].blocks = preamble.blocks + chapters[0].blocks
    return chapters


def _chapter_start(
    block: Block, toc: list[str], heading_level: int | None
) -> tuple[str, str, bool] | None:
    """(heading, title, title on second line) when the block begins a chapter."""
    if block.kind == BREAK or not block.lines:
        return None
    flat = block.flat
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


def _chapter(work: ParsedWork, chapter: _Chapter, *, last: bool) -> ParsedChapter:
    begin, blocks, end = take_notes(work, list(chapter.blocks), last=last)
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
            _disclaimer(work, disclaimer)
            blocks.pop(0)
            continue
        if conv.is_note(block.flat):
            begin.append(blocks.pop(0))
            cut = _break_within(blocks, NOTE_BLOCKS)
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
            _disclaimer(work, conv.disclaimer_text(block.flat) or "")
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
    cut = _break_within(blocks, NOTE_BLOCKS + 1)
    if cut:
        note = blocks[:cut]
        if (
            all(b.kind == PARA for b in note)
            and _short(note, NOTE_WORDS)
            and any(conv.note_opening(b.flat) or conv.writing_talk(b.flat) for b in note)
            and _break_within(blocks[cut + 1 :], 2) is None  # not a run of tiny scenes
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


def word_count(blocks: list[Block], at_most: int) -> int:
    """The blocks' words, counted no further than AT_MOST."""
    count = 0
    for block in blocks:
        for _ in _WORD.finditer(block.text):
            count += 1
            if count >= at_most:
                return count
    return count


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


def _break_within(blocks: list[Block], limit: int) -> int | None:
    for index, block in enumerate(blocks[:limit]):
        if block.kind == BREAK:
            return index
        if block.kind == HEADING:
            return None
    return None


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


def _strip_label(block: Block) -> str:
    stripped = conv.strip_note_label(block.flat)
    if stripped == block.flat:
        return block.markup
    return f"<p>{html.escape(stripped.strip(' *_'))}</p>"


__all__ = [
    "BREAK",
    "HEADING",
    "INFERRED",
    "PARA",
    "Block",
    "assemble",
    "move_outer_notes",
    "notes_markup",
    "scene_break",
    "take_notes",
]

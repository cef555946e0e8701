"""Plain text, wrapped at 78 columns, with the same metadata header as the other formats."""

from __future__ import annotations

from ficarchive.exporting.book import Book, WorkText
from ficarchive.exporting.xhtml import SCENE_BREAK, WIDTH, to_text, wrap

NAME = "txt"
LABEL = "TXT"
EXTENSION = "txt"
MEDIA_TYPE = "text/plain"

RULE = "=" * WIDTH


def write(book: Book) -> bytes:
    sections: list[str] = []
    if book.is_series:
        sections.append(_series_header(book))
    for part in book.parts:
        sections.extend(_work(part, book))
    return ("\n\n".join(sections).rstrip() + "\n").encode("utf-8")


def _series_header(book: Book) -> str:
    lines = [book.title, "by " + _names(book), f"A series in {len(book.parts)} parts", book.url]
    header = "\n".join(wrap(line) for line in lines)
    blocks = [RULE, header]
    if book.summary:
        blocks.append("Description:\n\n" + to_text(book.summary))
    if book.notes:
        blocks.append("Notes:\n\n" + to_text(book.notes))
    return "\n\n".join(blocks)


def _names(book: Book | WorkText) -> str:
    return ", ".join(person.name for person in book.creators) or "Anonymous"


def _field(label: str, value: str) -> str:
    return wrap(f"{label}: {value}", WIDTH).replace("\n", "\n  ")


def _work(part: WorkText, book: Book) -> list[str]:
    header = [RULE, wrap(part.title), wrap("by " + _names(part))]
    fields = [_field(g.label, ", ".join(p.name for p in g.people)) for g in part.credits]
    for label, names in part.tag_groups:
        fields.append(_field(label, ", ".join(names)))
    fields.append(_field("Language", part.language_name))
    for mark in part.series:
        fields.append(_field("Series", f"Part {mark.number} of {mark.total} of {mark.title}"))
    stats = []
    if part.published_at:
        stats.append(f"Published: {part.published_at:%Y-%m-%d}")
        if part.updated_at and part.updated_at.date() != part.published_at.date():
            done = "Completed" if part.is_complete else "Updated"
            stats.append(f"{done}: {part.updated_at:%Y-%m-%d}")
    stats += [f"Words: {part.word_count}", f"Chapters: {part.chapters_display}"]
    fields += [_field("Stats", "; ".join(stats)), _field("Source", part.url)]
    sections = ["\n".join(header), "\n".join(fields)]
    if part.summary:
        sections.append("Summary:\n\n" + to_text(part.summary))
    if part.begin_notes:
        sections.append("Notes:\n\n" + to_text(part.begin_notes))
    for chapter in part.chapters:
        sections.append(RULE + "\n" + wrap(chapter.heading))
        if chapter.summary:
            sections.append("Chapter summary:\n\n" + to_text(chapter.summary))
        if chapter.begin_notes:
            sections.append("Chapter notes:\n\n" + to_text(chapter.begin_notes))
        sections.append(to_text(chapter.body))
        if chapter.end_notes:
            sections.append("Chapter end notes:\n\n" + to_text(chapter.end_notes))
    if part.end_notes:
        sections.append(RULE + "\nEnd notes:\n\n" + to_text(part.end_notes))
    afterword = [
        wrap(f"{part.title} was downloaded from {book.site.name}:"),
        part.url,
        "",
        wrap(
            "Please drop by the archive and comment to let the creator know if you enjoyed "
            "their work!"
        ),
        part.comments_url,
    ]
    sections.append(SCENE_BREAK.center(WIDTH).rstrip() + "\n\n" + "\n".join(afterword))
    return sections

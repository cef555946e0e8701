"""Plain text, wrapped at 78 columns, with the same metadata header as the other formats."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ficarchive.exporting.book import Book, WorkText
from ficarchive.exporting.xhtml import SCENE_BREAK, WIDTH, to_text, wrap

NAME = "txt"
LABEL = "TXT"
EXTENSION = "txt"
MEDIA_TYPE = "text/plain"

RULE = "=" * WIDTH


def write(book: Book) -> bytes:
    sections: list[str] = []
    if book.has_parts:
        sections.append(_series_header(book))
    for part in book.parts:
        sections.extend(_work(part, book))
    return ("\n\n".join(sections).rstrip() + "\n").encode("utf-8")


def _series_header(book: Book) -> str:
    if book.is_series:
        parts = ngettext(
            "A series in %(count)s part", "A series in %(count)s parts", len(book.parts)
        )
    else:
        parts = ngettext(
            "A shelf of %(count)s work, kept by %(keeper)s",
            "A shelf of %(count)s works, kept by %(keeper)s",
            len(book.parts),
        )
    by = _("by %(creators)s") % {"creators": _names(book)}
    counted = parts % {"count": len(book.parts), "keeper": book.keeper}
    lines = [book.title, by, counted, book.url]
    header = "\n".join(wrap(line) for line in lines)
    blocks = [RULE, header]
    if book.summary:
        blocks.append(_("Description:") + "\n\n" + to_text(book.summary))
    if book.notes:
        blocks.append(_("Notes:") + "\n\n" + to_text(book.notes))
    return "\n\n".join(blocks)


def _names(book: Book | WorkText) -> str:
    return ", ".join(person.name for person in book.creators) or _("Anonymous")


def _field(label: str, value: str) -> str:
    return wrap(_("%(label)s: %(value)s") % {"label": label, "value": value}, WIDTH).replace(
        "\n", "\n  "
    )


def _work(part: WorkText, book: Book) -> list[str]:
    header = [RULE, wrap(part.title), wrap(_("by %(creators)s") % {"creators": _names(part)})]
    fields = [_field(g.label, ", ".join(p.name for p in g.people)) for g in part.credits]
    for label, names in part.tag_groups:
        fields.append(_field(label, ", ".join(names)))
    fields.append(_field(_("Language"), part.language_name))
    for mark in part.series:
        place = {"number": mark.number, "total": mark.total, "title": mark.title}
        fields.append(_field(_("Series"), _("Part %(number)s of %(total)s of %(title)s") % place))
    stats = []
    if part.published_at:
        stats.append(_("Published: %(date)s") % {"date": f"{part.published_at:%Y-%m-%d}"})
        if part.updated_at and part.updated_at.date() != part.published_at.date():
            done = _("Completed: %(date)s") if part.is_complete else _("Updated: %(date)s")
            stats.append(done % {"date": f"{part.updated_at:%Y-%m-%d}"})
    stats.append(
        _("Words: %(words)s; Chapters: %(chapters)s")
        % {"words": part.word_count, "chapters": part.chapters_display}
    )
    fields += [_field(_("Stats"), "; ".join(stats)), _field(_("Source"), part.url)]
    sections = ["\n".join(header), "\n".join(fields)]
    if part.summary:
        sections.append(_("Summary:") + "\n\n" + to_text(part.summary))
    if part.begin_notes:
        sections.append(_("Notes:") + "\n\n" + to_text(part.begin_notes))
    for chapter in part.chapters:
        sections.append(RULE + "\n" + wrap(chapter.heading))
        if chapter.summary:
            sections.append(_("Chapter summary:") + "\n\n" + to_text(chapter.summary))
        if chapter.begin_notes:
            sections.append(_("Chapter notes:") + "\n\n" + to_text(chapter.begin_notes))
        sections.append(to_text(chapter.body))
        if chapter.end_notes:
            sections.append(_("Chapter end notes:") + "\n\n" + to_text(chapter.end_notes))
    if part.end_notes:
        sections.append(RULE + "\n" + _("End notes:") + "\n\n" + to_text(part.end_notes))
    afterword = [
        wrap(
            _("%(title)s was downloaded from %(site)s:")
            % {"title": part.title, "site": book.site.name}
        ),
        part.url,
        "",
        wrap(
            _(
                "Please drop by the archive and comment to let the creator know if you enjoyed "
                "their work!"
            )
        ),
        part.comments_url,
    ]
    sections.append(SCENE_BREAK.center(WIDTH).rstrip() + "\n\n" + "\n".join(afterword))
    return sections

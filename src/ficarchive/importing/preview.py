"""The import preview's reader view: an imported work as its page will show it, with what the
importer found marked and every proposal's reason beside the field it fills.

Everything shown here is the work after `ParsedWork.finish()`, so every piece of HTML has been
through the sanitizer; the template marks it safe only through `user_html`, as the work page
does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.html import format_html

from ficarchive.importing.parsed import (
    STATED,
    Credit,
    ParsedChapter,
    ParsedWork,
    SeriesPlace,
    markup_start,
)
from ficarchive.tags.models import NOT_RATED
from ficarchive.text import count_words, sanitize_html
from ficarchive.works.models import LANGUAGE_NAMES, CreditRole

# A work whose chapters hold more HTML than this is shown chapter by chapter as each one's
# opening and closing paragraphs: the whole text is in the form below, and a page that carried
# megabytes twice would be slow to load and to scroll.
WHOLE_TEXT_CHARS = 500_000
# How much of each chapter's start and end a trimmed work shows.
EDGE_CHARS = 4_000
# Chapters past this many show their text behind a disclosure; headings and notes stay open.
OPEN_CHAPTERS = 3


# Proposed fields by the names the form gives them.
FIELD_NAMES = {"freeforms": "Additional tags"}


@dataclass
class ShownChapter:
    number: int
    chapter: ParsedChapter
    body: str  # the whole text, or its opening when the middle is left out
    closing: str = ""  # the last paragraphs, when the middle is left out
    words_left_out: int = 0
    folded: bool = False

    @property
    def starts(self) -> str:
        """The chapter's first words, with an ellipsis when its text goes on."""
        start = self.chapter.text_start(80)
        return start + "…" if len(self.chapter.text_start(81)) > len(start) else start


@dataclass
class ReaderView:
    work: ParsedWork
    chapters: list[ShownChapter]
    proposed: dict[str, str] = field(default_factory=dict)
    trimmed: bool = False

    @property
    def proposals(self) -> list[tuple[str, str]]:
        """(the field's name as the form labels it, the reason) for each proposed value."""
        return [
            (FIELD_NAMES.get(n, n.replace("_", " ").capitalize()), r)
            for n, r in self.proposed.items()
        ]

    @property
    def rating(self) -> str:
        return self.work.rating or NOT_RATED

    @property
    def language_name(self) -> str:
        code = self.work.language or "en"
        return LANGUAGE_NAMES.get(code, code)

    @property
    def credits(self) -> list[tuple[str, list[str]]]:
        """(role's name, names) in the order the roles first appear."""
        roles: dict[str, list[str]] = {}
        for credit in self.work.credits:
            try:
                label = str(CreditRole(credit.role).label)
            except ValueError:
                label = credit.role.replace("_", " ").capitalize()
            roles.setdefault(label, []).append(credit.name)
        return list(roles.items())

    @property
    def chapters_display(self) -> str:
        """ "2/?" or "2/5", as the work page's stats will say once it is posted."""
        count = len(self.work.chapters)
        expected = self.work.expected_chapters
        if self.work.complete is True:
            expected = max(expected or count, count)
        elif expected is not None:
            expected = max(expected, count)
        return f"{count}/{'?' if expected is None else expected}"


def reader_view(work: ParsedWork) -> ReaderView:
    """WORK (finished, so sanitized) as the preview shows it."""
    total = sum(len(c.body) for c in work.chapters)
    trimmed = total > WHOLE_TEXT_CHARS
    shown = []
    for number, chapter in enumerate(work.chapters, start=1):
        item = ShownChapter(number, chapter, chapter.body, folded=number > OPEN_CHAPTERS)
        if trimmed and len(chapter.body) > 3 * EDGE_CHARS:
            item.body = sanitize_html(_opening(chapter.body, EDGE_CHARS))
            item.closing = sanitize_html(_closing(chapter.body, EDGE_CHARS))
            item.words_left_out = max(
                0, chapter.words - count_words(item.body) - count_words(item.closing)
            )
        shown.append(item)
    return ReaderView(work, shown, dict(work.inferred), trimmed)


def _opening(markup: str, length: int) -> str:
    """About LENGTH characters from the start of MARKUP, to the end of a paragraph if one ends
    soon after (the sanitizer closes whatever is left open)."""
    end = markup.find("</p>", length)
    if end != -1 and end < length * 2:
        return markup[: end + 4]
    return markup_start(markup, length)


def _closing(markup: str, length: int) -> str:
    """About LENGTH characters from the end of MARKUP, from the start of a paragraph."""
    start = markup.rfind("<p", 0, len(markup) - length)
    if start != -1 and start > len(markup) - length * 2:
        return markup[start:]
    rest = markup[len(markup) - length :]
    tag = rest.find(">")
    return rest[tag + 1 :] if tag != -1 else rest


def mark_proposals(form: forms.Form, proposed: dict[str, str]) -> None:
    """Put each proposal's reason in the help of the form field it fills (this form's copy of
    the field), where the field's label and description point to it."""
    for name, reason in proposed.items():
        if name in form.fields:
            field = form.fields[name]
            field.help_text = format_html(
                '<span class="proposed">Proposed: {}</span> {}', reason, field.help_text or ""
            )


def from_form(form: forms.Form, chapters: forms.BaseFormSet) -> ParsedWork:
    """What the submitted fields hold that is valid, sanitized, for a preview of a post that
    was refused (the reader view then shows the author's corrections, not the file)."""
    form.is_valid()  # validated once: each form keeps its cleaned data and errors
    chapters.is_valid()
    data: dict[str, Any] = getattr(form, "cleaned_data", None) or {}
    work = ParsedWork(
        source=str(data.get("source") or ""), format="upload", title=str(data.get("title") or "")
    )
    work.set_rating(str(data.get("rating") or ""), STATED)
    for name in ("warnings", "categories", "fandoms", "relationships", "characters", "freeforms"):
        setattr(work, name, [str(v) for v in data.get(name) or []])
    work.language = str(data.get("language") or "")
    for name in ("summary", "begin_notes", "end_notes"):
        setattr(work, name, str(data.get(name) or ""))
    work.creators = _names(data.get("creators"))
    work.credits = [Credit(str(CreditRole.BETA), name) for name in _names(data.get("betas"))]
    work.expected_chapters = data.get("expected_chapters")
    series = str(data.get("series") or "").strip()
    work.series = SeriesPlace(series) if series else None
    for chapter in chapters.forms:
        values: dict[str, Any] = getattr(chapter, "cleaned_data", None) or {}
        work.chapters.append(
            ParsedChapter(
                title=str(values.get("title") or ""),
                body=str(values.get("body") or ""),
                begin_notes=str(values.get("begin_notes") or ""),
                end_notes=str(values.get("end_notes") or ""),
            )
        )
    return work.finish()


def _names(value: Any) -> list[str]:
    return [name.strip() for name in str(value or "").split(",") if name.strip()]

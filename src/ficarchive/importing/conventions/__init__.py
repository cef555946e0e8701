# ruff: noqa: F401 - re-exported: readers use `conventions as conv`
"""The conventions fan fiction files follow, shared by every reader, one module per kind:
`values` (ratings, languages, dates), `chapters` (headings), `notes` (author's notes,
disclaimers, credits) and `headers` ("Key: value" metadata)."""

from __future__ import annotations

from ficarchive.importing.conventions.chapters import (
    CHAPTER_HEADING,
    NUMBER_WORDS,
    chapter_heading,
    chapter_title,
    number_value,
    same_heading,
)
from ficarchive.importing.conventions.headers import (
    FIELD_KEYS,
    IGNORED_KEYS,
    KEY_LINE,
    add_characters,
    apply_field,
    field_key,
    list_value,
    set_chapter_count,
    set_series,
    status_complete,
)
from ficarchive.importing.conventions.notes import (
    CLOSING,
    DISCLAIMER,
    NOTE_PARENS,
    NOTE_START,
    SIGN_OFF,
    add_credits,
    by_line,
    closing_opening,
    collaborators,
    disclaimer_text,
    fandom_in_disclaimer,
    find_credits,
    is_closing,
    is_note,
    note_opening,
    split_names,
    strip_note_label,
    writing_talk,
)
from ficarchive.importing.conventions.values import (
    RATINGS,
    language_code,
    parse_date,
    parse_int,
    rating_in_prose,
    rating_line,
    rating_name,
    set_language,
)

"""What a work's creators give (work, chapter and credit details), how it is checked, and who
may change a work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud
from ficarchive.accounts.standing import require_good_standing
from ficarchive.tags.models import NOT_RATED, TagType
from ficarchive.text.formats import BodyFormat, render_body
from ficarchive.text.wordcount import count_words
from ficarchive.works.models import (
    LANGUAGES,
    CommentPolicy,
    Work,
)

if TYPE_CHECKING:
    from ficarchive.accounts.models import User


MAX_TITLE = 255
MAX_SUMMARY = 1250
MAX_NOTES = 5000
MAX_BODY = 510_000
MAX_TAGS_PER_TYPE = 75


@dataclass
class WorkDetails:
    """Everything about a work that its creators choose, as the posting form gives it."""

    title: str
    rating: str = NOT_RATED
    warnings: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    summary: str = ""
    begin_notes: str = ""
    end_notes: str = ""
    language: str = "en"
    expected_chapters: int | None = 1
    restricted: bool = False
    comment_policy: str = CommentPolicy.EVERYONE
    moderate_comments: bool = False

    def tag_names(self) -> dict[str, list[str]]:
        return {
            TagType.RATING: [self.rating] if self.rating else [],
            TagType.WARNING: self.warnings,
            TagType.CATEGORY: self.categories,
            TagType.FANDOM: self.fandoms,
            TagType.RELATIONSHIP: self.relationships,
            TagType.CHARACTER: self.characters,
            TagType.FREEFORM: self.freeforms,
        }


@dataclass
class ChapterDetails:
    body: str
    body_format: str = BodyFormat.HTML
    title: str = ""
    summary: str = ""
    begin_notes: str = ""
    end_notes: str = ""


@dataclass
class CreditDetails:
    role: str
    name: str


# --- validation --------------------------------------------------------------------------


def _check_length(errors: dict[str, list[str]], name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(name, []).append(
            f"{name.replace('_', ' ').capitalize()} is {len(value):,} characters long; "
            f"the most is {limit:,}."
        )


def validate_work_details(details: WorkDetails, posted_chapters: int = 0) -> None:
    errors: dict[str, list[str]] = {}
    if not details.title.strip():
        errors["title"] = [_("A work needs a title.")]
    _check_length(errors, "title", details.title, MAX_TITLE)
    _check_length(errors, "summary", details.summary, MAX_SUMMARY)
    _check_length(errors, "begin_notes", details.begin_notes, MAX_NOTES)
    _check_length(errors, "end_notes", details.end_notes, MAX_NOTES)
    if not details.rating:
        errors["rating"] = [_("Choose a rating.")]
    if not details.warnings:
        errors["warnings"] = [_("Choose at least one archive warning.")]
    if not details.fandoms:
        errors["fandoms"] = [_("Name at least one fandom.")]
    if details.language not in dict(LANGUAGES):
        errors["language"] = [f"{details.language!r} is not a language the archive knows."]
    if details.comment_policy not in CommentPolicy.values:
        errors["comment_policy"] = [f"{details.comment_policy!r} is not a comment setting."]
    if details.expected_chapters is not None:
        if details.expected_chapters < 1:
            errors["expected_chapters"] = [_("The expected number of chapters must be at least 1.")]
        elif details.expected_chapters < posted_chapters:
            errors["expected_chapters"] = [
                _("The work already has %(count)s posted chapters; expect at least that many.")
                % {"count": posted_chapters}
            ]
    for key, names in details.tag_names().items():
        if len(names) > MAX_TAGS_PER_TYPE:
            errors.setdefault(_form_field(key), []).append(
                f"Use at most {MAX_TAGS_PER_TYPE} tags here, not {len(names)}."
            )
    if errors:
        raise ValidationError(errors)


def _form_field(tag_type: str) -> str:
    fields: dict[str, str] = {
        TagType.RATING: "rating",
        TagType.WARNING: "warnings",
        TagType.CATEGORY: "categories",
        TagType.FANDOM: "fandoms",
        TagType.RELATIONSHIP: "relationships",
        TagType.CHARACTER: "characters",
        TagType.FREEFORM: "freeforms",
    }
    return fields[tag_type]


def validate_chapter_details(details: ChapterDetails) -> str:
    """Check a chapter and return its sanitized body HTML."""
    errors: dict[str, list[str]] = {}
    _check_length(errors, "title", details.title, MAX_TITLE)
    _check_length(errors, "summary", details.summary, MAX_SUMMARY)
    _check_length(errors, "begin_notes", details.begin_notes, MAX_NOTES)
    _check_length(errors, "end_notes", details.end_notes, MAX_NOTES)
    _check_length(errors, "body", details.body, MAX_BODY)
    if details.body_format not in BodyFormat.values:
        errors["body_format"] = [f"{details.body_format!r} is not a text format."]
    if errors:
        raise ValidationError(errors)
    body = render_body(details.body, details.body_format)
    if not count_words(body) and "<img" not in body:
        raise ValidationError(
            {"body": [_("The chapter text is empty (after removing unsafe markup).")]}
        )
    return body


def rich_text(value: str) -> str:
    """Summaries and notes: HTML or plain text, always sanitized."""
    return render_body(value, BodyFormat.HTML) if value.strip() else ""


# --- permissions -------------------------------------------------------------------------


def _require_creator(user: User, work: Work) -> None:
    if not work.is_editable_by(user):
        raise PermissionDenied("Only the work's creators may change it.")
    require_good_standing(user)


def _require_own_pseuds(user: User, pseuds: Sequence[Pseud]) -> None:
    if not pseuds:
        raise ValidationError({"pseuds": [_("Post under at least one of your pseuds.")]})
    if any(p.user_id != user.pk for p in pseuds):
        raise PermissionDenied("You can only post under your own pseuds.")
    require_good_standing(user)

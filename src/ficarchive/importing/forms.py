"""The upload form and the preview's editable fields for one imported work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ficarchive.importing.actions import ForAuthor
from ficarchive.importing.parsed import (
    STATED,
    Credit,
    ParsedChapter,
    ParsedWork,
    SeriesPlace,
)
from ficarchive.importing.safety import max_file_bytes, too_large
from ficarchive.moderation.permissions import may
from ficarchive.tags.models import CATEGORIES, NOT_RATED, RATINGS, WARNINGS
from ficarchive.works.actions import check_author
from ficarchive.works.forms import TagsField
from ficarchive.works.models import LANGUAGES, CreditRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

MAX_UPLOADS = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    upload = MultipleFileField(
        label=_("Files"),
        required=False,
        allow_empty_file=True,  # the importer says which file is empty
    )
    text = forms.CharField(
        label=_("Or paste the text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = gettext(
            ".txt, .html, .epub, .docx, .md, or a .zip of them; at most %(count)s files, "
            "%(megabytes)s MB in all."
        ) % {"count": MAX_UPLOADS, "megabytes": f"{max_file_bytes() / (1024 * 1024):,.0f}"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        files = data.get("upload") or []
        if len(files) > MAX_UPLOADS:
            self.add_error(
                "upload", _("Upload at most %(count)s files at once.") % {"count": MAX_UPLOADS}
            )
        for upload in files:
            if upload.size > max_file_bytes():
                self.add_error(
                    "upload", f"{upload.name}: {too_large(upload.size, max_file_bytes())}"
                )
        if not files and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file to upload or paste a story's text."))
        return data

    def uploads(self) -> Iterator[tuple[str, bytes]]:
        """Each file's name and bytes, read from where Django spooled it only when its turn
        comes, so that one file at a time is in memory."""
        for upload in self.cleaned_data.get("upload") or []:
            upload.seek(0)
            yield upload.name or "upload", upload.read()
            upload.close()


def _choices(names: list[str]) -> list[tuple[str, str]]:
    return [(name, name) for name in names]


class ImportedWorkForm(forms.Form):
    """Every field of an imported work, editable before it is posted."""

    source = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=255)
    creators = forms.CharField(
        required=False,
        max_length=300,
        label=_("Creators"),
        help_text=_(
            "As the file names them; the work is posted under your pseud, and the others "
            "are shown as the work's original creators."
        ),
    )
    published = forms.DateField(
        required=False,
        label=_("Originally posted"),
        help_text=_("When the file says the work was first posted elsewhere (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    updated = forms.DateField(
        required=False,
        label=_("Originally updated"),
        help_text=_("Its last update there, if the file says."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    rating = forms.ChoiceField(label=_("Rating"), choices=_choices(RATINGS))
    warnings = forms.MultipleChoiceField(
        label=_("Archive warnings"), choices=_choices(WARNINGS), widget=forms.CheckboxSelectMultiple
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=_choices(CATEGORIES),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fandoms = TagsField(required=True, label=_("Fandoms"))
    relationships = TagsField(required=False, label=_("Relationships"))
    characters = TagsField(required=False, label=_("Characters"))
    freeforms = TagsField(required=False, label=_("Additional tags"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    summary = forms.CharField(
        required=False, label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    begin_notes = forms.CharField(
        required=False, label=_("Notes at the beginning"), widget=forms.Textarea(attrs={"rows": 4})
    )
    end_notes = forms.CharField(
        required=False, label=_("Notes at the end"), widget=forms.Textarea(attrs={"rows": 4})
    )
    betas = forms.CharField(
        required=False, label=_("Beta readers"), help_text=_("Comma-separated.")
    )
    expected_chapters = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Chapters expected"),
        help_text=_("Leave empty if you do not know yet."),
    )
    series = forms.CharField(required=False, max_length=255, label=_("Series"))
    draft = forms.BooleanField(required=False, label=_("Keep as a draft"))
    # Archivists only (the fields are taken away for everyone else): see `for_author`.
    for_someone_else = forms.BooleanField(
        required=False, label=_("Import for someone else (with their permission)")
    )
    author_name = forms.CharField(
        required=False,
        max_length=100,
        label=_("The author's name"),
        help_text=_("As they wrote under it; the work is credited to them."),
    )
    author_email = forms.CharField(
        required=False,
        max_length=254,
        label=_("The author's email address"),
        help_text=_("They are invited to claim the work, orphan it or remove it."),
    )

    ARCHIVIST_FIELDS = ("for_someone_else", "author_name", "author_email")

    def __init__(self, *args: Any, user: User | AnonymousUser | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if user is None or not may(user, "import_for_others"):
            for name in self.ARCHIVIST_FIELDS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        published, updated = data.get("published"), data.get("updated")
        today = timezone.localdate()
        for name, when in (("published", published), ("updated", updated)):
            if when and when > today:
                self.add_error(
                    name,
                    _("%(date)s is in the future.") % {"date": dateformat.format(when, "d F Y")},
                )
        if updated and not published:
            self.add_error("updated", _("Give the date it was first posted too."))
        elif published and updated and updated < published:
            self.add_error("updated", _("It cannot have been updated before it was first posted."))
        if data.get("for_someone_else"):
            try:
                check_author(data.get("author_name") or "", data.get("author_email") or "")
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return data

    def for_author(self) -> ForAuthor | None:
        """Whom an archivist imports this work for, or None (the work is their own)."""
        data = self.cleaned_data
        if not data.get("for_someone_else"):
            return None
        return ForAuthor(data["author_name"], data["author_email"])

    @classmethod
    def initial_for(cls, work: ParsedWork) -> dict[str, Any]:
        return {
            "source": work.source,
            "title": work.title,
            "creators": ", ".join(work.creators),
            "published": work.published,
            "updated": work.updated,
            "rating": work.rating or NOT_RATED,
            "warnings": work.warnings,
            "categories": work.categories,
            "fandoms": ", ".join(work.fandoms),
            "relationships": ", ".join(work.relationships),
            "characters": ", ".join(work.characters),
            "freeforms": ", ".join(n.replace(",", "\u201a") for n in work.freeforms),
            "language": work.language or "en",
            "summary": work.summary,
            "begin_notes": work.begin_notes,
            "end_notes": work.end_notes,
            "betas": ", ".join(c.name for c in work.credits if c.role == CreditRole.BETA),
            "expected_chapters": work.expected_chapters,
            "series": work.series.name if work.series else "",
            "draft": bool(work.inferred) or not work.warnings,
        }

    def parsed(self, chapters: list[dict[str, Any]]) -> ParsedWork:
        data = self.cleaned_data
        work = ParsedWork(source=data["source"], format="upload", title=data["title"])
        work.set_rating(data["rating"], STATED)
        work.creators = [n.strip() for n in data["creators"].split(",") if n.strip()]
        work.published, work.updated = data["published"], data["updated"]
        for name in ("warnings", "categories", "fandoms", "relationships", "characters"):
            setattr(work, name, list(data[name]))
        work.freeforms = list(data["freeforms"])
        work.language = data["language"]
        work.summary = data["summary"]
        work.begin_notes = data["begin_notes"]
        work.end_notes = data["end_notes"]
        work.expected_chapters = data["expected_chapters"]
        work.complete = None
        betas = [n.strip() for n in data["betas"].split(",") if n.strip()]
        work.credits = [Credit(str(CreditRole.BETA), name) for name in betas]
        work.series = SeriesPlace(data["series"]) if data["series"].strip() else None
        work.chapters = [
            ParsedChapter(
                title=c["title"],
                body=c["body"],
                begin_notes=c["begin_notes"],
                end_notes=c["end_notes"],
            )
            for c in chapters
        ]
        return work


class ImportedChapterForm(forms.Form):
    title = forms.CharField(required=False, label=_("Chapter title"), max_length=255)
    body = forms.CharField(label=_("Text (HTML)"), widget=forms.Textarea(attrs={"rows": 8}))
    begin_notes = forms.CharField(
        required=False,
        label=_("Chapter notes at the beginning"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    end_notes = forms.CharField(
        required=False,
        label=_("Chapter notes at the end"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ChapterFormSet = forms.formset_factory(
    ImportedChapterForm, extra=0, min_num=1, validate_min=True, max_num=500
)

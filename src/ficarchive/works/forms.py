"""Forms for posting and editing works, chapters, co-creators and series.

They parse what the author typed into the values the actions take and never write; the actions
check permissions and validate again.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.models import Pseud, User
from ficarchive.collections.models import Collection
from ficarchive.tags.actions import split_tag_names
from ficarchive.tags.models import CATEGORIES, RATINGS, WARNINGS, TagType, validate_tag_name
from ficarchive.text import BodyFormat
from ficarchive.text.wordcount import count_words
from ficarchive.works import actions
from ficarchive.works.models import (
    LANGUAGES,
    Chapter,
    CommentPolicy,
    CreditRole,
    Series,
    Work,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TAG_HELP = _("Separate tags with commas.")
MAX_COLLECTIONS_AT_POSTING = 10
RICH_TEXT_HELP = _("Plain text or HTML; unsafe markup is removed.")


def add_action_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form: on the field it names, else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _choices(names: list[str]) -> list[tuple[str, str]]:
    return [(name, name) for name in names]


class TagsField(forms.CharField):
    """Comma-separated tag names, cleaned into a list of names.

    With SUGGEST (a tag type), htmx asks the tag autocomplete as the author types, sending the
    work's fandoms along; without JavaScript it is a plain text input.
    """

    def __init__(self, *, suggest: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", TAG_HELP)
        super().__init__(**kwargs)
        if suggest:
            self.widget.attrs.update(
                {
                    "autocomplete": "off",
                    "hx-get": reverse_lazy("tags:autocomplete"),
                    "hx-vals": json.dumps({"type": suggest}),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-sync": "this:replace",
                    "hx-target": "next .tag-suggestions",
                }
            )
            if suggest != TagType.FANDOM:
                self.widget.attrs["hx-include"] = "[name='fandoms']"

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return split_tag_names(super().to_python(value) or "")

    def validate(self, value: Any) -> None:
        super().validate(value)
        for name in value:
            validate_tag_name(name)

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value


def _text(
    label: StrOrPromise, limit: int, help_text: StrOrPromise = RICH_TEXT_HELP
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PseudsField(forms.ModelMultipleChoiceField):
    """Checkboxes of the user's pseuds, labelled by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# --- credits -----------------------------------------------------------------------------


class CreditForm(forms.Form):
    """One credit row; a row without a name is ignored."""

    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Choose a role")), *CreditRole.choices]
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("name", "").strip() and not cleaned.get("role"):
            self.add_error("role", _("Choose what this person did."))
        return cleaned


CreditFormSet = forms.formset_factory(
    CreditForm, extra=3, max_num=30, absolute_max=60, validate_max=True
)


def _body_format_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Text format"),
        choices=BodyFormat.choices,
        initial=BodyFormat.HTML,
        widget=forms.RadioSelect,
    )


def _body_field(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=actions.MAX_BODY,
        strip=False,
        widget=forms.Textarea(attrs={"class": "body", "rows": 20, "data-rich-text": "full"}),
        error_messages={"required": _("The chapter text is empty.")},
    )


# --- works -------------------------------------------------------------------------------


class WorkForm(forms.Form):
    """A work's details: the edit form, and the first part of the posting form.

    Holds the credits formset as `credits`. A post without the formset's management data keeps
    the credits as they are.
    """

    pseuds = PseudsField(
        label=_("Creator/Pseud(s)"),
        queryset=Pseud.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Post under at least one of your pseuds."),
            "invalid_choice": _("You can only post under your own pseuds."),
            "invalid_pk_value": _("You can only post under your own pseuds."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=actions.MAX_TITLE,
        error_messages={"required": _("A work needs a title.")},
    )
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=[("", _("Choose a rating")), *_choices(RATINGS)],
        error_messages={"required": _("Choose a rating.")},
    )
    warnings = forms.MultipleChoiceField(
        label=_("Archive warnings"),
        choices=_choices(WARNINGS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one archive warning.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=_choices(CATEGORIES),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fandoms = TagsField(
        label=_("Fandoms"),
        required=True,
        error_messages={"required": _("Name at least one fandom.")},
        suggest=TagType.FANDOM,
    )
    relationships = TagsField(label=_("Relationships"), suggest=TagType.RELATIONSHIP)
    characters = TagsField(label=_("Characters"), suggest=TagType.CHARACTER)
    freeforms = TagsField(label=_("Additional tags"), suggest=TagType.FREEFORM)
    summary = _text(_("Summary"), actions.MAX_SUMMARY)
    begin_notes = _text(_("Notes at the beginning"), actions.MAX_NOTES)
    end_notes = _text(_("Notes at the end"), actions.MAX_NOTES)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="en")
    expected_chapters = forms.IntegerField(
        label=_("Chapters expected"),
        required=False,
        min_value=1,
        max_value=10_000,
        initial=1,
        help_text=_("Leave empty if you do not know yet; the work then shows “?”."),
    )
    restricted = forms.BooleanField(label=_("Only show to registered users"), required=False)
    comment_policy = forms.ChoiceField(
        label=_("Who may comment"),
        choices=CommentPolicy.choices,
        initial=CommentPolicy.EVERYONE,
        widget=forms.RadioSelect,
    )
    moderate_comments = forms.BooleanField(label=_("Comments wait for my approval"), required=False)

    TAG_FIELDS = ("rating", "warnings", "categories", "fandoms", "relationships", "characters")
    PREFACE_FIELDS = ("title", "summary", "begin_notes", "end_notes")

    def __init__(
        self, user: User, data: Any = None, *, work: Work | None = None, **kwargs: Any
    ) -> None:
        if work is not None:
            kwargs.setdefault("initial", self.initial_from(user, work))
        super().__init__(data, **kwargs)
        self.work = work
        pseuds = self.fields["pseuds"]
        assert isinstance(pseuds, PseudsField)
        pseuds.queryset = Pseud.objects.of(user)
        if work is None:
            pseuds.initial = [p.pk for p in Pseud.objects.of(user) if p.is_default]
        self.credits = self._credit_formset(data, work)

    @staticmethod
    def initial_from(user: User, work: Work) -> dict[str, Any]:
        rating = work.rating
        return {
            "pseuds": [p.pk for p in work.actual_creators if p.user_id == user.pk],
            "title": work.title,
            "rating": rating.name if rating else "",
            "warnings": [t.name for t in work.warnings],
            "categories": [t.name for t in work.categories],
            "fandoms": [t.name for t in work.fandoms],
            "relationships": [t.name for t in work.relationships],
            "characters": [t.name for t in work.characters],
            "freeforms": [t.name for t in work.freeforms],
            "summary": work.summary,
            "begin_notes": work.begin_notes,
            "end_notes": work.end_notes,
            "language": work.language,
            "expected_chapters": work.expected_chapters,
            "restricted": work.restricted,
            "comment_policy": work.comment_policy,
            "moderate_comments": work.moderate_comments,
        }

    @staticmethod
    def _credit_formset(data: Any, work: Work | None) -> forms.BaseFormSet:
        prefix = "credits"
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = None
        initial = [{"role": c.role, "name": c.name} for c in work.credits.all()] if work else None
        return CreditFormSet(data, prefix=prefix, initial=initial)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.credits.is_bound and not self.credits.is_valid():
            raise ValidationError(_("Check the credits below."))
        return cleaned

    def work_details(self) -> actions.WorkDetails:
        data = self.cleaned_data
        return actions.WorkDetails(
            title=data["title"],
            rating=data["rating"],
            warnings=list(data["warnings"]),
            categories=list(data["categories"]),
            fandoms=data["fandoms"],
            relationships=data["relationships"],
            characters=data["characters"],
            freeforms=data["freeforms"],
            summary=data["summary"],
            begin_notes=data["begin_notes"],
            end_notes=data["end_notes"],
            language=data["language"],
            expected_chapters=data["expected_chapters"],
            restricted=data["restricted"],
            comment_policy=data["comment_policy"],
            moderate_comments=data["moderate_comments"],
        )

    def details_preview(self, posted_chapters: int = 0) -> dict[str, Any]:
        """The work's details as its page would show them, sanitized, without saving (an edit
        keeps the credits it was not sent). Raises ValidationError as saving would."""
        details = self.work_details()
        actions.validate_work_details(details, posted_chapters=posted_chapters)
        roles = dict(CreditRole.choices)
        credits = self.credit_details()
        if credits is None and self.work is not None:
            kept = self.work.credits.all()
            credits = [actions.CreditDetails(role=c.role, name=c.name) for c in kept]
        return {
            "details": details,
            "pseuds": list(self.cleaned_data["pseuds"]),
            "credits": [(roles[c.role], c.name) for c in credits or []],
            "language": dict(LANGUAGES)[details.language],
            "summary": actions.rich_text(details.summary),
            "begin_notes": actions.rich_text(details.begin_notes),
            "end_notes": actions.rich_text(details.end_notes),
        }

    def credit_details(self) -> list[actions.CreditDetails] | None:
        """The credits typed, blank rows left out; None when the form did not include them."""
        if not self.credits.is_bound:
            return None
        return [
            actions.CreditDetails(role=row["role"], name=row["name"].strip())
            for row in self.credits.cleaned_data
            if row and row.get("name", "").strip()
        ]


class NewWorkForm(WorkForm):
    """The posting form: a work's details, where it goes in a series, and its first chapter."""

    series = forms.ModelChoiceField(
        label=_("Add to one of your series"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=_("No series"),
    )
    new_series = forms.CharField(
        label=_("…or start a new series titled"),
        required=False,
        max_length=actions.MAX_TITLE,
    )
    collections = forms.CharField(
        label=_("Post to collections"),
        required=False,
        max_length=1000,
        help_text=_(
            "Their names, as in /collections/NAME, separated by commas. In an anonymous or "
            "unrevealed collection the work is kept secret from the moment it is posted."
        ),
    )
    assignment = forms.IntegerField(required=False, widget=forms.HiddenInput)
    prompt = forms.IntegerField(required=False, widget=forms.HiddenInput)
    chapter_title = forms.CharField(
        label=_("Chapter title"), required=False, max_length=actions.MAX_TITLE
    )
    body_format = _body_format_field()
    body = _body_field(_("Work text"))

    def __init__(self, user: User, data: Any = None, **kwargs: Any) -> None:
        super().__init__(user, data, **kwargs)
        series = self.fields["series"]
        assert isinstance(series, forms.ModelChoiceField)
        series.queryset = Series.objects.by_user(user).order_by("title")

    def clean_collections(self) -> list[Collection]:
        names = list(
            dict.fromkeys(n.strip().lower() for n in self.cleaned_data["collections"].split(","))
        )
        names = [name for name in names if name]
        if len(names) > MAX_COLLECTIONS_AT_POSTING:
            raise forms.ValidationError(
                _("At most %(most)s collections at once.") % {"most": MAX_COLLECTIONS_AT_POSTING}
            )
        found = {c.name: c for c in Collection.objects.filter(name__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise forms.ValidationError(
                _("No collection is called “%(name)s”.") % {"name": ", ".join(unknown)}
            )
        return [found[name] for name in names]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("series") and cleaned.get("new_series", "").strip():
            self.add_error("new_series", _("Choose one of your series or a new title, not both."))
        return cleaned

    def chapter_details(self) -> actions.ChapterDetails:
        return actions.ChapterDetails(
            body=self.cleaned_data["body"],
            body_format=self.cleaned_data["body_format"],
            title=self.cleaned_data["chapter_title"],
        )

    def preview(self) -> dict[str, Any]:
        """The work as it would look once posted, rendered and sanitized, without saving.

        Raises ValidationError as posting would.
        """
        body = actions.validate_chapter_details(self.chapter_details())
        preview = self.details_preview()
        expected = preview["details"].expected_chapters
        total = "?" if expected is None else expected
        return preview | {
            "chapter_title": self.cleaned_data["chapter_title"],
            "body": body,
            "word_count": count_words(body),
            "chapters": f"1/{total}",
            "series": self.cleaned_data["series"] or self.cleaned_data["new_series"],
        }


# --- chapters ----------------------------------------------------------------------------


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("Chapter title"), required=False, max_length=actions.MAX_TITLE)
    summary = _text(_("Chapter summary"), actions.MAX_SUMMARY)
    begin_notes = _text(_("Notes at the beginning"), actions.MAX_NOTES)
    end_notes = _text(_("Notes at the end"), actions.MAX_NOTES)
    body_format = _body_format_field()
    body = _body_field(_("Chapter text"))

    def __init__(self, data: Any = None, *, chapter: Chapter | None = None) -> None:
        super().__init__(data, initial=self.initial_from(chapter) if chapter else None)

    @staticmethod
    def initial_from(chapter: Chapter) -> dict[str, Any]:
        """The form's fields as CHAPTER has them (the page's edit form, the API's PATCH)."""
        return {
            "title": chapter.title,
            "summary": chapter.summary,
            "begin_notes": chapter.begin_notes,
            "end_notes": chapter.end_notes,
            "body_format": chapter.body_format,
            "body": chapter.body_source,
        }

    def chapter_details(self) -> actions.ChapterDetails:
        return actions.ChapterDetails(**self.cleaned_data)

    def preview(self, number: int) -> dict[str, Any]:
        """Chapter NUMBER as readers will see it, sanitized as saving would, without saving.

        Raises ValidationError as saving would.
        """
        details = self.chapter_details()
        body = actions.validate_chapter_details(details)
        return {
            "number": number,
            "title": details.title.strip(),
            "summary": actions.rich_text(details.summary),
            "begin_notes": actions.rich_text(details.begin_notes),
            "end_notes": actions.rich_text(details.end_notes),
            "body": body,
            "word_count": count_words(body),
        }


class ReorderForm(forms.Form):
    """A number per chapter: the place it should take."""

    def __init__(self, chapters: list[Chapter], data: Any = None) -> None:
        super().__init__(data)
        self.chapters = chapters
        for chapter in chapters:
            self.fields[f"position_{chapter.pk}"] = forms.IntegerField(
                label=chapter.heading,
                min_value=1,
                max_value=len(chapters),
                initial=chapter.position,
                widget=forms.NumberInput(attrs={"class": "position"}),
            )

    def rows(self) -> list[tuple[Chapter, forms.BoundField]]:
        return [(c, self[f"position_{c.pk}"]) for c in self.chapters]

    def chapter_ids(self) -> list[int]:
        """Chapter ids in their new order; a moved chapter goes before one it ties with."""

        def place(chapter: Chapter) -> tuple[int, int, int]:
            wanted = self.cleaned_data[f"position_{chapter.pk}"]
            return (wanted, 0 if wanted != chapter.position else 1, chapter.position)

        return [chapter.pk for chapter in sorted(self.chapters, key=place)]


# --- co-creators -------------------------------------------------------------------------

PSEUD_WITH_USER = re.compile(r"^(?P<pseud>.+?)\s*\((?P<user>[^()]+)\)$")


class InviteForm(forms.Form):
    pseud = forms.CharField(
        label=_("Invite a co-creator"),
        max_length=100,
        help_text=_("A user name, or a pseud as “pseud (user name)”."),
    )

    def clean_pseud(self) -> Pseud:
        typed = self.cleaned_data["pseud"].strip()
        match = PSEUD_WITH_USER.match(typed)
        if match:
            pseuds = Pseud.objects.named(match["pseud"]).filter(
                user__username__iexact=match["user"].strip()
            )
        else:
            pseuds = Pseud.objects.filter(user__username__iexact=typed, is_default=True)
        pseud = pseuds.select_related("user").first()
        if pseud is None:
            raise ValidationError(
                _("Nobody on the archive is called “%(name)s”.") % {"name": typed}
            )
        return pseud


class PickForm(forms.Form):
    """One of the given rows, picked by a button's value (remove this creator, this part…)."""

    pick: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None)

    def __init__(self, queryset: QuerySet[Any], data: Any = None) -> None:
        super().__init__(data)
        pick = self.fields["pick"]
        assert isinstance(pick, forms.ModelChoiceField)
        pick.queryset = queryset


# --- admins ------------------------------------------------------------------------------


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the work's creators."),
    )


# --- series ------------------------------------------------------------------------------


class SeriesForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=actions.MAX_TITLE,
        error_messages={"required": _("A series needs a title.")},
    )
    summary = _text(_("Summary"), actions.MAX_SUMMARY)
    notes = _text(_("Notes"), actions.MAX_NOTES)

    def __init__(self, data: Any = None, *, series: Series | None = None) -> None:
        initial = None
        if series is not None:
            initial = {
                "title": series.title,
                "summary": series.summary,
                "notes": series.notes,
                "is_complete": series.is_complete,
            }
        super().__init__(data, initial=initial)


class SeriesEditForm(SeriesForm):
    is_complete = forms.BooleanField(label=_("This series is complete"), required=False)


class SeriesAddForm(forms.Form):
    series = forms.ModelChoiceField(
        label=_("One of your series"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=_("Choose a series"),
    )
    new_series = forms.CharField(
        label=_("…or a new series titled"), required=False, max_length=actions.MAX_TITLE
    )
    position = forms.IntegerField(
        label=_("Part number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to add the work at the end; later parts move down one."),
    )

    def __init__(self, user: User, work: Work, data: Any = None) -> None:
        super().__init__(data)
        series = self.fields["series"]
        assert isinstance(series, forms.ModelChoiceField)
        series.queryset = Series.objects.by_user(user).exclude(parts__work=work).order_by("title")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen, title = cleaned.get("series"), cleaned.get("new_series", "").strip()
        if chosen and title:
            self.add_error("new_series", _("Choose one of your series or a new title, not both."))
        elif not chosen and not title and "new_series" not in self.errors:
            self.add_error("series", _("Choose one of your series or give a new series a title."))
        return cleaned

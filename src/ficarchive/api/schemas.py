"""What the API reads and answers, as pydantic schemas (they make the OpenAPI document).

Text fields named `summary`, `notes`, `body` hold sanitized HTML, as the pages show it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    model_validator,
)

from ficarchive.api.choices import (
    AuthKind,
    BodyFormatName,
    CategoryName,
    CommentFormatName,
    CommentPolicyName,
    CommentStatusName,
    CreditRoleName,
    InboxKindName,
    LanguageCode,
    RatingName,
    ScopeName,
    SubscriptionKind,
    TagTypeName,
    WarningName,
)
from ficarchive.api.errors import ErrorCode
from ficarchive.tags.models import CATEGORIES, WARNINGS
from ficarchive.text.characters import unusable_character

MAX_ID = 2**53  # ids beyond any database's reach are refused before a query is made


def _usable(value: str) -> str:
    reason = unusable_character(value)
    if reason is not None:
        raise ValueError(f"this text cannot be used: {reason}")
    return value


# Text any field may hold: no NUL, no lone surrogate (see ficarchive.text.characters). The
# schema's pattern names the NUL (a regex escape: the JSON stays plain ASCII); lone surrogates
# cannot be written in a pattern every regex engine reads, and no encoder makes them.
USABLE = r"^[^\x00]*$"
Text = Annotated[str, AfterValidator(_usable), Field(json_schema_extra={"pattern": USABLE})]
# Text that must say something: more than spaces and control characters (which are stripped).
SOME_TEXT = r"^[^\x00]*[^\s\x00-\x20\x7f-\xa0][^\x00]*$"
Said = Annotated[str, AfterValidator(_usable), Field(json_schema_extra={"pattern": SOME_TEXT})]


def _whole(value: Any) -> Any:
    """2.0 as 2: JSON Schema counts it an integer (a client may write numbers so)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = BeforeValidator(_whole)
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID), Whole]
TagNames = Annotated[list[Text], Field(max_length=100)]
Fandoms = Annotated[list[Said], Field(min_length=1, max_length=100)]
Warnings = Annotated[list[WarningName], Field(min_length=1, max_length=len(WARNINGS))]


class Answer(BaseModel):
    """The shape of an answer. Answers are built as plain dicts (`api/present.py`), so pydantic
    checks them itself: ninja's `Schema` would read every field through its getter for model
    objects, which takes ten times as long (1.5 ms for a page of twenty works)."""


# --- errors ----------------------------------------------------------------------------------


class ErrorBody(Answer):
    code: ErrorCode = Field(description="What went wrong, for programs to act on.")
    message: str
    field: str | None = Field(None, description="The parameter or field at fault, if one is.")
    details: dict[str, list[str]] | None = Field(
        None, description="Every message, by field, when there are several."
    )


class ErrorOut(Answer):
    error: ErrorBody


# --- works -----------------------------------------------------------------------------------


class CreatorOut(Answer):
    pseud: str
    username: str
    byline: str
    archived_for: str | None = Field(
        None,
        description="The author an archivist imported the work for (the pseud is the "
        "archivist's) while it waits for them to claim it.",
    )


class StatsOut(Answer):
    kudos: int = 0
    comments: int = 0
    bookmarks: int = 0
    hits: int = 0
    subscriptions: int = 0


class TagsOut(Answer):
    """A work's tags by type, in the order the work page lists them."""

    rating: list[str]
    warning: list[str]
    category: list[str]
    fandom: list[str]
    relationship: list[str]
    character: list[str]
    freeform: list[str]


class SeriesPartOut(Answer):
    id: int
    title: str
    part: int
    of: int | None = Field(None, description="Parts the reader may see (work detail only).")


class WorkOut(Answer):
    id: int
    url: str
    title: str
    summary: str
    language: LanguageCode
    tags: TagsOut
    creators: list[CreatorOut]
    words: int
    chapters: int = Field(description="Posted chapters.")
    expected_chapters: int | None
    complete: bool
    restricted: bool
    draft: bool
    published: datetime | None
    updated: datetime | None
    stats: StatsOut
    series: list[SeriesPartOut]


class ChapterSummaryOut(Answer):
    id: int
    number: int = Field(description="Its place among the chapters the reader may see.")
    title: str
    heading: str
    words: int
    draft: bool
    published: datetime | None


class CreditOut(Answer):
    role: CreditRoleName
    name: str


class WorkDetailOut(WorkOut):
    begin_notes: str
    end_notes: str
    comment_policy: CommentPolicyName
    moderate_comments: bool
    credits: list[CreditOut]
    chapter_list: list[ChapterSummaryOut]
    downloads: dict[str, str] = Field(
        description="Download addresses by format (none while downloads are switched off)."
    )


class ChapterOut(ChapterSummaryOut):
    work_id: int
    summary: str
    begin_notes: str
    end_notes: str
    body: str = Field(description="Sanitized HTML, as stored.")


class FacetOut(Answer):
    name: str
    count: int


class SearchOut(Answer):
    total: int
    page: int
    per_page: int
    pages: int
    works: list[WorkOut]
    facets: dict[str, list[FacetOut]]
    unknown_tags: list[str]
    next: str | None
    previous: str | None


class WorkListOut(Answer):
    items: list[WorkOut]
    next_cursor: str | None
    next: str | None


# --- series ----------------------------------------------------------------------------------


class SeriesWorkOut(Answer):
    part: int
    work: WorkOut


class SeriesOut(Answer):
    id: int
    url: str
    title: str
    summary: str
    notes: str
    complete: bool
    creators: list[CreatorOut]
    updated: datetime
    works: list[SeriesWorkOut]


# --- tags ------------------------------------------------------------------------------------


class TagRefOut(Answer):
    name: str
    type: TagTypeName
    canonical: bool


class RankedTagOut(TagRefOut):
    uses: int


class TagFamilyOut(Answer):
    synonyms: list[TagRefOut]
    parents: list[TagRefOut]
    sub_fandoms: list[TagRefOut]
    cast: list[RankedTagOut] = Field(description="A fandom's characters and relationships.")
    characters: list[TagRefOut]
    relationships: list[TagRefOut]


class TagOut(TagRefOut):
    state: str = Field(description="canonical, synonym or unwrangled")
    synonym_of: TagRefOut | None
    works: str = Field(description="The search address for works under this tag.")
    family: TagFamilyOut
    same_name: list[TagRefOut] = Field(description="Tags of other types with the same name.")


class FandomNodeOut(TagRefOut):
    """A fandom with its characters and relationships ranked by works, and its sub-fandoms."""

    cast: list[RankedTagOut]
    sub_fandoms: list[FandomNodeOut]


class TagListOut(Answer):
    items: list[TagRefOut]


# --- social ----------------------------------------------------------------------------------


class CommentOut(Answer):
    id: int
    work_id: int
    chapter_id: int | None
    parent_id: int | None
    author: str
    username: str | None
    body: str
    status: CommentStatusName
    hidden: bool
    deleted: bool
    frozen: bool
    created: datetime
    edited: datetime | None
    replies: list[CommentOut]


class CommentListOut(Answer):
    items: list[CommentOut]
    next_cursor: str | None
    next: str | None


class BookmarkOut(Answer):
    id: int
    username: str
    work_id: int | None
    series_id: int | None
    title: str
    notes: str
    tags: list[str]
    private: bool
    rec: bool
    created: datetime
    updated: datetime


class BookmarkListOut(Answer):
    items: list[BookmarkOut]
    next_cursor: str | None
    next: str | None


class KudosOut(Answer):
    work_id: int
    kudos: int


class SubscriptionOut(Answer):
    id: int
    kind: SubscriptionKind
    work_id: int | None
    series_id: int | None
    username: str | None
    email: bool
    created: datetime


class SubscriptionListOut(Answer):
    items: list[SubscriptionOut]
    next_cursor: str | None
    next: str | None


class InboxItemOut(Answer):
    id: int
    kind: InboxKindName
    read: bool
    created: datetime
    actor: str | None
    work_id: int | None
    work_title: str | None
    chapter_id: int | None
    series_id: int | None
    comment_id: int | None


class InboxListOut(Answer):
    items: list[InboxItemOut]
    unread: int
    next_cursor: str | None
    next: str | None


class InboxMarkedOut(Answer):
    changed: int
    unread: int


class MeOut(Answer):
    username: str
    auth: AuthKind
    scope: ScopeName
    token_name: str | None


# --- input -----------------------------------------------------------------------------------


class Input(BaseModel):
    """What a client sends. Plain pydantic, not ninja's `Schema`: that one reads any value's
    attributes, so a body of the wrong JSON type (`[]`, `"hello"`) became all defaults; here it
    is a 422 naming the body. Strict: `"yes"` is not a boolean nor `"3"` a number, as the schema
    says; and a field the schema does not name is refused (`additionalProperties: false`), so
    that a misspelt field is not silently ignored."""

    model_config = ConfigDict(strict=True, extra="forbid")


class CreditIn(Input):
    role: CreditRoleName
    name: Annotated[Said, Field(max_length=100)]


class ChapterIn(Input):
    body: Said
    body_format: BodyFormatName = "html"
    title: Text = ""
    summary: Text = ""
    begin_notes: Text = ""
    end_notes: Text = ""


class NewChapterIn(ChapterIn):
    draft: bool = False
    silent: bool = Field(
        default=False,
        description="Post without telling subscribers or moving the work's updated date.",
    )


class ScheduleIn(Input):
    post_at: Annotated[AwareDatetime, Strict(False)] = Field(
        description="When to post, with its UTC offset (ISO 8601); within two years."
    )
    silent: bool = Field(
        default=False,
        description="A chapter only: post it without telling subscribers or moving the "
        "work's updated date.",
    )


class PlaceIn(Input):
    chapter_id: ObjectId = Field(description="A posted chapter of the work.")
    paragraph: Annotated[int, Field(ge=0, le=1_000_000), Whole] = Field(
        default=0, description="The Nth block of the chapter's text; 0: its start."
    )
    finished: bool = Field(default=False, description="The chapter was read to its end.")


class PlaceOut(Answer):
    work_id: int
    chapter_id: int | None = Field(description="Where to continue: the chapter…")
    chapter_number: int | None = Field(description="…its number among the posted chapters…")
    paragraph: int = Field(description="…and the paragraph in it (0: its start).")
    url: str | None = Field(description="The chapter page, at the paragraph.")
    new_chapters: int = Field(description="Chapters posted since the reader was last here.")
    read_chapter_ids: list[int] = Field(description="Chapters read to their end.")


class ScheduleOut(Answer):
    id: int
    work_id: int
    chapter_id: int | None
    post_at: datetime
    silent: bool


class ChapterPatch(Input):
    body: Said | None = None
    body_format: BodyFormatName | None = None
    title: Text | None = None
    summary: Text | None = None
    begin_notes: Text | None = None
    end_notes: Text | None = None


class WorkPatch(Input):
    """Only the fields sent change; tag lists replace the work's tags of that type."""

    title: Said | None = None
    rating: RatingName | None = None
    warnings: Warnings | None = None
    categories: Annotated[list[CategoryName], Field(max_length=len(CATEGORIES))] | None = None
    fandoms: Fandoms | None = None
    relationships: TagNames | None = None
    characters: TagNames | None = None
    freeforms: TagNames | None = None
    summary: Text | None = None
    begin_notes: Text | None = None
    end_notes: Text | None = None
    language: LanguageCode | None = None
    expected_chapters: Annotated[int, Field(ge=1, le=10_000), Whole] | None = None
    restricted: bool | None = None
    comment_policy: CommentPolicyName | None = None
    moderate_comments: bool | None = None
    pseuds: Annotated[list[Said], Field(min_length=1, max_length=50)] | None = Field(
        None, description="Names of your pseuds to post under (default: your default pseud)."
    )
    credits: Annotated[list[CreditIn], Field(max_length=30)] | None = None


class NewWorkIn(WorkPatch):
    title: Said
    rating: RatingName
    warnings: Warnings
    fandoms: Fandoms
    expected_chapters: Annotated[int, Field(ge=1, le=10_000), Whole] | None = 1
    chapter: ChapterIn
    draft: bool = False
    series_id: ObjectId | None = Field(None, description="One of your series to add it to.")
    new_series: Text = Field("", description="Or the title of a new series.")


class CommentIn(Input):
    text: Said
    body_format: CommentFormatName = "plain"
    chapter_id: ObjectId | None = None
    parent_id: ObjectId | None = Field(None, description="The comment this one replies to.")


class BookmarkIn(Input):
    """A recommendation is public: `private` and `rec` are not both true."""

    model_config = ConfigDict(
        json_schema_extra={
            "not": {
                "required": ["private", "rec"],
                "properties": {"private": {"const": True}, "rec": {"const": True}},
            }
        }
    )

    notes: Text = ""
    tags: TagNames = []
    private: bool = False
    rec: bool = False


TARGETS = ("work_id", "series_id", "username")


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class SubscriptionIn(Input):
    """Exactly one of `work_id`, `series_id` and `username`."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": [name]} for name in TARGETS]}
    )

    # Absent, not null: the schema's oneOf counts the fields sent.
    work_id: ObjectId = Field(None, json_schema_extra=_no_default)  # type: ignore[assignment]
    series_id: ObjectId = Field(None, json_schema_extra=_no_default)  # type: ignore[assignment]
    username: Annotated[str, AfterValidator(_usable), Field(min_length=1, max_length=150)] = Field(
        None, json_schema_extra=_no_default
    )  # type: ignore[assignment]
    email: bool = False

    @model_validator(mode="after")
    def one_target(self) -> SubscriptionIn:
        if len(self.model_fields_set & set(TARGETS)) != 1:
            raise ValueError("Give exactly one of work_id, series_id or username.")
        return self


class InboxMarkIn(Input):
    ids: Annotated[list[ObjectId], Field(min_length=1, max_length=500)]
    read: bool = True


CommentOut.model_rebuild()
FandomNodeOut.model_rebuild()

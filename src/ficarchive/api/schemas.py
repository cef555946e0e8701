"""What the API reads and answers, as pydantic schemas (they make the OpenAPI document).

Text fields named `summary`, `notes`, `body` hold sanitized HTML, as the pages show it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel

MAX_ID = 2**53  # ids beyond any database's reach are refused before a query is made


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
TagNames = Annotated[list[Text], Field(max_length=100)]


class Answer(BaseModel):
    """The shape of an answer. Answers are built as plain dicts (`api/present.py`), so pydantic
    checks them itself: ninja's `Schema` would read every field through its getter for model
    objects, which takes ten times as long (1.5 ms for a page of twenty works)."""


# --- errors ----------------------------------------------------------------------------------


class ErrorBody(Answer):
    code: str = Field(description="bad_request, unauthorized, forbidden, not_found, ...")
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
    language: str
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
    role: str
    name: str


class WorkDetailOut(WorkOut):
    begin_notes: str
    end_notes: str
    comment_policy: str
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
    type: str
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
    status: str
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
    kind: str = Field(description="work, series or creator")
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
    kind: str
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
    auth: str = Field(description="token or session")
    scope: str = Field(description="read or write")
    token_name: str | None


# --- input -----------------------------------------------------------------------------------


class CreditIn(Schema):
    role: Text
    name: Annotated[Text, Field(max_length=100)]


class ChapterIn(Schema):
    body: Text
    body_format: Text = "html"
    title: Text = ""
    summary: Text = ""
    begin_notes: Text = ""
    end_notes: Text = ""


class NewChapterIn(ChapterIn):
    draft: bool = False


class ChapterPatch(Schema):
    body: Text | None = None
    body_format: Text | None = None
    title: Text | None = None
    summary: Text | None = None
    begin_notes: Text | None = None
    end_notes: Text | None = None


class WorkPatch(Schema):
    """Only the fields sent change; tag lists replace the work's tags of that type."""

    title: Text | None = None
    rating: Text | None = None
    warnings: TagNames | None = None
    categories: TagNames | None = None
    fandoms: TagNames | None = None
    relationships: TagNames | None = None
    characters: TagNames | None = None
    freeforms: TagNames | None = None
    summary: Text | None = None
    begin_notes: Text | None = None
    end_notes: Text | None = None
    language: Text | None = None
    expected_chapters: Annotated[int, Field(ge=1, le=10_000)] | None = None
    restricted: bool | None = None
    comment_policy: Text | None = None
    moderate_comments: bool | None = None
    pseuds: Annotated[list[Text], Field(max_length=50)] | None = Field(
        None, description="Names of your pseuds to post under (default: your default pseud)."
    )
    credits: Annotated[list[CreditIn], Field(max_length=30)] | None = None


class NewWorkIn(WorkPatch):
    title: Text
    rating: Text
    warnings: TagNames
    fandoms: TagNames
    expected_chapters: Annotated[int, Field(ge=1, le=10_000)] | None = 1
    chapter: ChapterIn
    draft: bool = False
    series_id: ObjectId | None = Field(None, description="One of your series to add it to.")
    new_series: Text = Field("", description="Or the title of a new series.")


class CommentIn(Schema):
    text: Text
    body_format: Text = "plain"
    chapter_id: ObjectId | None = None
    parent_id: ObjectId | None = Field(None, description="The comment this one replies to.")


class BookmarkIn(Schema):
    notes: Text = ""
    tags: TagNames = []
    private: bool = False
    rec: bool = False


class SubscriptionIn(Schema):
    work_id: ObjectId | None = None
    series_id: ObjectId | None = None
    username: Text | None = None
    email: bool = False


class InboxMarkIn(Schema):
    ids: Annotated[list[ObjectId], Field(min_length=1, max_length=500)]
    read: bool = True


CommentOut.model_rebuild()
FandomNodeOut.model_rebuild()

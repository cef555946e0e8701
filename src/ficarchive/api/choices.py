"""The fixed values of the API's fields, taken from the models' and forms' own choices (never
typed again here). Each is a `Literal`, so that pydantic refuses anything else with a message
listing the values, and the OpenAPI schema gives them as an `enum` (generated clients make
enum types of them; schemathesis sends only values the API accepts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from ficarchive.api.models import Scope
from ficarchive.exporting.formats import FORMATS
from ficarchive.moderation.models import Reason, Target
from ficarchive.search.query import ORDERS, SORTS
from ficarchive.social.forms import COMMENT_FORMATS
from ficarchive.social.models import CommentStatus, InboxKind
from ficarchive.tags.models import CATEGORIES, RATINGS, WARNINGS, TagType
from ficarchive.tags.resolving import AUTOCOMPLETE_TYPES
from ficarchive.text import BodyFormat
from ficarchive.works.models import LANGUAGES, CommentPolicy, CreditRole

SUBSCRIPTION_KINDS = ("work", "series", "creator")
AUTH_KINDS = ("token", "session")


def one_of(values: Iterable[str]) -> Any:
    """A string that must be one of VALUES (in their order), as a type for pydantic."""
    return Literal[tuple(str(value) for value in values)]


if TYPE_CHECKING:  # mypy reads them as the strings they are
    BodyFormatName: TypeAlias = str
    CommentFormatName: TypeAlias = str
    RatingName: TypeAlias = str
    WarningName: TypeAlias = str
    CategoryName: TypeAlias = str
    TagTypeName: TypeAlias = str
    AutocompleteTypeName: TypeAlias = str
    LanguageCode: TypeAlias = str
    CommentPolicyName: TypeAlias = str
    CreditRoleName: TypeAlias = str
    SortName: TypeAlias = str
    OrderName: TypeAlias = str
    DownloadFormat: TypeAlias = str
    CommentStatusName: TypeAlias = str
    InboxKindName: TypeAlias = str
    ScopeName: TypeAlias = str
    SubscriptionKind: TypeAlias = str
    AuthKind: TypeAlias = str
    ReportTarget: TypeAlias = str
    ReportReason: TypeAlias = str
else:
    BodyFormatName = one_of(BodyFormat.values)
    CommentFormatName = one_of(value for value, _ in COMMENT_FORMATS)
    RatingName = one_of(RATINGS)
    WarningName = one_of(WARNINGS)
    CategoryName = one_of(CATEGORIES)
    TagTypeName = one_of(TagType.values)
    AutocompleteTypeName = one_of(AUTOCOMPLETE_TYPES)
    LanguageCode = one_of(code for code, _ in LANGUAGES)
    CommentPolicyName = one_of(CommentPolicy.values)
    CreditRoleName = one_of(CreditRole.values)
    SortName = one_of(SORTS)
    OrderName = one_of(ORDERS)
    DownloadFormat = one_of(FORMATS)
    CommentStatusName = one_of(CommentStatus.values)
    InboxKindName = one_of(InboxKind.values)
    ScopeName = one_of(Scope.values)
    SubscriptionKind = one_of(SUBSCRIPTION_KINDS)
    AuthKind = one_of(AUTH_KINDS)
    ReportTarget = one_of(Target.values)
    ReportReason = one_of(Reason.values)

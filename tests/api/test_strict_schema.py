"""The OpenAPI schema as strict tools read it, and the API holding to it: no repeated keys, a
valid OpenAPI 3.1 document, enums from the models' choices, reads open to guests, downloads as
bytes; a body of the wrong JSON type or with a wrong field type is a 422 that changes nothing;
every answer under /api/v1/ (404, 405 and 414 included) in the error shape."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate

from ficarchive.accounts.models import User
from ficarchive.api.guard import MAX_QUERY_STRING
from ficarchive.api.models import Scope
from ficarchive.exporting.formats import FORMATS
from ficarchive.moderation.models import Reason, Report, Target
from ficarchive.search.query import ORDERS, SORTS
from ficarchive.social import actions
from ficarchive.social.models import Bookmark, Comment, InboxItem, Subscription
from ficarchive.tags.models import CATEGORIES, RATINGS, WARNINGS, TagType
from ficarchive.text import BodyFormat
from ficarchive.works.models import LANGUAGES, Chapter, CommentPolicy, CreditRole, Work
from tests.api.conftest import API, bearer, error_of, token_for


def _refuse_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"repeated keys: {repeated}"
    return dict(pairs)


def strict_schema() -> dict[str, Any]:
    """The served schema, read as strict parsers read it (a repeated key is an error)."""
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content, object_pairs_hook=_refuse_repeats)  # type: ignore[no-any-return]


def _operations(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation | {"path": path, "method": method}
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def _enum(schema: dict[str, Any], found: dict[str, Any]) -> list[Any]:
    """The enum of FOUND (a property or parameter schema), through refs, arrays and anyOf."""
    if "$ref" in found:
        found = schema["components"]["schemas"][found["$ref"].rsplit("/", 1)[1]]
    if "items" in found:
        return _enum(schema, found["items"])
    for option in found.get("anyOf", ()):
        if option.get("type") != "null":
            return _enum(schema, option)
    return list(found["enum"])


def _property(schema: dict[str, Any], model: str, name: str) -> list[Any]:
    return _enum(schema, schema["components"]["schemas"][model]["properties"][name])


def _parameter(operation: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in operation["parameters"] if p["name"] == name)["schema"]  # type: ignore[no-any-return]


def test_the_schema_has_no_repeated_key_and_is_valid_openapi(db: Any) -> None:
    schema = strict_schema()
    validate(schema)
    download = _operations(schema)["download_work"]
    assert list(download["responses"]).count("200") == 1


def test_fixed_values_are_enums_from_the_models(db: Any) -> None:
    schema = strict_schema()
    assert _property(schema, "ChapterIn", "body_format") == list(BodyFormat.values)
    assert _property(schema, "WorkPatch", "rating") == RATINGS
    assert _property(schema, "NewWorkIn", "warnings") == WARNINGS
    assert _property(schema, "WorkPatch", "categories") == CATEGORIES
    assert _property(schema, "WorkPatch", "language") == [code for code, _ in LANGUAGES]
    assert _property(schema, "WorkPatch", "comment_policy") == list(CommentPolicy.values)
    assert _property(schema, "CreditIn", "role") == list(CreditRole.values)
    assert _property(schema, "TagRefOut", "type") == list(TagType.values)
    assert _property(schema, "ReportIn", "reason") == list(Reason.values)
    assert _property(schema, "ReportIn", "kind") == list(Target.values)
    assert _property(schema, "MeOut", "scope") == list(Scope.values)
    assert "switched_off" in _property(schema, "ErrorBody", "code")
    operations = _operations(schema)
    search = operations["search_works"]
    assert _enum(schema, _parameter(search, "sort")) == list(SORTS)
    assert _enum(schema, _parameter(search, "order")) == list(ORDERS)
    assert _enum(schema, _parameter(operations["get_tag"], "type")) == list(TagType.values)
    assert _enum(schema, _parameter(operations["download_work"], "fmt")) == list(FORMATS)


def test_pages_are_integers_and_flags_booleans(db: Any) -> None:
    search = _operations(strict_schema())["search_works"]
    assert _parameter(search, "page")["type"] == "integer"
    assert _parameter(search, "per_page") == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "title": "Per Page",
    }
    assert _parameter(search, "complete")["type"] == "boolean"
    assert Client().get(f"{API}/works", {"page": "two"}).status_code == 422
    assert Client().get(f"{API}/works", {"complete": "yes"}).json()["page"] == 1


def test_reads_need_no_auth_and_downloads_are_bytes(db: Any) -> None:
    operations = _operations(strict_schema())
    for operation in operations.values():
        yours = operation["path"].startswith("/api/v1/me")
        if operation["method"] == "get" and not yours:
            assert operation["security"] == [], operation["operationId"]
        else:
            assert {} not in operation["security"], operation["operationId"]
    files = operations["download_work"]["responses"]["200"]["content"]
    assert set(files) == {fmt.MEDIA_TYPE for fmt in FORMATS.values()}
    assert files["application/epub+zip"]["schema"] == {"type": "string", "format": "binary"}
    assert all(found["schema"]["format"] == "binary" for found in files.values())


def test_links_lead_from_a_search_to_a_work_and_its_chapters(db: Any) -> None:
    operations = _operations(strict_schema())
    search_links = operations["search_works"]["responses"]["200"]["links"]
    assert search_links["GetWork"] == {
        "operationId": "get_work",
        "parameters": {"work_id": "$response.body#/works/0/id"},
    }
    work_links = operations["get_work"]["responses"]["200"]["links"]
    assert work_links["GetChapter"]["parameters"] == {
        "work_id": "$response.body#/id",
        "chapter_id": "$response.body#/chapter_list/0/id",
    }


# --- bodies of the wrong type ----------------------------------------------------------------

NOT_OBJECTS = ["[null, null]", '"hello"', "42", "null", "[]", "true"]


def _state() -> list[Any]:
    """Everything the writes could change."""
    return [
        list(Work.objects.order_by("pk").values_list("title", "summary", "is_draft")),
        list(Chapter.objects.order_by("pk").values_list("title", "body", "is_draft")),
        list(Comment.objects.order_by("pk").values_list("pk", "body")),
        list(Bookmark.objects.order_by("pk").values_list("notes", "tags", "is_private", "is_rec")),
        list(Subscription.objects.order_by("pk").values_list("pk")),
        list(InboxItem.objects.order_by("pk").values_list("pk", "is_read")),
        list(Report.objects.order_by("pk").values_list("pk")),
    ]


@pytest.fixture
def alice_with_things(work: Work, alice: User) -> Client:
    """Alice's token, her work (with a chapter) and her bookmark of it with notes and tags."""
    actions.save_bookmark(
        alice, actions.BookmarkDetails(notes="Keep these notes", tags=["Kept"]), work=work
    )
    return bearer(token_for(alice))


def _filled(path: str, work: Work) -> str:
    chapter = work.chapters.first()
    assert chapter is not None
    ids = {"work_id": work.pk, "chapter_id": chapter.pk}
    return re.sub(r"\{(\w+)\}", lambda found: str(ids.get(found.group(1), 1)), path)


def test_every_write_refuses_a_body_that_is_not_an_object(
    alice_with_things: Client, work: Work
) -> None:
    writes = [
        operation
        for operation in _operations(strict_schema()).values()
        if "requestBody" in operation
    ]
    assert {w["operationId"] for w in writes} >= {"save_bookmark", "post_work", "post_comment"}
    before = _state()
    assert before[3] == [("<p>Keep these notes</p>", ["Kept"], False, False)]
    for operation in writes:
        for body in NOT_OBJECTS:
            response = alice_with_things.generic(
                operation["method"].upper(),
                _filled(operation["path"], work),
                body,
                content_type="application/json",
            )
            assert response.status_code == 422, (operation["operationId"], body)
            error = error_of(response)
            assert error["code"] == "invalid"
            assert "object" in error["message"] or "dictionary" in error["message"]
    assert _state() == before


def test_a_bookmark_keeps_its_notes_and_tags_after_a_wrong_body(
    alice_with_things: Client, work: Work
) -> None:
    for body in ("[null, null]", '"hello"'):
        response = alice_with_things.put(
            f"{API}/works/{work.pk}/bookmark", body, content_type="application/json"
        )
        assert response.status_code == 422
    kept = Bookmark.objects.get()
    assert (kept.notes, kept.tags) == ("<p>Keep these notes</p>", ["Kept"])


@pytest.mark.parametrize(
    "fields",
    [
        {"rec": "yes"},
        {"private": 1},
        {"notes": 5},
        {"tags": "Kept"},
        {"notes": "New", "folder": "misspelt field"},
    ],
)
def test_a_field_of_the_wrong_type_or_unknown_is_refused(
    alice_with_things: Client, work: Work, fields: dict[str, Any]
) -> None:
    before = _state()
    response = alice_with_things.put(
        f"{API}/works/{work.pk}/bookmark", fields, content_type="application/json"
    )
    assert response.status_code == 422
    assert error_of(response)["field"] in fields
    assert _state() == before


def test_a_subscription_names_exactly_one_thing(alice_with_things: Client, work: Work) -> None:
    both = {"work_id": work.pk, "username": "alice"}
    response = alice_with_things.post(
        f"{API}/me/subscriptions", both, content_type="application/json"
    )
    assert response.status_code == 422
    assert "exactly one" in error_of(response)["message"]
    one = alice_with_things.post(
        f"{API}/me/subscriptions", {"work_id": work.pk}, content_type="application/json"
    )
    assert one.status_code == 201


# --- answers no operation gives ----------------------------------------------------------------


def test_unknown_addresses_wrong_methods_and_long_queries_answer_in_the_error_shape(
    work: Work,
) -> None:
    unknown = Client().get(f"{API}/no/such/thing")
    assert unknown.status_code == 404
    assert error_of(unknown)["code"] == "not_found"
    wrong = Client().delete(f"{API}/works")
    assert wrong.status_code == 405
    assert error_of(wrong)["code"] == "method_not_allowed"
    assert set(wrong["Allow"].split(", ")) == {"GET", "POST"}
    assert wrong["Allow"] in error_of(wrong)["message"]
    long_query = Client().get(f"{API}/works", {"q": "x" * MAX_QUERY_STRING})
    assert long_query.status_code == 414
    error = error_of(long_query)
    assert error["code"] == "uri_too_long"
    assert str(MAX_QUERY_STRING) in error["message"]
    assert Client().get(f"{API}/works", {"q": "x" * 1000}).status_code == 200
    elsewhere = Client().get(f"{API}/no/such/thing", {"q": "x" * MAX_QUERY_STRING})
    assert error_of(elsewhere)["code"] == "uri_too_long"


def test_posting_what_is_posted_already_is_a_conflict(
    alice_with_things: Client, work: Work
) -> None:
    chapter = work.chapters.get()
    again = alice_with_things.post(f"{API}/works/{work.pk}/publish")
    assert again.status_code == 409
    assert error_of(again)["message"] == "This work is already posted."
    again = alice_with_things.post(f"{API}/works/{work.pk}/chapters/{chapter.pk}/publish")
    assert again.status_code == 409
    assert error_of(again)["code"] == "conflict"


def test_the_daily_report_limit_is_a_429(
    settings: Any, alice_with_things: Client, work: Work, bob: User
) -> None:
    settings.REPORTS_PER_DAY = 1
    comments = [actions.post_comment(bob, work, f"Spam {n}") for n in range(2)]
    sent = [
        alice_with_things.post(
            f"{API}/reports",
            {"kind": "comment", "id": found.pk, "reason": "spam"},
            content_type="application/json",
        )
        for found in comments
    ]
    assert [answer.status_code for answer in sent] == [201, 429]
    assert "24 hours" in error_of(sent[1])["message"]
    assert Report.objects.count() == 1

"""One error shape, CSRF for session writes, hostile input, rate limits, the docs page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.social.models import Kudos
from ficarchive.works.models import Work
from tests.api.conftest import API, bearer, error_of, token_for
from tests.conftest import logged_in


def test_the_openapi_schema_and_docs_are_served_without_the_network(db: Any) -> None:
    schema = Client().get(f"{API}/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert "/api/v1/works" in schema["paths"]
    docs = Client().get(f"{API}/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    # Served from this archive's static files (`ficarchive serve` collects them).
    assert finders.find("ninja/swagger-ui-bundle.js") is not None
    assert finders.find("ninja/swagger-ui.css") is not None


def test_a_session_write_without_csrf_is_refused(work: Work, carol: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    response = client.post(f"{API}/works/{work.pk}/kudos")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert not Kudos.objects.exists()


def test_a_session_write_with_csrf_works(work: Work, carol: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"{API}/works/{work.pk}/kudos", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_a_guest_cannot_write(work: Work) -> None:
    response = Client().post(f"{API}/works/{work.pk}/kudos")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_a_read_token_cannot_write(work: Work, carol_reader: Client) -> None:
    response = carol_reader.post(f"{API}/works/{work.pk}/kudos")
    assert response.status_code == 403
    assert "read" in error_of(response)["message"]
    assert not Kudos.objects.exists()


def test_malformed_json_is_a_clear_error(work: Work, carol_api: Client) -> None:
    response = carol_api.post(
        f"{API}/works/{work.pk}/comments", "{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    error_of(response)


def test_a_missing_field_names_the_field(work: Work, carol_api: Client) -> None:
    response = carol_api.post(
        f"{API}/works/{work.pk}/comments", {}, content_type="application/json"
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "text"


def test_nul_characters_are_refused(db: Any) -> None:
    response = Client().get(f"{API}/tags", {"name": "Sea\x00"})
    assert response.status_code == 400
    assert "NUL" in error_of(response)["message"]


def test_a_huge_body_is_refused(work: Work, carol_api: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = carol_api.post(
        f"{API}/works/{work.pk}/comments",
        {"text": "x" * 5000},
        content_type="application/json",
    )
    assert response.status_code == 400
    error_of(response)


def test_an_unknown_address_under_the_api_is_a_404_in_the_error_shape(db: Any) -> None:
    for address in (f"{API}/nothing-here", f"{API}/works/1/x/y"):
        response = Client().get(address)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert Client().post(f"{API}/nothing-here").status_code == 404
    not_a_number = Client().get(f"{API}/works/abc")
    assert not_a_number.status_code == 422
    assert error_of(not_a_number)["field"] == "work_id"
    assert Client().get(f"{API}/openapi.json").status_code == 200
    assert Client().get(f"{API}/docs").status_code == 200


def test_guests_are_limited_per_address(work: Work, settings: Any) -> None:
    settings.API_RATE_LIMIT_GUEST = 3
    client = Client()
    statuses = [client.get(f"{API}/works/{work.pk}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(f"{API}/works/{work.pk}")
    assert int(refused["Retry-After"]) >= 1
    assert error_of(refused)["code"] == "rate_limited"
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(f"{API}/works/{work.pk}").status_code == 200


@pytest.mark.parametrize("scope", ["read", "write"])
def test_each_token_has_its_own_limit(work: Work, alice: User, settings: Any, scope: str) -> None:
    settings.API_RATE_LIMIT_USER = 2
    first, second = bearer(token_for(alice, scope)), bearer(token_for(alice, scope, "Other"))
    assert [first.get(f"{API}/me").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(f"{API}/me").status_code == 200


def test_a_session_user_is_limited_too(work: Work, carol: User, settings: Any) -> None:
    settings.API_RATE_LIMIT_USER = 1
    client = logged_in(carol)
    assert [client.get(f"{API}/me").status_code for _ in range(2)] == [200, 429]


def test_nul_characters_in_addresses_and_search_are_refused(db: Any) -> None:
    assert Client().get(f"{API}/users/a%00b/works").status_code == 400
    assert Client().get(f"{API}/works", {"include": "Sea\x00"}).status_code == 400


def test_the_schema_says_reads_are_open_to_guests_and_writes_need_a_login(db: Any) -> None:
    """Reads say `security: []` (no auth needed: generated clients then read as a guest, while
    a token sent is still honoured); writes and your own things name the token and session."""
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    assert paths["/api/v1/works/{work_id}"]["get"]["security"] == []
    assert paths["/api/v1/works"]["get"]["security"] == []
    for needs_a_login in (paths["/api/v1/works/{work_id}"]["patch"], paths["/api/v1/me"]["get"]):
        assert {"BearerToken": []} in needs_a_login["security"]
        assert {} not in needs_a_login["security"]

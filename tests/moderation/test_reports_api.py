"""POST /api/v1/reports: reporting with a read and write token, refusals in the API's shape."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.moderation.models import Case, Report
from tests.api.conftest import bearer, error_of, token_for
from tests.conftest import post_work
from tests.moderation.report_helpers import comment_on

URL = "/api/v1/reports"


@pytest.fixture
def carol_api(carol) -> Client:
    return bearer(token_for(carol))


def send(client: Client, **body) -> object:
    return client.post(URL, body, content_type="application/json")


def test_a_reader_reports_a_work_with_a_write_token(carol_api, work):
    answer = send(carol_api, kind="work", id=work.pk, reason="mistagged", text="No warning.")
    assert answer.status_code == 201
    body = answer.json()
    assert (body["kind"], body["target_id"], body["reason"], body["text"]) == (
        "work",
        work.pk,
        "mistagged",
        "No warning.",
    )
    report = Report.objects.get()
    assert report.reporter.username == "carol"
    assert report.snapshot["title"] == work.title
    assert Case.objects.get().reports.count() == 1


def test_a_comment_is_reported_too(carol_api, work, mallory):
    comment = comment_on(work, mallory)
    assert send(carol_api, kind="comment", id=comment.pk, reason="spam").status_code == 201


def test_a_read_token_may_not_report(carol, work):
    answer = send(bearer(token_for(carol, "read")), kind="work", id=work.pk, reason="spam")
    assert answer.status_code == 403
    assert error_of(answer)["code"] == "forbidden"
    assert not Report.objects.exists()


def test_a_guest_must_send_a_token(work):
    answer = send(Client(), kind="work", id=work.pk, reason="spam")
    assert answer.status_code == 401
    assert error_of(answer)["code"] == "unauthorized"


def test_a_draft_the_reader_cannot_see_is_not_found(carol_api, alice):
    draft = post_work(alice, "Secret", draft=True)
    answer = send(carol_api, kind="work", id=draft.pk, reason="spam")
    assert answer.status_code == 404
    assert error_of(answer)["code"] == "not_found"


def test_past_the_limit_the_answer_names_it(carol_api, mallory, work):
    comment = comment_on(work, mallory)
    for _ in range(3):
        assert send(carol_api, kind="comment", id=comment.pk, reason="spam").status_code == 201
    answer = send(carol_api, kind="comment", id=comment.pk, reason="spam")
    assert answer.status_code == 409  # done enough already
    assert "this comment 3 times in 31 days" in error_of(answer)["message"]


def test_a_bad_kind_or_reason_is_named(carol_api, work):
    answer = send(carol_api, kind="tag", id=work.pk, reason="spam")
    assert answer.status_code == 422
    assert error_of(answer)["field"] == "kind"
    answer = send(carol_api, kind="work", id=work.pk, reason="boring")
    assert error_of(answer)["field"] == "reason"


def test_reporting_oneself_is_refused(alice, work):
    answer = send(bearer(token_for(alice)), kind="work", id=work.pk, reason="spam")
    assert answer.status_code == 422
    assert "your own work" in error_of(answer)["message"]

"""The Report links and the report form: for readers and guests, with every refusal."""

from __future__ import annotations

import re

from django.test import Client

from ficarchive.accounts.actions import create_pseud
from ficarchive.moderation.models import Case, Report
from ficarchive.works.models import Series, SeriesPart
from tests.conftest import logged_in, post_work
from tests.moderation.report_helpers import bookmark_of, comment_on


def report_links(page: str) -> list[str]:
    """The addresses of the Report links on a page."""
    return re.findall(r'class="report-link" rel="nofollow" href="([^"]+)"', page)


def test_a_work_page_has_a_report_link_for_readers_and_guests_not_its_author(
    alice_client, carol_client, work
):
    address = f"/report/work/{work.pk}"
    assert address in report_links(carol_client.get(f"/works/{work.pk}").content.decode())
    assert address in report_links(Client().get(f"/works/{work.pk}").content.decode())
    assert report_links(alice_client.get(f"/works/{work.pk}").content.decode()) == []


def test_each_chapter_of_a_longer_work_has_its_own_report_link(alice, carol_client):
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])
    chapter = work.chapters.get(position=2)
    page = carol_client.get(chapter.get_absolute_url()).content.decode()
    assert f"/report/chapter/{chapter.pk}" in report_links(page)
    assert f"/report/work/{work.pk}" in report_links(page)


def test_a_comment_has_a_report_link_except_for_its_author(alice, carol, mallory, work):
    comment = comment_on(work, mallory)
    address = f"/report/comment/{comment.pk}"
    assert address in report_links(logged_in(carol).get(f"/works/{work.pk}").content.decode())
    assert address not in report_links(logged_in(mallory).get(f"/works/{work.pk}").content.decode())


def test_series_bookmark_profile_and_pseud_pages_have_report_links(
    alice, carol_client, mallory, work
):
    series = Series.objects.create(title="Lamps")
    series.creators.add(alice.default_pseud)
    SeriesPart.objects.create(series=series, work=work, position=1)
    mark = bookmark_of(work, mallory)
    pseud = create_pseud(mallory, "Shouty", "Hello.")
    pages = {
        f"/series/{series.pk}": f"/report/series/{series.pk}",
        f"/bookmarks/{mark.pk}": f"/report/bookmark/{mark.pk}",
        "/users/mallory": f"/report/user/{mallory.pk}",
        "/users/mallory/pseuds/Shouty": f"/report/pseud/{pseud.pk}",
    }
    for page, address in pages.items():
        answer = carol_client.get(page)
        assert answer.status_code == 200, page
        assert address in report_links(answer.content.decode()), page
    own = logged_in(mallory)
    assert report_links(own.get("/users/mallory").content.decode()) == []
    assert report_links(own.get(f"/bookmarks/{mark.pk}").content.decode()) == []


def test_the_form_lists_the_reasons_and_asks_guests_for_an_optional_email(work):
    page = Client().get(f"/report/work/{work.pk}").content.decode()
    for label in ("Spam", "Harassment or threats", "Hateful content", "Plagiarism",
                  "Mistagged or unwarned content", "Illegal content", "Other"):  # fmt: skip
        assert label in page
    assert 'name="email"' in page
    assert 'name="website"' in page and 'class="honeypot"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_reader_reports_a_work_and_is_thanked(carol_client, work):
    answer = carol_client.post(
        f"/report/work/{work.pk}", {"reason": "plagiarism", "text": "Copied."}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/report/sent"
    assert "inbox" in carol_client.get("/report/sent").content.decode()
    report = Report.objects.get()
    assert (report.reporter.username, report.reason, report.text) == (
        "carol",
        "plagiarism",
        "Copied.",
    )
    assert 'name="email"' not in carol_client.get(f"/report/work/{work.pk}").content.decode()


def test_a_guest_reports_with_an_email_and_their_address_is_kept_hashed(work):
    guest = Client(REMOTE_ADDR="203.0.113.9")
    answer = guest.post(f"/report/work/{work.pk}", {"reason": "spam", "email": "me@example.org"})
    assert answer.status_code == 302
    report = Report.objects.get()
    assert report.reporter is None
    assert report.reporter_email == "me@example.org"
    assert report.reporter_address and "203.0.113.9" not in report.reporter_address


def test_a_guest_filling_the_honeypot_is_thanked_but_nothing_is_kept(work):
    answer = Client().post(f"/report/work/{work.pk}", {"reason": "spam", "website": "x"})
    assert answer.status_code == 302
    assert not Report.objects.exists()
    assert not Case.objects.exists()


def test_reporting_a_draft_you_cannot_see_is_404(alice, carol_client):
    draft = post_work(alice, "Secret", draft=True)
    assert carol_client.get(f"/report/work/{draft.pk}").status_code == 404
    assert carol_client.post(f"/report/work/{draft.pk}", {"reason": "spam"}).status_code == 404
    assert Client().get("/report/work/999999").status_code == 404
    assert Client().get("/report/tag/1").status_code == 404
    assert not Report.objects.exists()


def test_over_the_limit_the_form_says_so(carol_client, mallory, work):
    comment = comment_on(work, mallory)
    for _ in range(3):
        carol_client.post(f"/report/comment/{comment.pk}", {"reason": "spam"})
    answer = carol_client.post(f"/report/comment/{comment.pk}", {"reason": "spam"})
    assert answer.status_code == 400
    assert "You have already reported this comment 3 times in 31 days" in answer.content.decode()
    assert Report.objects.count() == 3


def test_bad_input_is_shown_next_to_its_field(carol_client, work):
    answer = carol_client.post(f"/report/work/{work.pk}", {"reason": "other", "text": ""})
    assert answer.status_code == 400
    assert "Say what is wrong when the reason is “Other”." in answer.content.decode()
    answer = carol_client.post(f"/report/work/{work.pk}", {})
    assert "Choose what is wrong." in answer.content.decode()


def test_the_report_form_needs_the_csrf_token(carol, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    assert client.post(f"/report/work/{work.pk}", {"reason": "spam"}).status_code == 403
    assert not Report.objects.exists()


def test_nobody_reports_themselves_from_the_form(alice_client, alice):
    answer = alice_client.post(f"/report/user/{alice.pk}", {"reason": "spam"})
    assert answer.status_code == 400
    assert "You cannot report yourself." in answer.content.decode()

"""Which language the interface speaks: a signed-in reader's preference, else the footer's choice
(a cookie), else the browser's Accept-Language, else the archive's own language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ficarchive.accounts.models import User

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _lang(response: Any) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_guest_gets_the_language_their_browser_asks_for() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert _lang(response) == "es"
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    assert "Idioma" in response.content.decode()


def test_chinese_browsers_get_simplified_chinese() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert _lang(response) == "zh-hans"
    assert "语言" in response.content.decode()


def test_a_language_the_archive_lacks_falls_back_to_its_own() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert _lang(response) == settings.LANGUAGE_CODE == "en"


def test_the_footer_offers_every_language_to_a_guest_as_links() -> None:
    page = Client().get("/works").content.decode()
    assert 'href="/language?language=es&amp;next=/works"' in page
    assert 'lang="zh-hans"' in page and "简体中文" in page
    assert '<strong lang="en" aria-current="true">English</strong>' in page


def test_a_guest_who_picks_a_language_keeps_it_in_a_cookie() -> None:
    client = Client()
    response = client.get("/language", {"language": "zh-hans", "next": "/works"})
    assert response.status_code == 302
    assert response["Location"] == "/works"
    assert response.cookies[COOKIE].value == "zh-hans"
    assert response.cookies[COOKIE]["samesite"] == "Lax"
    # The cookie beats the browser's own wish.
    assert _lang(client.get("/works", HTTP_ACCEPT_LANGUAGE="es")) == "zh-hans"


def test_an_unknown_language_is_refused_by_name_and_sets_nothing() -> None:
    response = Client().get("/language", {"language": "klingon", "next": "/works"})
    assert response.status_code == 400
    assert "'klingon' is not a language of this archive." in response.content.decode()
    assert COOKIE not in response.cookies


def test_the_switch_never_sends_a_reader_to_another_site() -> None:
    response = Client().get("/language", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_signed_in_reader_saves_the_choice_as_a_preference(carol: User) -> None:
    client = Client()
    client.force_login(carol)
    response = client.post("/language", {"language": "es", "next": "/works"})
    assert response.status_code == 302
    carol.refresh_from_db()
    assert carol.language == "es"
    # Another browser, with no cookie and another wish, still gets the preference.
    other = Client()
    other.force_login(carol)
    assert _lang(other.get("/works", HTTP_ACCEPT_LANGUAGE="zh-CN")) == "es"


def test_a_link_never_changes_a_saved_preference(carol: User) -> None:
    carol.language = "zh-hans"
    carol.save()
    client = Client()
    client.force_login(carol)
    client.get("/language", {"language": "es"})
    carol.refresh_from_db()
    assert carol.language == "zh-hans"


def test_a_forged_switch_without_the_csrf_token_is_refused(carol: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    response = client.post("/language", {"language": "es"})
    assert response.status_code == 403
    carol.refresh_from_db()
    assert carol.language == ""


def test_the_preferences_page_sets_and_clears_the_language(carol: User) -> None:
    client = Client()
    client.force_login(carol)
    page = client.get("/preferences").content.decode()
    assert 'name="language"' in page and "The language of my browser" in page
    fields = {"time_zone": "UTC", "keep_history": "on", "language": "zh-hans"}
    assert client.post("/preferences", fields).status_code == 302
    carol.refresh_from_db()
    assert carol.language == "zh-hans"
    assert _lang(client.get("/preferences")) == "zh-hans"
    client.post("/preferences", {**fields, "language": ""})
    carol.refresh_from_db()
    assert carol.language == ""


def test_the_preferences_page_refuses_a_language_it_does_not_offer(carol: User) -> None:
    client = Client()
    client.force_login(carol)
    fields = {"time_zone": "UTC", "keep_history": "on", "language": "fr"}
    response = client.post("/preferences", fields)
    assert response.status_code == 400
    assert "fr is not a language of this archive." in response.content.decode()
    carol.refresh_from_db()
    assert carol.language == ""


@pytest.mark.parametrize(
    ("language", "words", "month"),
    [
        ("en", "1,200", "Dec"),
        ("es", "1\u00a0200", "de diciembre de"),
        ("zh-hans", "1200", "年12月"),
    ],
)
def test_a_listing_writes_numbers_and_dates_as_the_readers_language_does(
    alice: User, language: str, words: str, month: str
) -> None:
    from django.utils import timezone

    from tests.conftest import post_work

    work = post_work(alice, "Twelve Hundred", chapters=["<p>" + "word " * 1200 + "</p>"])
    work.updated_at = timezone.make_aware(timezone.datetime(2026, 12, 6, 12))
    work.save(update_fields=["updated_at"])
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/works").content.decode()
    assert f"<dd>{words}</dd>" in page
    assert month in page

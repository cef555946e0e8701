"""Hostile input in the text fields around a work (series, credits, pseuds, an admin's reason)
comes out inert on every page that shows it, to readers, creators and admins alike."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.actions import create_pseud
from ficarchive.accounts.models import User
from ficarchive.tags.models import GENERAL, NO_WARNINGS
from ficarchive.works import actions
from ficarchive.works.models import Series, Work
from tests.conftest import logged_in, post_work
from tests.works.test_posting import unsafe_markup
from tests.works.test_reading_hostile import HOSTILE

SCRIPT = "<script>alert('x')</script>"


def assert_harmless(page: str) -> None:
    """No element or attribute that could run script; hostile text shown as text is fine."""
    assert unsafe_markup(page) == []


@pytest.fixture
def hostile_series(alice: User) -> Series:
    return actions.create_series(alice, f"{SCRIPT} Saga", summary=HOSTILE, notes=HOSTILE)


@pytest.fixture
def hostile_work(alice: User, bob: User, hostile_series: Series) -> Work:
    work = post_work(alice, f"{SCRIPT} Storm")
    actions.update_work(
        alice,
        work,
        actions.WorkDetails(
            title=work.title, rating=GENERAL, warnings=[NO_WARNINGS], fandoms=["Original Work"]
        ),
        credits=[actions.CreditDetails("beta", SCRIPT), actions.CreditDetails("artist", "bob")],
    )
    actions.add_work_to_series(alice, work, hostile_series)
    actions.add_work_to_series(alice, post_work(alice, f"{SCRIPT} Part Two"), hostile_series)
    actions.invite_cocreator(alice, work, bob.default_pseud)
    return work


def test_series_fields_are_inert_on_the_series_and_work_pages(
    client: Client, hostile_work, hostile_series
):
    for url in (
        hostile_series.get_absolute_url(),
        reverse("accounts:user_series", args=["alice"]),
        hostile_work.get_absolute_url(),
        reverse("works:index"),
    ):
        page = client.get(url).content.decode()
        assert_harmless(page)
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Saga" in page, url
    series_page = client.get(hostile_series.get_absolute_url()).content.decode()
    assert "Hello" in series_page
    assert '<img src="x.png">' in series_page


def test_credit_names_are_inert_on_the_work_page(client: Client, hostile_work):
    page = client.get(hostile_work.get_absolute_url()).content.decode()
    assert_harmless(page)
    assert "Beta reader: &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_the_pages_creators_work_on_keep_hostile_titles_inert(alice, bob, hostile_work):
    alice_client = logged_in(alice)
    chapter = hostile_work.chapters.get()
    for url in (
        reverse("works:edit", args=[hostile_work.pk]),
        reverse("works:chapter_edit", args=[hostile_work.pk, chapter.pk]),
        reverse("works:chapter_new", args=[hostile_work.pk]),
        reverse("works:creators", args=[hostile_work.pk]),
        reverse("works:series_add", args=[hostile_work.pk]),
        reverse("works:series_edit", args=[hostile_work.series_parts.get().series_id]),
        reverse("works:delete", args=[hostile_work.pk]),
        reverse("works:chapter_delete", args=[hostile_work.pk, chapter.pk]),
        reverse("works:drafts"),
    ):
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert_harmless(response.content.decode())
    invitations = logged_in(bob).get(reverse("works:invitations")).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Storm" in invitations
    assert_harmless(invitations)


def test_an_admins_hiding_reason_is_inert(ada, alice, hostile_work):
    actions.hide_work(ada, hostile_work, HOSTILE)
    for client in (logged_in(ada), logged_in(alice)):
        page = client.get(hostile_work.get_absolute_url()).content.decode()
        assert_harmless(page)
        assert "hidden by an archive admin: &lt;p&gt;Hello&lt;script&gt;" in page
    assert_harmless(
        logged_in(ada).get(reverse("works:hide", args=[hostile_work.pk])).content.decode()
    )


def test_a_pseud_description_is_inert(client: Client, alice, settings):
    settings.SPAM_HOLD_THRESHOLD = 1.0  # a new account's text with a link would wait for review
    create_pseud(alice, "Lamplighter", description=HOSTILE)
    for url in (
        reverse("accounts:pseud", args=["alice", "Lamplighter"]),
        reverse("accounts:pseuds", args=["alice"]),
    ):
        page = client.get(url).content.decode()
        assert_harmless(page)
        assert "&lt;p&gt;Hello&lt;script&gt;" in page, url

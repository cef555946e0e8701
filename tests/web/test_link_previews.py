"""Link previews: every public page describes itself in its head (OpenGraph, Twitter card,
description, canonical address, feed links), and no restricted, hidden, held, draft or banned
creator's work gives anything away in it, whoever looks."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client, override_settings

from ficarchive.accounts.actions import create_pseud
from ficarchive.accounts.models import User
from ficarchive.moderation.actions import sanctions
from ficarchive.tags.models import MATURE
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work
from tests.web.conftest import head_of

SECRET = "Velvet Quartermaster"  # in the title and summary of works no preview may describe


def site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@pytest.fixture
def story(alice: User) -> Work:
    return post_work(
        alice,
        "The Lighthouse Keeper",
        chapters=("<p>One.</p>", "<p>Two.</p>"),
        summary="<p>A keeper &amp; <em>her</em> lamp,\n on the rocks.</p>",
        fandoms=["Original Work"],
        freeforms=["Slow Burn"],
    )


def secret_work(author: User, **details: Any) -> Work:
    return post_work(author, SECRET, summary=f"<p>{SECRET} sails at dawn.</p>", **details)


def test_a_public_work_page_describes_the_work(story: Work) -> None:
    head = head_of(Client(), f"/works/{story.pk}")
    assert head.meta("og:title") == ["The Lighthouse Keeper by alice"]
    assert head.meta("og:description") == ["A keeper & her lamp, on the rocks."]
    assert head.meta("description") == ["A keeper & her lamp, on the rocks."]
    assert head.meta("og:type") == ["article"]
    assert head.meta("og:site_name") == [settings.SITE_NAME]
    assert head.canonical() == site(f"/works/{story.pk}")
    assert head.meta("og:url") == [site(f"/works/{story.pk}")]
    assert head.meta("article:author") == [site("/users/alice")]
    assert "Slow Burn" in head.meta("article:tag")
    assert head.meta("article:section") == ["Original Work"]
    assert head.meta("twitter:card") == ["summary"]
    assert head.meta("robots") == []
    [feed] = head.links("alternate")
    assert feed["type"] == "application/atom+xml"
    assert feed["href"] == f"/works/{story.pk}/feed.atom"


def test_the_whole_work_and_a_chapter_have_their_own_canonical_address(story: Work) -> None:
    whole = head_of(Client(), f"/works/{story.pk}?view_full_work=true")
    assert whole.canonical() == site(f"/works/{story.pk}")
    second = story.posted_chapters()[1]
    head = head_of(Client(), f"/works/{story.pk}/chapters/{second.pk}")
    assert head.canonical() == site(f"/works/{story.pk}/chapters/{second.pk}")
    assert head.meta("og:title") == ["The Lighthouse Keeper - Chapter 2 by alice"]
    assert head.meta("description") == ["Chapter 2 of The Lighthouse Keeper by alice."]


def test_a_long_summary_is_cut_to_a_short_description(alice: User) -> None:
    work = post_work(alice, "Long", summary="<p>" + "word " * 200 + "</p>")
    [description] = head_of(Client(), f"/works/{work.pk}").meta("description")
    assert len(description) <= 300 and description.endswith("…")


def test_an_adult_work_notice_page_is_described_as_the_work(alice: User) -> None:
    work = post_work(alice, "After Dark", rating=MATURE)
    head = head_of(Client(), f"/works/{work.pk}")
    assert head.meta("og:title") == ["After Dark by alice"]


def test_a_guest_sent_to_log_in_for_a_restricted_work_sees_nothing_of_it(alice: User) -> None:
    work = secret_work(alice, restricted=True)
    response = Client().get(f"/works/{work.pk}", follow=True)
    assert response.redirect_chain and response.status_code == 200
    assert SECRET not in response.content.decode()


def test_a_reader_of_a_restricted_work_gets_no_preview_of_it(alice: User, carol: User) -> None:
    work = secret_work(alice, restricted=True)
    head = head_of(logged_in(carol), f"/works/{work.pk}")
    assert not head.says(SECRET)
    assert head.meta("robots") == ["noindex"]
    assert head.canonical() is None
    assert head.meta("og:url") == []
    assert head.links("alternate") == []
    assert head.meta("og:title") == [settings.SITE_NAME]


def test_a_hidden_work_gives_nothing_away_to_guests_or_its_viewers(alice: User, ada: User) -> None:
    work = actions.hide_work(ada, secret_work(alice), "Reported")
    guest = head_of(Client(), f"/works/{work.pk}", status=404)
    assert not guest.says(SECRET) and SECRET not in guest.title
    assert guest.meta("robots") == ["noindex"]
    for viewer in (alice, ada):
        head = head_of(logged_in(viewer), f"/works/{work.pk}")
        assert not head.says(SECRET)
        assert head.meta("robots") == ["noindex"]


def test_a_held_work_gives_nothing_away(alice: User, settings: Any) -> None:
    settings.SPAM_BASE_POINTS = 2.0  # what alice posts now is held for review
    work = post_work(alice, SECRET, summary="<p>https://followers.example.com</p>")
    settings.SPAM_BASE_POINTS = -2.0
    assert work.is_held
    assert not head_of(Client(), f"/works/{work.pk}", status=404).says(SECRET)
    assert not head_of(logged_in(alice), f"/works/{work.pk}").says(SECRET)


def test_a_draft_gives_nothing_away_even_to_its_creator(alice: User) -> None:
    work = secret_work(alice, draft=True)
    assert not head_of(Client(), f"/works/{work.pk}", status=404).says(SECRET)
    head = head_of(logged_in(alice), f"/works/{work.pk}")
    assert not head.says(SECRET)
    assert head.meta("robots") == ["noindex"]


def test_a_banned_creators_works_and_profile_give_nothing_away(alice: User, ada: User) -> None:
    work = secret_work(alice)
    sanctions.ban(ada, alice, "Threats.")
    head = head_of(Client(), f"/works/{work.pk}")
    assert not head.says(SECRET)
    assert head.meta("robots") == ["noindex"]
    profile = head_of(Client(), "/users/alice")
    assert profile.meta("robots") == ["noindex"]
    assert profile.meta("og:type") == ["website"]


def test_a_series_page_describes_the_series(alice: User, story: Work) -> None:
    series = actions.create_series(alice, "Coastal Tales", summary="<p>Stories by the sea.</p>")
    actions.add_work_to_series(alice, story, series)
    head = head_of(Client(), f"/series/{series.pk}")
    assert head.meta("og:title") == ["Coastal Tales by alice"]
    assert head.meta("og:description") == ["Stories by the sea."]
    assert head.meta("og:type") == ["book"]
    assert head.meta("book:author") == [site("/users/alice")]
    assert head.canonical() == site(f"/series/{series.pk}")
    [feed] = head.links("alternate")
    assert feed["href"] == f"/series/{series.pk}/feed.atom"


def test_a_series_of_restricted_works_gives_nothing_away(alice: User, carol: User) -> None:
    series = actions.create_series(alice, SECRET, summary=f"<p>{SECRET}</p>")
    actions.add_work_to_series(alice, secret_work(alice, restricted=True), series)
    assert not head_of(Client(), f"/series/{series.pk}", status=404).says(SECRET)
    head = head_of(logged_in(carol), f"/series/{series.pk}")
    assert not head.says(SECRET)
    assert head.meta("robots") == ["noindex"]


def test_a_profile_and_a_pseud_describe_their_creator(alice: User, story: Work) -> None:
    head = head_of(Client(), "/users/alice")
    assert head.meta("og:type") == ["profile"]
    assert head.meta("profile:username") == ["alice"]
    assert head.canonical() == site("/users/alice")
    assert [link["href"] for link in head.links("alternate")] == ["/users/alice/feed.atom"]
    create_pseud(alice, "Keeper", "<p>Writes about lighthouses.</p>")
    pseud = head_of(Client(), "/users/alice/pseuds/Keeper")
    assert pseud.meta("og:title") == ["Keeper (alice)"]
    assert pseud.meta("og:description") == ["Writes about lighthouses."]
    assert pseud.canonical() == site("/users/alice/pseuds/Keeper")
    feeds = [link["href"] for link in pseud.links("alternate")]
    assert feeds == ["/users/alice/pseuds/Keeper/feed.atom"]


def test_a_profile_address_in_another_case_has_the_accounts_canonical_address(
    alice: User,
) -> None:
    assert head_of(Client(), "/users/ALICE").canonical() == site("/users/alice")


def test_a_pseud_text_the_moderators_hid_is_not_its_description(alice: User) -> None:
    pseud = create_pseud(alice, "Keeper", f"<p>{SECRET}</p>")
    pseud.description_hidden = True
    pseud.save(update_fields=["description_hidden"])
    assert not head_of(Client(), "/users/alice/pseuds/Keeper").says(SECRET)


def test_a_tag_page_names_its_type_in_its_canonical_address(story: Work) -> None:
    head = head_of(Client(), "/tags/Slow%20Burn/works?page=1")
    assert head.canonical() == site("/tags/Slow%20Burn/works?type=freeform")
    assert head.meta("og:title") == ["Works tagged Slow Burn"]
    assert len(head.links("alternate")) == 1  # its feed, once
    past_the_end = head_of(Client(), "/tags/Slow%20Burn/works?page=2")  # shows page 1
    assert past_the_end.canonical() == site("/tags/Slow%20Burn/works?type=freeform")


def test_a_later_page_of_a_listing_is_its_own_canonical_address(alice: User) -> None:
    for number in range(3):
        post_work(alice, f"Work {number}")
    with override_settings(WORKS_PER_PAGE=2):
        assert head_of(Client(), "/works?page=2").canonical() == site("/works?page=2")
        assert head_of(Client(), "/works?page=1").canonical() == site("/works")


def test_the_home_page_links_the_e_reader_catalog(db: Any) -> None:
    head = head_of(Client(), "/")
    assert head.canonical() == site("/")
    [catalog] = head.links("alternate")
    assert catalog["href"] == "/opds"
    assert "opds-catalog" in catalog["type"]


def test_every_page_has_a_description_and_its_own_canonical_address(db: Any) -> None:
    for path in ("/works", "/login", "/works/search?q=lamp"):
        head = head_of(Client(), path)
        assert head.meta("description") == [settings.SITE_DESCRIPTION]
        assert head.meta("og:site_name") == [settings.SITE_NAME]
        assert head.canonical() == site(path.split("?")[0])


def test_a_page_that_is_not_there_is_not_indexed(db: Any) -> None:
    head = head_of(Client(), "/no/such/page", status=404)
    assert head.meta("robots") == ["noindex"]
    assert head.canonical() is None
    assert head_of(Client(), "/users/nobody", status=404).meta("robots") == ["noindex"]


def test_any_404_is_not_indexed_and_names_no_address(alice: User, ada: User) -> None:
    work = actions.hide_work(ada, secret_work(alice), "Reported")
    for path in (f"/works/{work.pk}/bookmarks", f"/works/{work.pk}/navigate"):
        head = head_of(Client(), path, status=404)
        assert head.meta("robots") == ["noindex"] and head.canonical() is None
        assert not head.says(SECRET)


def test_every_page_has_a_favicon(db: Any) -> None:
    [icon] = head_of(Client(), "/").links("icon")
    assert icon["href"].endswith(".svg") and icon["type"] == "image/svg+xml"
    assert finders.find("ficarchive/favicon.svg") and icon["href"] == static(
        "ficarchive/favicon.svg"
    )
    response = Client().get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == icon["href"]

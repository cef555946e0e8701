"""Making and editing series, and putting works into them or taking them out."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ficarchive.works import actions
from ficarchive.works.models import Series, Work
from tests.conftest import post_work
from tests.works.test_posting import text_of

NEW_SERIES = reverse("works:series_new")


def add_url(work: Work) -> str:
    return reverse("works:series_add", args=[work.pk])


def edit_url(series: Series) -> str:
    return reverse("works:series_edit", args=[series.pk])


def parts(series: Series) -> list[str]:
    return [part.work.title for part in series.parts.order_by("position")]


# --- new and edit ------------------------------------------------------------------------


def test_new_series_is_created_with_its_details(alice, alice_client):
    data = {"title": "Coastal Tales", "summary": "<p>Stories by the sea.</p>", "notes": "Notes."}
    response = alice_client.post(NEW_SERIES, data)
    assert response["Location"] == reverse("accounts:user_series", args=["alice"])
    series = Series.objects.get()
    assert (series.title, series.summary) == ("Coastal Tales", "<p>Stories by the sea.</p>")
    assert list(series.creators.all()) == [alice.default_pseud]


def test_new_series_needs_a_title(alice_client):
    for title in ("", "   "):
        response = alice_client.post(NEW_SERIES, {"title": title})
        assert response.status_code == 400
        assert "A series needs a title." in text_of(response)
    assert not Series.objects.exists()


def test_edit_series_form_is_filled_in_and_saves_complete(alice, alice_client):
    series = actions.create_series(alice, "Coastal Tales", "<p>By the sea.</p>")
    page = text_of(alice_client.get(edit_url(series)))
    assert 'name="title" value="Coastal Tales"' in page
    assert 'name="is_complete"' in page
    data = {"title": "Tales of the Coast", "summary": "", "notes": "", "is_complete": "on"}
    assert alice_client.post(edit_url(series), data)["Location"] == edit_url(series)
    series.refresh_from_db()
    assert series.title == "Tales of the Coast"
    assert series.is_complete


def test_an_edit_without_a_title_changes_nothing(alice, alice_client):
    series = actions.create_series(alice, "Coastal Tales")
    response = alice_client.post(edit_url(series), {"title": "", "is_complete": "on"})
    assert response.status_code == 400
    series.refresh_from_db()
    assert (series.title, series.is_complete) == ("Coastal Tales", False)


def test_only_the_series_creators_may_edit_it(alice, carol_client, client: Client):
    series = actions.create_series(alice, "Coastal Tales")
    assert carol_client.get(edit_url(series)).status_code == 403
    assert carol_client.post(edit_url(series), {"title": "Mine"}).status_code == 403
    assert client.get(edit_url(series))["Location"].startswith(reverse("accounts:login"))
    assert client.post(NEW_SERIES, {"title": "Guest"})["Location"].startswith(
        reverse("accounts:login")
    )
    series.refresh_from_db()
    assert series.title == "Coastal Tales"
    assert Series.objects.count() == 1


def test_forged_series_edit_without_csrf_token_is_refused(alice):
    series = actions.create_series(alice, "Coastal Tales")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(edit_url(series), {"title": "Forged"}).status_code == 403
    series.refresh_from_db()
    assert series.title == "Coastal Tales"


# --- adding and removing works -----------------------------------------------------------


def make_series(alice, count: int) -> Series:
    series = actions.create_series(alice, "Coastal Tales")
    for number in range(1, count + 1):
        actions.add_work_to_series(alice, post_work(alice, f"Part {number}"), series)
    return series


def test_add_page_offers_only_my_series(alice, alice_client, bob, work):
    make_series(alice, 1)
    actions.create_series(bob, "Bob's Tales")
    page = text_of(alice_client.get(add_url(work)))
    assert "Coastal Tales" in page
    assert "Bob's Tales" not in page
    assert "This work is not part of a series yet." in page


def test_adding_at_a_position_moves_later_parts_down(alice, alice_client, work):
    series = make_series(alice, 3)
    response = alice_client.post(add_url(work), {"series": series.pk, "position": "2"})
    assert response["Location"] == add_url(work)
    assert parts(series) == ["Part 1", "The Lighthouse Keeper", "Part 2", "Part 3"]
    assert [p.position for p in series.parts.order_by("position")] == [1, 2, 3, 4]
    page = text_of(alice_client.get(add_url(work)))
    assert f'Part 2 of <a href="{series.get_absolute_url()}">Coastal Tales</a>' in page


def test_adding_without_a_position_puts_the_work_last(alice, alice_client, work):
    series = make_series(alice, 2)
    alice_client.post(add_url(work), {"series": series.pk, "position": ""})
    assert parts(series) == ["Part 1", "Part 2", "The Lighthouse Keeper"]


def test_adding_to_a_new_series_by_title(alice, alice_client, work):
    response = alice_client.post(add_url(work), {"new_series": "Fresh Start"}, follow=True)
    assert "The work is part 1 of “Fresh Start”." in text_of(response)
    series = Series.objects.get()
    assert series.title == "Fresh Start"
    assert parts(series) == ["The Lighthouse Keeper"]


def test_choosing_neither_or_both_is_refused(alice, alice_client, work):
    series = make_series(alice, 1)
    response = alice_client.post(add_url(work), {})
    assert response.status_code == 400
    assert "Choose one of your series or give a new series a title." in text_of(response)
    response = alice_client.post(add_url(work), {"series": series.pk, "new_series": "Both"})
    assert response.status_code == 400
    assert "not both" in text_of(response)
    assert Series.objects.count() == 1
    assert not work.series_parts.exists()


def test_a_position_below_one_is_refused(alice, alice_client, work):
    series = make_series(alice, 1)
    response = alice_client.post(add_url(work), {"series": series.pk, "position": "0"})
    assert response.status_code == 400
    assert parts(series) == ["Part 1"]


def test_another_users_series_cannot_be_chosen(alice_client, bob, work):
    theirs = actions.create_series(bob, "Bob's Tales")
    response = alice_client.post(add_url(work), {"series": theirs.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)
    assert not theirs.parts.exists()


def test_removing_a_work_from_a_series_closes_the_gap(alice, alice_client):
    series = make_series(alice, 3)
    second = series.parts.get(position=2)
    response = alice_client.post(add_url(second.work), {"pick": second.pk})
    assert response["Location"] == add_url(second.work)
    assert parts(series) == ["Part 1", "Part 3"]
    assert [p.position for p in series.parts.order_by("position")] == [1, 2]


def test_only_the_works_creators_may_add_or_remove_it(alice, carol_client, work):
    series = make_series(alice, 1)
    mine = actions.create_series(alice, "Mine")
    part = series.parts.get()
    assert carol_client.get(add_url(work)).status_code == 403
    assert carol_client.post(add_url(work), {"series": mine.pk}).status_code == 403
    assert carol_client.post(add_url(part.work), {"pick": part.pk}).status_code == 403
    assert parts(series) == ["Part 1"]
    assert not mine.parts.exists()


def test_forged_add_without_csrf_token_is_refused(alice, work):
    series = make_series(alice, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(add_url(work), {"series": series.pk}).status_code == 403
    assert parts(series) == ["Part 1"]

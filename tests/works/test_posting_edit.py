"""Editing, deleting and posting a draft work, and the drafts page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ficarchive.accounts.actions import create_pseud
from ficarchive.tags.models import NO_WARNINGS
from ficarchive.works import actions
from ficarchive.works.actions import CreditDetails
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work
from tests.works.test_posting import form_data, text_of


def edit_url(work: Work) -> str:
    return reverse("works:edit", args=[work.pk])


def edit_data(work: Work, pseud, **changes):
    """The edit form as the browser sends it: the posting form without the chapter part."""
    data = form_data(pseud, **changes)
    for name in ("series", "new_series", "chapter_title", "body_format", "body", "action"):
        data.pop(name)
    return data


# --- editing -----------------------------------------------------------------------------


def test_edit_form_is_filled_in_with_the_work(alice, alice_client):
    work = post_work(alice, "Salt and Light")
    details = actions.WorkDetails(
        title="Salt and Light",
        rating="General Audiences",
        warnings=[NO_WARNINGS],
        fandoms=["Lighthouses", "Original Work"],
        freeforms=["Slow Burn"],
        summary="<p>A keeper.</p>",
    )
    actions.update_work(alice, work, details, credits=[CreditDetails(role="beta", name="Marie")])
    response = alice_client.get(edit_url(work))
    page = text_of(response)
    assert response.status_code == 200
    assert 'name="title" value="Salt and Light"' in page
    assert 'value="Lighthouses, Original Work"' in page
    assert 'value="Slow Burn"' in page
    assert '<option value="General Audiences" selected>' in page
    assert f'value="{NO_WARNINGS}" id="id_warnings_1" checked' in page
    assert f'value="{alice.default_pseud.pk}" id="id_pseuds_0" checked' in page
    assert 'name="credits-0-name" value="Marie"' in page
    assert "<p>A keeper.</p></textarea>" in page
    assert 'name="body"' not in page


def test_editing_changes_details_tags_and_credits(alice, alice_client, work):
    data = edit_data(
        work,
        alice.default_pseud,
        title="Renamed",
        fandoms="Lighthouses",
        relationships="Keeper/Gull",
        expected_chapters="",
        **{"credits-0-role": "artist", "credits-0-name": "Ana"},
    )
    response = alice_client.post(edit_url(work), data)
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.title == "Renamed"
    assert [t.name for t in work.fandoms] == ["Lighthouses"]
    assert [t.name for t in work.relationships] == ["Keeper/Gull"]
    assert work.chapters_display == "1/?"
    assert [(c.role, c.name) for c in work.credits.all()] == [("artist", "Ana")]


def test_editing_can_move_the_work_to_another_of_my_pseuds(alice, alice_client, work):
    other = create_pseud(alice, "Lamplighter")
    alice_client.post(edit_url(work), edit_data(work, other))
    assert work.creators == [other]


def test_an_edit_without_the_credit_rows_keeps_the_credits(alice, alice_client):
    work = post_work(alice)
    actions.update_work(
        alice,
        work,
        actions.WorkDetails(title=work.title, warnings=[NO_WARNINGS], fandoms=["Original Work"]),
        credits=[CreditDetails(role="beta", name="Marie")],
    )
    data = {k: v for k, v in edit_data(work, alice.default_pseud).items() if "credits" not in k}
    assert alice_client.post(edit_url(work), data).status_code == 302
    assert [c.name for c in work.credits.all()] == ["Marie"]


def test_an_edit_with_a_missing_title_is_refused_and_changes_nothing(alice, alice_client, work):
    data = edit_data(work, alice.default_pseud, title="", fandoms="Changed")
    response = alice_client.post(edit_url(work), data)
    assert response.status_code == 400
    assert "A work needs a title." in text_of(response)
    work.refresh_from_db()
    assert work.title == "The Lighthouse Keeper"
    assert [t.name for t in work.fandoms] == ["Original Work"]


def test_expected_chapters_cannot_drop_below_the_posted_chapters(alice, alice_client):
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])
    response = alice_client.post(
        edit_url(work), edit_data(work, alice.default_pseud, expected_chapters="1")
    )
    assert response.status_code == 400
    assert "The work already has 2 posted chapters" in text_of(response)
    work.refresh_from_db()
    assert work.chapters_display == "2/2"


def test_guest_is_sent_to_log_in_to_edit(client: Client, work):
    response = client.get(edit_url(work))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_user_cannot_edit_or_delete_the_work(carol_client, alice, work):
    assert carol_client.get(edit_url(work)).status_code == 403
    data = edit_data(work, alice.default_pseud, title="Stolen")
    assert carol_client.post(edit_url(work), data).status_code == 403
    delete = reverse("works:delete", args=[work.pk])
    assert carol_client.get(delete).status_code == 403
    assert carol_client.post(delete).status_code == 403
    work.refresh_from_db()
    assert work.title == "The Lighthouse Keeper"


def test_another_user_gets_404_for_a_draft(carol_client, alice):
    draft = post_work(alice, draft=True)
    for name in ("works:edit", "works:delete", "works:chapter_new", "works:creators"):
        assert carol_client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert carol_client.post(reverse("works:post_draft", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.is_draft


def test_an_invited_cocreator_may_edit_only_after_accepting(alice, bob, work):
    invitation = actions.invite_cocreator(alice, work, bob.default_pseud)
    bob_client = logged_in(bob)
    assert bob_client.get(edit_url(work)).status_code == 403
    data = edit_data(work, bob.default_pseud, title="Bob's Version")
    assert bob_client.post(edit_url(work), data).status_code == 403
    actions.accept_cocreator_invite(bob, invitation)
    page = bob_client.get(edit_url(work)).content.decode()
    assert f'value="{bob.default_pseud.pk}" id="id_pseuds_0" checked' in page
    assert bob_client.post(edit_url(work), data).status_code == 302
    work.refresh_from_db()
    assert work.title == "Bob's Version"
    assert set(work.creators) == {alice.default_pseud, bob.default_pseud}


def test_forged_edit_without_csrf_token_is_refused(alice, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(edit_url(work), edit_data(work, alice.default_pseud, title="Forged"))
    assert response.status_code == 403
    work.refresh_from_db()
    assert work.title == "The Lighthouse Keeper"


# --- deleting ----------------------------------------------------------------------------


def test_deleting_asks_first_then_deletes(alice, alice_client, work):
    url = reverse("works:delete", args=[work.pk])
    page = text_of(alice_client.get(url))
    assert "Delete “The Lighthouse Keeper”?" in page
    assert Work.objects.filter(pk=work.pk).exists()
    response = alice_client.post(url)
    assert response["Location"] == reverse("accounts:user_works", args=["alice"])
    assert not Work.objects.filter(pk=work.pk).exists()


def test_forged_delete_without_csrf_token_is_refused(alice, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(reverse("works:delete", args=[work.pk])).status_code == 403
    assert Work.objects.filter(pk=work.pk).exists()


# --- posting a draft ---------------------------------------------------------------------


def test_posting_a_draft_answers_405_to_get(alice_client, alice):
    draft = post_work(alice, draft=True)
    assert alice_client.get(reverse("works:post_draft", args=[draft.pk])).status_code == 405


def test_posting_an_already_posted_work_says_so(alice_client, work):
    response = alice_client.post(reverse("works:post_draft", args=[work.pk]), follow=True)
    assert "This work is already posted." in text_of(response)


def test_posting_a_draft_posts_its_chapters(alice, alice_client):
    draft = post_work(alice, chapters=["<p>One.</p>", "<p>Two three.</p>"], draft=True)
    assert draft.chapter_count == 0
    alice_client.post(reverse("works:post_draft", args=[draft.pk]))
    draft.refresh_from_db()
    assert not draft.is_draft
    assert draft.chapters_display == "2/2"
    assert draft.word_count == 3


def test_guest_cannot_post_a_draft(client: Client, alice):
    draft = post_work(alice, draft=True)
    response = client.post(reverse("works:post_draft", args=[draft.pk]))
    assert response["Location"].startswith(reverse("accounts:login"))
    draft.refresh_from_db()
    assert draft.is_draft


# --- the drafts page ---------------------------------------------------------------------


def test_drafts_page_lists_draft_works_and_draft_chapters(alice, alice_client, bob):
    draft = post_work(alice, "Unfinished", draft=True)
    posted = post_work(alice, "Ongoing")
    chapter = actions.add_chapter(
        alice, posted, actions.ChapterDetails(body="<p>Later.</p>", title="Later"), draft=True
    )
    post_work(alice, "Done")
    post_work(bob, "Bob's Draft", draft=True)
    page = text_of(alice_client.get(reverse("works:drafts")))
    assert "Unfinished" in page
    assert reverse("works:post_draft", args=[draft.pk]) in page
    assert "Ongoing" in page
    assert reverse("works:chapter_post", args=[posted.pk, chapter.pk]) in page
    assert "Chapter 2: Later" in page
    assert "Done" not in page
    assert "Bob's Draft" not in page


def test_drafts_page_counts_the_words_of_draft_chapters(alice, alice_client):
    draft = post_work(
        alice, "Unfinished", chapters=["<p>One two.</p>", "<p>Three.</p>"], draft=True
    )
    posted = post_work(alice, "Ongoing", chapters=["<p>Four five six.</p>"])
    actions.add_chapter(alice, posted, actions.ChapterDetails(body="<p>Seven.</p>"), draft=True)
    page = alice_client.get(reverse("works:drafts")).content.decode()
    draft_row = page[page.index(f'id="work_{draft.pk}"') :]
    posted_row = page[page.index(f'id="work_{posted.pk}"') :]
    assert "<td>3</td>" in draft_row[: draft_row.index("</tr>")], "not 0 for a draft work"
    assert "<td>4</td>" in posted_row[: posted_row.index("</tr>")]


def test_drafts_page_when_there_are_none(alice_client):
    assert "You have no drafts." in text_of(alice_client.get(reverse("works:drafts")))


def test_drafts_page_needs_log_in(client: Client):
    response = client.get(reverse("works:drafts"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_drafts_page_is_paginated_with_a_fixed_number_of_queries(
    alice, alice_client, settings, django_assert_max_num_queries
):
    settings.WORKS_PER_PAGE = 5
    for number in range(7):
        work = post_work(alice, f"Draft {number}", draft=True, freeforms=[f"Tag {number}"])
        actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>More.</p>"), draft=True)
    with django_assert_max_num_queries(9):  # the schedules: one query for the page
        response = alice_client.get(reverse("works:drafts"))
    page = text_of(response)
    assert page.count("Post work") == 5
    assert "?page=2" in page
    assert text_of(alice_client.get(reverse("works:drafts") + "?page=2")).count("Post work") == 2

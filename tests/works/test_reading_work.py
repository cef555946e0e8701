"""A work's page: what it shows, and who may open it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ficarchive.tags.models import EXPLICIT, GENERAL, NO_WARNINGS
from ficarchive.works import actions
from ficarchive.works.models import CreditRole, Work
from tests.conftest import logged_in, post_work


def test_work_page_shows_meta_preface_chapter_and_notes_in_order(client: Client, alice):
    work = post_work(
        alice,
        "The Long Watch",
        fandoms=["Lighthouses"],
        categories=["Gen"],
        relationships=["Keeper & Gull"],
        characters=["The Keeper"],
        freeforms=["Slow Burn"],
        summary="<p>A keeper and a gull.</p>",
        begin_notes="<p>Written for a friend.</p>",
        end_notes="<p>Thanks for reading.</p>",
        chapters=["<p>The lamp turned all night long.</p>"],
    )
    page = client.get(f"/works/{work.pk}").content.decode()
    page = page[page.index("<body") :]  # the head's link-preview tags repeat some of these
    order = [
        "Rating:",
        GENERAL,
        "Archive Warning:",
        NO_WARNINGS,
        "Category:",
        ">Gen<",
        "Fandom:",
        "Lighthouses",
        "Relationship:",
        "Keeper &amp; Gull",
        "Character:",
        "The Keeper",
        "Additional Tags:",
        "Slow Burn",
        "Language:",
        "English",
        "Published:",
        'Words:</dt><dd class="words">6</dd>',
        'Chapters:</dt><dd class="chapters">1/1</dd>',
        '<h1 class="title heading">The Long Watch</h1>',
        ">alice</a>",
        "A keeper and a gull.",
        "Written for a friend.",
        "The lamp turned all night long.",
        "Thanks for reading.",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert page.count("<h1") == 1


def test_work_page_marks_the_text_with_the_work_language(client: Client, alice):
    work = post_work(alice, "Le Phare", language="fr", chapters=["<p>La lampe tournait.</p>"])
    page = client.get(f"/works/{work.pk}").content.decode()
    assert '<article class="work" id="workskin" lang="fr">' in page
    assert "Français" in page


def test_work_page_shows_unknown_chapter_total_as_a_question_mark(client: Client, alice):
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"], expected_chapters=None)
    work.expected_chapters = None
    work.save()
    assert (
        'Chapters:</dt><dd class="chapters">2/?</dd>'
        in client.get(f"/works/{work.pk}").content.decode()
    )


def test_work_page_names_only_accepted_creators(client: Client, alice, bob):
    work = post_work(alice)
    actions.invite_cocreator(alice, work, bob.default_pseud)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert ">alice</a>" in page
    assert ">bob</a>" not in page


def test_work_page_credits_helpers_by_role_and_links_their_pseud(client: Client, alice, carol):
    work = actions.post_work(
        alice,
        [alice.default_pseud],
        actions.WorkDetails(title="Credited", warnings=[NO_WARNINGS], fandoms=["Original Work"]),
        actions.ChapterDetails(body="<p>Words.</p>"),
        credits=[
            actions.CreditDetails(CreditRole.BETA, "carol"),
            actions.CreditDetails(CreditRole.BETA, "A Friend"),
            actions.CreditDetails(CreditRole.TRANSLATOR, "Someone Else"),
        ],
    )
    page = client.get(f"/works/{work.pk}?view_adult=true").content.decode()
    assert 'Beta reader: <a href="/users/carol/pseuds/carol">carol</a>, A Friend' in page
    assert "Translator: Someone Else" in page


def test_work_page_shows_the_series_it_belongs_to(client: Client, alice):
    first, second = post_work(alice, "Part One"), post_work(alice, "Part Two")
    series = actions.create_series(alice, "The Keeper Cycle")
    actions.add_work_to_series(alice, first, series)
    actions.add_work_to_series(alice, second, series)
    page = client.get(f"/works/{second.pk}").content.decode()
    assert "Part 2 of 2 of" in page
    assert f'<a href="/series/{series.pk}">The Keeper Cycle</a>' in page
    assert f'href="/works/{first.pk}">← Previous work' in page
    assert "Next work" not in page
    page = client.get(f"/works/{first.pk}").content.decode()
    assert f'href="/works/{second.pk}">Next work →' in page
    assert "Previous work" not in page


def test_series_links_skip_parts_the_reader_cannot_see(client: Client, alice):
    first = post_work(alice, "Part One")
    hidden_middle = post_work(alice, "Members Part", restricted=True)
    last = post_work(alice, "Part Three")
    series = actions.create_series(alice, "Cycle")
    for work in (first, hidden_middle, last):
        actions.add_work_to_series(alice, work, series)
    page = client.get(f"/works/{last.pk}").content.decode()
    assert f'href="/works/{first.pk}">← Previous work' in page
    assert "Part 2 of 2 of" in page, "a guest counts only the parts a guest can see"


def test_a_drafts_page_shows_its_creator_its_place_words_and_chapters_as_they_will_be(
    alice,
):
    posted = post_work(alice, "Part One")
    draft = post_work(
        alice,
        "Part Two",
        chapters=["<p>One two three.</p>", "<p>Four five.</p>"],
        expected_chapters=3,
        draft=True,
    )
    series = actions.create_series(alice, "Cycle")
    actions.add_work_to_series(alice, posted, series)
    actions.add_work_to_series(alice, draft, series)
    page = logged_in(alice).get(f"/works/{draft.pk}").content.decode()
    assert "Part 2 of 2 of" in page
    assert "Part 2 of 1 of" not in page
    assert '<a href="/series/' in page and "Cycle</a> (draft)" in page
    assert '<dd class="words">5 (draft)</dd>' in page
    assert '<dd class="chapters">2/3 (draft)</dd>' in page
    page = logged_in(alice).get(f"/works/{posted.pk}").content.decode()
    assert "Part 1 of 1 of" in page, "readers' count of the series leaves the draft out"
    assert "(draft)" not in page


def test_a_lone_draft_in_a_series_is_its_first_part_not_part_1_of_0(alice):
    draft = post_work(alice, "Only Draft", draft=True)
    actions.add_work_to_series(alice, draft, actions.create_series(alice, "New Cycle"))
    page = logged_in(alice).get(f"/works/{draft.pk}").content.decode()
    assert "Part 1 of 1 of" in page
    assert "of 0 of" not in page
    assert '<dd class="words">0</dd>' not in page


def test_hidden_warnings_and_additional_tags_fold_away_by_preference(carol, alice, client: Client):
    carol.hide_warnings = True
    carol.hide_freeform = True
    carol.save()
    work = post_work(alice, warnings=["Major Character Death"], freeforms=["Sad Ending"])
    page = logged_in(carol).get(f"/works/{work.pk}").content.decode()
    assert "<summary>Show warnings</summary>" in page
    assert "<summary>Show additional tags</summary>" in page
    assert page.index("<summary>Show warnings") < page.index("Major Character Death")
    shown = client.get(f"/works/{work.pk}").content.decode()
    assert "Show warnings" not in shown
    assert "Major Character Death" in shown


def test_creator_gets_edit_links(alice_client: Client, alice):
    work = post_work(alice)
    page = alice_client.get(f"/works/{work.pk}").content.decode()
    assert f'href="/works/{work.pk}/edit"' in page
    assert f'href="/works/{work.pk}/chapters/new"' in page
    assert f'href="/works/{work.pk}/delete"' in page


def test_reader_gets_no_edit_links(carol_client: Client, alice):
    work = post_work(alice)
    page = carol_client.get(f"/works/{work.pk}").content.decode()
    assert f"/works/{work.pk}/edit" not in page
    assert f"/works/{work.pk}/delete" not in page


def test_creator_sees_own_draft_with_banner_and_post_button(alice_client: Client, alice):
    work = post_work(alice, "Work In Progress", draft=True)
    page = alice_client.get(f"/works/{work.pk}").content.decode()
    assert "This is a draft: only you can see it" in page
    assert f'<form method="post" action="/works/{work.pk}/post">' in page
    assert "Work In Progress" in page


# --- who may open a work -------------------------------------------------------------------


def test_guest_is_sent_to_log_in_for_a_restricted_work(client: Client, alice):
    work = post_work(alice, restricted=True)
    for url in (
        f"/works/{work.pk}",
        f"/works/{work.pk}/navigate",
        f"/works/{work.pk}/chapters/{work.chapters.get().pk}",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/login?next={url}"


def test_registered_reader_can_read_a_restricted_work(carol_client: Client, alice):
    work = post_work(alice, "Members Only", restricted=True)
    assert "Members Only" in carol_client.get(f"/works/{work.pk}").content.decode()


def test_reader_cannot_open_someone_elses_draft(carol_client: Client, client: Client, alice):
    work = post_work(alice, draft=True)
    assert carol_client.get(f"/works/{work.pk}").status_code == 404
    assert client.get(f"/works/{work.pk}").status_code == 404
    assert carol_client.get(f"/works/{work.pk}/navigate").status_code == 404


def test_restricted_draft_is_not_found_for_guests_rather_than_sent_to_log_in(client: Client, alice):
    work = post_work(alice, draft=True, restricted=True)
    assert client.get(f"/works/{work.pk}").status_code == 404


def test_hidden_work_is_not_found_for_anyone_but_admins_and_creators(
    client: Client, carol_client: Client, alice_client: Client, ada_client: Client, alice, ada
):
    work = actions.hide_work(ada, post_work(alice, "Taken Down"), "Reported for spam")
    assert client.get(f"/works/{work.pk}").status_code == 404
    assert carol_client.get(f"/works/{work.pk}").status_code == 404
    assert "Taken Down" in alice_client.get(f"/works/{work.pk}").content.decode()
    page = ada_client.get(f"/works/{work.pk}").content.decode()
    assert "hidden by an archive admin: Reported for spam" in page
    assert f'href="/works/{work.pk}/hide"' in page


def test_hidden_restricted_work_is_not_found_for_guests(client: Client, alice, ada):
    work = actions.hide_work(ada, post_work(alice, restricted=True))
    assert client.get(f"/works/{work.pk}").status_code == 404


def test_admin_gets_a_hide_link_on_a_visible_work(ada_client: Client, alice):
    work = post_work(alice)
    assert f'href="/works/{work.pk}/hide"' in ada_client.get(f"/works/{work.pk}").content.decode()


def test_unknown_work_is_not_found(client: Client, db):
    assert client.get("/works/999").status_code == 404


@pytest.mark.parametrize("count", [3, 15])
def test_work_page_runs_a_fixed_number_of_queries(
    count, carol_client: Client, alice, django_assert_max_num_queries
):
    work = post_work(
        alice,
        rating=EXPLICIT,
        fandoms=[f"Fandom {n}" for n in range(count)],
        characters=[f"Character {n}" for n in range(count)],
        chapters=[f"<p>Chapter {n} text.</p>" for n in range(count)],
    )
    for number in range(count):
        actions.add_work_to_series(alice, work, actions.create_series(alice, f"Series {number}"))
    # +2 for the comments and the reader's own kudos, bookmark and subscription (social); +1 for
    # the stored hits, read beside the pending ones so that every process shows one number; +1
    # for the site switches (read at most once a second per process); +2 for the reader's place
    # in the work and the chapters they read (social.places); +1 for the accounts the work is a
    # gift for (collections' gift exchanges).
    with django_assert_max_num_queries(22):
        response = carol_client.get(f"/works/{work.pk}?view_full_work=true&view_adult=true")
    assert response.status_code == 200
    assert f"Chapter {count - 1} text." in response.content.decode()


def test_work_page_stats_show_published_then_updated_then_completed(client: Client, alice):
    work = post_work(alice, chapters=["<p>One.</p>"], expected_chapters=3)
    long_ago = timezone.now() - timedelta(days=30)
    Work.objects.filter(pk=work.pk).update(published_at=long_ago, updated_at=long_ago)
    published = f'Published:</dt><dd class="published"><time datetime="{long_ago.isoformat()[:10]}'
    page = client.get(work.get_absolute_url()).content.decode()
    assert published in page
    assert "Updated:" not in page
    assert 'Chapters:</dt><dd class="chapters">1/3</dd>' in page

    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>Two.</p>"))
    today = timezone.localdate().isoformat()
    page = client.get(work.get_absolute_url()).content.decode()
    assert published in page
    assert f'Updated:</dt><dd class="status"><time datetime="{today}' in page
    assert 'Chapters:</dt><dd class="chapters">2/3</dd>' in page

    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>Three.</p>"))
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'Completed:</dt><dd class="status"><time datetime="{today}' in page
    assert "Updated:" not in page
    assert 'Chapters:</dt><dd class="chapters">3/3</dd>' in page

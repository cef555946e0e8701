from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.demo import loader
from ficarchive.demo.loader import archive_is_empty, load_demo, read_content
from ficarchive.tags.models import RATINGS, TagType
from ficarchive.works.blurb_html import byline
from ficarchive.works.models import Chapter, CreditRole, Series, Work
from tests.conftest import make_user

DEMO_AUTHORS = [author["username"] for author in read_content()["authors"]]


@pytest.fixture
def demo(db):
    return load_demo()


def demo_work(title: str) -> Work:
    return Work.objects.with_blurb_data().get(title=title)


def test_the_demo_posts_about_a_dozen_works(demo):
    assert 10 <= demo <= 15
    assert Work.objects.count() == demo
    assert not Work.objects.filter(is_draft=True).exists()
    assert not archive_is_empty()


def test_an_empty_archive_is_empty(db):
    assert archive_is_empty()


def test_every_rating_is_present(demo):
    ratings = {work.rating.name for work in Work.objects.with_blurb_data() if work.rating}
    assert ratings == set(RATINGS)


def test_adult_rated_works_fade_to_black(demo):
    for work in Work.objects.with_blurb_data():
        if work.rating.name in {"Mature", "Explicit"}:
            assert "Fade to Black" in [tag.name for tag in work.freeforms], work.title


def test_the_works_vary_in_warnings_categories_and_tags(demo):
    works = list(Work.objects.with_blurb_data())
    warnings = {tag.name for work in works for tag in work.warnings}
    categories = {tag.name for work in works for tag in work.categories}
    assert len(warnings) >= 3
    assert len(categories) >= 4
    for tag_type in (TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM):
        assert Work.objects.filter(tags__type=tag_type).distinct().count() >= 5, tag_type


def test_every_work_has_a_summary_and_most_have_notes(demo):
    works = list(Work.objects.all())
    assert all(work.summary for work in works)
    assert sum(bool(work.begin_notes or work.end_notes) for work in works) >= len(works) // 2


def test_the_series_has_two_parts_in_order(demo):
    series = Series.objects.get(title="Tales of the Salt Road")
    parts = list(series.parts_visible_to(AnonymousUser()))
    assert [(p.position, p.work.title) for p in parts] == [
        (1, "The Ferrywoman's Toll"),
        (2, "What the Tide Brings Back"),
    ]
    assert series.is_complete
    assert series.updated_at == parts[1].work.updated_at


def test_a_cocreated_work_names_both_authors_in_its_byline(demo):
    work = demo_work("Breadcrumbs and Compass Roses")
    shown = byline(work)
    assert "hollowoak" in shown
    assert "lanternjack" in shown
    assert work.creatorships.filter(accepted=False).count() == 0
    assert work.chapters.get(position=2).word_count > 0


def test_one_author_posts_under_a_second_pseud(demo):
    work = demo_work("Notes Found in a Library Copy of Grimm")
    assert [pseud.byline for pseud in work.creators] == ["Marginalia (quillfeather)"]
    assert Pseud.objects.filter(user__username="quillfeather").count() == 2


def test_works_credit_beta_readers_and_a_translator(demo):
    lamplighter = demo_work("The Lamplighter's Apprentice")
    assert [(c.role, c.name) for c in lamplighter.credits.all()] == [
        (CreditRole.BETA, "Wren Abernathy")
    ]
    clocks = demo_work("A Matter of Seven Clocks")
    beta = clocks.credits.get(role=CreditRole.BETA)
    assert beta.pseud == User.objects.get(username="tidewater_ink").default_pseud
    goose = demo_work("The Goose Girl's Second Verse")
    assert goose.credits.get(role=CreditRole.TRANSLATOR).name == "Marisol Reyes"


def test_works_in_progress_show_their_chapters_so_far(demo):
    clocks = demo_work("A Matter of Seven Clocks")
    breadcrumbs = demo_work("Breadcrumbs and Compass Roses")
    assert clocks.chapters_display == "2/5"
    assert breadcrumbs.chapters_display == "3/?"
    assert not clocks.is_complete
    assert not breadcrumbs.is_complete
    assert demo_work("The Pemberley Accounts").chapters_display == "2/2"


def test_chapters_have_titles_and_notes(demo):
    chapter = Chapter.objects.get(work__title="A Matter of Seven Clocks", position=2)
    assert chapter.heading == "Chapter 2: A Quarter Past Nothing"
    assert "the room nobody mentioned" in chapter.end_notes


def test_guests_do_not_see_the_restricted_work(demo):
    work = demo_work("Do Not Look Back")
    assert work.restricted
    assert not work.is_visible_to(AnonymousUser())
    assert work.is_visible_to(make_user("reader"))
    assert Work.objects.listed_for(AnonymousUser()).count() == demo - 1


def test_every_work_and_chapter_counts_words(demo):
    assert not Work.objects.filter(word_count=0).exists()
    for work in Work.objects.all():
        total = sum(c.word_count for c in work.posted_chapters())
        assert work.word_count == total > 0, work.title


def test_every_chapter_is_a_short_read(demo):
    for chapter in Chapter.objects.select_related("work"):
        assert 80 <= chapter.word_count <= 300, f"{chapter.work.title}, {chapter.heading}"


def test_no_chapter_body_contains_a_script(demo):
    for chapter in Chapter.objects.all():
        assert "<script" not in chapter.body.lower()
        assert "<script" not in chapter.body_source.lower()


def test_markdown_and_plain_text_chapters_keep_their_scene_breaks(demo):
    markdown = Chapter.objects.get(work__title="Notes Found in a Library Copy of Grimm")
    plain = Chapter.objects.get(work__title="What the Mirror Kept")
    assert markdown.body_format == "markdown"
    assert "<hr>" in markdown.body
    assert "<blockquote>" in markdown.body
    assert plain.body_format == "plain"
    assert '<p align="center">* * *</p>' in plain.body


def test_dates_are_spread_over_past_months(demo):
    now = timezone.now()
    works = list(Work.objects.order_by("published_at"))
    assert all(work.published_at <= work.updated_at < now for work in works)
    assert works[-1].published_at - works[0].published_at > timedelta(days=90)
    assert len({work.updated_at.date() for work in works}) == len(works)
    clocks = Work.objects.get(title="A Matter of Seven Clocks")
    first, second = clocks.posted_chapters()
    assert clocks.published_at == first.published_at < second.published_at == clocks.updated_at
    listed = [work.title for work in Work.objects.listed_for(AnonymousUser())]
    assert listed[0] == "Letters from Hunsford"


def test_demo_authors_cannot_log_in(demo):
    for username in DEMO_AUTHORS:
        user = User.objects.get(username=username)
        assert not user.has_usable_password()
        assert authenticate(username=username, password="") is None
        assert not Client().login(username=username, password="")
        assert user.date_joined < Work.objects.by_user(user).earliest("published_at").published_at


def test_loading_twice_is_refused_and_changes_nothing(demo):
    users = User.objects.count()
    with pytest.raises(ValueError, match="already has works"):
        load_demo()
    assert Work.objects.count() == demo
    assert User.objects.count() == users


def test_loading_into_an_archive_with_works_is_refused(work):
    with pytest.raises(ValueError, match="already has works"):
        load_demo()
    assert Work.objects.count() == 1
    assert not User.objects.filter(username__in=DEMO_AUTHORS).exists()


def test_a_taken_demo_user_name_is_named_and_nothing_is_loaded(db):
    make_user("lanternjack")
    with pytest.raises(ValueError, match="lanternjack"):
        load_demo()
    assert archive_is_empty()
    assert User.objects.count() == 1


def test_a_load_that_fails_half_way_leaves_nothing_behind(db, monkeypatch):
    def fail(*args, **kwargs):
        raise ValidationError("The chapter text is empty.")

    monkeypatch.setattr(loader.actions, "add_chapter", fail)
    with pytest.raises(ValidationError):
        load_demo()
    assert archive_is_empty()
    assert not User.objects.exists()
    assert not Series.objects.exists()

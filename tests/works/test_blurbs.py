"""A work's blurb, as the listings show it: every part of it, escaped, and the same on every
listing (the works index, a tag's works, the search page)."""

from __future__ import annotations

import re

import pytest
from pytest_django.asserts import assertInHTML

from ficarchive.accounts.models import User
from ficarchive.social.actions.kudos import give_kudos
from ficarchive.tags.models import EXPLICIT, NO_WARNINGS, Tag, TagType
from ficarchive.works.blurb_html import blurb_body, byline
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice: User, bob: User) -> Work:
    posted = post_work(
        alice,
        "Tea & <Sympathy>",
        chapters=["<p>" + "word " * 1234 + "</p>", "<p>More.</p>"],
        expected_chapters=3,
        rating=EXPLICIT,
        warnings=[NO_WARNINGS],
        fandoms=["Sherlock <TV>"],
        categories=["M/M"],
        relationships=["John/Sherlock"],
        characters=["John Watson"],
        freeforms=["zebra crossing", "Fluff & Stuff", "apple pie", "Banana"],
        summary="<p>A <em>quiet</em> night.</p>",
        language="de",
        restricted=True,
    )
    give_kudos(bob, posted)
    return posted


def _blurb(page: str, work: Work) -> str:
    found = re.search(rf'<li class="blurb" id="work_{work.pk}">.*?\n</li>', page, re.S)
    if found is None:  # the search page closes its blurbs on the same line
        found = re.search(rf'<li class="blurb" id="work_{work.pk}">.*?</dl>\n', page, re.S)
    assert found, "the work is not listed"
    return found.group(0)


def _link(name: str, tag_type: str) -> str:
    return Tag.objects.get(name=name, type=tag_type).get_absolute_url()


def test_a_blurb_shows_every_part_of_the_work_escaped(work: Work, alice: User, carol: User) -> None:
    page = logged_in(carol).get("/works").content.decode()
    blurb = _blurb(page, work)
    pseud = alice.default_pseud
    assertInHTML(
        f'<h3 class="blurb-title"><a href="/works/{work.pk}">Tea &amp; &lt;Sympathy&gt;</a>'
        f'<span class="byline">by <a rel="author" href="{pseud.get_absolute_url()}">alice</a>'
        "</span></h3>",
        blurb,
    )
    fandom = _link("Sherlock <TV>", TagType.FANDOM)
    assertInHTML(
        '<p class="fandoms"><span class="visually-hidden">Fandoms:</span>'
        f'<a class="tag" href="{fandom}">Sherlock &lt;TV&gt;</a></p>',
        blurb,
    )
    for badge in (
        '<li class="badge rating">Explicit</li>',
        '<li class="badge category">M/M</li>',
        '<li class="badge in-progress">In progress</li>',
        '<li class="badge restricted">Registered users only</li>',
    ):
        assertInHTML(badge, blurb)
    assert "badge draft" not in blurb
    warning = _link(NO_WARNINGS, TagType.WARNING)
    assertInHTML(
        f'<li><a class="tag warning" href="{warning}"><strong>{NO_WARNINGS}</strong></a></li>',
        blurb,
    )
    freeform = _link("Fluff & Stuff", TagType.FREEFORM)
    assertInHTML(f'<a class="tag freeform" href="{freeform}">Fluff &amp; Stuff</a>', blurb)
    pairing = _link("John/Sherlock", TagType.RELATIONSHIP)
    assertInHTML(f'<a class="tag relationship" href="{pairing}">John/Sherlock</a>', blurb)
    assertInHTML(
        '<blockquote class="summary userstuff"><p>A <em>quiet</em> night.</p></blockquote>', blurb
    )
    for term, value in [("Language", "Deutsch"), ("Words", "1,235"), ("Chapters", "2/3"),
                        ("Kudos", "1")]:  # fmt: skip
        assert f"<dt>{term}:</dt><dd>{value}</dd>" in blurb
    assert "<dt>Hits:</dt>" not in blurb  # counts of nothing are left out
    assert work.updated_at.strftime("%-d %b %Y") in blurb
    assert "<script" not in blurb and "<TV>" not in blurb


def test_warnings_and_additional_tags_wait_behind_a_button_for_readers_who_asked(
    work: Work, carol: User
) -> None:
    carol.hide_warnings = True
    carol.hide_freeform = True
    carol.save()
    blurb = _blurb(logged_in(carol).get("/works").content.decode(), work)
    warning = _link(NO_WARNINGS, TagType.WARNING)
    assertInHTML(
        '<li><details class="reveal"><summary>Show warnings</summary>'
        f'<a class="tag warning" href="{warning}">{NO_WARNINGS}</a></details></li>',
        blurb,
    )
    freeforms = [(_link(name, TagType.FREEFORM), shown) for name, shown in [
        ("apple pie", "apple pie"), ("Banana", "Banana"), ("Fluff & Stuff", "Fluff &amp; Stuff"),
        ("zebra crossing", "zebra crossing")]]  # fmt: skip
    links = ", ".join(f'<a class="tag freeform" href="{url}">{name}</a>' for url, name in freeforms)
    assertInHTML(
        '<li><details class="reveal"><summary>Show additional tags</summary>'
        f"{links}</details></li>",
        blurb,
    )


def test_every_listing_draws_the_same_blurb(work: Work, alice: User, carol: User) -> None:
    reader = logged_in(carol)
    index = _blurb(reader.get("/works").content.decode(), work)
    tag = Tag.objects.get(name="Sherlock <TV>")
    by_tag = _blurb(reader.get(tag.get_absolute_url()).content.decode(), work)
    found = _blurb(reader.get("/works/search?include=M/M").content.decode(), work)

    def body(blurb: str) -> str:
        start = blurb.index('<div class="blurb-head">')
        return blurb[start : blurb.index("</dl>") + 5]

    assert body(index) == body(by_tag) == body(found)
    shown = re.findall(r'class="tag freeform"[^>]*>([^<]*)<', body(found))
    assert shown == ["apple pie", "Banana", "Fluff &amp; Stuff", "zebra crossing"]
    assert "Tea &amp; &lt;Sympathy&gt;" in body(found)


def test_a_work_without_an_accepted_creator_is_by_anonymous(work: Work, carol: User) -> None:
    work.creatorships.update(accepted=False)  # as a bulk-loaded work without creators
    shown = Work.objects.with_blurb_data().get(pk=work.pk)
    assert byline(shown) == "Anonymous"
    assert '<span class="byline">by Anonymous</span>' in blurb_body(shown, carol)

"""Previewing a new chapter or a chapter's changes: shown sanitized, as readers will see it,
and nothing saved."""

from __future__ import annotations

from django.test import Client

from ficarchive.works.models import Chapter
from tests.conftest import logged_in
from tests.works.test_chapters import chapter_data, chapter_url, new_url
from tests.works.test_posting import text_of, unsafe_markup


def preview_part(page: str) -> str:
    """The preview article of a page, without the form below it."""
    start = page.index('<article class="work preview"')
    return page[start : page.index("</article>", start)]


def test_both_chapter_forms_offer_a_preview(alice_client: Client, work):
    chapter = work.chapters.get()
    for url in (new_url(work), chapter_url("works:chapter_edit", chapter)):
        page = alice_client.get(url).content.decode()
        assert 'name="action" value="preview"' in page and ">Preview</button>" in page


def test_a_new_chapter_previews_as_readers_will_see_it_and_nothing_is_saved(
    alice_client: Client, work
):
    data = chapter_data(
        action="preview",
        title="The Storm",
        summary="Wind *rises*.",
        body="Rain on the **glass**, and more.",
        body_format="markdown",
    )
    response = alice_client.post(new_url(work), data)
    assert response.status_code == 200
    page = response.content.decode()
    shown = preview_part(page)
    assert "Chapter 2: The Storm" in shown
    assert "Rain on the <strong>glass</strong>, and more." in shown
    assert "Words: 6" in shown
    assert "Nothing is saved until you post it or save it as a draft" in page
    assert "Rain on the **glass**, and more.</textarea>" in page, "the form keeps the text"
    assert work.chapters.count() == 1


def test_a_chapter_edit_previews_without_changing_the_chapter(alice_client: Client, work):
    chapter = work.chapters.get()
    url = chapter_url("works:chapter_edit", chapter)
    response = alice_client.post(url, chapter_data(action="preview", body="<p>Changed.</p>"))
    assert response.status_code == 200
    shown = preview_part(response.content.decode())
    assert "Chapter 1: The Storm" in shown and "<p>Changed.</p>" in shown
    assert "Nothing is saved until you save your changes" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.body == "<p>The lamp turned all night.</p>" and chapter.title == ""


def test_a_preview_of_hostile_markup_comes_out_inert(alice_client: Client, work):
    hostile = (
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        '<a href="javascript:alert(3)">x</a><p style="position:fixed">Words here.</p>'
    )
    data = chapter_data(action="preview", title="<script>alert(4)</script>", body=hostile)
    data["summary"] = hostile
    page = alice_client.post(new_url(work), data).content.decode()
    shown = preview_part(page)
    assert "Words here." in shown
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in shown
    assert unsafe_markup(shown) == []
    assert not Chapter.objects.filter(work=work, position=2).exists()


def test_a_preview_of_an_empty_chapter_is_refused_with_the_reason(alice_client: Client, work):
    response = alice_client.post(new_url(work), chapter_data(action="preview", body="<iframe>"))
    assert response.status_code == 400
    assert "The chapter text is empty" in text_of(response)
    assert '<article class="work preview"' not in response.content.decode()


def test_only_the_creators_may_preview(carol, work, client: Client):
    chapter = work.chapters.get()
    for url in (new_url(work), chapter_url("works:chapter_edit", chapter)):
        assert logged_in(carol).post(url, chapter_data(action="preview")).status_code == 403
        response = client.post(url, chapter_data(action="preview"))
        assert response.status_code == 302 and "/login" in response["Location"]

"""Downloads from the work page: who may download, file names, caching and conditional GET."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client

from ficarchive.exporting import actions as exporting
from ficarchive.exporting.book import Site
from ficarchive.exporting.downloads import content_disposition, safe_file_name, series_version
from ficarchive.tags.models import NO_WARNINGS
from ficarchive.works import actions
from tests.conftest import PASSWORD, logged_in, post_work


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def url(work_id: int, fmt: str = "epub") -> str:
    return f"/downloads/works/{work_id}.{fmt}"


def chapter_text(response) -> str:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return archive.read("EPUB/chapter001.xhtml").decode()


def test_work_page_offers_every_format_and_the_chapter_feed(client: Client, work):
    page = client.get(f"/works/{work.pk}").content.decode()
    for fmt in ("epub", "html", "txt"):
        assert f'href="{url(work.pk, fmt)}"' in page
    assert f'href="/works/{work.pk}/feed.atom"' in page


def test_series_page_offers_the_series_as_one_book(client: Client, alice, work):
    series = actions.create_series(alice, "Nights")
    actions.add_work_to_series(alice, work, series)
    page = client.get(f"/series/{series.pk}").content.decode()
    assert f'href="/downloads/series/{series.pk}.epub"' in page
    assert f'href="/series/{series.pk}/feed.atom"' in page


def test_guest_downloads_a_public_work_in_every_format(client: Client, work):
    epub = client.get(url(work.pk, "epub"))
    assert epub.status_code == 200
    assert epub["Content-Type"] == "application/epub+zip"
    assert epub["Content-Disposition"] == (
        'attachment; filename="The Lighthouse Keeper - alice.epub"'
    )
    assert "The lamp turned all night." in chapter_text(epub)
    html = client.get(url(work.pk, "html"))
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert "The lamp turned all night." in html.content.decode()
    txt = client.get(url(work.pk, "txt"))
    assert txt["Content-Type"] == "text/plain; charset=utf-8"
    assert txt["Content-Disposition"].endswith('- alice.txt"')
    assert "The lamp turned all night." in txt.content.decode()


def test_non_ascii_title_gets_a_utf8_file_name_and_an_ascii_fallback(client: Client, alice):
    work = post_work(alice, "Ночь / 夜: Crème?")
    header = client.get(url(work.pk))["Content-Disposition"]
    assert header == (
        'attachment; filename="Creme - alice.epub"; '
        "filename*=UTF-8''%D0%9D%D0%BE%D1%87%D1%8C%20%E5%A4%9C%20Cr%C3%A8me%20-%20alice.epub"
    )


def test_unknown_format_is_a_404(client: Client, work):
    assert client.get(f"/downloads/works/{work.pk}.pdf").status_code == 404
    assert client.get(url(work.pk + 1000)).status_code == 404


def test_download_answers_post_with_405(client: Client, work):
    assert client.post(url(work.pk)).status_code == 405


def test_guest_is_sent_to_log_in_for_a_restricted_work(client: Client, alice, carol):
    work = post_work(alice, restricted=True)
    response = client.get(url(work.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")
    assert logged_in(carol).get(url(work.pk)).status_code == 200


def test_hidden_work_downloads_only_for_its_creators_and_admins(alice, carol, ada, work):
    actions.hide_work(ada, work, "Spam")
    assert Client().get(url(work.pk)).status_code == 404
    assert logged_in(carol).get(url(work.pk)).status_code == 404
    assert logged_in(alice).get(url(work.pk)).status_code == 200
    assert logged_in(ada).get(url(work.pk)).status_code == 200


def test_draft_downloads_only_for_its_creators(alice, carol):
    draft = post_work(alice, "Unfinished", draft=True, chapters=["<p>Secret words.</p>"])
    assert Client().get(url(draft.pk)).status_code == 404
    assert logged_in(carol).get(url(draft.pk)).status_code == 404
    mine = logged_in(alice).get(url(draft.pk))
    assert mine.status_code == 200
    assert "Secret words." in chapter_text(mine)


def test_apps_download_drafts_and_hidden_works_only_for_those_who_may_read_them(
    client: Client, alice, carol, ada
):
    draft = post_work(alice, "Unfinished", draft=True)
    hidden = post_work(alice, "Hidden")
    actions.hide_work(ada, hidden, "Spam")
    carols = exporting.create_feed_token(carol).token
    alices = exporting.create_feed_token(alice).token
    carol_basic = base64.b64encode(f"carol:{PASSWORD}".encode()).decode()
    for found in (draft, hidden):
        assert client.get(f"/opds/works/{found.pk}.epub").status_code == 404
        headers = {"authorization": f"Basic {carol_basic}"}
        assert client.get(f"/opds/works/{found.pk}.epub", headers=headers).status_code == 404
        assert client.get(f"/opds/token/{carols}/works/{found.pk}.txt").status_code == 404
        assert client.get(f"/opds/token/{alices}/works/{found.pk}.txt").status_code == 200


def test_creators_get_their_draft_chapters_and_readers_do_not(alice, carol, work):
    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>Not yet.</p>"), draft=True)
    assert "Not yet." in logged_in(alice).get(url(work.pk, "txt")).content.decode()
    assert "Not yet." not in logged_in(carol).get(url(work.pk, "txt")).content.decode()


def test_second_download_comes_from_the_cache(client: Client, work, django_assert_max_num_queries):
    first = client.get(url(work.pk))
    with django_assert_max_num_queries(7):
        second = client.get(url(work.pk))
    assert second.content == first.content


@pytest.mark.parametrize("fmt", ["epub", "html", "txt"])
def test_a_download_is_the_same_file_whatever_language_the_reader_reads_in(work, fmt):
    spanish = Client(headers={"accept-language": "es"})
    assert "Idioma" in spanish.get(f"/works/{work.pk}").content.decode()  # the page speaks Spanish
    in_spanish = spanish.get(url(work.pk, fmt))
    cache.clear()  # the English reader's file is written anew, not taken from the cache
    in_english = Client(headers={"accept-language": "en"}).get(url(work.pk, fmt))
    assert in_spanish.status_code == in_english.status_code == 200
    assert in_spanish.content == in_english.content
    assert in_spanish["ETag"] == in_english["ETag"]
    assert in_spanish["Content-Disposition"] == in_english["Content-Disposition"]
    assert "drop by the archive and comment" in words_of(in_spanish, fmt)  # the archive's language


def words_of(response, fmt: str) -> str:
    if fmt != "epub":
        return response.content.decode()
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return " ".join(archive.read(name).decode() for name in archive.namelist())


def test_editing_a_chapter_makes_a_new_file(client: Client, alice, work):
    before = client.get(url(work.pk, "txt"))
    chapter = work.chapters.get()
    actions.update_chapter(alice, chapter, actions.ChapterDetails(body="<p>A new night.</p>"))
    after = client.get(url(work.pk, "txt"))
    assert "A new night." in after.content.decode()
    assert "The lamp turned all night." not in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_editing_the_work_or_reordering_chapters_makes_a_new_file(client: Client, alice):
    work = post_work(alice, chapters=["<p>First.</p>", "<p>Second.</p>"])
    before = client.get(url(work.pk, "txt"))
    ids = list(work.chapters.order_by("-position").values_list("pk", flat=True))
    actions.reorder_chapters(alice, work, ids)
    reordered = client.get(url(work.pk, "txt")).content.decode()
    assert reordered.index("Second.") < reordered.index("First.")
    assert before.content != reordered.encode()


def test_editing_the_work_s_title_or_summary_makes_a_new_file(client: Client, alice, work):
    before = client.get(url(work.pk, "txt"))
    details = actions.WorkDetails(
        title="The Lamp Keeper",
        rating=work.rating.name,
        warnings=[NO_WARNINGS],
        fandoms=["Original Work"],
        summary="<p>A new summary.</p>",
    )
    actions.update_work(alice, work, details)
    after = client.get(url(work.pk, "txt"))
    assert after["ETag"] != before["ETag"]
    assert "The Lamp Keeper" in after.content.decode()
    assert "A new summary." in after.content.decode()
    assert after["Content-Disposition"] == 'attachment; filename="The Lamp Keeper - alice.txt"'


def test_unchanged_download_answers_a_conditional_request_with_304(client: Client, work):
    first = client.get(url(work.pk))
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url(work.pk), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(url(work.pk), headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_changed_work_answers_a_conditional_request_with_the_new_file(client: Client, alice, work):
    first = client.get(url(work.pk))
    chapter = work.chapters.get()
    actions.update_chapter(alice, chapter, actions.ChapterDetails(body="<p>Changed.</p>"))
    again = client.get(url(work.pk), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "Changed." in chapter_text(again)


def test_conditional_request_for_a_hidden_work_is_still_a_404(alice, ada, work):
    etag = logged_in(alice).get(url(work.pk))["ETag"]
    actions.hide_work(ada, work)
    response = Client().get(url(work.pk), headers={"if-none-match": etag})
    assert response.status_code == 404


def test_series_downloads_as_one_book_of_the_parts_the_reader_may_read(alice, carol):
    first = post_work(alice, "Night One", chapters=["<p>One.</p>"])
    locked = post_work(alice, "Night Two", restricted=True, chapters=["<p>Two.</p>"])
    series = actions.create_series(alice, "Nights")
    actions.add_work_to_series(alice, first, series)
    actions.add_work_to_series(alice, locked, series)
    guest = Client().get(f"/downloads/series/{series.pk}.txt")
    assert guest["Content-Disposition"] == 'attachment; filename="Nights - alice.txt"'
    assert "One." in guest.content.decode() and "Two." not in guest.content.decode()
    reader = logged_in(carol).get(f"/downloads/series/{series.pk}.txt").content.decode()
    assert "One." in reader and "Two." in reader


def test_series_download_leaves_out_hidden_and_draft_parts(client: Client, alice, ada):
    shown = post_work(alice, "Night One", chapters=["<p>One.</p>"])
    hidden = post_work(alice, "Night Two", chapters=["<p>Two.</p>"])
    draft = post_work(alice, "Night Three", chapters=["<p>Three.</p>"], draft=True)
    series = actions.create_series(alice, "Nights")
    for part in (shown, hidden, draft):
        actions.add_work_to_series(alice, part, series)
    actions.hide_work(ada, hidden, "Spam")
    text = client.get(f"/downloads/series/{series.pk}.txt").content.decode()
    assert "One." in text
    assert "Two." not in text and "Night Two" not in text
    assert "Three." not in text and "Night Three" not in text


def test_series_with_no_part_the_reader_may_read_is_a_404(client: Client, alice):
    locked = post_work(alice, restricted=True)
    series = actions.create_series(alice, "Locked")
    actions.add_work_to_series(alice, locked, series)
    assert client.get(f"/downloads/series/{series.pk}.epub").status_code == 404
    assert client.get("/downloads/series/999.epub").status_code == 404


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ('a/b\\c:d*e?f"g<h>i|j', "a b c d e f g h i j.epub"),
        ("CON", "_CON.epub"),
        ("nul.txt", "_nul.txt.epub"),
        ("  trailing dots...  ", "trailing dots.epub"),
        ("", "Untitled.epub"),
        ("tab\there\x00", "tab here.epub"),
    ],
)
def test_file_names_are_safe_on_every_system(stem, expected):
    assert safe_file_name(stem, "epub") == expected


def test_long_file_names_are_cut_at_a_character_boundary():
    name = safe_file_name("夜" * 200, "epub")
    assert len(name.encode("utf-8")) <= 185
    assert name.endswith("夜.epub")


def test_content_disposition_quotes_plain_names_as_they_are():
    assert content_disposition("Tea - alice.txt") == 'attachment; filename="Tea - alice.txt"'


def test_content_disposition_falls_back_to_download_for_names_without_latin_letters():
    header = content_disposition("夜.epub")
    assert header == "attachment; filename=\"download.epub\"; filename*=UTF-8''%E5%A4%9C.epub"


def test_a_series_version_costs_the_same_queries_however_many_parts_it_has(
    alice, django_assert_max_num_queries
):
    """The ETag is worked out on every request: a long series must not cost a query a part."""
    site = Site("ficarchive", "http://testserver")
    series = actions.create_series(alice, "Long")
    actions.add_work_to_series(alice, post_work(alice, "Part 1"), series)
    with django_assert_max_num_queries(5):
        one = series_version(series, AnonymousUser(), site, "epub")
    for number in range(2, 12):
        actions.add_work_to_series(alice, post_work(alice, f"Part {number}"), series)
    with django_assert_max_num_queries(5):
        eleven = series_version(series, AnonymousUser(), site, "epub")
    assert one is not None and eleven is not None and eleven.key != one.key

"""The browser import: upload or paste, preview every field with its reasons, post."""

from __future__ import annotations

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ficarchive.works.models import Work
from tests.conftest import logged_in
from tests.importing.conftest import data_file
from tests.importing.stories import STORY

UPLOAD = reverse("importing:upload")
POST = reverse("importing:post")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def post_data(**changes: str) -> dict[str, str]:
    data = {
        "prefix": "w0",
        "w0-source": "paste.txt",
        "w0-title": "The Tide Clock",
        "w0-rating": "General Audiences",
        "w0-warnings": "No Archive Warnings Apply",
        "w0-fandoms": "Original Work",
        "w0-language": "en",
        "w0-chapters-TOTAL_FORMS": "2",
        "w0-chapters-INITIAL_FORMS": "2",
        "w0-chapters-MIN_NUM_FORMS": "1",
        "w0-chapters-MAX_NUM_FORMS": "500",
        "w0-chapters-0-title": "Ebb",
        "w0-chapters-0-body": "<p>The clock ran with the tide.</p>",
        "w0-chapters-1-title": "Flow",
        "w0-chapters-1-body": "<p>And stopped when the sea did.</p>",
    }
    data.update(changes)
    return data


def test_guest_is_sent_to_log_in(client: Client, db):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert client.post(POST, post_data()).status_code == 302
    assert not Work.objects.exists()


def test_upload_page_has_a_labelled_form(alice_client: Client):
    response = alice_client.get(UPLOAD)
    assert response.status_code == 200
    assert b"<h1>Import a work</h1>" in response.content
    assert b'<label for="id_upload">Files:</label>' in response.content


def test_uploaded_file_is_previewed_with_every_field(alice_client: Client):
    response = alice_client.post(
        UPLOAD, {"upload": [upload("ao3-download.html", data_file("ao3-download.html"))]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Salt and Cinders"' in page
    assert 'value="The Lantern Chronicles"' in page
    assert "Chapter 2" in page
    assert "The smoke reached the ledger room" in page


def test_preview_explains_inferences_and_problems(alice_client: Client):
    text = "Disclaimer: I don't own Gears of Aldmoor.\n\nIda wound the clock. Rating: Tweenie\n"
    response = alice_client.post(UPLOAD, {"text": text})
    page = response.content.decode()
    assert "What the importer proposes, and why" in page
    assert "named in the disclaimer" in page


def test_unreadable_upload_is_refused_naming_the_file(alice_client: Client):
    response = alice_client.post(UPLOAD, {"upload": [upload("photo.txt", b"\x00\x01" * 50)]})
    assert response.status_code == 400
    assert b"photo.txt: the file is binary, not text." in response.content


def test_empty_upload_form_says_what_is_missing(alice_client: Client):
    response = alice_client.post(UPLOAD, {"text": "  "})
    assert response.status_code == 400
    assert b"Choose a file to upload or paste" in response.content


def test_corrected_import_is_posted(alice_client: Client, alice):
    response = alice_client.post(POST, post_data(**{"w0-title": "The Tide Clock, Corrected"}))
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert work.title == "The Tide Clock, Corrected"
    assert not work.is_draft
    assert work.is_editable_by(alice)
    assert list(work.chapters.order_by("position").values_list("title", flat=True)) == [
        "Ebb",
        "Flow",
    ]


def test_import_can_be_kept_as_a_draft(alice_client: Client):
    alice_client.post(POST, post_data(**{"w0-draft": "on"}))
    assert Work.objects.get().is_draft


def test_bad_fields_are_named_and_nothing_is_posted(alice_client: Client):
    response = alice_client.post(POST, post_data(**{"w0-title": "", "w0-chapters-0-body": ""}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert 'id="id_w0-title"' in page
    assert not Work.objects.exists()


def test_post_refuses_get(alice_client: Client):
    assert alice_client.get(POST).status_code == 405


def test_forged_post_without_csrf_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(POST, post_data()).status_code == 403
    assert client.post(UPLOAD, {"text": "A story."}).status_code == 403
    assert not Work.objects.exists()


# --- the reader view: each work as its page will show it --------------------------------


def page_of(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content)


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def reader_view(page: lxml.html.HtmlElement, prefix: str = "w0") -> lxml.html.HtmlElement:
    (view,) = page.xpath(f'//section[@aria-labelledby="{prefix}-reader"]')
    return view


def found(view: lxml.html.HtmlElement, label: str) -> lxml.html.HtmlElement:
    """The block a found-label names: the element that holds the label."""
    (block,) = view.xpath(f'.//p[@class="found-label"][normalize-space()="{label}"]/..')
    return block


def test_preview_shows_the_story_formatted_as_readers_will_see_it(alice_client: Client):
    response = alice_client.post(UPLOAD, {"upload": [upload("tide-clock.txt", STORY.encode())]})
    assert response.status_code == 200
    view = reader_view(page_of(response))
    assert text_of(view.xpath("./h3")[0]) == "As readers will see it"
    # The chapter text is formatted (paragraphs), not escaped HTML in a textarea.
    bodies = view.xpath('.//div[@class="chapter"]/div[@class="userstuff module"]')
    assert [p.text for p in bodies[0].xpath("./p")] == [
        "The clock struck eleven when the water should have struck twelve.",
        "***",
        "Ida put her ear to the brass and listened.",
    ]
    assert text_of(bodies[1]) == "The tide came in all at once, like an apology."
    headings = [text_of(h) for h in view.xpath(".//h4")]
    assert headings == ["Summary:", "Notes:", "Chapter 1: Ebb", "Chapter 2: Flow", "End notes:"]
    meta = view.xpath('.//dl[@class="work meta group"]')[0]
    assert text_of(meta.xpath('./dd[@class="rating tags"]')[0]) == "Teen And Up Audiences"
    assert text_of(meta.xpath('./dd[@class="fandom tags"]')[0]) == "Gears of Aldmoor"
    assert "choose them below" in text_of(meta.xpath('./dd[@class="warning tags"]')[0])
    assert text_of(meta.xpath('.//dd[@class="chapters"]')[0]) == "2/?"
    assert text_of(view.xpath('.//p[@class="title heading"]')[0]) == "The Tide Clock"
    assert text_of(view.xpath('.//p[@class="byline heading"]')[0]) == "alice"
    assert "Wrenna Marsh" in text_of(meta.xpath('./dd[@class="original"]')[0])


def test_preview_labels_the_notes_credits_and_chapter_starts_it_found(alice_client: Client):
    response = alice_client.post(UPLOAD, {"upload": [upload("tide-clock.txt", STORY.encode())]})
    view = reader_view(page_of(response))
    start = found(view, "Notes the importer found at the start of the file")
    assert text_of(start.xpath("./blockquote")[0]) == "Thanks to my beta, Pellory! Hope you enjoy."
    end = found(view, "Notes the importer found at the end of the file")
    assert text_of(end.xpath("./blockquote")[0]) == "Please review!"
    credits = found(view, "Credits the importer found")
    assert text_of(credits.xpath('./ul[@class="credits"]')[0]) == "Beta reader: Pellory"
    starts = [text_of(p) for p in view.xpath('.//p[contains(@class, "chapter-start")]')]
    assert starts == [
        "Chapter 1 of 2 starts here, with “The clock struck eleven when the water should have"
        " struck twelve. *** Ida put he…” (20 words)",
        "Chapter 2 of 2 starts here, with “The tide came in all at once, like an apology.”"
        " (10 words)",
    ]


def test_chapter_notes_are_labelled_with_their_chapter(alice_client: Client):
    response = alice_client.post(
        UPLOAD, {"upload": [upload("ffn-headers.txt", data_file("ffn-headers.txt"))]}
    )
    view = reader_view(page_of(response))
    first_end = found(view, "Chapter 1 end notes")
    assert "finally post this story" in text_of(first_end)
    assert first_end.xpath('ancestor::div[@id="w0-chapter-1"]')
    second_begin = found(view, "Chapter 2 beginning notes")
    assert "Sorry for the long wait" in text_of(second_begin)
    assert second_begin.xpath('ancestor::div[@id="w0-chapter-2"]')


def test_proposed_values_show_their_reason_and_stated_ones_none(alice_client: Client):
    text = "Disclaimer: I don't own Gears of Aldmoor.\n\nIda wound the clock.\n"
    response = alice_client.post(UPLOAD, {"upload": [upload("tide-clock.txt", text.encode())]})
    page = page_of(response)
    view = reader_view(page)
    fandom = text_of(view.xpath('.//dd[@class="fandom tags"]')[0])
    assert fandom.startswith("Gears of Aldmoor proposed: ")
    assert "named in the disclaimer" in fandom
    title = text_of(view.xpath('.//p[@class="title heading"]')[0])
    assert title == "tide-clock proposed: the file gives none; taken from the file name"
    listed = {text_of(dt) for dt in page.xpath('//dl[@class="inferred"]/dt')}
    assert listed == {"Fandoms", "Title"}
    # The same reasons stand in the help of the form fields they fill, which point to them.
    help_of_fandoms = page.xpath('//p[@id="id_w0-fandoms_helptext"]')[0]
    assert text_of(help_of_fandoms).startswith("Proposed: ")
    assert "named in the disclaimer" in text_of(help_of_fandoms)
    field = page.xpath('//input[@id="id_w0-fandoms"]')[0]
    assert field.get("aria-describedby") == "id_w0-fandoms_helptext"
    assert text_of(page.xpath('//p[@id="id_w0-title_helptext"]')[0]) == (
        "Proposed: the file gives none; taken from the file name"
    )

    stated = alice_client.post(UPLOAD, {"upload": [upload("tide-clock.txt", STORY.encode())]})
    page = page_of(stated)
    assert not page.xpath('//*[@class="proposed"]')
    assert text_of(page.xpath('//p[@id="id_w0-fandoms_helptext"]')[0]) == (
        "Separate tags with commas."
    )
    assert not page.xpath('//p[@id="id_w0-title_helptext"]')


def test_proposal_reasons_are_escaped_in_the_form_help(alice_client: Client):
    text = "Disclaimer: I don't own <b>Gears</b> of Aldmoor.\n\nIda wound the clock.\n"
    response = alice_client.post(UPLOAD, {"text": text})
    page = page_of(response)
    help_of_fandoms = page.xpath('//p[@id="id_w0-fandoms_helptext"]')[0]
    assert not help_of_fandoms.xpath(".//b")


HOSTILE = b"""<html><head><title>The Glass Orchard</title>
<script>alert("head")</script></head><body>
<h1>The Glass Orchard</h1>
<p>Summary: <img src="x" onerror="alert('summary')"> Bells under water.</p>
<h2>Chapter 1</h2>
<p onclick="alert('click')">The tide came in over the glass orchard.</p>
<script>alert("body")</script>
<p><a href="javascript:alert('link')">A link</a> and <img src=x onerror=alert('img')></p>
<iframe src="https://example.com/frame"></iframe>
<p>The bells rang under water, and nobody heard them.</p>
</body></html>"""


def no_live_script(page: lxml.html.HtmlElement) -> None:
    for script in page.xpath("//script"):
        assert "alert" not in (script.text or "")
        assert script.get("src", "").startswith("/static/")
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (element.tag, name)
            assert "javascript:" not in value.lower(), (element.tag, name, value)
    assert not page.xpath("//iframe | //object | //embed")


def test_hostile_html_is_previewed_without_script(alice_client: Client):
    response = alice_client.post(UPLOAD, {"upload": [upload("orchard.html", HOSTILE)]})
    assert response.status_code == 200
    assert b"alert" not in response.content
    page = page_of(response)
    no_live_script(page)
    view = reader_view(page)
    assert "The tide came in over the glass orchard." in text_of(view)
    assert "Scripts and other active content were removed" in text_of(page)


def test_refused_post_is_previewed_from_the_fields_as_corrected(alice_client: Client):
    response = alice_client.post(
        POST,
        post_data(
            **{
                "w0-title": "",
                "w0-begin_notes": "<p>For my sister.</p>",
                "w0-chapters-1-body": (
                    '<p onclick="alert(1)">And stopped.</p><script>alert(2)</script>'
                ),
            }
        ),
    )
    assert response.status_code == 400
    page = page_of(response)
    assert "The work was not posted" in text_of(page)
    view = reader_view(page)
    bodies = view.xpath('.//div[@class="chapter"]/div[@class="userstuff module"]')
    assert [text_of(b) for b in bodies] == ["The clock ran with the tide.", "And stopped."]
    notes = found(view, "Notes the importer found at the start of the file")
    assert text_of(notes.xpath("./blockquote")[0]) == "For my sister."
    no_live_script(page)
    # What the author typed is back in the form, as text.
    (field,) = page.xpath('//textarea[@name="w0-chapters-1-body"]')
    assert "<script>alert(2)</script>" in field.text
    assert not Work.objects.exists()


def test_every_uploaded_work_has_its_own_reader_view(alice_client: Client):
    second = STORY.replace("The Tide Clock", "The Bell Tower")
    response = alice_client.post(
        UPLOAD,
        {"upload": [upload("a.txt", STORY.encode()), upload("b.txt", second.encode())]},
    )
    page = page_of(response)
    titles = [
        text_of(reader_view(page, p).xpath('.//p[@class="title heading"]')[0]) for p in ("w0", "w1")
    ]
    assert titles == ["The Tide Clock", "The Bell Tower"]
    assert [text_of(h) for h in page.xpath("//h2")] == ["The Tide Clock", "The Bell Tower"]


def test_a_long_work_folds_later_chapters_and_leaves_out_the_middle_of_each(
    alice_client: Client,
):
    paragraph = "The tide came in over the glass orchard, and the bells rang under water.\n\n"
    chapters = [
        f"Chapter {n}\n\nOpening line of chapter {n}.\n\n{paragraph * 1500}Closing line {n}.\n\n"
        for n in range(1, 6)
    ]
    text = "Title: The Long Tide\n\n" + "".join(chapters)
    response = alice_client.post(UPLOAD, {"upload": [upload("long.txt", text.encode())]})
    assert response.status_code == 200
    page = page_of(response)
    view = reader_view(page)
    assert "each chapter shows its opening and closing paragraphs" in text_of(view)
    chapters_shown = view.xpath('.//div[@class="chapter"]')
    assert len(chapters_shown) == 5
    for number, chapter in enumerate(chapters_shown, start=1):
        shown = text_of(chapter)
        assert f"Opening line of chapter {number}." in shown
        assert f"Closing line {number}." in shown
        assert f"the whole text is in chapter {number}'s field below" in shown
    folded = [
        c.get("id")
        for c in view.xpath('.//details[@class="chapter-text"]/ancestor::div[@class="chapter"]')
    ]
    assert folded == ["w0-chapter-4", "w0-chapter-5"]
    # The whole text is in the form once; the reader view holds a few thousand characters of
    # each chapter (the whole text is over half a million).
    assert len(lxml.html.tostring(view)) < 60_000


def test_an_archivist_is_told_the_byline_may_be_the_authors(archie, alice_client: Client):
    note = "Or the author's name, when you import this work for someone else."
    page = page_of(logged_in(archie).post(UPLOAD, {"text": STORY}))
    assert text_of(reader_view(page).xpath('.//p[contains(@class, "byline-note")]')[0]) == note
    assert page.xpath('//input[@name="w0-for_someone_else"]')  # the form's fields, every one
    assert note not in text_of(page_of(alice_client.post(UPLOAD, {"text": STORY})))


def test_the_posted_work_keeps_the_files_creators_and_dates(alice_client: Client, alice):
    response = alice_client.post(
        POST,
        post_data(
            **{
                "w0-creators": "Wrenna Marsh, alice",
                "w0-published": "2019-04-02",
                "w0-updated": "2020-01-15",
            }
        ),
    )
    assert response.status_code == 302
    work = Work.objects.get()
    assert work.original_creators == "Wrenna Marsh"
    assert (str(work.original_published), str(work.original_updated)) == (
        "2019-04-02",
        "2020-01-15",
    )
    page = alice_client.get(work.get_absolute_url()).content.decode()
    assert "Wrenna Marsh" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"w0-published": "2999-01-01"}, "published", "is in the future"),
        ({"w0-updated": "2020-01-15"}, "updated", "first posted too"),
        (
            {"w0-published": "2020-01-15", "w0-updated": "2019-04-02"},
            "updated",
            "before it was first posted",
        ),
        ({"w0-published": "last spring"}, "published", "Enter a valid date"),
    ],
)
def test_dates_that_cannot_be_are_refused_naming_the_field(
    alice_client: Client, changes, field, message
):
    response = alice_client.post(POST, post_data(**changes))
    assert response.status_code == 400
    assert message in response.context["items"][0]["form"].errors[field][0]
    assert not Work.objects.exists()

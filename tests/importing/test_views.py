"""The browser import: upload or paste, preview every field with its reasons, post."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ficarchive.works.models import Work
from tests.importing.conftest import data_file

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

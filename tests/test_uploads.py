"""Uploads larger than the archive takes are refused with 413, before the body is read."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from ficarchive.uploads import FORM_ALLOWANCE
from ficarchive.works.models import Work

UPLOAD = reverse("importing:upload")


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        raise AssertionError("the body of an oversized request was read")


def test_declared_size_over_the_limit_is_refused_before_the_body_is_read(
    alice_client: Client, settings
):
    settings.MAX_UPLOAD_BYTES = 1_000_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    size = 200 * 1024 * 1024
    response = alice_client.generic(
        "POST",
        UPLOAD,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "The upload is 200.0 MB; the archive takes at most 1.0 MB in one upload." in page
    assert not Work.objects.exists()


def test_file_past_the_limit_is_stopped_while_it_streams_and_named(alice_client: Client, settings):
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    # Within the room left for a form's fields, so only the counting handler can stop it.
    story = SimpleUploadedFile("long-story.txt", b"The tide came in. " * 6_000)
    assert 100_000 < story.size < 100_000 + FORM_ALLOWANCE
    response = alice_client.post(UPLOAD, {"upload": [story]})
    assert response.status_code == 413
    page = response.content.decode()
    assert "long-story.txt: the upload is larger than 0.1 MB" in page
    assert not Work.objects.exists()


def test_files_of_one_upload_count_together(alice_client: Client, settings):
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    first = SimpleUploadedFile("one.txt", b"The tide came in. " * 3_000)
    second = SimpleUploadedFile("two.txt", b"The tide went out. " * 3_000)
    response = alice_client.post(UPLOAD, {"upload": [first, second]})
    assert response.status_code == 413
    assert "two.txt: the upload is larger than 0.1 MB" in response.content.decode()


def test_upload_within_the_limit_is_read(alice_client: Client, settings):
    settings.MAX_UPLOAD_BYTES = 100_000
    story = SimpleUploadedFile("short.txt", b"The tide came in.\n\nAnd went out again.\n")
    response = alice_client.post(UPLOAD, {"upload": [story]})
    assert response.status_code == 200
    assert "And went out again." in response.content.decode()


def test_api_answers_413_in_its_error_shape(client: Client, settings, db):
    settings.MAX_UPLOAD_BYTES = 1_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = encode_multipart(BOUNDARY, {"x": "y" * 300_000})
    response = client.generic("POST", "/api/v1/works", body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"

"""Every file of the bad-file corpus, through the upload page (real HTTP through Django's
client, as a logged-in user) and through `ficarchive import`: each is refused with its name and
the reason, and the archive is as it was."""

from __future__ import annotations

import html
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ficarchive.tags.models import Tag
from ficarchive.works.models import Chapter, Work
from tests.conftest import post_work
from tests.importing.hostile import STORY, Hostile, corpus

UPLOAD = reverse("importing:upload")
CORPUS = corpus()


def archive_counts() -> tuple[int, int, int]:
    return Work.objects.count(), Chapter.objects.count(), Tag.objects.count()


@pytest.fixture
def archive(alice) -> tuple[int, int, int]:
    """An archive with something in it, and its counts."""
    post_work(alice, "Already Here", chapters=["<p>One.</p>", "<p>Two.</p>"])
    return archive_counts()


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.name for h in CORPUS])
def test_upload_page_refuses_it_naming_the_file_and_reason(
    hostile: Hostile, alice_client: Client, archive
):
    response = alice_client.post(
        UPLOAD, {"upload": [SimpleUploadedFile(hostile.name, hostile.data)]}
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"{hostile.refused_name}: " in page
    assert hostile.reason in page
    assert archive_counts() == archive


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.name for h in CORPUS])
def test_import_command_refuses_it_naming_the_file_and_reason(
    hostile: Hostile, tmp_path: Path, archive
):
    path = tmp_path / hostile.name
    path.write_bytes(hostile.data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), "--as", "alice", stdout=out, stderr=err)
    refusal = next(line for line in err.getvalue().splitlines() if line.startswith("Refused"))
    assert refusal.startswith(f"Refused {hostile.refused_name}: ")
    assert hostile.reason in refusal
    assert "Imported 0 works" in out.getvalue()
    assert archive_counts() == archive


def test_nothing_of_a_refused_xxe_reaches_the_preview(alice_client: Client, archive):
    [xxe] = [h for h in CORPUS if h.name == "xxe-package.epub"]
    response = alice_client.post(UPLOAD, {"upload": [SimpleUploadedFile(xxe.name, xxe.data)]})
    assert b"root:" not in response.content


def test_file_over_the_limit_is_refused_by_the_command(tmp_path: Path, archive, settings):
    settings.MAX_UPLOAD_BYTES = 10_000
    path = tmp_path / "one-line.txt"
    path.write_bytes(b"word " * 4_000)
    err = io.StringIO()
    call_command("import", str(path), "--as", "alice", stdout=io.StringIO(), stderr=err)
    assert (
        "Refused "
        + str(path)
        + ": the file is 20,000 bytes; the most the importer reads is 10,000."
        in err.getvalue()
    )
    assert archive_counts() == archive


def test_long_single_line_is_read_whole(alice_client: Client, db):
    line = ("the tide came in " * 25_000).strip()  # 425,000 characters, no paragraph break
    response = alice_client.post(
        UPLOAD, {"upload": [SimpleUploadedFile("line.txt", line.encode())]}
    )
    assert response.status_code == 200
    assert "1 chapter, 100000 words." in response.content.decode()


def test_single_line_longer_than_a_chapter_is_refused_before_it_is_previewed(
    alice_client: Client, tmp_path: Path, archive
):
    line = ("the tide came in " * 120_000).encode()  # 2 MB on one line: one chapter
    response = alice_client.post(UPLOAD, {"upload": [SimpleUploadedFile("line.txt", line)]})
    assert response.status_code == 400
    reason = (
        "line.txt: chapter 1 is 2,040,006 characters long; the archive takes at most 510,000 "
        "in one chapter."
    )
    assert reason in html.unescape(response.content.decode())
    path = tmp_path / "line.txt"
    path.write_bytes(line)
    err = io.StringIO()
    call_command("import", str(path), "--as", "alice", stdout=io.StringIO(), stderr=err)
    assert reason in err.getvalue()
    assert archive_counts() == archive


def test_text_with_a_character_reference_to_a_surrogate_is_cleaned(alice_client: Client, db):
    page = (
        b"<html><body><p>The tide &#xD800; came in.</p><p>" + STORY.encode() + b"</p></body></html>"
    )
    response = alice_client.post(UPLOAD, {"upload": [SimpleUploadedFile("ref.html", page)]})
    assert response.status_code == 200
    assert "The tide \ufffd came in." in response.content.decode()


def test_file_name_that_decodes_to_a_lone_surrogate_is_refused(tmp_path: Path, archive):
    # A file name that is not UTF-8 reaches Python with its bad byte as a lone surrogate, and
    # the work would take its title from it.
    path = Path(os.fsdecode(bytes(tmp_path) + b"/tide\xff.txt"))
    path.write_bytes(STORY.encode())
    err = io.StringIO()
    call_command("import", str(path), "--as", "alice", stdout=io.StringIO(), stderr=err)
    assert "the title cannot be used: it holds a lone surrogate U+DCFF" in err.getvalue()
    assert archive_counts() == archive

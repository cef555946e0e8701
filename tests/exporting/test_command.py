"""`ficarchive export WORK_ID --format epub|html|txt [-o PATH]`."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import post_work


def test_export_writes_an_epub_to_the_path_given(tmp_path, work):
    out = io.StringIO()
    call_command(
        "export", str(work.pk), "--format", "epub", "-o", str(tmp_path / "a.epub"), stdout=out
    )
    data = (tmp_path / "a.epub").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("mimetype") == b"application/epub+zip"
        package = archive.read("EPUB/package.opf").decode()
    assert f"<dc:source>http://localhost:8000/works/{work.pk}</dc:source>" in package
    assert "Wrote" in out.getvalue()


def test_export_names_the_file_after_the_work_in_the_folder_given(tmp_path, work):
    call_command(
        "export", str(work.pk), "--format", "txt", "-o", str(tmp_path), stdout=io.StringIO()
    )
    text = (tmp_path / "The Lighthouse Keeper - alice.txt").read_text()
    assert "The lamp turned all night." in text


def test_export_uses_the_site_address_given(tmp_path, work):
    target = tmp_path / "w.html"
    call_command(
        "export", str(work.pk), "--format", "html", "-o", str(target),
        "--site-url", "https://fic.example/", stdout=io.StringIO(),
    )  # fmt: skip
    assert f'href="https://fic.example/works/{work.pk}"' in target.read_text()


def test_export_refuses_an_unknown_work_or_a_draft(alice):
    with pytest.raises(CommandError, match="There is no work 999"):
        call_command("export", "999")
    draft = post_work(alice, draft=True)
    with pytest.raises(CommandError, match="is a draft"):
        call_command("export", str(draft.pk))


def test_export_refuses_an_unknown_format(work):
    with pytest.raises(CommandError, match="invalid choice: 'pdf'"):
        call_command("export", str(work.pk), "--format", "pdf")


def test_export_says_when_it_cannot_write(tmp_path, work):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export", str(work.pk), "-o", str(tmp_path / "missing" / "a.epub"))

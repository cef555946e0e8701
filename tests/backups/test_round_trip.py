"""A backup restored into an empty place is the same archive: every table, the text index,
the uploads, the secret key, and the same answers to searches."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from django.apps import apps

from ficarchive.demo.loader import load_demo
from ficarchive.social import actions as social
from ficarchive.works.models import Work
from tests.backups.conftest import SECRET, TRANSACTIONAL, Place
from tests.conftest import make_user, post_work

pytestmark = TRANSACTIONAL

QUERIES = [
    "",
    "q=the&sort=title",
    "q=lamp OR clocks",
    "q=émile",
    "q=-the&sort=words",
    "q=ledgers&body=true",
    "include=Post-Canon",
    "include=Grimm's Fairy Tales&exclude=Siblings",
    "include=Original Work&sort=kudos",
    "q=goose&include=Fairy Tale Retelling",
]


def fill_archive() -> None:
    """The demo works, plus readers who answer them, a non-ASCII tag, a draft and a hidden work."""
    load_demo()
    alice = make_user("alice")
    carol = make_user("carol")
    mine = post_work(
        alice,
        "Émile and the Lamp",
        chapters=["<p>The lamp was lit at dusk.</p>", "<p>It burned until dawn.</p>"],
        freeforms=["Émile Zola", "Lamplighters"],
    )
    post_work(alice, "Unfinished Draft", draft=True)
    demo_work = Work.objects.exclude(id=mine.id).order_by("id").first()
    assert demo_work is not None
    for work in (mine, demo_work):
        social.give_kudos(carol, work)
        social.save_bookmark(
            carol, social.BookmarkDetails(notes="Read it twice.", tags=["comfort"]), work=work
        )
        social.post_comment(carol, work, "The last line stayed with me.")
    social.subscribe(carol, creator=alice)
    social.mark_for_later(carol, demo_work)


def model_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def test_a_restored_archive_has_every_row_and_answers_searches_alike(
    original: Place, restored: Place, tmp_path: Path
):
    fill_archive()
    upload = original.data / "media" / "covers" / "lamp.png"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)

    made = original.run("backup", str(tmp_path))
    assert made.returncode == 0, made.stderr
    (backup,) = tmp_path.glob("ficarchive-*.tar")
    assert backup.stat().st_mode & 0o777 == 0o600, "it holds the secret key"
    with tarfile.open(backup) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["tables"]["works_work"] == Work.objects.count()
    assert ["works", "0001_initial"] in manifest["migrations"]

    done = restored.run("restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert f"{Work.objects.count()} works" in done.stdout
    assert "1 uploaded files" in done.stdout

    before, after = original.tables(), restored.tables()
    assert model_tables() <= set(before), "every model's table is compared"
    assert "search_document" in before
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the round trip"
    assert len(before["search_document"]) == Work.objects.filter(is_draft=False).count()

    assert (restored.data / "media" / "covers" / "lamp.png").read_bytes() == upload.read_bytes()
    key = restored.data / "secret_key"
    assert key.read_text() == SECRET
    assert key.stat().st_mode & 0o777 == 0o600

    answers = original.search(QUERIES, tmp_path)
    assert all(answer["total"] > 0 for answer in answers), "every query finds something"
    assert restored.search(QUERIES, tmp_path) == answers


def test_a_backup_whose_text_index_lost_its_documents_restores_with_search_working(
    original: Place, restored: Place, tmp_path: Path
):
    fill_archive()
    _empty_text_index(original)
    made = original.run("backup", str(tmp_path / "no-documents.tar"))
    assert made.returncode == 0, made.stderr

    done = restored.run("restore", str(tmp_path / "no-documents.tar"))
    assert done.returncode == 0, done.stderr
    listed = Work.objects.filter(is_draft=False, is_hidden=False).count()
    assert f"wrote the text documents of {listed} works again" in done.stdout

    reindexed = original.run("search", "--reindex")
    assert reindexed.returncode == 0, reindexed.stderr
    queries = ["q=lamp", "q=émile", "q=ledgers&body=true", "q=goose&include=Geese"]
    answers = original.search(queries, tmp_path)
    assert all(answer["total"] > 0 for answer in answers)
    assert restored.search(queries, tmp_path) == answers


def _empty_text_index(place: Place) -> None:
    if place.database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(place.database_url) as opened:
            opened.execute("DELETE FROM search_document")
        return
    import sqlite3

    opened = sqlite3.connect(place.sqlite_file)
    try:
        opened.execute("DELETE FROM search_document")
        opened.commit()
    finally:
        opened.close()

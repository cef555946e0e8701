"""`ficarchive serve` gathers the static files once: a restart with nothing changed skips it."""

from __future__ import annotations

from pathlib import Path

from django.test import override_settings

from ficarchive.serve import STATIC_STAMP, collect_static

GATHERED = Path("ficarchive") / "site.css"


def test_static_files_are_gathered_again_only_when_something_changed(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    with override_settings(DATA_DIR=tmp_path, STATIC_ROOT=static):
        collect_static()
        file = static / GATHERED
        assert file.exists() and (tmp_path / STATIC_STAMP).exists()
        file.unlink()  # were it gathered again, it would be back
        collect_static()
        assert not file.exists(), "nothing changed: nothing gathered"
        (tmp_path / STATIC_STAMP).write_text("what an older release gathered")
        collect_static()
        assert file.exists(), "other source files: gathered again"
        for gathered in static.rglob("*"):
            if gathered.is_file():
                gathered.unlink()
        collect_static()
        assert file.exists(), "an emptied static folder: gathered again"

"""The interface's translation catalogs: made from the code with Django's makemessages.

`make messages` (this module run as a script) brings `locale/<language>/LC_MESSAGES/django.po`
up to date with every string the templates and the code mark, keeping what translators wrote,
and compiles them to the `.mo` files the archive reads. The tests call `extract` into a scratch
folder to find strings that a shipped catalog lacks.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

PACKAGE = Path(__file__).resolve().parent
CATALOGS = PACKAGE / "locale"
# The shipped translations, as makemessages names their folders (English is the source).
SHIPPED = ("es", "zh_Hans")
EXTENSIONS = ["html", "txt", "xml", "xhtml", "opf", "ncx", "py"]
# Folders whose strings nobody reads in the interface: made data, schema history, static files.
IGNORED = ["locale", "migrations", "static", "demo", "*.egg-info", "__pycache__"]


@contextmanager
def _in_mirror_of_package() -> Iterator[None]:
    """Work in a scratch folder that links to the package's folders: makemessages then reads
    the package (source paths as `templates/works/…`) but writes only where it is told, never
    into the package's own `locale` folder, which it would otherwise prefer."""
    before = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="ficarchive-messages-") as scratch:
        for entry in PACKAGE.iterdir():
            if entry.name not in ("locale", "__pycache__"):
                (Path(scratch) / entry.name).symlink_to(entry)
        os.chdir(scratch)
        try:
            yield
        finally:
            os.chdir(before)


def extract(into: Path, languages: tuple[str, ...] = SHIPPED) -> None:
    """Write (or update) INTO/<language>/LC_MESSAGES/django.po with every marked string."""
    into.mkdir(parents=True, exist_ok=True)
    with _in_mirror_of_package(), override_settings(LOCALE_PATHS=[into]):
        call_command(
            "makemessages",
            locale=list(languages),
            extensions=EXTENSIONS,
            ignore_patterns=IGNORED,
            no_obsolete=True,
            no_wrap=True,
            add_location="file",
            symlinks=True,
            verbosity=0,
        )


def compile_catalogs(where: Path = CATALOGS) -> None:
    """Compile every catalog under WHERE to the .mo files Django reads."""
    with override_settings(LOCALE_PATHS=[where]):
        call_command("compilemessages", locale=list(SHIPPED), verbosity=0)


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    django.setup()
    if [str(p) for p in settings.LOCALE_PATHS] != [str(CATALOGS)]:
        print("LOCALE_PATHS is not the package's locale folder.", file=sys.stderr)
        return 1
    extract(CATALOGS)
    compile_catalogs()
    print(f"Catalogs updated and compiled: {', '.join(SHIPPED)} in {CATALOGS}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

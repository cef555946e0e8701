"""The shipped translations are complete and current: every string the code and templates mark
has a translation in each shipped language, and the compiled catalogs say what the sources say."""

from __future__ import annotations

import gettext
import re
import shutil

import polib
import pytest

from ficarchive.catalogs import CATALOGS, SHIPPED, extract
from tests.tools import tool_missing

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _catalog(language: str) -> polib.POFile:
    return polib.pofile(str(CATALOGS / language / "LC_MESSAGES" / "django.po"))


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """Every string the code and templates mark today, as makemessages reads them."""
    if shutil.which("xgettext") is None:
        tool_missing("GNU gettext (xgettext) reads the marked strings: apt-get install gettext")
    into = tmp_path_factory.mktemp("catalogs")
    extract(into, ("es",))
    return {_key(e) for e in polib.pofile(str(into / "es" / "LC_MESSAGES" / "django.po"))}


@pytest.mark.parametrize("language", SHIPPED)
def test_every_marked_string_is_in_the_shipped_catalog(
    language: str, marked: set[tuple[str, str]]
) -> None:
    shipped = {_key(e) for e in _catalog(language) if not e.obsolete}
    missing = sorted(marked - shipped)
    assert not missing, (
        f"{len(missing)} strings are not in the {language} catalog (run `make messages`, then "
        "translate them): " + "; ".join(repr(m[1][:60]) for m in missing[:20])
    )


@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_of_a_shipped_catalog_is_translated(language: str) -> None:
    catalog = _catalog(language)
    untranslated = [e.msgid for e in catalog if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalog if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} marked fuzzy (check and unmark them): {fuzzy[:20]}"
    assert catalog.percent_translated() == 100


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_every_placeholder(language: str) -> None:
    wrong = []
    for entry in _catalog(language):
        translations = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        for text in translations:
            if not text:
                continue  # untranslated: the test above names it
            found = set(_PLACEHOLDER.findall(text))
            if entry.msgid_plural:
                # A plural form may leave the count out ("one chapter"), never add a placeholder.
                known = set(_PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
                if found - known:
                    wrong.append((entry.msgid, text))
            elif found != set(_PLACEHOLDER.findall(entry.msgid)):
                wrong.append((entry.msgid, text))
    assert not wrong, f"Placeholders changed in translation: {wrong[:10]}"


@pytest.mark.parametrize("language", SHIPPED)
def test_compiled_catalog_says_what_the_source_says(language: str) -> None:
    folder = CATALOGS / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    stale = []
    for entry in _catalog(language):
        if entry.obsolete or entry.msgid_plural or not entry.msgstr:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if mo._catalog.get(key) != entry.msgstr:  # type: ignore[attr-defined]
            stale.append(entry.msgid)
    assert not stale, f"django.mo is older than django.po (run `make messages`): {stale[:10]}"

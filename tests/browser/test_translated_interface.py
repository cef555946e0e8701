"""The interface switches to Spanish and to Simplified Chinese completely: a guest (by the
browser's language), an author and an admin (by their preference) walk the archive's pages in
Chromium, and no page shows an English word of the interface.

A word counts as leaked English when the interface's English strings (the catalog's sources) use
it, the language's translations never do ("kudos" stays "kudos" in Spanish), and no one wrote it
into the archive (titles, tags, names, texts: what readers and authors wrote is never translated).
Pages are looked at as a reader sees them: the visible text, and the placeholder, title, alt and
aria-label a screen reader or a pointer shows. Screenshots of some pages in both themes and widths.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.test import Client

from ficarchive.catalogs import CATALOGS
from ficarchive.social import actions as social
from ficarchive.tags import actions as tag_actions
from ficarchive.tags.models import MediaType, Tag, TagType
from tests.browser.contrast import PageChecker, report
from tests.browser.screens import each_width, screenshots_dir
from tests.conftest import make_user, post_work
from tests.i18n.unmarked import NAMES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
SEEN = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[placeholder],[title],[alt],[aria-label]')) {
    for (const name of ['placeholder', 'title', 'alt', 'aria-label']) {
      if (el.getAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join('\\n');
}"""
LOCALES = {"es": "es-ES", "zh-hans": "zh-CN"}
FOLDERS = {"es": "es", "zh-hans": "zh_Hans"}


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


@cache
def _catalog_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the interface's English strings, and those of LANGUAGE's translations."""
    catalog = polib.pofile(str(CATALOGS / FOLDERS[language] / "LC_MESSAGES" / "django.po"))
    english: set[str] = set()
    translated: set[str] = set()
    for entry in catalog:
        english |= _words(
            re.sub(r"%\(\w+\)[sd]|<[^>]+>", " ", entry.msgid + " " + entry.msgid_plural)
        )
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            translated |= _words(text)
    return frozenset(english), frozenset(translated)


def _written_words() -> set[str]:
    """Every word stored in the archive's own tables: what people wrote, never translated."""
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("ficarchive."):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            for value in row:
                if value:
                    found |= _words(str(value))
    # The time zones' names (America/New York) are the tz database's, in no language.
    for zone in zoneinfo.available_timezones():
        found |= _words(zone.replace("_", " "))
    return found


def leaked_english(page, language: str, written: set[str]) -> list[str]:
    english, translated = _catalog_words(language)
    allowed = translated | written | {name.lower() for name in NAMES} | {"english", "español"}
    seen = page.evaluate(SEEN)
    words = _words(seen) & english - allowed
    lines = [line.strip() for line in seen.splitlines() if _words(line) & words]
    return [f"{sorted(words)} in: {' | '.join(lines[:4])}"] if words else []


def _sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def _archive():
    alice, carol, ada = make_user("alice"), make_user("carol"), make_user("ada", staff=True)
    ada.is_superuser = True
    ada.save()
    wendy = make_user("wendy")
    wendy.groups.add(Group.objects.get(name="Tag wranglers"))
    work = post_work(
        alice,
        "The Lamp Room",
        chapters=["<p>The keeper climbed the stair.</p>", "<p>Fog came in.</p>"],
        fandoms=["Lighthouses"],
        characters=["The Keeper"],
        relationships=["The Keeper/The Gull"],
        freeforms=["Fog"],
        summary="<p>A night at the lamp.</p>",
    )
    fandom = Tag.objects.get(type=TagType.FANDOM, name="Lighthouses")
    tag_actions.make_canonical(wendy, fandom)
    tag_actions.set_media(wendy, fandom, MediaType.TV)
    social.give_kudos(carol, work)
    social.post_comment(carol, work, "Lovely.")
    social.subscribe(carol, work=work)
    post_work(alice, "Unfinished", draft=True)
    return alice, carol, ada, work


def _pages(work) -> dict[str, list[str]]:
    chapter = work.chapters.order_by("position").first()
    return {
        "guest": [
            "/",
            "/works",
            work.get_absolute_url(),
            chapter.get_absolute_url(),
            "/works/search?q=lamp",
            "/media",
            "/media/tv-shows/fandoms",
            "/fandoms/Lighthouses",
            "/people/search?q=alice",
            "/bookmarks/search",
            "/users/alice",
            "/login",
            "/signup",
            "/password/reset",
            "/no-such-page",
        ],
        "author": [
            "/works/new",
            f"{work.get_absolute_url()}/edit",
            "/drafts",
            "/preferences",
            "/preferences/filters",
            "/preferences/tokens",
            "/feeds",
            "/works/import",
            "/stats",
            "/inbox",
        ],
        "reader": ["/inbox", "/history", "/subscriptions", "/later", "/users/carol/bookmarks"],
        "admin": [
            "/moderation",
            "/moderation/audit",
            "/moderation/roles",
            "/moderation/switches",
            "/moderation/spam",
            "/moderation/invitations",
            "/wrangling",
            "/wrangling/changes",
        ],
    }


@pytest.mark.parametrize("language", ["es", "zh-hans"])
def test_every_page_speaks_the_readers_language(browser, live_server, tmp_path, language):
    alice, carol, ada, work = _archive()
    written = _written_words()
    shots = screenshots_dir(tmp_path)
    people = {"guest": None, "author": alice, "reader": carol, "admin": ada}
    checker = PageChecker(browser)
    leaks: list[str] = []
    for persona, paths in _pages(work).items():
        user = people[persona]
        if user is not None:
            user.language = language
            user.save(update_fields=["language"])
        # The guest's browser asks for the language; the others ask for English and get
        # their preference.
        locale = LOCALES[language] if user is None else "en-GB"
        context = browser.new_context(base_url=live_server.url, locale=locale)
        if user is not None:
            _sign_in(context, live_server, user)
        page = context.new_page()
        page.on("load", checker.loaded)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status < 500, path
            assert page.locator("html").get_attribute("lang") == language, path
            leaks.extend(
                f"{persona} {path}: {leak}" for leak in leaked_english(page, language, written)
            )
        if persona in ("guest", "admin"):
            page.goto(paths[2] if persona == "guest" else paths[0])
            list(each_width(page, shots, f"{language}-{persona}"))
        context.close()
    illegible = checker.found
    checker.close()
    assert not leaks, "English left on the page:\n" + "\n".join(leaks)
    assert not illegible, report(illegible)


def test_a_guest_switches_the_language_from_the_footer(page):
    make_user("alice")
    page.goto("/works")
    page.get_by_role("link", name="简体中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.url.endswith("/works")
    page.get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_reader_an_author_and_an_admin_walk_every_page_at_both_widths(
    browser, live_server, tmp_path
):
    """In English, every page of the walk fits a phone and a desktop window in both themes
    (each_width), with every control legible (the contrast check of each page loaded)."""
    alice, carol, ada, work = _archive()
    shots = screenshots_dir(tmp_path)
    people = {"guest": None, "author": alice, "reader": carol, "admin": ada}
    checker = PageChecker(browser)
    for persona, paths in _pages(work).items():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        if people[persona] is not None:
            _sign_in(context, live_server, people[persona])
        page = context.new_page()
        page.on("load", checker.loaded)
        for number, path in enumerate(paths):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == "en", path
            list(each_width(page, shots, f"walk-{persona}-{number}"))
        context.close()
    illegible = checker.found
    checker.close()
    assert not illegible, report(illegible)

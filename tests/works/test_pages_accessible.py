"""The pages readers and authors use are accessible: landmarks, a label for every field, a page
language, a phone-sized viewport, light and dark themes, and text colours that contrast."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
FIELDS = {"input", "select", "textarea"}


class PageOutline(HTMLParser):
    """What a screen reader leans on: landmarks, headings, fields and the labels naming them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.html_lang = ""
        self.metas: dict[str, str] = {}
        self.label_targets: set[str] = set()
        self.open_labels = 0
        self.fields: list[tuple[str, dict[str, str | None]]] = []
        self.wrapped: set[int] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "html":
            self.html_lang = found.get("lang") or ""
        elif tag == "meta" and found.get("name"):
            self.metas[str(found["name"])] = found.get("content") or ""
        elif tag == "label":
            self.open_labels += 1
            if found.get("for"):
                self.label_targets.add(str(found["for"]))
        elif (
            tag in FIELDS
            and found.get("type") not in UNLABELLED_TYPES
            and found.get("aria-hidden") != "true"  # a honeypot that people never meet
        ):
            if self.open_labels:
                self.wrapped.add(len(self.fields))
            self.fields.append((tag, found))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.open_labels:
            self.open_labels -= 1

    def unlabelled(self) -> list[str]:
        missing = []
        for index, (tag, attrs) in enumerate(self.fields):
            named = (
                index in self.wrapped
                or attrs.get("id") in self.label_targets
                or attrs.get("aria-label")
                or attrs.get("aria-labelledby")
                or attrs.get("title")
            )
            if not named:
                missing.append(f"<{tag} name={attrs.get('name')!r} id={attrs.get('id')!r}>")
        return missing


def outline(client: Client, url: str) -> PageOutline:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = PageOutline()
    parser.feed(response.content.decode())
    return parser


def assert_accessible(page: PageOutline, url: str) -> None:
    assert page.html_lang, f"{url}: the page names no language"
    assert page.tags.get("main") == 1, f"{url}: one main landmark"
    assert page.tags.get("header", 0) >= 1, f"{url}: a banner"
    assert page.tags.get("nav", 0) >= 1, f"{url}: site navigation"
    assert page.tags.get("footer", 0) >= 1, f"{url}: a footer"
    assert page.tags.get("h1", 0) == 1, f"{url}: one top-level heading"
    assert "width=device-width" in page.metas.get("viewport", ""), f"{url}: phone viewport"
    assert page.metas.get("color-scheme") == "light dark", f"{url}: light and dark themes"
    assert page.unlabelled() == [], f"{url}: fields without a label"


@pytest.fixture
def two_chapter_work(alice: User) -> Work:
    return post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"], freeforms=["Slow Burn"])


def guest_pages(work: Work) -> list[str]:
    chapter = work.chapters.order_by("position").last()
    assert chapter is not None
    return [
        reverse("home"),
        reverse("works:index"),
        work.get_absolute_url(),
        chapter.get_absolute_url(),
        f"{work.get_absolute_url()}?view_full_work=true",
        reverse("works:navigate", args=[work.pk]),
        reverse("accounts:profile", args=["alice"]),
        reverse("accounts:user_works", args=["alice"]),
        reverse("accounts:pseud", args=["alice", "alice"]),
        "/tags/Slow Burn/works",
        reverse("accounts:signup"),
        reverse("accounts:login"),
        reverse("accounts:password_reset"),
    ]


def author_pages(work: Work) -> list[str]:
    chapter = work.chapters.order_by("position").first()
    assert chapter is not None
    return [
        reverse("works:new"),
        reverse("works:edit", args=[work.pk]),
        reverse("works:chapter_new", args=[work.pk]),
        reverse("works:chapter_edit", args=[work.pk, chapter.pk]),
        reverse("works:chapter_order", args=[work.pk]),
        reverse("works:creators", args=[work.pk]),
        reverse("works:series_add", args=[work.pk]),
        reverse("works:series_new"),
        reverse("works:drafts"),
        reverse("accounts:preferences"),
        reverse("accounts:password_change"),
        reverse("accounts:pseud_new"),
        reverse("accounts:delete_account"),
    ]


def test_pages_a_guest_reads_are_accessible(client: Client, two_chapter_work):
    for url in guest_pages(two_chapter_work):
        assert_accessible(outline(client, url), url)


def test_pages_an_author_writes_on_are_accessible(alice, two_chapter_work):
    client = logged_in(alice)
    for url in author_pages(two_chapter_work):
        assert_accessible(outline(client, url), url)


def test_the_adult_notice_is_accessible(client: Client, alice):
    work = post_work(alice, rating="Explicit")
    page = outline(client, work.get_absolute_url())
    assert_accessible(page, "adult notice")


# --- contrast ------------------------------------------------------------------------------

STYLESHEET = Path(__file__).parents[2] / "src/ficarchive/static/ficarchive/site.css"
TEXT_COLOURS = ["fg", "muted", "link", "link-visited", "accent", "ok", "warn", "error", "focus"]
BACKGROUNDS = ["bg", "panel"]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted([_luminance(one), _luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def themes() -> list[dict[str, str]]:
    css = STYLESHEET.read_text()
    blocks = re.findall(r":root\s*\{([^}]*)\}", css)
    return [dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", block)) for block in blocks]


def test_the_stylesheet_has_a_light_and_a_dark_theme():
    css = STYLESHEET.read_text()
    assert "@media (prefers-color-scheme: dark)" in css
    assert len(themes()) == 2


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
def test_text_colours_contrast_with_their_backgrounds(theme):
    colours = themes()[theme]
    for text in TEXT_COLOURS:
        for background in BACKGROUNDS:
            ratio = contrast(colours[text], colours[background])
            assert ratio >= 4.5, f"--{text} on --{background}: {ratio:.2f}:1 (WCAG AA is 4.5:1)"

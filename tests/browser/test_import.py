"""An author uploads a plain-text story, corrects what the importer understood, and posts it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ficarchive.works.models import Work
from tests.conftest import PASSWORD, make_user
from tests.importing.stories import STORY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_author_uploads_corrects_and_posts_an_import(page, tmp_path):
    make_user("alice")
    page.goto("/login")
    page.get_by_label("User name or email").fill("alice")
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Import").click()

    story = tmp_path / "tide-clock.txt"
    story.write_text(STORY, encoding="utf-8")
    page.get_by_label("Files").set_input_files(str(story))
    page.get_by_role("button", name="Preview").click()

    # The preview shows what was understood: the title, the rating, both chapters.
    expect(page.get_by_role("heading", name="The Tide Clock")).to_be_visible()
    expect(page.get_by_text("2 chapters")).to_be_visible()
    expect(page.get_by_label("Rating")).to_have_value("Teen And Up Audiences")
    expect(page.get_by_label("Beta readers")).to_have_value("Pellory")
    expect(page.get_by_role("textbox", name="Notes at the beginning:", exact=True)).to_have_value(
        re.compile("Hope you enjoy")
    )

    # The author corrects the title and ticks the warnings the file did not state.
    page.get_by_label(re.compile(r"^Title:?$")).first.fill("The Tide Clock (revised)")
    page.get_by_label("No Archive Warnings Apply").check()
    # Warnings were missing, so the import proposed a draft; now the author posts it.
    expect(page.get_by_label("Keep as a draft")).to_be_checked()
    page.get_by_label("Keep as a draft").uncheck()
    page.get_by_role("button", name="Post this work").click()

    expect(page.get_by_role("heading", name="The Tide Clock (revised)")).to_be_visible()
    expect(page.get_by_text("The clock struck eleven")).to_be_visible()
    work = Work.objects.get()
    assert (work.title, work.is_draft) == ("The Tide Clock (revised)", False)
    chapters = list(work.chapters.order_by("position"))
    assert [c.title for c in chapters] == ["Ebb", "Flow"]
    assert "Please review" not in chapters[-1].body  # the closing note left the story text
    assert "Please review" in work.end_notes

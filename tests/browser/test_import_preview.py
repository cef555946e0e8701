"""The import preview shows an uploaded story as readers will see it: formatted, with the notes
the importer found labelled and the reason for each value it proposed; the author corrects a
field under it and posts. Screenshots at 1280 and 390 px, light and dark, go to
FICARCHIVE_SCREENSHOTS when it names a directory (else the test's own temporary directory)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ficarchive.works.models import Work
from tests.browser.contrast import MINIMUM, SCHEMES, contrast_of
from tests.browser.screens import each_width, screenshots_dir
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user
from tests.importing.stories import STORY as TIDE_CLOCK

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The fandom is not stated but named in a disclaimer: the importer proposes it, with the reason.
STORY = TIDE_CLOCK.replace("Fandom: Gears of Aldmoor\n", "").replace(
    "is late.\n", "is late.\nDisclaimer: I don't own Gears of Aldmoor.\n", 1
)


def test_the_preview_shows_the_story_as_readers_will_and_takes_a_correction(page, tmp_path):
    make_user("alice")
    log_in(page, "alice")
    page.get_by_role("link", name="Import").click()
    story = tmp_path / "tide-clock.txt"
    story.write_text(STORY, encoding="utf-8")
    page.get_by_label("Files").set_input_files(str(story))
    page.get_by_role("button", name="Preview").click()

    view = page.get_by_role("region", name="As readers will see it")
    expect(view).to_be_visible()
    # The story is formatted: its paragraphs, as the work page sets them.
    first = view.locator(".chapter .userstuff p").first
    expect(first).to_have_text("The clock struck eleven when the water should have struck twelve.")
    assert first.evaluate("element => getComputedStyle(element).fontFamily").startswith("Georgia")
    # What the importer found is labelled: the notes, the credits, where each chapter starts.
    notes = view.locator(".notes", has_text="Notes the importer found at the start of the file")
    expect(notes.locator("blockquote")).to_have_text("Thanks to my beta, Pellory! Hope you enjoy.")
    end = view.locator(".notes", has_text="Notes the importer found at the end of the file")
    expect(end.locator("blockquote")).to_have_text("Please review!")
    expect(view.get_by_text("Credits the importer found")).to_be_visible()
    expect(view.get_by_text(re.compile(r"^Chapter 2 of 2 starts here"))).to_be_visible()
    expect(view.get_by_role("heading", name="Chapter 2: Flow")).to_be_visible()
    # The fandom came from the disclaimer: the value says why, and so does its field.
    fandom = view.locator("dd.fandom")
    expect(fandom).to_contain_text(re.compile(r"Gears of Aldmoor\s*proposed: .*disclaimer"))
    fandoms_field = page.get_by_label("Fandoms")
    expect(fandoms_field).to_have_value("Gears of Aldmoor")
    expect(fandoms_field).to_have_accessible_description(re.compile(r"^Proposed: .*disclaimer"))
    # The rating was stated: no reason beside it.
    expect(view.locator("dd.rating")).to_have_text("Teen And Up Audiences")

    for width in each_width(page, screenshots_dir(tmp_path), "import-preview"):
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            for label in (view.locator(".proposed").first, view.locator(".found-label").first):
                assert contrast_of(label) >= MINIMUM, (width, scheme)

    # The author corrects the title and the warnings, and posts.
    page.get_by_label(re.compile(r"^Title:?$")).first.fill("The Tide Clock (revised)")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Keep as a draft").uncheck()
    page.get_by_role("button", name="Post this work").click()

    expect(page.get_by_role("heading", name="The Tide Clock (revised)", level=1)).to_be_visible()
    expect(page.locator("dd.fandom")).to_have_text("Gears of Aldmoor")
    work = Work.objects.get()
    assert (work.title, work.is_draft) == ("The Tide Clock (revised)", False)
    assert "Please review" in work.end_notes

"""A wrangler accepts a short form's suggestion with one click and makes a ship name a synonym
on the fandom's wrangling page; the canonical tag's page lists the work at once, and Undo takes
it away again."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from ficarchive.tags import actions
from ficarchive.tags.models import Tag, TagType
from tests.conftest import PASSWORD, make_user, post_work

# Serialized rollback gives later live-server tests back the fixed tags the migrations made.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def canonical(wrangler, tag_type: str, name: str, **links: list[Tag]) -> Tag:
    tag = Tag.objects.create(type=tag_type, name=name)
    actions.make_canonical(wrangler, tag)
    if links.get("fandoms"):
        actions.set_parents(wrangler, tag, links["fandoms"])
    if links.get("characters"):
        actions.set_relationship_characters(wrangler, tag, links["characters"])
    return tag


def test_a_wrangler_makes_a_synonym_and_the_tag_page_lists_the_work(page):
    alice = make_user("alice")
    post_work(
        alice,
        "Enemies Until Breakfast",
        fandoms=["Harry Potter"],
        relationships=["Drarry"],
        characters=["Draco"],
    )
    wendy = make_user("wendy")
    wrangle = Permission.objects.get(content_type__app_label="tags", codename="wrangle")
    wendy.user_permissions.add(wrangle)
    hp = Tag.objects.get(type=TagType.FANDOM, name="Harry Potter")
    actions.make_canonical(wendy, hp)
    harry = canonical(wendy, TagType.CHARACTER, "Harry Potter", fandoms=[hp])
    draco = canonical(wendy, TagType.CHARACTER, "Draco Malfoy", fandoms=[hp])
    canonical(
        wendy,
        TagType.RELATIONSHIP,
        "Draco Malfoy/Harry Potter",
        fandoms=[hp],
        characters=[draco, harry],
    )

    # Before wrangling, the canonical relationship has no works.
    page.goto("/tags/Draco Malfoy*s*Harry Potter/works")
    expect(page.get_by_text("No works you can see carry this tag yet.")).to_be_visible()

    page.goto("/login")
    page.get_by_label("User name").fill("wendy")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/wrangling")
    page.get_by_role("link", name="Harry Potter").click()
    expect(page.get_by_role("heading", name="Wrangle Harry Potter")).to_be_visible()

    # A short form is suggested with its reason, and one click accepts it.
    expect(page.get_by_text("“Draco” is part of the name Draco Malfoy.")).to_be_visible()
    page.get_by_role("button", name="Accept: make Draco a synonym of Draco Malfoy").click()
    expect(page.get_by_text("Made “Draco” a synonym of “Draco Malfoy”.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Draco", exact=True)).to_have_count(0)

    page.get_by_role("checkbox", name="Drarry").check()
    page.get_by_label("Action").select_option(label="Make a synonym of")
    page.get_by_label("Tag names").fill("Draco Malfoy/Harry Potter")
    page.get_by_role("button", name="Wrangle", exact=True).click()
    expect(
        page.get_by_text("Made “Drarry” a synonym of “Draco Malfoy/Harry Potter”.")
    ).to_be_visible()

    page.goto("/tags/Draco Malfoy*s*Harry Potter/works")
    expect(page.get_by_role("link", name="Enemies Until Breakfast")).to_be_visible()
    about = page.get_by_role("region", name="About this tag")
    expect(about.get_by_role("link", name="Drarry")).to_be_visible()  # among its synonyms

    # The change log undoes it, and the work leaves the canonical tag's page again.
    page.goto("/wrangling/changes")
    page.get_by_role("button", name=re.compile("Undo: Made “Drarry” a synonym")).click()
    expect(page.get_by_text("Undid: Made “Drarry” a synonym").first).to_be_visible()
    page.goto("/tags/Draco Malfoy*s*Harry Potter/works")
    expect(page.get_by_text("No works you can see carry this tag yet.")).to_be_visible()

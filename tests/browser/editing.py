"""The text fields of the posting forms, once the rich text editor has taken them over: the
editor loads its libraries after the page, and until then the field is the plain textarea,
which it then hides. A test that types at once would type into the textarea being hidden."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def text_box(page: Any, name: str) -> Any:
    """The rich editing area named NAME ("Work text", "Chapter text"), once loaded: the area is
    on the page before its editor, which makes it editable (`contenteditable`) and fills it
    from the textarea in one step."""
    expect(page.locator('.rich-text-area[contenteditable="true"]').first).to_be_visible()
    return page.get_by_role("textbox", name=name)

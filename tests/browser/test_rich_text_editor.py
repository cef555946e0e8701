"""The rich text editor in Chromium: an author writes a work with the toolbar and its keyboard
shortcuts, edits its HTML and posts it; a failed post keeps the text; a reader comments in
italics; without JavaScript the plain textarea posts a work as before."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ficarchive.social.models import Comment
from ficarchive.works.models import Chapter, Work
from tests.browser.screens import each_width, screenshots_dir
from tests.browser.test_content_security_policy import WATCH_VIOLATIONS, violations
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user, post_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fill_details(page, title: str = "Salt and Lanterns") -> None:
    page.get_by_label(re.compile(r"^Title:?$")).fill(title)
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Original Work")


def test_an_author_writes_formats_and_posts_a_work_in_the_editor(page, tmp_path):
    make_user("alice")
    page.add_init_script(WATCH_VIOLATIONS)
    log_in(page, "alice")
    page.goto("/works/new")
    fill_details(page)
    # The editing area takes the text field's name; the textarea behind it waits hidden.
    editor = page.locator(".rich-text-area")
    expect(page.get_by_role("textbox", name="Work text")).to_be_visible()
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_be_hidden()
    toolbar = page.get_by_role("toolbar", name="Formatting")
    names = ["Bold", "Italic", "Underline", "Strikethrough", "Link", "Heading", "Quote"]
    names += ["Bulleted list", "Numbered list", "Centre", "Horizontal rule", "Undo", "Redo"]
    for name in names:
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(toolbar.get_by_role("button", name="Bold")).to_have_attribute(
        "aria-keyshortcuts", "Control+B"
    )

    # Bold from the toolbar, then from the keyboard.
    editor.click()
    page.keyboard.type("The keeper climbed ")
    toolbar.get_by_role("button", name="Bold").click()
    expect(toolbar.get_by_role("button", name="Bold")).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("the stairs")
    toolbar.get_by_role("button", name="Bold").click()
    page.keyboard.type(". ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Lit")
    page.keyboard.press("Control+b")
    page.keyboard.type(" lamps hung by the map")
    # A link: select the last two words, then Link asks for the address.
    for _ in range("the map".__len__()):
        page.keyboard.press("Shift+ArrowLeft")
    page.once("dialog", lambda dialog: dialog.accept("https://example.org/map"))
    toolbar.get_by_role("button", name="Link").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    # A bulleted list of two items.
    toolbar.get_by_role("button", name="Bulleted list").click()
    page.keyboard.type("oil")
    page.keyboard.press("Enter")
    page.keyboard.type("wick")
    expect(editor.locator("ul li")).to_have_count(2)
    expect(editor.locator("a[href='https://example.org/map']")).to_have_text("the map")

    # The libraries it loaded, and all it did, stayed within the Content-Security-Policy.
    assert violations(page) == []
    shots = screenshots_dir(tmp_path)
    for _width in each_width(page, shots, "rich-text-editor"):
        expect(toolbar.get_by_role("button", name="Redo")).to_be_visible()

    # The HTML switch shows the source, and an edit there is kept.
    page.get_by_role("button", name="HTML", exact=True).click()
    source = page.locator("textarea[name=body]")
    expect(source).to_be_visible()
    expect(editor).to_be_hidden()
    html = source.input_value()
    assert "<strong>the stairs</strong>" in html and "<strong>Lit</strong>" in html
    assert '<a href="https://example.org/map">the map</a>' in html
    assert "<ul><li>oil</li><li>wick</li></ul>" in html
    source.fill(html + "\n<p>Added in <em>HTML</em>.</p>")
    page.get_by_role("button", name="Rich text", exact=True).click()
    expect(editor.get_by_text("Added in HTML.")).to_be_visible()

    # The preview shows it as readers will, with the editor below holding the same text.
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview .userstuff strong", has_text="the stairs")).to_be_visible()
    expect(editor.locator("ul li")).to_have_text(["oil", "wick"])
    assert Work.objects.count() == 0
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+"))
    text = page.locator("#chapters .userstuff")
    expect(text.locator("strong", has_text="the stairs")).to_be_visible()
    expect(text.locator("strong", has_text="Lit")).to_be_visible()
    expect(text.locator("a[href='https://example.org/map']")).to_have_text("the map")
    expect(text.locator("ul > li")).to_have_text(["oil", "wick"])
    expect(text.locator("em", has_text="HTML")).to_be_visible()
    body = Chapter.objects.get().body
    assert "<strong>the stairs</strong>" in body and "<ul><li>oil</li><li>wick</li></ul>" in body

    # Editing the work's chapter opens its text in the editor; saving unchanged keeps it.
    chapter = Chapter.objects.get()
    source_before = chapter.body_source
    page.goto(f"/works/{chapter.work_id}/chapters/{chapter.pk}/edit")
    expect(page.get_by_role("textbox", name="Chapter text").locator("b").first).to_have_text(
        "the stairs"
    )
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/works/\d+"))
    chapter.refresh_from_db()
    assert chapter.body_source == source_before


def test_a_failed_post_keeps_the_text_in_the_editor(page):
    make_user("alice")
    log_in(page, "alice")
    page.goto("/works/new")
    fill_details(page)
    page.get_by_label("Additional tags").fill("x" * 151)  # the server refuses a tag this long
    editor = page.locator(".rich-text-area")
    editor.click()
    page.keyboard.press("Control+i")
    page.keyboard.type("Kept")
    page.keyboard.press("Control+i")
    page.keyboard.type(" through the error.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("is longer than 150 characters")).to_be_visible()
    assert Work.objects.count() == 0
    expect(editor.locator("i, em")).to_have_text("Kept")
    expect(editor).to_contain_text("Kept through the error.")

    # Choosing plain text returns to the textarea, which holds the text as HTML.
    page.get_by_label("Plain text").check()
    expect(editor).to_be_hidden()
    expect(page.get_by_role("button", name="HTML", exact=True)).to_be_hidden()
    expect(page.locator("textarea[name=body]")).to_have_value(
        "<p><em>Kept</em> through the error.</p>"
    )


def test_a_reader_comments_in_italics(page, tmp_path):
    work = post_work(make_user("alice"), "Salt and Lanterns", chapters=["<p>The keeper.</p>"])
    make_user("carol")
    log_in(page, "carol")
    page.goto(f"/works/{work.pk}")
    form = page.locator("form.comment-form")
    # A comment is plain text until its writer picks HTML; then the editor opens.
    expect(form.get_by_role("toolbar")).to_have_count(0)
    form.get_by_label("Rich text (HTML)").check()
    editor = form.get_by_role("textbox", name="Comment")
    toolbar = form.get_by_role("toolbar", name="Formatting")
    expect(toolbar.get_by_role("button", name="Italic")).to_be_visible()
    expect(toolbar.get_by_role("button", name="Heading")).to_have_count(0)
    editor.click()
    page.keyboard.type("The sail gave me ")
    toolbar.get_by_role("button", name="Italic").click()
    page.keyboard.type("chills")
    for _width in each_width(page, screenshots_dir(tmp_path), "rich-text-comment"):
        expect(toolbar.get_by_role("button", name="Redo")).to_be_visible()
    page.get_by_role("button", name="Post comment").click()
    page.locator(".comment-body em", has_text="chills").wait_for()
    comment = Comment.objects.get()
    assert comment.body == "<p>The sail gave me <em>chills</em></p>"
    assert comment.body_format == "html"


def test_without_javascript_the_plain_textarea_posts_a_work(browser, live_server):
    make_user("alice")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "alice")
    page.goto("/works/new")
    fill_details(page)
    expect(page.get_by_role("toolbar")).to_have_count(0)
    page.get_by_label("Work text").fill("<p>Plain <em>HTML</em>, typed.</p>")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+"))
    expect(page.locator("#chapters .userstuff em")).to_have_text("HTML")
    assert Chapter.objects.get().body_source == "<p>Plain <em>HTML</em>, typed.</p>"
    context.close()


def test_the_block_buttons_write_html_the_sanitizer_keeps(page):
    make_user("alice")
    log_in(page, "alice")
    page.goto("/works/new")
    fill_details(page)
    toolbar = page.get_by_role("toolbar", name="Formatting")
    page.locator(".rich-text-area").click()
    page.keyboard.type("Part One")
    toolbar.get_by_role("button", name="Heading").click()
    expect(toolbar.get_by_role("button", name="Heading")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    page.keyboard.type("* * *")
    toolbar.get_by_role("button", name="Centre").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Centre").click()  # the new line kept the centring
    toolbar.get_by_role("button", name="Quote").click()
    page.keyboard.type("A letter, quoted.")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+[")  # out of the quote again
    toolbar.get_by_role("button", name="Numbered list").click()
    page.keyboard.type("first")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    toolbar.get_by_role("button", name="Horizontal rule").click()
    page.keyboard.type("The end.")
    toolbar.get_by_role("button", name="Undo").click()
    toolbar.get_by_role("button", name="Redo").click()
    page.get_by_role("button", name="HTML", exact=True).click()
    html = page.locator("textarea[name=body]").input_value()
    assert "<h3>Part One</h3>" in html
    assert '<p style="text-align: center;">* * *</p>' in html
    assert "<blockquote><p>A letter, quoted.</p></blockquote>" in html
    assert "<ol><li>first</li></ol>\n<hr>\n<p>The end.</p>" in html

    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+"))
    body = Chapter.objects.get().body
    for kept in (
        "<h3>Part One</h3>",
        'style="text-align:center"',
        "<blockquote>",
        "<ol>",
        "<hr>",
    ):
        assert kept in body, kept

"""Saved HTML nests at most MAX_DEPTH elements deep, with every word kept in its order."""

from __future__ import annotations

import re

import nh3
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ficarchive.exporting.xhtml import to_text
from ficarchive.text import sanitize_html
from ficarchive.text.nesting import MAX_DEPTH, flatten_deep

TAGS = ["div", "p", "blockquote", "span", "em", "ul", "li", "ol", "table", "tr", "td", "dl", "dd"]


def depth(html: str) -> int:
    """How deep the fragment's elements nest, read by a parser without a depth limit.

    A void element (a line break, an image) holds nothing, so it does not count.
    """
    parser = etree.HTMLParser(huge_tree=True)
    body = etree.fromstring(f"<html><body>{html}</body></html>", parser).find("body")
    assert body is not None
    holders = [element for element in body.iter() if element.tag not in {"br", "img", "hr"}]
    return max(len(list(element.iterancestors())) for element in holders) - 1


def words(html: str) -> list[str]:
    return re.findall(r"w\d+", html)


def test_deep_divs_are_flattened_below_the_bound_and_keep_their_text():
    body = "".join(f"<div><p>w{n}</p>" for n in range(400))
    saved = sanitize_html(body)
    assert depth(saved) == MAX_DEPTH
    assert words(saved) == [f"w{n}" for n in range(400)]


def test_shallow_html_is_left_exactly_as_it_was():
    body = "<div>" * 50 + "<p>a <em>b</em></p>" * 200 + "</div>" * 50
    assert flatten_deep(body) == body


def test_paragraphs_past_the_bound_become_lines():
    body = "<div>" * 3 + "<p>one</p><p>two</p>" + "</div>" * 3
    assert flatten_deep(body, max_depth=2) == "<div><div>one<br>two<br></div></div>"


def test_inline_elements_past_the_bound_leave_no_break():
    body = "<p><em>soft <strong>loud</strong> end</em></p>"
    assert flatten_deep(body, max_depth=1) == "<p>soft loud end</p>"


def test_lists_and_tables_keep_their_shape_or_go_whole():
    body = "<div><ul><li>a</li></ul><table><tr><td>b</td></tr></table></div>"
    assert flatten_deep(body, max_depth=3) == "<div><ul><li>a</li></ul>b<br></div>"


def test_attributes_holding_angle_brackets_are_not_read_as_tags():
    body = '<div title="<div>">' * 3 + "x" + "</div>" * 3
    assert flatten_deep(body, max_depth=1) == '<div title="<div>">x<br></div>'


@st.composite
def nested_html(draw: st.DrawFn) -> str:
    """Random tags, opened and sometimes closed, each followed by a numbered word."""
    parts = []
    for number in range(draw(st.integers(min_value=0, max_value=500))):
        tag = draw(st.sampled_from(TAGS))
        closing = draw(st.integers(min_value=0, max_value=5)) == 0
        parts.append(f"{'</' if closing else '<'}{tag}> w{number} ")
    return "".join(parts)


@settings(max_examples=40, deadline=None)
@given(nested_html())
def test_any_nesting_is_bounded_and_keeps_every_word_in_order(html):
    unbounded = nh3.clean(html, tags=set(TAGS))
    saved = sanitize_html(html)
    assert depth(saved) <= MAX_DEPTH
    assert words(saved) == words(unbounded)
    assert words(to_text(saved)) == words(unbounded)

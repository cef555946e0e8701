"""Word counts as the Archive of Our Own counts them.

Each CJK character (Han ideographs, hiragana, katakana) is one word; any other run of letters,
digits, apostrophes and hyphens is one word. Markup does not count.
"""

from __future__ import annotations

import html
import re

_CJK = (
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK unified ideographs extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B to G
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Underscores separate words; they are made spaces first, so that a word is one character class
# repeated: an alternation inside the repeat made the matcher keep a frame per character, and
# one 16 MB "word" took 2 GB to count.
_WORD = re.compile(r"\w[\w'\u2019\-]*|['\u2019\-]+\w[\w'\u2019\-]*")
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|div|h[1-6]|li|ul|ol|dt|dd|dl|tr|td|th|table|blockquote|pre|center|"
    r"figure|figcaption|caption|details|summary)\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")


def html_to_text(markup: str) -> str:
    """The visible text of sanitized HTML, with block boundaries kept as spaces."""
    text = _BLOCK_TAG.sub(" ", markup)
    text = _ANY_TAG.sub("", text)
    return html.unescape(text)


def count_words(markup: str) -> int:
    """Count the words in an HTML fragment (a chapter body)."""
    rest, cjk = _CJK_CHAR.subn(" ", html_to_text(markup).replace("_", " "))
    return cjk + sum(1 for _ in _WORD.finditer(rest))  # counted, not listed: no copy per word

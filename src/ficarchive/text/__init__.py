"""Text in and out: sanitizing HTML, rendering Markdown and plain text, counting words."""

from ficarchive.text.formats import BodyFormat, render_body
from ficarchive.text.sanitize import sanitize_html, sanitize_inline
from ficarchive.text.wordcount import count_words

__all__ = ["BodyFormat", "count_words", "render_body", "sanitize_html", "sanitize_inline"]

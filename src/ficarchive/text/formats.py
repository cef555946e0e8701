"""Turn what an author typed (rich text, Markdown or plain text) into sanitized HTML."""

from __future__ import annotations

import html
import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

from ficarchive.text.sanitize import sanitize_html


class BodyFormat(models.TextChoices):
    HTML = "html", _("Rich text (HTML)")
    MARKDOWN = "markdown", "Markdown"
    PLAIN = "plain", _("Plain text")


_markdown = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
    ["table", "strikethrough"]
)

# A line that is only a scene break: ***, * * *, ~~~, ---, oOo, -x-, #, a lone centered symbol...
SCENE_BREAK = re.compile(
    r"^\s*(?:[*~#=_+\-•·◇◆○●♦♥❤❦§]\s*){1,}$|^\s*(?:o+O+o+|O+o+O+|-+x-+|x+|~+o+~+)\s*$",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n+")


def paragraphs(text: str) -> str:
    """Blank lines make paragraphs, single line breaks stay, scene-break lines stay centered."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    blocks = [block.strip() for block in _BLANK_LINES.split(text) if block.strip()]
    return "\n".join(
        f'<p align="center">{block}</p>'
        if SCENE_BREAK.match(block)
        else "<p>" + "<br>\n".join(line.strip() for line in block.split("\n")) + "</p>"
        for block in blocks
    )


def plain_to_html(text: str) -> str:
    """Plain text as paragraphs; nothing in it is markup."""
    return paragraphs(html.escape(text, quote=False))


_BLOCK_MARKUP = re.compile(
    r"<(?:p|div|br|h[1-6]|ul|ol|li|blockquote|pre|table|hr|center|dl)\b", re.IGNORECASE
)


def html_with_paragraphs(source: str) -> str:
    """Rich text typed without block markup gets paragraphs from its blank lines, as on AO3."""
    return source if _BLOCK_MARKUP.search(source) else paragraphs(source)


def render_body(source: str, body_format: str) -> str:
    """Sanitized HTML for a chapter body, summary or note written in the given format."""
    if body_format == BodyFormat.MARKDOWN:
        rendered = _markdown.render(source)
    elif body_format == BodyFormat.PLAIN:
        rendered = plain_to_html(source)
    elif body_format == BodyFormat.HTML:
        rendered = html_with_paragraphs(source)
    else:
        raise ValueError(f"unknown body format {body_format!r}")
    return sanitize_html(rendered)

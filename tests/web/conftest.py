"""What a page's <head> says to link previews and crawlers."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.inside = True
        elif self.inside and tag in ("meta", "link"):
            self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text.append(data)


class Head:
    """The meta and link tags of a page's head, and its text (the title)."""

    def __init__(self, html: str) -> None:
        parser = _Head()
        parser.feed(html)
        self.tags = parser.tags
        self.title = "".join(parser.text).strip()

    def meta(self, key: str) -> list[str]:
        """The contents of every <meta name=KEY> or <meta property=KEY>."""
        return [
            attrs.get("content", "")
            for tag, attrs in self.tags
            if tag == "meta" and key in (attrs.get("name"), attrs.get("property"))
        ]

    def links(self, rel: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.tags if tag == "link" and attrs.get("rel") == rel]

    def canonical(self) -> str | None:
        found = self.links("canonical")
        assert len(found) <= 1
        return found[0]["href"] if found else None

    def says(self, text: str) -> bool:
        """Whether TEXT is anywhere in the meta and link tags' values."""
        return any(text in value for _, attrs in self.tags for value in attrs.values())


def head_of(client: Client, url: str, status: int = 200) -> Head:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return Head(response.content.decode())

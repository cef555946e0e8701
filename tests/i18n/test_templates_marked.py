"""Every word a template shows is marked for translation: a failure names the template, the
line and the words."""

from __future__ import annotations

from pathlib import Path

import pytest

import ficarchive
from tests.i18n.unmarked import Unmarked, has_words, rebuilt, unmarked_in

TEMPLATES = Path(ficarchive.__file__).parent / "templates"
SHOWN = {".html", ".txt", ".xml", ".xhtml", ".opf", ".ncx"}
ALL = sorted(p for p in TEMPLATES.rglob("*") if p.suffix in SHOWN)


def _name(path: Path) -> str:
    return str(path.relative_to(TEMPLATES))


@pytest.mark.parametrize("path", ALL, ids=_name)
def test_template_marks_every_word_it_shows(path: Path) -> None:
    found = unmarked_in(path, _name(path))
    assert not found, "Not marked for translation:\n" + "\n".join(map(str, found))


def test_the_check_finds_plain_text_and_seen_attributes(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>Preferences</h1>\n<input type="search" placeholder="Find works">\n'
        '<input type="submit" value="Go"><input type="hidden" name="kind" value="work">\n'
        '<a href="/x" title="{% translate "Home" %}">{{ name }}</a>\n'
        "{% blocktranslate %}Posted by {{ who }}{% endblocktranslate %}\n"
        "{# a note #}{% comment %}Not shown{% endcomment %}<script>var words = 1;</script>\n"
        "<p>{% translate 'Kudos' %}: {{ count }} · EPUB</p>\n",
        encoding="utf-8",
    )
    found = unmarked_in(page, "page.html")
    assert [(u.line, u.text) for u in found] == [(1, "Preferences"), (2, "Find works"), (3, "Go")]


def test_the_check_reads_mails_line_by_line(tmp_path: Path) -> None:
    mail = tmp_path / "mail.txt"
    mail.write_text(
        "{% load i18n %}{% translate 'Hello' %} {{ name }},\n\nThanks for reading.\n{{ url }}\n",
        encoding="utf-8",
    )
    assert [str(u) for u in unmarked_in(mail, "mail.txt")] == ["mail.txt:3: 'Thanks for reading.'"]


def test_names_of_formats_need_no_translation() -> None:
    assert not has_words("EPUB · PDF · AZW3 §")
    assert has_words("Download EPUB")
    assert rebuilt("a{{ b }}c{% if d %}e{% endif %}") == "a§c§e§"


def test_a_report_names_template_and_line() -> None:
    assert str(Unmarked("works/detail.html", 7, "Kudos")) == "works/detail.html:7: 'Kudos'"

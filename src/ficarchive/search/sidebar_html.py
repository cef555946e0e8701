"""The search sidebar drawn in plain Python, as the blurbs are: the filter form (from the address
alone, `sidebar.Sidebar`) and the tags of the results with their counts (`results.Found`). A
template would render some 150 nodes for it on every page that is not kept whole; this is one
pass of string joins. The form and the tag links are the same for every reader with the same
address and language, so nothing here depends on who asks.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

if TYPE_CHECKING:
    from ficarchive.search.results import FacetLink, Found
    from ficarchive.search.sidebar import Choice, Sidebar


def _options(choices: list[Choice]) -> str:
    return "".join(
        f'<option value="{escape(c.value)}"{" selected" if c.checked else ""}>'
        f"{escape(c.label)}</option>"
        for c in choices
    )


def _menu(name: str, label: str, choices: list[Choice]) -> str:
    return (
        f'  <div class="field">\n    <label for="search-{name}">{label}</label>\n'
        f'    <select id="search-{name}" name="{name}">\n      {_options(choices)}\n    </select>\n'
        "  </div>\n"
    )


def _text(name: str, label: str, value: str, placeholder: str, *, numeric: bool = False) -> str:
    mode = ' inputmode="numeric"' if numeric else ""
    return (
        f'  <div class="field">\n    <label for="search-{name}">{label}</label>\n'
        f'    <input type="text" id="search-{name}" name="{name}" value="{escape(value)}" '
        f'placeholder="{placeholder}"{mode}>\n  </div>\n'
    )


def _groups(sidebar: Sidebar) -> str:
    parts = []
    for outer, (legend, param, choices) in enumerate(sidebar.groups, start=1):
        items = []
        for inner, choice in enumerate(choices, start=1):
            field = f"search-{escape(param)}-{outer}-{inner}"
            checked = " checked" if choice.checked else ""
            items.append(
                f'<li><input type="checkbox" name="{escape(param)}" '
                f'value="{escape(choice.value)}" id="{field}"{checked}>\n'
                f'            <label for="{field}">{escape(choice.label)}</label></li>'
            )
        parts.append(
            f'    <fieldset class="field">\n      <legend>{escape(legend)}</legend>\n'
            f"      <ul>\n          {chr(10).join(items)}\n      </ul>\n    </fieldset>\n"
        )
    return "".join(parts)


def _form_labels() -> dict[str, str]:
    """The form's labels in the reader's language (plain calls, outside the f-strings, so that
    `makemessages` finds them)."""
    return {
        "filter_works": gettext("Filter works"),
        "search_text": gettext("Search text"),
        "include_tags": gettext("Include tags"),
        "leave_out_tags": gettext("Leave out tags"),
        "completion": gettext("Completion"),
        "language": gettext("Language"),
        "published": gettext("Published"),
        "updated": gettext("Updated"),
        "sort_by": gettext("Sort by"),
        "order": gettext("Order"),
        "search": gettext("Search"),
    }


def filter_form(sidebar: Sidebar) -> str:
    """The search form, filled in with what the address asked for."""
    e = escape
    suggestions = reverse("search:tag_suggestions")
    collection = ""
    if sidebar.collection:
        name = e(sidebar.collection)
        inside = gettext('In the collection <a href="/collections/%(name)s">%(name)s</a>')
        collection = (
            f'  <p class="search-collection"><input type="hidden" name="collection" '
            f'value="{name}">{inside % {"name": name}}</p>\n'
        )
    help_text = gettext(
        'Words, "exact phrases", -left out, OR, and kudos:&gt;100, words:&lt;5000, '
        "complete:true. The text is searched in titles, summaries, creators and tags."
    )
    include_help = gettext(
        "Separate tags with commas. Synonyms and sub-fandoms count; short forms such as "
        "“Harry/Draco” are read as when posting."
    )
    body = " checked" if sidebar.body else ""
    chapters_too = gettext("Also search the chapters' text")
    t = _form_labels()
    ranges = "".join(
        _text(e(param), e(label), value, "100-500", numeric=True)
        for param, label, value in sidebar.ranges
    )
    return (
        f'<form method="get" action="{reverse("search:works")}" role="search" '
        f'aria-label="{t["filter_works"]}" class="search-filters" id="search-filters">\n'
        f"{collection}"
        f'  <div class="field">\n    <label for="search-q">{t["search_text"]}</label>\n'
        f'    <input type="search" id="search-q" name="q" value="{e(sidebar.q)}" '
        f'aria-describedby="search-q-help">\n'
        f'    <p class="help" id="search-q-help">{help_text}</p>\n'
        f'    <p><input type="checkbox" name="body" value="true" id="search-body"{body}>\n'
        f'      <label for="search-body">{chapters_too}</label></p>\n'
        "  </div>\n"
        '  <div class="field">\n'
        f'    <label for="search-include">{t["include_tags"]}</label>\n'
        f'    <input type="text" id="search-include" name="include" '
        f'value="{e(sidebar.include_text)}" aria-describedby="search-include-help" '
        f'autocomplete="off"\n      hx-get="{suggestions}" hx-vals=\'{{"field": "include"}}\' '
        'hx-trigger="input changed delay:250ms" hx-sync="this:replace" '
        'hx-target="next .tag-suggestions">\n'
        '    <div class="tag-suggestions" data-tags-for="search-include" aria-live="polite">'
        "</div>\n"
        f'    <p class="help" id="search-include-help">{include_help}</p>\n'
        "  </div>\n"
        '  <div class="field">\n'
        f'    <label for="search-exclude">{t["leave_out_tags"]}</label>\n'
        f'    <input type="text" id="search-exclude" name="exclude" '
        f'value="{e(sidebar.exclude_text)}" autocomplete="off"\n      hx-get="{suggestions}" '
        'hx-vals=\'{"field": "exclude"}\' hx-include="#search-include" '
        'hx-trigger="input changed delay:250ms" hx-sync="this:replace" '
        'hx-target="next .tag-suggestions">\n'
        '    <div class="tag-suggestions" data-tags-for="search-exclude" aria-live="polite">'
        "</div>\n"
        "  </div>\n"
        f"{_groups(sidebar)}"
        f"{_menu('complete', t['completion'], sidebar.complete)}"
        f"{_menu('lang', t['language'], sidebar.languages)}"
        f"{ranges}"
        f"{_text('published', t['published'], sidebar.published, '2024-01-01..2024-12-31')}"
        f"{_text('updated', t['updated'], sidebar.updated, '2024-01-01..')}"
        f"{_menu('sort', t['sort_by'], sidebar.sorts)}"
        f"{_menu('order', t['order'], sidebar.orders)}"
        f'  <p><button type="submit">{t["search"]}</button></p>\n'
        "</form>\n"
    )


def _link(link: FacetLink) -> str:
    name = escape(link.name)
    shown = name if link.chosen else f'<a href="{escape(link.url)}">{name}</a>'
    return f"<li>{shown} ({link.count})</li>"


def facet_links(facets: list[tuple[str, list[FacetLink]]]) -> str:
    """The tags of the results by type, each with its count and the address that adds it."""
    if not facets:
        return ""
    groups = "".join(
        f"      <h3>{escape(label)}</h3>\n      <ul>\n          "
        + "\n          ".join(_link(link) for link in links)
        + "\n      </ul>\n"
        for label, links in facets
    )
    heading = gettext("Tags in these results")
    return (
        '  <nav aria-labelledby="search-facets" class="facets">\n'
        f'    <h2 id="search-facets">{heading}</h2>\n'
        f"{groups}  </nav>\n"
    )


def filters_sidebar(sidebar: Sidebar, found: Found | None, *, open_panel: bool) -> SafeString:
    """The sidebar: a panel the "Filters" button opens on narrow screens (a <details>, no
    script), beside the results on wide ones; OPEN_PANEL shows it open everywhere."""
    opened = " open" if open_panel else ""
    filters = gettext("Filters")
    facets = facet_links(found.facets) if found else ""
    return mark_safe(  # every value above is escaped
        f'<aside class="search-sidebar" aria-label="{filters}">\n'
        f'<details class="filters-panel"{opened}>\n<summary>{filters}</summary>\n'
        f"{filter_form(sidebar)}{facets}</details>\n</aside>\n"
    )

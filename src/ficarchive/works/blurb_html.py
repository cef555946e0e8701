"""A work's byline and the body of its blurb (what a listing shows of it), as HTML.

Drawn in plain Python rather than by a template: a listing draws twenty blurbs of about a
hundred values each, and the template language took more than a millisecond a blurb, most of
the search page's time when its blurbs are not in the cache. Every value goes through `_e`
(the escaping Django's templates do, without their lazy-string checks), except the summary,
which is stored already cleaned (`ficarchive.text`). The template tags `byline` and
`blurb_body` (`works/templatetags/works.py`) put these in templates.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ficarchive.social.panels import stats_of
from ficarchive.tags.models import TagType
from ficarchive.text.images import guard_images

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ficarchive.tags.models import Tag
    from ficarchive.works.models import Work


def _e(value: object) -> str:
    """VALUE as text, escaped for HTML: what `{{ value }}` does in a template."""
    return html.escape(str(value))


def _byline(work: Work) -> str:
    links = []
    for credit in work.creator_credits:
        p = credit.pseud
        link = f'<a rel="author" href="{_e(p.get_absolute_url())}">{_e(p.byline)}</a>'
        if credit.archived_for:  # imported by an archivist for its author (works/archived.py)
            archivist = _("[archived by %(archivist)s]") % {"archivist": link}
            link = f'{_e(credit.archived_for)} <span class="archivist">{archivist}</span>'
        links.append(link)
    return ", ".join(links) or _("Anonymous")


def byline(work: Work) -> SafeString:
    """The creators' pseuds as links, in byline order, or "Anonymous"; a work an archivist
    imported for its author reads "Author [archived by Archivist]"."""
    return mark_safe(_byline(work))


def _links(tags: Iterable[Tag], classes: str, strong: bool = False) -> list[str]:
    """A link to each tag's works."""
    inside = "<strong>{}</strong>" if strong else "{}"
    return [
        f'<a class="{classes}" href="{_e(t.get_absolute_url())}">{inside.format(_e(t.name))}</a>'
        for t in tags
    ]


def _items(links: list[str]) -> str:
    return "".join(f"<li>{link}</li>" for link in links)


def _revealed(summary: str, links: list[str]) -> str:
    """Tags the reader chose to see only on demand, behind a "Show ..." summary."""
    return (
        f'<li><details class="reveal"><summary>{summary}</summary>{", ".join(links)}</details></li>'
    )


def _tag_list(tags: dict[str, list[Tag]], user: Any) -> str:
    warnings, freeforms = tags[TagType.WARNING], tags[TagType.FREEFORM]
    relationships, characters = tags[TagType.RELATIONSHIP], tags[TagType.CHARACTER]
    if not (warnings or relationships or characters or freeforms):
        return ""
    if getattr(user, "hide_warnings", False):
        parts = [_revealed(_("Show warnings"), _links(warnings, "tag warning"))]
    else:
        parts = [_items(_links(warnings, "tag warning", strong=True))]
    parts.append(_items(_links(relationships, "tag relationship")))
    parts.append(_items(_links(characters, "tag character")))
    if freeforms and getattr(user, "hide_freeform", False):
        parts.append(_revealed(_("Show additional tags"), _links(freeforms, "tag freeform")))
    else:
        parts.append(_items(_links(freeforms, "tag freeform")))
    shown = "\n    ".join(part for part in parts if part)
    label = _("Tags")
    return f'\n  <ul class="tags commas" aria-label="{_e(label)}">\n    {shown}\n  </ul>'


def _badges(work: Work, tags: dict[str, list[Tag]]) -> str:
    ratings = tags[TagType.RATING]
    complete = (
        ("complete", _("Complete")) if work.is_complete else ("in-progress", _("In progress"))
    )
    rating = _e(ratings[0].name) if ratings else _("Not Rated")
    badges = [
        f'<li class="badge rating">{rating}</li>',
        *(f'<li class="badge category">{_e(t.name)}</li>' for t in tags[TagType.CATEGORY]),
        '<li class="badge {}">{}</li>'.format(*complete),
    ]
    if work.restricted:
        badges.append('<li class="badge restricted">{}</li>'.format(_("Registered users only")))
    if work.is_draft:
        badges.append('<li class="badge draft">{}</li>'.format(_("Draft")))
    return "\n      ".join(badges)


def _stats(work: Work) -> str:
    stats = stats_of(work)
    counts = (
        (_("Kudos:"), stats.kudos),
        (_("Comments:"), stats.comments),
        (_("Bookmarks:"), stats.bookmarks),
        (_("Hits:"), stats.hits),
    )
    return "".join(f"<dt>{label}</dt><dd>{intcomma(n)}</dd>" for label, n in counts if n)


def blurb_body(work: Work, user: Any) -> SafeString:
    """What a listing shows of WORK (read with `Work.objects.with_blurb_data()`), the same for
    every reader USER with the same display preferences and time zone."""
    tags: dict[str, list[Tag]] = {kind: [] for kind in TagType}
    for tag in work.all_tags:
        tags.setdefault(tag.type, []).append(tag)
    summary = (
        # cleaned when saved; remote images as FICARCHIVE_REMOTE_IMAGES says
        f'\n  <blockquote class="summary userstuff">{guard_images(work.summary)}</blockquote>'
        if work.summary
        else ""
    )
    series = "".join(
        '\n  <p class="series">%s</p>'
        % (
            _('Part %(position)s of <a href="%(url)s">%(title)s</a>')
            % {
                "position": part.position,
                "url": _e(part.series.get_absolute_url()),
                "title": _e(part.series.title),
            }
        )
        for part in work.series_parts.all()
    )
    updated = date(localtime(work.updated_at), "DATE_FORMAT") if work.updated_at else ""
    by = _("by %(creators)s") % {"creators": _byline(work)}
    # Each label read here, outside the f-string below: xgettext cannot see into f-strings.
    fandoms_label = _("Fandoms:")
    badges_label = _("Rating, warnings, categories and completion")
    language_label, words_label = _("Language:"), _("Words:")
    chapters_label = _("Chapters:")
    return mark_safe(
        f"""
  <div class="blurb-head">
    <h3 class="blurb-title"><a href="{_e(work.get_absolute_url())}">{_e(work.title)}</a>
      <span class="byline">{by}</span></h3>
    <p class="fandoms"><span class="visually-hidden">{fandoms_label}</span>
      {", ".join(_links(tags[TagType.FANDOM], "tag"))}</p>
    <ul class="badges" aria-label="{_e(badges_label)}">
      {_badges(work, tags)}
    </ul>
    <p class="datetime">{_e(updated)}</p>
  </div>{_tag_list(tags, user)}{summary}{series}
  <dl class="stats">
    <dt>{language_label}</dt><dd>{_e(work.language_name)}</dd>
    <dt>{words_label}</dt><dd>{intcomma(work.word_count)}</dd>
    <dt>{chapters_label}</dt><dd>{_e(work.chapters_display)}</dd>
    {_stats(work)}
  </dl>
"""
    )

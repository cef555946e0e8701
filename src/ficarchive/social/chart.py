"""A small server-side SVG line chart for the creators' stats page: no JavaScript, no library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
COLOURS = {
    "hits": "#2a6fb0",
    "kudos": "#c0392b",
    "comments": "#27824a",
    "bookmarks": "#8e44ad",
    "subscriptions": "#a0620a",
}
LEGEND_STEP = 116  # five series side by side within the width


@dataclass(frozen=True)
class Series:
    name: str  # which count (its colour)
    values: list[int]
    label: str = ""  # its name in the reader's language; NAME if empty

    @property
    def shown(self) -> str:
        return self.label or self.name


def line_chart(days: list[date], series: list[Series], title: str) -> SafeString:
    """An accessible SVG chart (role="img" with a title and a description of the totals)."""
    peak = max([1, *(max(s.values, default=0) for s in series)])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(days) - 1, 1)

    def point(index: int, value: int) -> str:
        return f"{LEFT + index * step:.1f},{TOP + plot_h - value / peak * plot_h:.1f}"

    lines = format_html_join(
        "",
        '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"><title>{}</title>'
        "</polyline>",
        (
            (
                COLOURS.get(s.name, "#555"),
                " ".join(point(i, v) for i, v in enumerate(s.values)),
                s.shown,
            )
            for s in series
        ),
    )
    legend = format_html_join(
        "",
        '<text x="{}" y="{}" fill="{}" font-size="12">{} ({})</text>',
        (
            (
                LEFT + 8 + n * LEGEND_STEP,
                TOP + 12,
                COLOURS.get(s.name, "#555"),
                s.shown,
                sum(s.values),
            )
            for n, s in enumerate(series)
        ),
    )
    totals = pgettext("list separator", ", ").join(
        _("%(series)s: %(total)s") % {"series": s.shown, "total": sum(s.values)} for s in series
    )
    first, last = (days[0], days[-1]) if days else (None, None)
    description = _("From %(first)s to %(last)s, per day. Totals: %(totals)s.") % {
        "first": first or "",
        "last": last or "",
        "totals": totals,
    }
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="chart-title">{title}</title>'
        '<desc id="chart-desc">{description}</desc>'
        '<line x1="{l}" y1="{base}" x2="{right}" y2="{base}" stroke="currentColor"/>'
        '<line x1="{l}" y1="{t}" x2="{l}" y2="{base}" stroke="currentColor"/>'
        '<text x="{tx}" y="{ty}" font-size="11" text-anchor="end" fill="currentColor">{peak}</text>'
        '<text x="{tx}" y="{base}" font-size="11" text-anchor="end" fill="currentColor">0</text>'
        '<text x="{l}" y="{dy}" font-size="11" fill="currentColor">{first}</text>'
        '<text x="{right}" y="{dy}" font-size="11" text-anchor="end" fill="currentColor">{last}'
        "</text>{lines}{legend}</svg>",
        w=WIDTH,
        h=HEIGHT,
        title=title,
        first=first or "",
        last=last or "",
        description=description,
        l=LEFT,
        t=TOP,
        base=TOP + plot_h,
        right=WIDTH - RIGHT,
        tx=LEFT - 4,
        ty=TOP + 10,
        dy=HEIGHT - 8,
        peak=peak,
        lines=lines,
        legend=legend,
    )

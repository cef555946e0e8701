"""A creator's stats: per-work totals and a chart of the last days."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import ngettext, pgettext_lazy

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.pages import paginate
from ficarchive.social.chart import Series, line_chart
from ficarchive.social.hits import flush_if_free
from ficarchive.social.models.stats import daily_totals
from ficarchive.works.models import Work

CHART_DAYS = 30
# Each charted count and its name in the legend and the chart's description.
CHARTED = (
    ("hits", pgettext_lazy("chart series", "hits")),
    ("kudos", pgettext_lazy("chart series", "kudos")),
    ("comments", pgettext_lazy("chart series", "comments")),
    ("bookmarks", pgettext_lazy("chart series", "bookmarks")),
    ("subscriptions", pgettext_lazy("chart series", "subscriptions")),
)


@login_required
def stats(request: AuthedRequest) -> HttpResponse:
    """The signed-in creator's works with their counts, and a chart over the last 30 days
    of all of them, or of one (GET work=<id>, one of the creator's own works)."""
    flush_if_free()  # the owner sees their latest, unless the database is busy
    works = Work.objects.by_user(request.user).posted().select_related("stats").order_by("title")
    wanted = request.GET.get("work", "")
    charted = get_object_or_404(works, pk=wanted if wanted.isdigit() else 0) if wanted else None
    last = timezone.now().date()
    first = last - timedelta(days=CHART_DAYS - 1)
    ids = [charted.pk] if charted else list(works.values_list("id", flat=True))
    days = daily_totals(ids, first, last)
    if charted:
        title = ngettext(
            "“%(title)s”, the last %(days)s day", "“%(title)s”, the last %(days)s days", CHART_DAYS
        ) % {"title": charted.title, "days": CHART_DAYS}
    else:
        title = ngettext(
            "Your works, the last %(days)s day", "Your works, the last %(days)s days", CHART_DAYS
        ) % {"days": CHART_DAYS}
    chart = line_chart(
        list(days),
        [
            Series(name, [counts[name] for counts in days.values()], str(label))
            for name, label in CHARTED
        ],
        title,
    )
    context = {**paginate(request, works), "chart": chart, "charted": charted}
    return render(request, "social/stats.html", context)

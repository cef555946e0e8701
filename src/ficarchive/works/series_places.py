"""Where a work stands in its series, as a reader sees it: "Part 2 of 3" and the parts before
and after, counting only the parts the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ficarchive.works.models import Series, SeriesPart, Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ficarchive.accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class SeriesLink:
    """Where a work stands in one of its series, counting only the parts the reader can see."""

    series: Series
    number: int
    total: int
    before: SeriesPart | None
    after: SeriesPart | None
    unposted: bool = False  # a draft or hidden work: its place once readers see it


def series_neighbours(work: Work, user: AnyUser) -> list[SeriesLink]:
    """For each series the work is in: "Part 2 of 3", and the visible parts before and after.

    All of the work's series at once, in one query.
    """
    own = list(work.series_parts.all())
    if not own:
        return []
    siblings: dict[int, list[SeriesPart]] = {}
    visible = SeriesPart.objects.filter(
        series__in=[part.series_id for part in own],
        work__in=Work.objects.visible_to(user).posted(),
    )
    for sibling in visible.select_related("work").order_by("position"):
        siblings.setdefault(sibling.series_id, []).append(sibling)
    links = []
    for part in own:
        parts = siblings.get(part.series_id, [])
        index = next((i for i, p in enumerate(parts) if p.pk == part.pk), None)
        if index is None:  # the work itself is a draft or hidden: only its creators see it
            number = 1 + sum(1 for p in parts if p.position < part.position)
            links.append(SeriesLink(part.series, number, len(parts) + 1, None, None, unposted=True))
            continue
        links.append(
            SeriesLink(
                series=part.series,
                number=index + 1,
                total=len(parts),
                before=parts[index - 1] if index > 0 else None,
                after=parts[index + 1] if index + 1 < len(parts) else None,
            )
        )
    return links

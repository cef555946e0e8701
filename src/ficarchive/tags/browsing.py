"""What the Fandoms pages show: canonical fandoms by media type, with the works a reader may
see under each (counted by the search index), grouped by their first letter."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import get_script_prefix

from ficarchive.tags.models import MediaType, Tag, TagType, tag_address, works_address

TOP_PER_MEDIA = 5  # fandoms shown for each media type on /media
LETTERS_APART_OVER = 500  # a type with more fandoms than this shows one letter at a time
OTHER = "#"  # the heading of names that do not start with a letter


@dataclass(frozen=True)
class FandomCount:
    name: str
    works: int

    @property
    def page_url(self) -> str:
        return tag_address("tags:fandom", self.name, get_script_prefix())

    @property
    def works_url(self) -> str:
        return works_address(self.name, get_script_prefix())


@dataclass
class MediaSummary:
    media: MediaType
    fandoms: int = 0
    top: list[FandomCount] = field(default_factory=list)


def letter_of(name: str) -> str:
    """The heading a fandom is listed under: its first letter, upper-cased, or "#"."""
    first = name[:1]
    return first.upper() if first.isalpha() else OTHER


# The summaries of the last counts summed up: the counts the search index keeps for readers
# without standing filters are the same dict until they change, and so are their summaries
# (the canonical fandoms are read again only then: 46 ms for 25,000 fandoms).
_last_summed: tuple[dict[int, int], list[MediaSummary]] | None = None


def media_summaries(counts: dict[int, int]) -> list[MediaSummary]:
    """Every media type with how many fandoms have works to see and the most-used few.

    COUNTS maps canonical fandom ids to visible works; fandoms missing from it are left out."""
    global _last_summed
    last = _last_summed
    if last is not None and last[0] is counts:
        return last[1]
    found = _summed(counts)
    _last_summed = (counts, found)
    return found


def _summed(counts: dict[int, int]) -> list[MediaSummary]:
    summaries = {media.value: MediaSummary(media) for media in MediaType}
    fandoms = Tag.objects.canonical().of_type(TagType.FANDOM).values_list("id", "name", "media")
    for pk, name, media in fandoms.iterator(chunk_size=5000):
        works = counts.get(pk)
        if works:
            summary = summaries[media]
            summary.fandoms += 1
            summary.top.append(FandomCount(name, works))
            if len(summary.top) > TOP_PER_MEDIA * 20:  # keep the list short as it grows
                summary.top = _most_used(summary.top)
    for summary in summaries.values():
        summary.top = _most_used(summary.top)
    return list(summaries.values())


def _most_used(fandoms: list[FandomCount]) -> list[FandomCount]:
    return sorted(fandoms, key=lambda f: (-f.works, f.name.lower()))[:TOP_PER_MEDIA]


def fandoms_by_letter(media: MediaType, counts: dict[int, int]) -> dict[str, list[FandomCount]]:
    """The canonical fandoms of MEDIA that have works to see, A-Z under their first letters
    ("#" first, for names that start with a digit or a sign)."""
    fandoms = (
        Tag.objects.canonical()
        .of_type(TagType.FANDOM)
        .filter(media=media.value)
        .values_list("id", "name")
    )
    found = [
        FandomCount(name, counts[pk])
        for pk, name in fandoms.iterator(chunk_size=5000)
        if pk in counts
    ]
    found.sort(key=lambda f: (f.name.lower(), f.name))
    grouped: dict[str, list[FandomCount]] = {}
    for fandom in found:
        grouped.setdefault(letter_of(fandom.name), []).append(fandom)
    return dict(sorted(grouped.items(), key=lambda item: (item[0] != OTHER, item[0])))

"""Tags and collections met in a search: the works of the tags an include or exclude names
(through synonyms and sub-fandoms, big tags from their bitmaps, rare ones from the database),
and the works of a collection (from the database: its approved works, and those of its
sub-collections). A part of `engine.Index` (a mixin: the index holds the data)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from pyroaring import BitMap

from ficarchive.search.query import BadQuery
from ficarchive.search.reading import TAG_TYPES
from ficarchive.tags.models import Tag, clean_tag_name
from ficarchive.works.models import Tagging

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ficarchive.search.bitmaps import TagBitmaps


class TagLookups:
    """The tag lookups of `engine.Index`."""

    live: BitMap
    by_tag: TagBitmaps
    tag_size: NDArray[Any]
    tag_type: NDArray[Any]
    tag_top: NDArray[Any]
    _covered: dict[str, tuple[frozenset[int], bool]]

    def _load_tags(self, ids: list[int] | None = None) -> None:
        raise NotImplementedError

    def works_in_collection(self, name: str) -> BitMap:
        """The listed works of the collection called NAME and of its sub-collections;
        BadQuery when there is no such collection."""
        from ficarchive.collections.models import Collection, CollectionItem

        found = Collection.objects.filter(name=name.lower()).first()
        if found is None:
            reason = _("no collection is called “%(name)s”.") % {"name": name}
            raise BadQuery("collection", reason)
        items = CollectionItem.objects.listed().filter(collection__in=found.with_children())
        return BitMap(items.values_list("work_id", flat=True)) & self.live

    def _tag_ids(self, name: str) -> list[int]:
        """The tags named NAME (one per type), through the (type, lower(name)) index."""
        named = Tag.objects.alias(lowered=Lower("name")).filter(
            type__in=TAG_TYPES, lowered=Lower(Value(clean_tag_name(name)))
        )
        return list(named.values_list("id", flat=True))

    def works_of_tags(self, tag_ids: Iterable[int]) -> BitMap:
        """The listed works with any of these tags (as typed)."""
        wanted = set(tag_ids)
        maps = [self.by_tag[t] for t in wanted if t in self.by_tag]
        found = BitMap.union(*maps) if maps else BitMap()
        small = [
            t
            for t in wanted
            if t not in self.by_tag and t < len(self.tag_size) and self.tag_size[t] > 0
        ]
        if small:
            uses = Tagging.objects.filter(tag_id__in=small).values_list("work_id", flat=True)
            found |= BitMap(uses) & self.live
        return found

    def tag_bitmap(self, name: str) -> tuple[BitMap, bool]:
        """Works under the tags named NAME (any type), through synonyms and sub-fandoms."""
        key = clean_tag_name(name).lower()
        if key not in self._covered:
            if len(self._covered) > 10_000:
                self._covered.clear()
            self._covered[key] = self._covered_by_name(name)
        covered, known = self._covered[key]
        return self.works_of_tags(covered), known

    def tag_id_bitmap(self, tag_id: int) -> BitMap:
        """Works under the tag TAG_ID, through its synonyms and sub-fandoms (a tag's page)."""
        key = f"#{tag_id}"
        if key not in self._covered:
            if len(self._covered) > 10_000:
                self._covered.clear()
            self._covered[key] = self._covering([tag_id])
        return self.works_of_tags(self._covered[key][0])

    def known_names(self, names: Iterable[str]) -> set[str]:
        """Of NAMES, those this process's searches found a tag for (kept until tags change)."""
        found = set()
        for name in names:
            kept = self._covered.get(clean_tag_name(name).lower())
            if kept is not None and kept[1]:
                found.add(name)
        return found

    def _covered_by_name(self, name: str) -> tuple[frozenset[int], bool]:
        """The tags an include or exclude of NAME covers (kept until tags change)."""
        return self._covering(self._tag_ids(name))

    def _covering(self, found: list[int]) -> tuple[frozenset[int], bool]:
        """The tags a filter on any of the tags FOUND covers, and whether there were any."""
        unseen = [t for t in found if t >= len(self.tag_top) or self.tag_type[t] < 0]
        if unseen:
            self._load_tags(unseen)
        covered: set[int] = set()
        for tag_id in found:
            if tag_id >= len(self.tag_top):  # no such tag (deleted since)
                continue
            top = int(self.tag_top[tag_id])
            kind = int(self.tag_type[top] if self.tag_type[top] >= 0 else self.tag_type[tag_id])
            tag = Tag(pk=top, type=TAG_TYPES[kind])
            covered.update(Tag.objects.covered_by(tag).values_list("id", flat=True))
        return frozenset(covered), bool(found)

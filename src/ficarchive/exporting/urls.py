"""Downloads, the OPDS catalog at /opds (OPDS 1.2, Atom) and /opds2 (OPDS 2.0, JSON), Atom feeds
beside the pages they follow, the feeds page.

Every catalog address also exists under /opds/token/TOKEN (/opds2/token/TOKEN), for apps that
use a feed token.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, path, register_converter

from ficarchive.exporting.views import atom, downloads, opds, tokens
from ficarchive.tags.naming import TagNameConverter


class FormatConverter:
    regex = "epub|html|txt"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "format")

CATALOG: list[tuple[str, Callable[..., HttpResponse], str]] = [
    ("", opds.root, "root"),
    ("/recent", opds.recent, "recent"),
    ("/fandoms", opds.fandoms, "fandoms"),
    ("/tags", opds.tags, "tags"),
    ("/tags/<opdstag:name>", opds.tag, "tag"),
    ("/users/<str:username>", opds.user, "user"),
    ("/users/<str:username>/pseuds/<str:pseud>", opds.pseud, "pseud"),
    ("/series/<int:series_id>", opds.series, "series"),
    ("/collections/<slug:name>", opds.collection, "collection"),
    ("/mine", opds.mine, "mine"),
    ("/bookmarks", opds.bookmarks, "bookmarks"),
    ("/later", opds.later, "later"),
    ("/search", opds.search, "search"),
    ("/search.xml", opds.opensearch, "opensearch"),
    ("/works/<int:work_id>.<format:fmt>", downloads.app_work, "download"),
    ("/shelves", opds.shelves, "shelves"),
    ("/shelves/<int:shelf_id>", opds.shelf, "shelf"),
    ("/shelves/<int:shelf_id>.<format:fmt>", downloads.app_shelf, "shelf_download"),
]
register_converter(TagNameConverter, "opdstag")


def _catalog() -> list[URLPattern]:
    routes = []
    for prefix in ("opds", "opds2"):
        for route, view, name in CATALOG:
            routes.append(path(f"{prefix}{route}", view, name=f"{prefix}_{name}"))
            token_route = f"{prefix}/token/<str:token>{route}"
            routes.append(path(token_route, view, name=f"{prefix}_{name}_token"))
    return routes


app_name = "exporting"
urlpatterns = [
    path("downloads/works/<int:work_id>.<format:fmt>", downloads.work, name="work_download"),
    path(
        "downloads/series/<int:series_id>.<format:fmt>",
        downloads.series,
        name="series_download",
    ),
    path("downloads/shelves/<int:shelf_id>.<format:fmt>", downloads.shelf, name="shelf_download"),
    *_catalog(),
    path("tags/<opdstag:name>/feed.atom", atom.tag, name="atom_tag"),
    path("users/<str:username>/feed.atom", atom.user, name="atom_user"),
    path("users/<str:username>/pseuds/<str:pseud>/feed.atom", atom.pseud, name="atom_pseud"),
    path("series/<int:series_id>/feed.atom", atom.series, name="atom_series"),
    path("collections/<slug:name>/feed.atom", atom.collection, name="atom_collection"),
    path("works/<int:work_id>/feed.atom", atom.work, name="atom_work"),
    path("feeds/personal/<str:token>.atom", atom.personal, name="atom_personal"),
    path("feeds/personal", atom.personal, name="atom_personal_id"),
    path("feeds", tokens.feeds, name="feeds"),
    path("feeds/token/new", tokens.new_token, name="new_token"),
    path("feeds/token/revoke", tokens.revoke_token, name="revoke_token"),
]

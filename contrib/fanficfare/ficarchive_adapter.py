"""A FanFicFare adapter for a ficarchive site, built on FanFicFare's base for the OTW archives.

ficarchive's work, chapter, chapter-index and series pages use AO3's markup, so FanFicFare's
`BaseOTWAdapter` reads them as it reads AO3's; this adapter adds only what differs: the
archive's own host name, its log-in form, and its series pages. See README.md beside this file.

Three ways to use it:

    python ficarchive_adapter.py --site archive.example.org -- [fanficfare options] URL...

runs FanFicFare's command line with the adapter registered for that host. From Python,
`register("archive.example.org")` and then FanFicFare's own functions. For the calibre plugin,
copy this file into the plugin's `fanficfare/adapters/` with SITE_DOMAIN set (README.md).

`--site http://host:port` (the scheme given) reads a local archive over plain HTTP.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from typing import Any

try:  # inside FanFicFare's adapters package, as the calibre plugin holds it
    from .. import exceptions  # type: ignore[import-not-found]
    from .base_otw_adapter import BaseOTWAdapter  # type: ignore[import-not-found]
except ImportError:  # beside an installed fanficfare (pip install fanficfare)
    from fanficfare import exceptions
    from fanficfare.adapters.base_otw_adapter import BaseOTWAdapter

logger = logging.getLogger(__name__)

# The archive's host name, for a copy placed inside FanFicFare's adapters package.
SITE_DOMAIN = "archive.example.org"

# What FanFicFare's defaults.ini gives AO3's section, for the [ficarchive] section: the
# metadata the OTW base reads (fandoms, additional tags, categories, chapters x/y...) and where
# it goes. A [ficarchive] or [archive.example.org] section of personal.ini overrides any of it.
SERIES = [f"series0{n}{kind}" for n in range(4) for kind in ("", "Url", "HTML")]
CONFIG_DEFAULTS = {
    "extra_valid_entries": ", ".join(
        [
            "fandoms",
            "freeformtags",
            "ao3categories",
            "comments",
            "chapterslashtotal",
            "kudos",
            "hits",
            "bookmarks",
            "byline",
            "restricted",
            *SERIES,
        ]
    ),
    "fandoms_label": "Fandoms",
    "freeformtags_label": "Freeform Tags",
    "ao3categories_label": "AO3 Categories",
    "comments_label": "Comments",
    "chapterslashtotal_label": "Chapters/Total Chapters",
    "kudos_label": "Kudos",
    "hits_label": "Hits",
    "bookmarks_label": "Bookmarks",
    "restricted_label": "Restricted to Registered Users",
    "series00HTML_label": "Series",
    "series01HTML_label": "Additional Series",
    "series02HTML_label": "Additional Series",
    "series03HTML_label": "Additional Series",
    "make_linkhtml_entries": "series00,series01,series02,series03",
    "include_in_genre": "genre, freeformtags, ao3categories",
    "include_in_category": "category,fandoms",
}
CONFIG_SECTION = "ficarchive"

LOGIN_FORM = re.compile(r'<form[^>]+action="/login(\?[^"]*)?"')
LOGGED_IN = 'action="/logout"'
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class FicarchiveAdapter(BaseOTWAdapter):  # type: ignore[misc]
    """A ficarchive site: AO3's pages as far as FanFicFare reads them, Django's log-in form."""

    site_domain = SITE_DOMAIN
    scheme = "https"

    def __init__(self, config: Any, url: str) -> None:
        if not config.has_section(CONFIG_SECTION):
            config.add_section(CONFIG_SECTION)
        for key, value in CONFIG_DEFAULTS.items():
            if not config.has_option(CONFIG_SECTION, key):
                config.set(CONFIG_SECTION, key, value)
        config.reset_cached_config()
        BaseOTWAdapter.__init__(self, config, url)
        self.story.setMetadata("siteabbrev", "fica")

    @classmethod
    def getSiteDomain(cls) -> str:
        return cls.site_domain

    @classmethod
    def getConfigSections(cls) -> list[str]:
        """[base_otw], then [ficarchive] (every ficarchive site), then the site's own."""
        return ["base_otw", CONFIG_SECTION, cls.getConfigSection()]

    def mod_url_request(self, url: str) -> str:
        """FanFicFare writes every address with https://; a plain-HTTP archive gets http://."""
        if self.scheme == "http":
            return re.sub(r"^https://", "http://", url)
        return url

    def _site(self, path: str) -> str:
        return f"https://{self.getSiteDomain()}{path}"

    # --- logging in: Django's form, not AO3's token dispenser ------------------------------

    def needToLoginCheck(self, data: str) -> bool:
        """A work open to registered users only sends a guest to the log-in form."""
        return bool(LOGIN_FORM.search(data)) or BaseOTWAdapter.needToLoginCheck(self, data)

    def performLogin(self, url: str, data: str) -> bool:
        username = self.username if self.password else self.getConfig("username")
        password = self.password or self.getConfig("password")
        if not username or not password:
            raise exceptions.FailedToLogin(url, username or "(no username set)")
        form_url = self._site("/login")
        form = self.get_request(form_url, usecache=False)
        token = CSRF_FIELD.search(form)
        if token is None:
            raise exceptions.FailedToDownload(f"No log-in form at {form_url}")
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": password,
        }
        logger.info("Logging in to %s as %s", form_url, username)
        answer = self.post_request(form_url, fields, referer=self.mod_url_request(form_url))
        if LOGGED_IN not in answer:
            raise exceptions.FailedToLogin(url, username)
        return True

    # --- series pages ----------------------------------------------------------------------

    def get_series_from_page(self, url: str, data: str, normalize: bool = False) -> dict[str, Any]:
        """The works of a series page (every page of it), its name, description and status."""
        found = re.match(self.getSiteURLPattern().replace("/works/", "/series/"), url)
        if not (found and found.group("id")):
            return {}
        soup = self.make_soup(data)
        urls: list[str] = []
        page = soup
        seen = {url}
        while True:
            urls += [
                self._site(link["href"])
                for link in page.select("ol.blurbs li.blurb .blurb-title > a:first-child")
            ]
            following = page.select_one('nav.pagination a[rel="next"]')
            if following is None:
                break
            address = self._site(f"/series/{found.group('id')}{following['href']}")
            if address in seen:
                break
            seen.add(address)
            page = self.make_soup(self.get_request(address))
        series: dict[str, Any] = {"urllist": urls}
        name = soup.select_one("div.series-show .heading")
        if name is not None:
            series["name"] = name.get_text(" ", strip=True)
        description = soup.select_one("dl.series blockquote.userstuff")
        if description is not None:
            description.name = "div"
            series["desc"] = description
        stats = soup.select_one("dl.series dl.stats")
        if stats is not None:
            complete = stats.select_one("dd.complete")
            if complete is not None:
                done = complete.get_text(strip=True) == "Yes"
                series["status"] = "Completed" if done else "In-Progress"
        return series


def getClass() -> type[FicarchiveAdapter]:
    return FicarchiveAdapter


def register(site: str) -> type[FicarchiveAdapter]:
    """Make FanFicFare read SITE ("archive.example.org", or "http://host:port" for plain HTTP)
    with this adapter, in this process; the adapter class made for it."""
    from fanficfare import adapters

    scheme, _, host = site.rstrip("/").rpartition("://")
    if scheme not in ("", "http", "https") or not host or "/" in host:
        raise ValueError(f"--site {site!r}: give a host name, or http(s)://host[:port]")
    made = type(
        "FicarchiveAdapter",
        (FicarchiveAdapter,),
        {"site_domain": host.lower(), "scheme": scheme or "https"},
    )
    registry = vars(adapters)
    registry["__class_list"].append(made)
    registry["__domain_map"].setdefault(host.lower(), []).insert(0, made)
    return made


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="FanFicFare's command line, reading a ficarchive site.",
        epilog="Everything after -- goes to fanficfare (try: -- --help).",
    )
    parser.add_argument(
        "--site",
        required=True,
        help="the archive's host name (archive.example.org), or http://host:port",
    )
    parser.add_argument("fanficfare_args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    try:
        register(options.site)
    except ValueError as error:
        parser.error(str(error))
    rest = options.fanficfare_args
    from fanficfare.cli import main as fanficfare_main

    fanficfare_main(rest[1:] if rest[:1] == ["--"] else rest)


if __name__ == "__main__":
    main()
    sys.exit(0)

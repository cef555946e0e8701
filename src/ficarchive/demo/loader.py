"""Load the demo archive: a dozen short works written for it, with their authors.

The works are data in content/archive.toml. They are posted through the same actions the site
uses, all in one transaction, so a load that fails leaves the archive as it was. Only the dates
are set afterwards, so that listings look like months of activity rather than one second.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.actions import create_pseud, create_user, update_pseud
from ficarchive.accounts.models import Pseud, User
from ficarchive.tags.actions import load_starter_tags
from ficarchive.works import actions
from ficarchive.works.models import Chapter, Creatorship, Series, Work

CONTENT = Path(__file__).with_name("content") / "archive.toml"
EMAIL_DOMAIN = "demo.invalid"


def archive_is_empty() -> bool:
    return not Work.objects.exists()


def read_content() -> dict[str, Any]:
    """The demo's authors, series and works, as written in the content file."""
    with CONTENT.open("rb") as file:
        return tomllib.load(file)


def load_demo() -> int:
    """Fill an empty archive with the demo works. Returns how many works were posted.

    Raises ValueError if the archive already has works or a demo author's user name is taken.
    """
    content = read_content()
    with transaction.atomic():
        if not archive_is_empty():
            raise ValueError(
                "The archive already has works; the demo only loads into an empty archive."
            )
        load_starter_tags()  # canonical tags for the demo's fandoms, before the works use them
        loader = _Loader(now=timezone.now())
        loader.create_authors(content["authors"])
        loader.create_series(content.get("series", []))
        for index, spec in enumerate(content["works"]):
            loader.post(spec, index)
        loader.date_series_and_authors()
    return len(content["works"])


class _Loader:
    """Keeps the users, pseuds and series made so far while the works are posted."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.users: dict[str, User] = {}
        self.pseuds: dict[tuple[str, str], Pseud] = {}
        self.series: dict[str, Series] = {}
        self.first_posts: dict[str, datetime] = {}

    def when(self, days_ago: float, index: int) -> datetime:
        """A moment `days_ago` days back, at a different time of day for each work."""
        return self.now - timedelta(days=days_ago, hours=(index * 5) % 11, minutes=index * 7)

    def create_authors(self, authors: list[dict[str, Any]]) -> None:
        """Demo authors have no usable password, so nobody can log in as them."""
        names = [author["username"] for author in authors]
        taken = sorted(User.objects.filter(username__in=names).values_list("username", flat=True))
        if taken:
            raise ValueError(
                f"Cannot load the demo: the user name {', '.join(taken)} is already taken."
            )
        for author in authors:
            name = author["username"]
            user = create_user(name, f"{name}@{EMAIL_DOMAIN}", None)
            update_pseud(user, user.default_pseud, name, author.get("description", ""))
            self.users[name] = user
            self.pseuds[name, name] = user.default_pseud
            for pseud in author.get("pseuds", []):
                made = create_pseud(user, pseud["name"], pseud.get("description", ""))
                self.pseuds[name, made.name] = made

    def create_series(self, specs: list[dict[str, Any]]) -> None:
        for spec in specs:
            user = self.users[spec["author"]]
            texts = spec["title"], spec.get("summary", ""), spec.get("notes", "")
            series = actions.create_series(user, *texts)
            if spec.get("complete"):
                actions.update_series(user, series, *texts, is_complete=True)
            self.series[spec["key"]] = series

    def post(self, spec: dict[str, Any], index: int) -> None:
        author = self.users[spec["author"]]
        pseud = self.pseuds[spec["author"], spec.get("pseud", spec["author"])]
        chapters = spec["chapters"]
        credits = [actions.CreditDetails(**credit) for credit in spec.get("credits", [])]
        work = actions.post_work(
            author, [pseud], _work_details(spec), _chapter_details(chapters[0]), credits=credits
        )
        for name in spec.get("cocreators", []):
            invitation = actions.invite_cocreator(author, work, self.users[name].default_pseud)
            actions.accept_cocreator_invite(self.users[name], invitation)
        for chapter in chapters[1:]:
            poster = self.users[chapter.get("posted_by", spec["author"])]
            actions.add_chapter(poster, work, _chapter_details(chapter))
        if "series" in spec:
            series = self.series[spec["series"]]
            actions.add_work_to_series(author, work, series, position=spec.get("series_part"))
        self.backdate(work, [self.when(chapter["days_ago"], index) for chapter in chapters])

    def backdate(self, work: Work, dates: list[datetime]) -> None:
        """Give the work and its chapters the dates the content file asks for."""
        for position, date in enumerate(dates, start=1):
            Chapter.objects.filter(work=work, position=position).update(
                published_at=date, created_at=date
            )
        Work.objects.filter(pk=work.pk).update(
            created_at=dates[0], published_at=dates[0], updated_at=dates[-1]
        )
        creators = Creatorship.objects.filter(work=work).values_list("pseud__user__username")
        for (username,) in creators:
            self.first_posts[username] = min(self.first_posts.get(username, dates[0]), dates[0])

    def date_series_and_authors(self) -> None:
        """A series was updated with its newest part; authors joined a while before posting."""
        for series in self.series.values():
            parts = Work.objects.filter(series_parts__series=series).order_by("-updated_at")
            Series.objects.filter(pk=series.pk).update(updated_at=parts[0].updated_at)
        for index, (username, first_post) in enumerate(sorted(self.first_posts.items())):
            User.objects.filter(username=username).update(
                date_joined=first_post - timedelta(days=20 + 9 * index)
            )


def _work_details(spec: dict[str, Any]) -> actions.WorkDetails:
    expected = spec.get("expected_chapters", len(spec["chapters"]))
    return actions.WorkDetails(
        title=spec["title"],
        rating=spec["rating"],
        warnings=spec["warnings"],
        fandoms=spec["fandoms"],
        categories=spec.get("categories", []),
        relationships=spec.get("relationships", []),
        characters=spec.get("characters", []),
        freeforms=spec.get("freeforms", []),
        summary=spec.get("summary", ""),
        begin_notes=spec.get("begin_notes", ""),
        end_notes=spec.get("end_notes", ""),
        language=spec.get("language", "en"),
        expected_chapters=None if expected == "?" else int(expected),
        restricted=spec.get("restricted", False),
        comment_policy=spec.get("comment_policy", "all"),
        moderate_comments=spec.get("moderate_comments", False),
    )


def _chapter_details(spec: dict[str, Any]) -> actions.ChapterDetails:
    return actions.ChapterDetails(
        body=spec["body"],
        body_format=spec.get("format", "html"),
        title=spec.get("title", ""),
        summary=spec.get("summary", ""),
        begin_notes=spec.get("begin_notes", ""),
        end_notes=spec.get("end_notes", ""),
    )

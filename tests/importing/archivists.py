"""An archivist and works imported for an external author, for the archivist-import tests."""

from __future__ import annotations

from typing import Any

import pytest

from ficarchive.accounts.models import User
from ficarchive.importing.actions import ForAuthor, import_work
from ficarchive.importing.parsed import ParsedChapter, ParsedWork
from ficarchive.moderation.models import Role
from ficarchive.tags.models import GENERAL, NO_WARNINGS
from ficarchive.works.models import Work
from tests.moderation.holders import holder

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PIM = ForAuthor("Pim Halloway", "Pim@Example.org")


@pytest.fixture
def archie(db: Any) -> User:
    """An archivist (the Archivists role)."""
    return holder(Role.ARCHIVIST)


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def parsed(title: str = "The Glass Orchard", body: str = "<p>The orchard rang.</p>") -> ParsedWork:
    work = ParsedWork(source=f"{title}.html", format="html", title=title)
    work.set_rating(GENERAL, "stated")
    work.warnings = [NO_WARNINGS]
    work.fandoms = ["Original Work"]
    work.creators = [PIM.name]
    work.chapters = [ParsedChapter(title="", body=body)]
    return work


def archived(
    archivist: User, title: str = "The Glass Orchard", author: ForAuthor = PIM, **kwargs: Any
) -> Work:
    """A work ARCHIVIST imported for AUTHOR, posted, through the real import action."""
    return import_work(archivist, parsed(title), for_author=author, **kwargs)

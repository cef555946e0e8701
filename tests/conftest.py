"""Personas shared by every test, and a factory that posts works through the real actions.

Alice writes works, Bob co-creates with her, Carol reads, Mallory is blocked by Alice (her
blocks arrive with the social features), and Ada is an archive admin.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client

from ficarchive.accounts.actions import create_user
from ficarchive.accounts.models import User
from ficarchive.moderation import switches
from ficarchive.moderation.spam import classifier
from ficarchive.search.index_keeper import reset_index, search
from ficarchive.search.query import SearchQuery
from ficarchive.tags.models import GENERAL, NO_WARNINGS
from ficarchive.works import actions
from ficarchive.works.models import Work

# The browser and page fixtures, one Chromium for every test that asks for it.
pytest_plugins = ["tests.browser.fixtures"]

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A SQLite test database of this process's own: two test runs sharing FICARCHIVE_DATA
    (two people's runs in one checkout) would otherwise overwrite each other's."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        test = database.get("TEST", {})
        if database["ENGINE"].endswith("sqlite3") and test.get("NAME"):
            test["NAME"] = test["NAME"].replace(".sqlite3", f"-{os.getpid()}.sqlite3")


@pytest.fixture(autouse=True, scope="session")
def own_cache_file() -> Iterator[None]:
    """Each test process keeps its cache in a file of its own (xdist workers share
    FICARCHIVE_DATA, and each clears its cache around every test)."""
    from django.conf import settings
    from django.test import override_settings

    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("MachineCache"):
        yield
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    location = settings.DATA_DIR / f"cache-test-{worker}-{os.getpid()}.sqlite3"
    with override_settings(CACHES={"default": {**default, "LOCATION": str(location)}}):
        yield
    for leftover in location.parent.glob(f"{location.name}*"):
        leftover.unlink(missing_ok=True)


@pytest.fixture(autouse=True, scope="session")
def own_search_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test process keeps search snapshots in a folder of its own, and uses them only when
    FICARCHIVE_TEST_SNAPSHOTS=1 (every index a test builds then goes through a snapshot written
    and mapped back); tests of the snapshots themselves turn them on."""
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("search-index")
    on = os.environ.get("FICARCHIVE_TEST_SNAPSHOTS") == "1"
    with override_settings(SEARCH_SNAPSHOTS=on, SEARCH_SNAPSHOT_DIR=folder):
        yield


@pytest.fixture(autouse=True)
def empty_cache(own_cache_file: None, own_search_snapshots: None) -> Iterator[None]:
    """Every test starts and ends with an empty cache, no search index, and the site switches
    and the spam classifier's decisions unread: rate limits, hit counts, the index, the switches
    and the classifier are per test (each test's database is new)."""
    cache.clear()
    reset_index(discard_snapshot=True)
    switches.forget()
    classifier.forget()
    yield
    cache.clear()
    reset_index(discard_snapshot=True)
    switches.forget()
    classifier.forget()


def found_titles(params: str) -> list[str]:
    """What a guest finds with these search parameters, by title."""
    ids = search(SearchQuery.from_params(QueryDict(params)), AnonymousUser()).ids
    return sorted(Work.objects.filter(id__in=ids).values_list("title", flat=True))


def make_user(username: str, *, staff: bool = False) -> User:
    return create_user(username, f"{username}@example.org", PASSWORD, is_staff=staff)


@pytest.fixture
def alice(db: Any) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db: Any) -> User:
    return make_user("bob")


@pytest.fixture
def carol(db: Any) -> User:
    return make_user("carol")


@pytest.fixture
def mallory(db: Any) -> User:
    return make_user("mallory")


@pytest.fixture
def ada(db: Any) -> User:
    return make_user("ada", staff=True)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice: User) -> Client:
    return logged_in(alice)


@pytest.fixture
def carol_client(carol: User) -> Client:
    return logged_in(carol)


@pytest.fixture
def ada_client(ada: User) -> Client:
    return logged_in(ada)


def post_work(
    author: User,
    title: str = "The Lighthouse Keeper",
    *,
    chapters: Sequence[str] = ("<p>The lamp turned all night.</p>",),
    draft: bool = False,
    rating: str = GENERAL,
    warnings: Sequence[str] = (NO_WARNINGS,),
    fandoms: Sequence[str] = ("Original Work",),
    expected_chapters: int | None = None,
    **details: Any,
) -> Work:
    """Post a work through the real action, with one chapter per body given."""
    work = actions.post_work(
        author,
        [author.default_pseud],
        actions.WorkDetails(
            title=title,
            rating=rating,
            warnings=list(warnings),
            fandoms=list(fandoms),
            expected_chapters=expected_chapters if expected_chapters else len(chapters),
            **details,
        ),
        actions.ChapterDetails(body=chapters[0]),
        draft=draft,
    )
    for body in chapters[1:]:
        actions.add_chapter(author, work, actions.ChapterDetails(body=body))
    work.refresh_from_db()
    return work


@pytest.fixture
def work(alice: User) -> Work:
    """Alice's posted one-shot, rated General Audiences."""
    return post_work(alice)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Still argon2 (the production hasher), at the lowest cost.
    settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]
    # Buffered hits and history flush only when a test asks (a flush inside a query-count check
    # would count its writes).
    settings.HITS_FLUSH_AT = settings.HITS_FLUSH_SECONDS = 10**9
    # The spam classifier starts knowing nothing (it answers 0.5 until a test's moderators
    # decide), so the texts of tests are held by the rules alone; its own tests turn it on.
    settings.SPAM_CLASSIFIER_STARTING_SET = False
    # Tests serve static files from the app folders; no collectstatic manifest is needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

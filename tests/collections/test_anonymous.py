"""Anonymous and unrevealed collections: before the reveal an outsider learns nothing of their
works (unrevealed) or of their creators (anonymous) from any page, search, feed, catalog, API
answer or download; the creators and the collection's keepers still read them; the reveal, by
hand or at its time by the upkeep, shows everything and tells the creators."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.collections import actions, revealing
from ficarchive.collections.models import Collection
from ficarchive.social.actions import comments as comment_actions
from ficarchive.social.actions.subscriptions import subscribe
from ficarchive.social.models import InboxItem, InboxKind
from ficarchive.upkeep import run_upkeep
from ficarchive.works.models import Work
from tests.conftest import found_titles, logged_in, post_work
from tests.social.test_worker import run_worker
from tests.works.test_posting import form_data


def secret(owner: User, name: str = "secret_santa", **details: object) -> Collection:
    return actions.create_collection(
        owner,
        actions.CollectionDetails(name=name, title="Secret Santa", **details),  # type: ignore[arg-type]
    )


def everything_an_outsider_gets(client: Client, work: Work) -> dict[str, str]:
    """Every place a work or its creator's name could show, as CLIENT gets it."""
    found = {
        "work page": client.get(f"/works/{work.pk}"),
        "collection page": client.get("/collections/secret_santa"),
        "collection feed": client.get("/collections/secret_santa/feed.atom"),
        "creator's page": client.get("/users/alice/works"),
        "creator's feed": client.get("/users/alice/feed.atom"),
        "creator's catalog": client.get("/opds/users/alice"),
        "recent catalog": client.get("/opds/recent"),
        "collection catalog": client.get("/opds/collections/secret_santa"),
        "collection catalog 2": client.get("/opds2/collections/secret_santa"),
        "home": client.get("/"),
        "works": client.get("/works"),
        "search": client.get("/works/search?q=gift"),
        "opds search": client.get("/opds/search?q=gift"),
        "api work": client.get(f"/api/v1/works/{work.pk}"),
        "api creator's works": client.get("/api/v1/users/alice/works"),
        "api search": client.get("/api/v1/works?q=gift"),
        "epub": client.get(f"/downloads/works/{work.pk}.epub"),
        "txt": client.get(f"/downloads/works/{work.pk}.txt"),
    }
    seen = {place: answer.content.decode("utf-8", "replace") for place, answer in found.items()}
    if found["epub"].status_code == 200:  # the book's text, not its compressed bytes
        book = zipfile.ZipFile(io.BytesIO(found["epub"].content))
        seen["epub"] = "".join(book.read(name).decode() for name in book.namelist())
    return seen


def test_an_unrevealed_anonymous_collection_shows_outsiders_nothing_until_the_reveal(
    alice: User, bob: User, carol: User
) -> None:
    fest = secret(carol, is_anonymous=True, is_unrevealed=True)
    frost = post_work(alice, "Frost", summary="A frost gift for a snowy friend.")
    actions.add_work(alice, frost, fest)
    frost.refresh_from_db()
    assert frost.in_unrevealed_collection and frost.in_anonymous_collection

    for reader in (Client(), logged_in(bob)):
        seen = everything_an_outsider_gets(reader, frost)
        leaks = [place for place, text in seen.items() if "Frost" in text or "snowy" in text]
        assert leaks == [], f"the work shows before the reveal in {leaks}"
        assert reader.get(f"/works/{frost.pk}").status_code == 404
        assert reader.get(f"/downloads/works/{frost.pk}.epub").status_code == 404
        assert reader.get(f"/api/v1/works/{frost.pk}").status_code == 404
        assert "1 work waits for the reveal." in seen["collection page"]
    assert found_titles("q=Frost") == []

    # Its creator and the collection's keeper read it; the byline is Anonymous for both.
    for reader in (logged_in(alice), logged_in(carol)):
        page = reader.get(f"/works/{frost.pk}").content.decode()
        assert "Frost" in page and '<h3 class="byline heading">Anonymous</h3>' in page
    assert "Frost" in logged_in(carol).get("/collections/secret_santa").content.decode()

    # Bob may not reveal it; Carol does.
    assert logged_in(bob).post("/collections/secret_santa/reveal").status_code == 403
    assert Client().post("/collections/secret_santa/reveal").status_code == 302
    assert Collection.objects.get(pk=fest.pk).is_unrevealed
    answer = logged_in(carol).post("/collections/secret_santa/reveal", follow=True)
    assert "“Secret Santa” is revealed: 1 work is shown with its creators." in (
        answer.content.decode()
    )

    frost.refresh_from_db()
    assert not (frost.in_unrevealed_collection or frost.in_anonymous_collection)
    guest = everything_an_outsider_gets(Client(), frost)
    for place in (
        "work page",
        "collection page",
        "collection feed",
        "collection catalog",
        "collection catalog 2",
        "creator's page",
        "search",
    ):
        assert "Frost" in guest[place], place
    assert 'rel="author" href="/users/alice/pseuds/alice">alice</a>' in guest["work page"]
    assert found_titles("q=Frost") == ["Frost"]
    notice = InboxItem.objects.get(user=alice, kind=InboxKind.REVEALED)
    assert notice.work_id == frost.pk and "“Secret Santa” is revealed" in notice.text


def test_an_anonymous_collection_shows_its_works_by_anonymous_everywhere(
    alice: User, bob: User, carol: User
) -> None:
    fest = secret(carol, is_anonymous=True)
    frost = post_work(alice, "Frost")
    actions.add_work(alice, frost, fest)
    comment_actions.post_comment(alice, frost, "<p>Thank you for reading!</p>", "html")

    seen = everything_an_outsider_gets(Client(), frost)
    shown = (
        "work page",
        "collection page",
        "collection feed",
        "collection catalog",
        "epub",
        "txt",
        "api work",
    )
    for place in shown:
        assert "Frost" in seen[place], place
    for place, text in seen.items():
        if "creator's" not in place:  # the creator's own pages name her, but not the work
            assert "alice" not in text.lower(), f"the creator shows in {place}"
    assert "Anonymous Creator" in seen["work page"]
    assert "Frost" not in seen["creator's page"] and "Frost" not in seen["api creator's works"]
    assert Client().get(f"/api/v1/works/{frost.pk}").json()["creators"] == []
    book = zipfile.ZipFile(io.BytesIO(Client().get(f"/downloads/works/{frost.pk}.epub").content))
    opf = next(book.read(n).decode() for n in book.namelist() if n.endswith(".opf"))
    assert "alice" not in opf and ("Anonymous" in opf or "<dc:creator" not in opf)
    assert found_titles("q=Frost") == ["Frost"] and found_titles("q=alice") == []

    # Its creator still finds it among their own works.
    assert "Frost" in logged_in(alice).get("/users/alice/works").content.decode()

    revealing.reveal(carol, fest)
    page = Client().get(f"/works/{frost.pk}").content.decode()
    assert ">alice</a>" in page and "Anonymous Creator" not in page
    assert found_titles("q=alice") == ["Frost"]


def test_a_work_posted_into_an_anonymous_collection_is_not_announced_to_creator_subscribers(
    alice: User, bob: User, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(bob, creator=alice)
    fest = secret(carol, is_anonymous=True, is_unrevealed=True)
    data = form_data(alice.default_pseud, title="Frost", collections="secret_santa")
    with django_capture_on_commit_callbacks(execute=True):
        answer = logged_in(alice).post("/works/new", data)
    assert answer.status_code == 302
    frost = Work.objects.get(title="Frost")
    assert fest.items.filter(work=frost).exists() and frost.in_unrevealed_collection
    run_worker()
    assert not InboxItem.objects.filter(user=bob).exists()

    with django_capture_on_commit_callbacks(execute=True):
        revealing.reveal(carol, fest)  # no one but Alice saw it: the news reaches Bob now
    run_worker()
    assert InboxItem.objects.filter(user=bob, kind=InboxKind.WORK, work=frost).exists()


def test_the_upkeep_reveals_a_collection_when_its_time_comes(alice: User, carol: User) -> None:
    soon = timezone.now() + timedelta(hours=1)
    fest = secret(carol, is_unrevealed=True, reveal_at=soon)
    frost = post_work(alice, "Frost")
    actions.add_work(alice, frost, fest)
    page = Client().get("/collections/secret_santa").content.decode()
    assert "Revealed on" in page and "1 work waits for the reveal." in page

    assert run_upkeep()["collections_revealed"] == 0
    assert revealing.reveal_due(soon + timedelta(seconds=1)) == 1
    fest.refresh_from_db()
    assert not fest.is_unrevealed and fest.reveal_at is None
    assert Client().get(f"/works/{frost.pk}").status_code == 200
    assert revealing.reveal_due(soon + timedelta(hours=1)) == 0, "a collection is revealed once"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reveal_at": "2020-01-01T10:00", "is_unrevealed": "on"}, "The reveal time has passed"),
        ({"reveal_at": "2099-01-01T10:00"}, "A reveal time is for an anonymous or unrevealed"),
    ],
)
def test_a_reveal_time_is_checked(carol: User, data: dict[str, str], message: str) -> None:
    answer = logged_in(carol).post(
        "/collections/new", {"name": "secret_santa", "title": "Secret Santa", **data}
    )
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not Collection.objects.exists()


def test_taking_a_work_out_or_refusing_it_ends_its_secrecy(alice: User, carol: User) -> None:
    fest = secret(carol, is_unrevealed=True, is_moderated=True)
    frost = post_work(alice, "Frost")
    item = actions.add_work(alice, frost, fest)
    frost.refresh_from_db()
    assert frost.in_unrevealed_collection, "a work waiting for approval is already kept secret"
    actions.review_item(carol, item, approve=False)
    frost.refresh_from_db()
    assert not frost.in_unrevealed_collection
    assert found_titles("q=Frost") == ["Frost"]

    thaw = post_work(alice, "Thaw")
    item = actions.add_work(alice, thaw, fest)
    actions.remove_item(alice, item)
    thaw.refresh_from_db()
    assert not thaw.in_unrevealed_collection


def test_making_a_collection_unrevealed_later_hides_the_works_already_in_it(
    alice: User, carol: User
) -> None:
    fest = secret(carol)
    frost = post_work(alice, "Frost")
    actions.add_work(alice, frost, fest)
    assert found_titles("q=Frost") == ["Frost"]
    edit = logged_in(carol).post(
        "/collections/secret_santa/edit",
        {"name": "secret_santa", "title": "Secret Santa", "is_open": "on", "is_unrevealed": "on"},
    )
    assert edit.status_code == 302
    assert Client().get(f"/works/{frost.pk}").status_code == 404
    assert found_titles("q=Frost") == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_revealing_at_once_reveal_and_tell_once() -> None:
    """Two upkeeps (any two processes, on any machines) meet the same due collection: the row
    lock (PostgreSQL) or the write lock (SQLite) lets one reveal it; the creator hears once."""
    import threading

    from django.db import connection

    from tests.conftest import make_user

    alice, carol = make_user("alice"), make_user("carol")
    soon = timezone.now() + timedelta(hours=1)
    fest = secret(carol, is_unrevealed=True, is_anonymous=True, reveal_at=soon)
    for title in ("Frost", "Thaw"):
        actions.add_work(alice, post_work(alice, title), fest)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            counts.append(revealing.reveal_due(soon + timedelta(seconds=1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert InboxItem.objects.filter(user=alice, kind=InboxKind.REVEALED).count() == 2
    assert not Work.objects.filter(in_unrevealed_collection=True).exists()

"""Collections: made with a checked name and title, kept by owners and moderators; creators add
their posted works (waiting for approval where the collection is moderated, refused where it is
closed); the collection page lists what its reader may see; every keeper's action is refused to
everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.collections import actions
from ficarchive.collections.models import Approval, Collection, CollectionItem, CollectionMember
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import Role
from ficarchive.works.models import Work
from tests.conftest import found_titles, logged_in, post_work
from tests.exporting.feeds import ACQUISITION, check_atom, check_opds, check_opds2, texts
from tests.moderation.holders import holder


def make(owner: User, name: str = "winter_fest", **details: object) -> Collection:
    return actions.create_collection(
        owner, actions.CollectionDetails(name=name, title=f"{name} title", **details)
    )


def listed_titles(client: Client, collection: Collection) -> list[str]:
    page = client.get(f"/collections/{collection.name}").content.decode()
    return [title for title in ("Frost", "Thaw", "Ice", "Locked") if f">{title}</a>" in page]


def test_a_reader_makes_a_collection_and_a_creator_adds_a_work(
    alice: User, carol: User, carol_client: Client
) -> None:
    form = carol_client.get("/collections/new").content.decode()
    assert 'name="name"' in form and 'name="is_moderated"' in form
    answer = carol_client.post(
        "/collections/new",
        {
            "name": "Winter_Fest ",
            "title": " Winter  Fest ",
            "summary": "<p>Snow.</p><script>x</script>",
            "rules": "Be kind.",
            "is_open": "on",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/collections/winter_fest"
    fest = Collection.objects.get(name="winter_fest")
    assert fest.title == "Winter Fest" and "<script>" not in fest.summary
    assert fest.role_of(carol) == "owner"

    frost = post_work(alice, "Frost")
    alice_client = logged_in(alice)
    work_page = alice_client.get(f"/works/{frost.pk}").content.decode()
    assert f'href="/works/{frost.pk}/collections">Collections</a>' in work_page
    added = alice_client.post(f"/works/{frost.pk}/collections", {"collection": "winter_fest"})
    assert added.status_code == 302
    assert "The work is in “Winter Fest”." in alice_client.get(added["Location"]).content.decode()
    assert listed_titles(Client(), fest) == ["Frost"]
    listing = Client().get("/collections").content.decode()
    assert '<a href="/collections/winter_fest">Winter Fest</a>' in listing and "(1 work)" in listing


def test_names_and_titles_are_checked_and_nothing_is_made_on_a_refusal(
    carol: User, carol_client: Client
) -> None:
    make(carol)
    for data, message in (
        ({"name": "winter_fest", "title": "Again"}, "The name “winter_fest” is taken."),
        ({"name": "new", "title": "New"}, "A name is 3 to 60 lowercase letters"),
        ({"name": "a b", "title": "Spaces"}, "A name is 3 to 60 lowercase letters"),
        ({"name": "fine_name", "title": "   "}, "This field is required."),
    ):
        answer = carol_client.post("/collections/new", data)
        assert answer.status_code == 400, data
        assert message in answer.content.decode(), data
    assert list(Collection.objects.values_list("name", flat=True)) == ["winter_fest"]


def test_a_moderated_collection_lists_a_work_once_a_keeper_approves_it(
    alice: User, bob: User, carol: User
) -> None:
    fest = make(carol, is_moderated=True)
    actions.set_member(carol, fest, "bob", "moderator")
    frost, thaw = post_work(alice, "Frost"), post_work(alice, "Thaw")
    alice_client = logged_in(alice)
    answer = alice_client.post(
        f"/works/{frost.pk}/collections", {"collection": "winter_fest"}, follow=True
    )
    assert "waits for a moderator of “winter_fest title” to approve it" in answer.content.decode()
    alice_client.post(f"/works/{thaw.pk}/collections", {"collection": "winter_fest"})
    assert listed_titles(Client(), fest) == []

    bob_client = logged_in(bob)
    detail = bob_client.get("/collections/winter_fest").content.decode()
    assert "Works and members (2 waiting)" in detail
    manage = bob_client.get("/collections/winter_fest/manage").content.decode()
    assert "Waiting for approval" in manage and "Save the role" not in manage
    frost_item = CollectionItem.objects.get(work=frost)
    thaw_item = CollectionItem.objects.get(work=thaw)
    bob_client.post(f"/collections/winter_fest/items/{frost_item.pk}", {"verb": "approve"})
    bob_client.post(f"/collections/winter_fest/items/{thaw_item.pk}", {"verb": "refuse"})
    assert listed_titles(Client(), fest) == ["Frost"]
    mine = alice_client.get(f"/works/{thaw.pk}/collections").content.decode()
    assert "Refused by the collection" in mine


def test_a_closed_collection_is_refused_with_the_reason_and_drafts_wait_for_posting(
    alice: User, carol: User
) -> None:
    fest = make(carol, is_open=False)
    frost = post_work(alice, "Frost")
    draft = post_work(alice, "Unposted", draft=True)
    client = logged_in(alice)
    closed = client.post(f"/works/{frost.pk}/collections", {"collection": "winter_fest"})
    assert closed.status_code == 400
    assert "“winter_fest title” is closed to new works." in closed.content.decode()
    unknown = client.post(f"/works/{frost.pk}/collections", {"collection": "nowhere"})
    assert "No collection is called “nowhere”." in unknown.content.decode()
    assert not CollectionItem.objects.exists()
    # A draft may go in (an anonymous fest keeps it secret from its posting on), but it is
    # listed only once posted.
    open_fest = make(carol, name="open_fest")
    added = client.post(f"/works/{draft.pk}/collections", {"collection": open_fest.name})
    assert added.status_code == 302 and open_fest.items.filter(work=draft).exists()
    assert "Unposted" not in logged_in(carol).get("/collections/open_fest").content.decode()
    assert fest.items.count() == 0


def test_the_listing_shows_each_reader_only_what_they_may_see(
    alice: User, carol: User, bob: User
) -> None:
    fest = make(carol)
    frost = post_work(alice, "Frost")
    locked = post_work(alice, "Locked", restricted=True)
    ice = post_work(alice, "Ice")
    for work in (frost, locked, ice):
        actions.add_work(alice, work, fest)
    Work.objects.filter(pk=ice.pk).update(is_hidden=True)
    assert listed_titles(Client(), fest) == ["Frost"]
    assert listed_titles(logged_in(bob), fest) == ["Frost", "Locked"]
    # The list of collections counts what its reader may find there.
    assert "(1 work)" in Client().get("/collections").content.decode()
    assert "(2 works)" in logged_in(bob).get("/collections").content.decode()


def test_keepers_actions_are_refused_to_everyone_else(alice: User, bob: User, carol: User) -> None:
    fest = make(carol, is_moderated=True)
    frost = post_work(alice, "Frost")
    theirs = post_work(bob, "Thaw")
    actions.add_work(alice, frost, fest)
    item = CollectionItem.objects.get()
    bob_client = logged_in(bob)
    assert bob_client.get("/collections/winter_fest/edit").status_code == 403
    assert bob_client.get("/collections/winter_fest/manage").status_code == 403
    answer = bob_client.post(f"/collections/winter_fest/items/{item.pk}", {"verb": "approve"})
    assert answer.status_code == 403
    assert (
        bob_client.post(
            "/collections/winter_fest/edit", {"name": "mine", "title": "Mine"}
        ).status_code
        == 403
    )
    # Nobody adds someone else's work.
    assert (
        bob_client.post(f"/works/{frost.pk}/collections", {"collection": "winter_fest"}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        actions.add_work(alice, theirs, fest)
    # A moderator approves, but only owners edit and name members.
    actions.set_member(carol, fest, "bob", "moderator")
    assert bob_client.get("/collections/winter_fest/edit").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.set_member(bob, fest, "alice", "owner")
    with pytest.raises(ValidationError, match="keeps at least one owner"):
        actions.set_member(carol, fest, "carol", None)
    item.refresh_from_db()
    fest.refresh_from_db()
    assert item.moderator_status == Approval.PENDING and fest.name == "winter_fest"
    assert CollectionMember.objects.filter(collection=fest).count() == 2


def test_owners_rename_and_close_a_collection(carol: User, carol_client: Client) -> None:
    fest = make(carol)
    edit = carol_client.get("/collections/winter_fest/edit").content.decode()
    assert 'value="winter_fest"' in edit
    answer = carol_client.post(
        "/collections/winter_fest/edit",
        {"name": "winter_fest_2027", "title": "Winter Fest 2027", "rules": "", "summary": ""},
    )
    assert answer.status_code == 302 and answer["Location"] == "/collections/winter_fest_2027"
    fest.refresh_from_db()
    assert (fest.name, fest.is_open) == ("winter_fest_2027", False)
    assert Client().get("/collections/winter_fest").status_code == 404


def test_a_suspended_account_makes_no_collection_and_adds_no_work(alice: User, carol: User) -> None:
    fest = make(carol)
    frost = post_work(alice, "Frost")
    until = timezone.now() + timedelta(days=2)
    sanctions.suspend(holder(Role.POLICY_ABUSE, "polly"), alice, until, "Spam.")
    client = logged_in(User.objects.get(pk=alice.pk))
    assert client.post("/collections/new", {"name": "spam", "title": "Spam"}).status_code == 403
    assert (
        client.post(f"/works/{frost.pk}/collections", {"collection": fest.name}).status_code == 403
    )
    assert not CollectionItem.objects.exists()
    assert list(Collection.objects.values_list("name", flat=True)) == ["winter_fest"]


def test_a_creator_takes_a_work_out_and_the_collections_page_finds_by_title(
    alice: User, carol: User
) -> None:
    fest = make(carol)
    make(carol, name="summer_fest")
    frost = post_work(alice, "Frost")
    actions.add_work(alice, frost, fest)
    client = logged_in(alice)
    item = CollectionItem.objects.get()
    client.post(f"/works/{frost.pk}/collections", {"remove": item.pk})
    assert not CollectionItem.objects.exists()
    found = Client().get("/collections?q=summer").content.decode()
    assert "summer_fest title" in found and "winter_fest title" not in found


def test_the_collection_feed_lists_what_its_reader_may_see(alice: User, carol: User) -> None:
    fest = make(carol)
    frost = post_work(alice, "Frost")
    locked = post_work(alice, "Locked", restricted=True)
    for work in (frost, locked):
        actions.add_work(alice, work, fest)
    page = Client().get("/collections/winter_fest").content.decode()
    assert 'href="/collections/winter_fest/feed.atom"' in page
    feed = check_atom(Client().get("/collections/winter_fest/feed.atom").content)
    assert texts(feed, "a:entry/a:title") == ["Frost"]
    signed_in = check_atom(logged_in(carol).get("/collections/winter_fest/feed.atom").content)
    assert sorted(texts(signed_in, "a:entry/a:title")) == ["Frost", "Locked"]
    assert Client().get("/collections/nowhere/feed.atom").status_code == 404
    assert 'href="/opds/collections/winter_fest"' in page
    catalog = check_opds(Client().get("/opds/collections/winter_fest").content, ACQUISITION)
    assert texts(catalog, "a:entry/a:title") == ["Frost"]
    signed_in_catalog = check_opds(
        logged_in(carol).get("/opds/collections/winter_fest").content, ACQUISITION
    )
    assert sorted(texts(signed_in_catalog, "a:entry/a:title")) == ["Frost", "Locked"]
    catalog2 = check_opds2(Client().get("/opds2/collections/winter_fest").json())
    assert [p["metadata"]["title"] for p in catalog2["publications"]] == ["Frost"]
    assert Client().get("/opds/collections/nowhere").status_code == 404


def test_a_sub_collection_lists_its_works_in_its_parent_too(
    alice: User, bob: User, carol: User
) -> None:
    fest = make(carol)
    carol_client = logged_in(carol)
    made = carol_client.post(
        "/collections/new",
        {"name": "winter_poems", "title": "Winter Poems", "is_open": "on", "parent": "winter_fest"},
    )
    assert made.status_code == 302
    poems = Collection.objects.get(name="winter_poems")
    assert poems.parent == fest
    actions.add_work(alice, post_work(alice, "Frost"), poems)
    actions.add_work(alice, post_work(alice, "Thaw"), fest)
    assert listed_titles(Client(), fest) == ["Frost", "Thaw"]
    assert listed_titles(Client(), poems) == ["Frost"]
    page = Client().get("/collections/winter_fest").content.decode()
    assert 'href="/collections/winter_poems">Winter Poems</a>' in page
    assert "A sub-collection of" in Client().get("/collections/winter_poems").content.decode()

    # Refusals: a parent one does not keep, a sub-collection of a sub-collection, oneself.
    for data, message in (
        ({"name": "bobs", "title": "Bob's", "parent": "winter_fest"}, "Only the owners and"),
        (
            {"name": "deeper", "title": "Deeper", "parent": "winter_poems"},
            "a sub-collection itself",
        ),
        ({"name": "nowhere_fest", "title": "N", "parent": "nowhere"}, "No collection is called"),
    ):
        client = logged_in(bob) if data["name"] == "bobs" else carol_client
        answer = client.post("/collections/new", data)
        assert answer.status_code == 400 and message in answer.content.decode(), data
    selfish = carol_client.post(
        "/collections/winter_fest/edit",
        {"name": "winter_fest", "title": "W", "parent": "winter_poems"},
    )
    assert selfish.status_code == 400
    assert Collection.objects.count() == 2 and Collection.objects.get(pk=fest.pk).parent is None


def test_the_works_search_keeps_to_a_collection(alice: User, carol: User) -> None:
    fest = make(carol)
    poems = actions.create_collection(
        carol, actions.CollectionDetails("winter_poems", "Winter Poems", parent="winter_fest")
    )
    actions.add_work(alice, post_work(alice, "Frost", summary="Snow"), poems)
    actions.add_work(alice, post_work(alice, "Thaw", summary="Snow"), fest)
    post_work(alice, "Ice", summary="Snow")
    assert found_titles("q=snow") == ["Frost", "Ice", "Thaw"]
    assert found_titles("q=snow&collection=winter_fest") == ["Frost", "Thaw"]
    assert found_titles("q=snow collection:winter_poems") == ["Frost"]
    page = Client().get("/works/search?collection=winter_fest&q=snow").content.decode()
    assert "In the collection" in page and 'name="collection" value="winter_fest"' in page
    unknown = Client().get("/works/search?collection=nowhere")
    assert unknown.status_code == 400
    assert "no collection is called “nowhere”" in unknown.content.decode()
    form = Client().get("/collections/winter_fest").content.decode()
    assert 'name="collection" value="winter_fest"' in form
    # The collection page's facets: the tags of its works (its sub-collection's too), each a
    # link to the search kept to the collection.
    assert "Tags in these results" in form
    assert 'href="/works/search?collection=winter_fest&amp;include=Original+Work">' in form
    assert "Original Work</a> (2)" in form


def test_a_keeper_invites_a_work_and_its_creator_accepts_or_declines(
    alice: User, bob: User, carol: User
) -> None:
    make(carol)
    frost, thaw = post_work(alice, "Frost"), post_work(alice, "Thaw")
    keeper = logged_in(carol)
    invited = keeper.post("/collections/winter_fest/manage", {"work": f"/works/{frost.pk}"})
    assert invited.status_code == 302
    keeper.post("/collections/winter_fest/manage", {"work": str(thaw.pk)})
    assert listed_titles(Client(), Collection.objects.get()) == [], "not before its creator says"
    inbox = logged_in(alice).get("/inbox").content.decode()
    assert "“winter_fest title” invites “Frost”" in inbox
    assert logged_in(bob).post("/collections/winter_fest/manage", {"work": "1"}).status_code == 403

    alice_client = logged_in(alice)
    page = alice_client.get(f"/works/{frost.pk}/collections").content.decode()
    assert "Invited by the collection" in page
    item = CollectionItem.objects.get(work=frost)
    alice_client.post(f"/works/{frost.pk}/collections", {"item": item.pk, "answer": "accept"})
    declined = CollectionItem.objects.get(work=thaw)
    alice_client.post(f"/works/{thaw.pk}/collections", {"item": declined.pk, "answer": "decline"})
    assert listed_titles(Client(), Collection.objects.get()) == ["Frost"]
    assert not CollectionItem.objects.filter(work=thaw).exists()
    with pytest.raises(ValidationError, match="answered already"):
        actions.answer_invitation(alice, CollectionItem.objects.get(work=frost), True)
    again = keeper.post("/collections/winter_fest/manage", {"work": str(frost.pk)})
    assert again.status_code == 400 and "already in" in again.content.decode()
    unknown = keeper.post("/collections/winter_fest/manage", {"work": "999999"})
    assert "No work has the number" in unknown.content.decode()


def test_readers_put_public_bookmarks_in_a_collection(alice: User, bob: User, carol: User) -> None:
    from ficarchive.collections.models import CollectionBookmark
    from ficarchive.social import actions as social

    make(carol, is_moderated=True)
    frost = post_work(alice, "Frost")
    mark = social.save_bookmark(bob, social.BookmarkDetails(notes="<p>A must.</p>"), work=frost)
    secret = social.save_bookmark(
        bob, social.BookmarkDetails(notes="Mine", is_private=True), work=post_work(alice, "Ice")
    )
    bob_client = logged_in(bob)
    assert (
        f'href="/bookmarks/{mark.pk}/collections"'
        in bob_client.get(f"/bookmarks/{mark.pk}").content.decode()
    )
    added = bob_client.post(f"/bookmarks/{mark.pk}/collections", {"collection": "winter_fest"})
    assert added.status_code == 302
    refused = bob_client.post(f"/bookmarks/{secret.pk}/collections", {"collection": "winter_fest"})
    assert refused.status_code == 400 and "A private bookmark stays out" in refused.content.decode()
    assert (
        logged_in(alice)
        .post(f"/bookmarks/{mark.pk}/collections", {"collection": "winter_fest"})
        .status_code
        == 404
    ), "only its owner"
    item = CollectionBookmark.objects.get()
    assert "A must." not in Client().get("/collections/winter_fest").content.decode()

    keeper = logged_in(carol)
    assert "Bookmarks waiting" in keeper.get("/collections/winter_fest/manage").content.decode()
    assert (
        logged_in(alice)
        .post(f"/collections/winter_fest/bookmark-items/{item.pk}", {"verb": "approve"})
        .status_code
        == 403
    )
    keeper.post(f"/collections/winter_fest/bookmark-items/{item.pk}", {"verb": "approve"})
    page = Client().get("/collections/winter_fest").content.decode()
    assert "A must." in page and 'href="/collections/winter_fest/bookmarks"' in page
    assert "A must." in Client().get("/collections/winter_fest/bookmarks").content.decode()
    # Its work hidden by a moderator: the bookmark shows to no reader of the collection.
    Work.objects.filter(pk=frost.pk).update(is_hidden=True)
    assert "A must." not in Client().get("/collections/winter_fest").content.decode()
    bob_client.post(f"/bookmarks/{mark.pk}/collections", {"remove": item.pk})
    assert not CollectionBookmark.objects.exists()


def test_only_the_works_creators_answer_a_collections_invitation(
    alice: User, bob: User, carol: User
) -> None:
    make(carol)
    frost = post_work(alice, "Frost")
    item = actions.invite_work(carol, frost, Collection.objects.get())
    answer = {"item": item.pk, "answer": "accept"}
    assert logged_in(bob).post(f"/works/{frost.pk}/collections", answer).status_code == 403
    assert logged_in(carol).post(f"/works/{frost.pk}/collections", answer).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.answer_invitation(bob, item, True)
    item.refresh_from_db()
    assert item.author_status == Approval.PENDING
    assert listed_titles(Client(), Collection.objects.get()) == []

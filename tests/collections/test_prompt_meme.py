"""Prompt memes: an owner opens one; readers post prompts (anonymously where allowed), claim
them and fill them with works that join the collection; a prompt takes many fills; the meme
page lists prompts with their claims and fills, filtered by tag; refusals change nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.collections import actions, meme_actions
from ficarchive.collections.models import Claim, Fill, Prompt, PromptMeme
from ficarchive.social.models import InboxItem, InboxKind
from ficarchive.works.models import Work
from tests.conftest import logged_in
from tests.works.test_posting import form_data


def meme_of(owner: User, **collection: object) -> PromptMeme:
    fest = actions.create_collection(
        owner,
        actions.CollectionDetails(name="kink_meme", title="Winter Meme", **collection),  # type: ignore[arg-type]
    )
    return meme_actions.configure_meme(owner, fest, is_open=True, allow_anonymous=True)


def test_an_owner_opens_a_prompt_meme_on_its_page(carol: User, bob: User) -> None:
    actions.create_collection(carol, actions.CollectionDetails("kink_meme", "Winter Meme"))
    page = logged_in(carol).get("/collections/kink_meme").content.decode()
    assert "Make it a prompt meme" in page
    assert logged_in(bob).post("/collections/kink_meme/meme", {"is_open": "on"}).status_code == 403
    answer = logged_in(carol).post(
        "/collections/kink_meme/meme", {"is_open": "on", "allow_anonymous": "on"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/collections/kink_meme/prompts"
    assert PromptMeme.objects.get().allow_anonymous
    assert (
        "Prompts: post, claim and fill" in Client().get("/collections/kink_meme").content.decode()
    )
    assert Client().get("/collections/nowhere/prompts").status_code == 404


def test_prompts_are_posted_claimed_and_filled_twice(
    alice: User, bob: User, carol: User, ada: User
) -> None:
    meme_of(carol)
    bob_client = logged_in(bob)
    posted = bob_client.post(
        "/collections/kink_meme/prompts",
        {
            "fandoms": "Moomins",
            "characters": "Snufkin, Moomintroll",
            "text": "Snufkin comes back early.",
            "anonymous": "on",
        },
    )
    assert posted.status_code == 302
    prompt = Prompt.objects.get()
    assert prompt.is_anonymous and prompt.user == bob
    listing = Client().get("/collections/kink_meme/prompts").content.decode()
    assert "Snufkin comes back early." in listing and "Prompted anonymously" in listing
    assert "bob" not in listing
    assert "Log in to post a prompt." in listing

    empty = bob_client.post("/collections/kink_meme/prompts", {"text": "  "})
    assert (
        empty.status_code == 400 and "Name a fandom or write the prompt." in empty.content.decode()
    )
    assert Prompt.objects.count() == 1

    alice_client = logged_in(alice)
    alice_client.post(f"/collections/kink_meme/prompts/{prompt.pk}/claim")
    assert Claim.objects.filter(prompt=prompt, user=alice).exists()
    claimed = alice_client.get("/collections/kink_meme/prompts").content.decode()
    assert "1 claim: alice" in claimed and f"/works/new?prompt={prompt.pk}" in claimed

    form = alice_client.get(f"/works/new?prompt={prompt.pk}").content.decode()
    assert "Your fill for a prompt of “Winter Meme”" in form
    answer = alice_client.post(
        "/works/new", form_data(alice.default_pseud, title="Early Spring", prompt=str(prompt.pk))
    )
    assert answer.status_code == 302
    early = Work.objects.get(title="Early Spring")
    assert Fill.objects.filter(prompt=prompt, work=early).exists()
    assert early.collection_items.filter(collection__name="kink_meme").exists()
    assert InboxItem.objects.filter(user=bob, kind=InboxKind.FILL, work=early).exists()

    # A second fill, by someone who never claimed it first.
    logged_in(ada).post(
        "/works/new", form_data(ada.default_pseud, title="Thaw", prompt=str(prompt.pk))
    )
    listing = Client().get("/collections/kink_meme/prompts").content.decode()
    assert ">Early Spring</a>" in listing and ">Thaw</a>" in listing
    assert "2 claims: alice, ada" in listing

    # Filtered by a tag, case aside; the works list in the collection.
    assert (
        "Snufkin comes back"
        in Client().get("/collections/kink_meme/prompts?tag=snufkin").content.decode()
    )
    assert (
        "No prompt has that tag."
        in Client().get("/collections/kink_meme/prompts?tag=Discworld").content.decode()
    )
    collection_page = Client().get("/collections/kink_meme").content.decode()
    assert "Early Spring" in collection_page and "Thaw" in collection_page


def test_refusals_change_nothing(alice: User, bob: User, carol: User) -> None:
    meme = meme_of(carol)
    prompt = meme_actions.post_prompt(bob, meme, {"fandoms": ["Moomins"]}, "")
    with pytest.raises(PermissionDenied):
        meme_actions.delete_prompt(alice, prompt)
    assert (
        logged_in(alice).post(f"/collections/kink_meme/prompts/{prompt.pk}/delete").status_code
        == 403
    )
    assert Prompt.objects.filter(pk=prompt.pk).exists()
    meme_actions.configure_meme(carol, meme.collection, is_open=False, allow_anonymous=False)
    meme.refresh_from_db()
    with pytest.raises(ValidationError, match="takes no new prompts"):
        meme_actions.post_prompt(alice, meme, {"fandoms": ["Moomins"]}, "")
    closed = Client().get("/collections/kink_meme/prompts").content.decode()
    assert "This prompt meme takes no new prompts." in closed
    assert Prompt.objects.count() == 1
    # Its keeper takes the prompt down.
    logged_in(carol).post(f"/collections/kink_meme/prompts/{prompt.pk}/delete")
    assert not Prompt.objects.exists()


def test_a_fill_waits_for_approval_in_a_moderated_meme(alice: User, bob: User, carol: User) -> None:
    from ficarchive.collections.models import Approval, CollectionItem
    from tests.conftest import post_work

    meme = meme_of(carol, is_moderated=True)
    prompt = meme_actions.post_prompt(bob, meme, {"fandoms": ["Moomins"]}, "")
    work = post_work(alice, "Slow Thaw")
    meme_actions.fill(alice, prompt, work)
    item = CollectionItem.objects.get(work=work)
    assert item.moderator_status == Approval.PENDING
    assert "Slow Thaw" not in Client().get("/collections/kink_meme").content.decode()

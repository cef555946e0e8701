"""Gift exchanges: owners set one up; participants sign up inside its window within its limits
and tag set; the matching runs in the background worker and covers everyone a maximum
matching can (synonyms count); keepers change assignments by hand and send them; givers post
gifts for their assignment or default, and pinch hitters take defaulted ones; recipients hear
of their gifts (at the reveal in an unrevealed collection) and may refuse them. Every step is
refused to those who may not take it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.collections import actions, exchange_actions, revealing
from ficarchive.collections.exchange_actions import ExchangeSettings
from ficarchive.collections.exchange_models import (
    ExchangeAssignment,
    ExchangeSignup,
    Gift,
    GiftExchange,
)
from ficarchive.collections.matching import Participant, Rules, Signup, maximum_matching
from ficarchive.social.models import InboxItem, InboxKind
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from tests.conftest import logged_in, make_user
from tests.social.test_worker import run_worker
from tests.works.test_posting import form_data

FANDOMS = ["Moomins", "Discworld", "Earthsea"]


def exchange_of(owner: User, **collection: Any) -> GiftExchange:
    fest = actions.create_collection(
        owner,
        actions.CollectionDetails(name="yule_swap", title="Yule Swap", **collection),
    )
    now = timezone.now()
    return exchange_actions.configure_exchange(
        owner,
        fest,
        ExchangeSettings(
            signups_open_at=now - timedelta(days=1),
            signups_close_at=now + timedelta(days=1),
            tag_limits={"fandoms": [1, 2], "characters": [0, 2]},
            any_allowed=["characters"],
            tag_set={"fandoms": FANDOMS},
            rules={"fandoms": 1},
            due_at=now + timedelta(days=30),
        ),
    )


def prompt(*fandoms: str, characters: tuple[str, ...] = (), text: str = "") -> dict[str, Any]:
    return {"fandoms": list(fandoms), "characters": list(characters), "text": text}


def close_signups(exchange: GiftExchange) -> None:
    """Time passes: the sign-up window closes."""
    GiftExchange.objects.filter(pk=exchange.pk).update(
        signups_close_at=timezone.now() - timedelta(seconds=1)
    )
    exchange.refresh_from_db()


def six_sign_up(exchange: GiftExchange) -> list[User]:
    people = [make_user(name) for name in ("ann", "ben", "cat", "dan", "eve", "fay")]
    for n, person in enumerate(people):
        fandom = FANDOMS[n % 2]  # Moomins and Discworld, three each
        exchange_actions.sign_up(
            person, exchange, [prompt(fandom, text=f"{person.username} wants snow")],
            [prompt(fandom)],
        )  # fmt: skip
    return people


def test_an_owner_sets_up_an_exchange_and_bad_settings_are_refused(
    carol: User, bob: User, carol_client: Client
) -> None:
    exchange = exchange_of(carol)
    assert exchange.signups_are_open()
    page = Client().get("/collections/yule_swap").content.decode()
    assert "Gift exchange" in page and "Log in to sign up." in page
    form = carol_client.get("/collections/yule_swap/exchange").content.decode()
    assert 'name="fandoms_set"' in form and "Moomins, Discworld, Earthsea" in form
    answer = carol_client.post(
        "/collections/yule_swap/exchange",
        {
            "signups_open_at": "2030-01-02T10:00",
            "signups_close_at": "2030-01-01T10:00",
            "requests_min": 1, "requests_max": 2, "offers_min": 1, "offers_max": 2,
            **{f"{k}_{e}": v for k in ("fandoms", "characters", "relationships", "freeforms")
               for e, v in (("min", 0), ("max", 1), ("match", "0"))},
        },
    )  # fmt: skip
    assert (
        answer.status_code == 400 and "Sign-ups close after they open." in answer.content.decode()
    )
    exchange.refresh_from_db()
    assert exchange.signups_are_open(), "a refused change leaves the exchange as it was"
    assert logged_in(bob).get("/collections/yule_swap/exchange").status_code == 403
    with pytest.raises(PermissionDenied):
        exchange_actions.configure_exchange(
            bob, exchange.collection, ExchangeSettings(timezone.now(), timezone.now())
        )


def test_a_sign_up_keeps_the_limits_the_tag_set_and_the_window(carol: User, alice: User) -> None:
    exchange = exchange_of(carol)
    client = logged_in(alice)
    form = client.get("/collections/yule_swap/signup").content.decode()
    assert 'name="requests_1_fandoms"' in form and 'name="offers_3_fandoms"' in form
    refused = client.post(
        "/collections/yule_swap/signup",
        {"requests_1_fandoms": "Moomins, Discworld, Earthsea", "offers_1_fandoms": "Narnia"},
    )
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "1 to 2 fandom tags, not 3" in text and "not in the tag set: Narnia" in text
    assert not ExchangeSignup.objects.exists()
    saved = client.post(
        "/collections/yule_swap/signup",
        {
            "requests_1_fandoms": "moomins",
            "requests_1_any_characters": "on",
            "requests_1_text": "Snufkin in winter, please.",
            "offers_1_fandoms": "Discworld",
            "offers_1_characters": "Granny Weatherwax",
        },
    )
    assert saved.status_code == 302
    signup = ExchangeSignup.objects.get(user=alice)
    assert signup.requests[0]["any"] == ["characters"]
    assert signup.requests[0]["text"] == "Snufkin in winter, please."
    page = client.get("/collections/yule_swap/signup").content.decode()
    assert "You have signed up." in page and "Granny Weatherwax" in page

    close_signups(exchange)
    with pytest.raises(ValidationError, match="Sign-ups are not open"):
        exchange_actions.sign_up(alice, exchange, [prompt("Moomins")], [prompt("Moomins")])
    assert "Sign-ups are not open." in client.get("/collections/yule_swap/signup").content.decode()


def test_the_worker_matches_everyone_a_maximum_matching_can_and_says_who_is_left_out(
    carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    exchange = exchange_of(carol)
    six_sign_up(exchange)
    loner = make_user("gus")
    exchange_actions.sign_up(loner, exchange, [prompt("Earthsea")], [prompt("Earthsea")])
    keeper = logged_in(carol)
    early = keeper.post("/collections/yule_swap/matching", {"verb": "run"}, follow=True)
    assert "Match once sign-ups have closed." in early.content.decode()

    close_signups(exchange)
    with django_capture_on_commit_callbacks(execute=True):
        keeper.post("/collections/yule_swap/matching", {"verb": "run"})
    waiting = keeper.get("/collections/yule_swap/matching").content.decode()
    assert "Waiting for the worker" in waiting and 'http-equiv="refresh"' in waiting
    run_worker()
    exchange.refresh_from_db()
    assert exchange.matching_state == "done"
    assignments = list(exchange.assignments.select_related("giver__user", "recipient__user"))
    assert len(assignments) == 6
    for assignment in assignments:
        assert assignment.giver_id != assignment.recipient_id
        assert assignment.request["fandoms"] == assignment.giver.offers[0]["fandoms"]
    # The same sign-ups as plain participants: a maximum matching finds no more.
    people = [
        Participant(str(s.pk), (Signup.of(s.requests[0]),), (Signup.of(s.offers[0]),))
        for s in exchange.signups.all()
    ]
    from ficarchive.collections.matching import allowed_pairs

    assert len(maximum_matching(len(people), allowed_pairs(people, Rules()))) == 6
    page = keeper.get("/collections/yule_swap/matching").content.decode()
    assert "6 assignments for 7 participants" in page
    assert "<strong>gus</strong>" in page and "their offers fit no one&#x27;s requests" in page


def test_synonyms_count_in_the_matching(
    carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    canonical = Tag.objects.create(name="Moomins", type=TagType.FANDOM, canonical=True)
    Tag.objects.create(name="Mumintrollen", type=TagType.FANDOM, synonym_of=canonical)
    exchange = exchange_of(carol)
    GiftExchange.objects.filter(pk=exchange.pk).update(tag_set={})
    exchange.refresh_from_db()
    ann, ben = make_user("ann"), make_user("ben")
    exchange_actions.sign_up(ann, exchange, [prompt("Mumintrollen")], [prompt("Moomins")])
    exchange_actions.sign_up(ben, exchange, [prompt("Moomins")], [prompt("Mumintrollen")])
    close_signups(exchange)
    report = exchange_actions.run_matching(exchange.pk)
    assert report["assignments"] == 2 and report["unmatched"] == []


def test_from_sending_to_gifts_defaults_pinch_hits_and_a_refusal(
    carol: User, mallory: User, django_capture_on_commit_callbacks: Any
) -> None:
    exchange = exchange_of(carol, is_unrevealed=True, is_anonymous=True)
    ann, ben, cat, *_rest = six_sign_up(exchange)
    close_signups(exchange)
    exchange_actions.run_matching(exchange.pk)
    keeper = logged_in(carol)

    # A keeper swaps two assignments by hand; no one may write for themselves.
    ann_signup = ExchangeSignup.objects.get(user=ann)
    ben_signup = ExchangeSignup.objects.get(user=ben)
    with pytest.raises(ValidationError, match="No one writes for themselves"):
        exchange_actions.set_assignment(carol, exchange, ann_signup, ann_signup)
    keeper.post(f"/collections/yule_swap/matching/{ann_signup.pk}", {"recipient": ben_signup.pk})
    assert ExchangeAssignment.objects.get(giver=ann_signup).recipient == ben_signup
    assert ExchangeAssignment.objects.get(giver=ann_signup).by_hand

    assert logged_in(mallory).get("/collections/yule_swap/matching").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        sent = keeper.post("/collections/yule_swap/matching", {"verb": "send"}, follow=True)
    assert "assignments are sent." in sent.content.decode()
    run_worker()
    assert InboxItem.objects.filter(user=ann, kind=InboxKind.ASSIGNMENT).exists()
    assert any(m.to == ["ann@example.org"] and "Yule Swap" in m.subject for m in mail.outbox)
    ann_client = logged_in(ann)
    mine = ann_client.get("/collections/yule_swap/assignment").content.decode()
    assert "You write for ben" in mine and "ben wants snow" in mine

    # Ann posts her gift from the assignment page's link.
    ann_assignment = ExchangeAssignment.objects.get(giver=ann_signup)
    form_page = ann_client.get(f"/works/new?assignment={ann_assignment.pk}").content.decode()
    assert "Your gift for ben in “Yule Swap”" in form_page
    data = form_data(ann.default_pseud, title="Snow for Ben", assignment=str(ann_assignment.pk))
    assert logged_in(mallory).post("/works/new", data).status_code == 403
    posted = ann_client.post("/works/new", data)
    assert posted.status_code == 302
    gift_work = Work.objects.get(title="Snow for Ben")
    ann_assignment.refresh_from_db()
    assert ann_assignment.work == gift_work and ann_assignment.state == "fulfilled"
    assert (
        gift_work.in_unrevealed_collection
        and exchange.collection.items.filter(work=gift_work).exists()
    )
    assert not InboxItem.objects.filter(user=ben, kind=InboxKind.GIFT).exists(), (
        "the recipient hears of the gift at the reveal"
    )
    assert Client().get(f"/works/{gift_work.pk}").status_code == 404

    # Cat defaults; Mallory takes the pinch hit; Cat's recipient cannot take their own.
    cat_assignment = ExchangeAssignment.objects.get(giver__user=cat)
    with pytest.raises(PermissionDenied):
        exchange_actions.default_assignment(ann, cat_assignment)
    logged_in(cat).post(f"/collections/yule_swap/assignments/{cat_assignment.pk}/default")
    cat_assignment.refresh_from_db()
    assert cat_assignment.state == "defaulted"
    recipient = cat_assignment.recipient.user
    with pytest.raises(ValidationError, match="No one writes their own gift"):
        exchange_actions.take_pinch_hit(recipient, cat_assignment)
    hits = logged_in(mallory).get("/collections/yule_swap/assignment").content.decode()
    assert "Take this pinch hit" in hits
    logged_in(mallory).post(f"/collections/yule_swap/assignments/{cat_assignment.pk}/take")
    cat_assignment.refresh_from_db()
    assert cat_assignment.pinch_hitter == mallory and cat_assignment.state == "open"
    with pytest.raises(ValidationError, match="taken this pinch hit already"):
        exchange_actions.take_pinch_hit(ann, cat_assignment)
    with pytest.raises(PermissionDenied):
        exchange_actions.open_assignment(cat, cat_assignment.pk)  # Cat gave it up
    pinch = form_data(mallory.default_pseud, title="Pinch Hit", assignment=str(cat_assignment.pk))
    assert logged_in(mallory).post("/works/new", pinch).status_code == 302
    cat_assignment.refresh_from_db()
    assert cat_assignment.state == "fulfilled" and cat_assignment.work.title == "Pinch Hit"
    assert Gift.objects.filter(work=cat_assignment.work, recipient=recipient).exists()

    # The reveal: the gift shows, names its recipient, and the recipient is told.
    with django_capture_on_commit_callbacks(execute=True):
        revealing.reveal(carol, exchange.collection)
    run_worker()
    page = Client().get(f"/works/{gift_work.pk}").content.decode()
    assert 'For <a href="/users/ben/gifts">ben</a>' in page
    assert InboxItem.objects.filter(user=ben, kind=InboxKind.GIFT, work=gift_work).exists()
    gifts = Client().get("/users/ben/gifts").content.decode()
    assert "Snow for Ben" in gifts and "Refuse this gift" not in gifts

    # Ben refuses it: the work no longer names him; no one else may refuse it.
    gift = Gift.objects.get(work=gift_work)
    assert logged_in(ann).post(f"/gifts/{gift.pk}/refuse").status_code == 403
    logged_in(ben).post(f"/gifts/{gift.pk}/refuse")
    assert "/users/ben/gifts" not in Client().get(f"/works/{gift_work.pk}").content.decode()
    assert "Snow for Ben" not in Client().get("/users/ben/gifts").content.decode()


def test_participants_nominate_tags_and_approved_ones_join_the_tag_set(
    carol: User, alice: User, bob: User
) -> None:
    exchange = exchange_of(carol)
    GiftExchange.objects.filter(pk=exchange.pk).update(nomination_limits={"fandoms": 2})
    exchange.refresh_from_db()
    page = Client().get("/collections/yule_swap")
    assert page.status_code == 200
    alice_client = logged_in(alice)
    assert (
        'name="fandoms"' in alice_client.get("/collections/yule_swap/nominations").content.decode()
    )
    alice_client.post("/collections/yule_swap/nominations", {"fandoms": "Narnia, Redwall"})
    too_many = alice_client.post("/collections/yule_swap/nominations", {"fandoms": "Dune"})
    assert too_many.status_code == 400
    assert "You may nominate 2 of these; you have 2 already." in too_many.content.decode()
    logged_in(bob).post("/collections/yule_swap/nominations", {"fandoms": "narnia"})
    keeper = logged_in(carol)
    waiting = keeper.get("/collections/yule_swap/nominations").content.decode()
    assert "Narnia (fandoms, 2 nominations)" in waiting
    assert (
        logged_in(bob)
        .post(
            "/collections/yule_swap/nominations",
            {"verb": "approve", "kind": "fandoms", "name": "Narnia"},
        )
        .status_code
        == 403
    )
    keeper.post(
        "/collections/yule_swap/nominations",
        {"verb": "approve", "kind": "fandoms", "name": "Narnia"},
    )
    keeper.post(
        "/collections/yule_swap/nominations",
        {"verb": "reject", "kind": "fandoms", "name": "Redwall"},
    )
    exchange.refresh_from_db()
    assert exchange.allowed_tags("fandoms") == [*FANDOMS, "Narnia"]
    assert "Redwall: Rejected" in alice_client.get(
        "/collections/yule_swap/nominations"
    ).content.decode().replace(" (fandoms)", "")
    # The tag set now takes Narnia in a sign-up.
    exchange_actions.sign_up(alice, exchange, [prompt("Narnia")], [prompt("Moomins")])
    close_signups(exchange)
    with pytest.raises(ValidationError, match="closed with the sign-ups"):
        from ficarchive.collections.nominations import nominate

        nominate(bob, exchange, "fandoms", ["Dune"])


@pytest.mark.parametrize("any_request", [False, True])
def test_a_gift_answers_the_paired_request_or_any_where_the_exchange_allows(
    carol: User, any_request: bool
) -> None:
    exchange = exchange_of(carol)
    GiftExchange.objects.filter(pk=exchange.pk).update(any_request=any_request)
    ann, ben = make_user("ann"), make_user("ben")
    exchange_actions.sign_up(
        ann, exchange, [prompt("Moomins", text="Ann: snow"), prompt("Earthsea", text="Ann: sea")],
        [prompt("Moomins")],
    )  # fmt: skip
    exchange_actions.sign_up(
        ben, exchange, [prompt("Moomins", text="Ben: ice")], [prompt("Moomins")]
    )
    close_signups(exchange)
    exchange_actions.run_matching(exchange.pk)
    exchange_actions.send_assignments(carol, exchange)
    page = logged_in(ben).get("/collections/yule_swap/assignment").content.decode()
    assert "Ann: snow" in page, "the request the matching paired"
    assert ("Ann: sea" in page) == any_request
    assert ("any one of their requests" in page) == any_request


def test_the_keepers_pages_and_verbs_are_refused_to_participants_and_guests(
    carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    exchange = exchange_of(carol)
    ann, ben, *_rest = six_sign_up(exchange)
    close_signups(exchange)
    exchange_actions.run_matching(exchange.pk)
    ann_signup = ExchangeSignup.objects.get(user=ann)
    ben_signup = ExchangeSignup.objects.get(user=ben)
    before = list(exchange.assignments.values_list("giver_id", "recipient_id"))
    ann_client = logged_in(ann)
    for address in ("/collections/yule_swap/signups", "/collections/yule_swap/matching"):
        assert ann_client.get(address).status_code == 403, address
        assert Client().get(address).status_code == 302, address  # to the log-in page
    assert ann_client.post("/collections/yule_swap/matching", {"verb": "send"}).status_code == 403
    refused = ann_client.post(
        f"/collections/yule_swap/matching/{ann_signup.pk}", {"recipient": ben_signup.pk}
    )
    assert refused.status_code == 403
    assert list(exchange.assignments.values_list("giver_id", "recipient_id")) == before
    assert not exchange.assignments.filter(sent_at__isnull=False).exists()
    # A participant's assignment page shows nothing of others' assignments before sending.
    assert (
        "You write for" not in ann_client.get("/collections/yule_swap/assignment").content.decode()
    )

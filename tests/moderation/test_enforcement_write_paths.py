"""A suspended user is refused on every write path, pages and API, and nothing is written; a
banned user's session and token stop working.

The paths are every address of the URL confs and API routers that writes for the user (see
moderation/README.md, "Warnings, suspensions and bans", for those a suspended user keeps).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.actions import create_pseud
from ficarchive.accounts.models import User
from ficarchive.collections import actions as collections
from ficarchive.collections import exchange_actions as exchanges
from ficarchive.collections import meme_actions as memes
from ficarchive.collections.models import (
    Collection,
    ExchangeAssignment,
    ExchangeSignup,
)
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import Role
from ficarchive.social import actions as social
from ficarchive.works import actions as works
from tests.api.conftest import bearer, error_of, token_for
from tests.conftest import logged_in, make_user, post_work
from tests.importing.test_views import post_data as import_data
from tests.moderation.holders import holder
from tests.works.test_posting import form_data

# What a write could change: every row of these tables, every field.
WATCHED = [
    "works.Work",
    "works.Chapter",
    "works.ScheduledRelease",
    "works.Series",
    "works.SeriesPart",
    "works.Creatorship",
    "accounts.Pseud",
    "social.Comment",
    "social.Kudos",
    "social.Bookmark",
    "social.Subscription",
    "collections.Collection",
    "collections.CollectionItem",
    "collections.CollectionMember",
    "collections.GiftExchange",
    "collections.ExchangeSignup",
    "collections.ExchangeAssignment",
    "collections.Gift",
    "collections.PromptMeme",
    "collections.Prompt",
    "collections.Claim",
    "collections.Fill",
    "collections.TagNomination",
    "collections.CollectionBookmark",
]


def exchange_settings() -> dict[str, Any]:
    """A whole, valid gift exchange settings form (sign-ups a year from now)."""
    data: dict[str, Any] = {
        "signups_open_at": "2099-01-01T10:00",
        "signups_close_at": "2099-02-01T10:00",
        "requests_min": 1, "requests_max": 2, "offers_min": 1, "offers_max": 2,
    }  # fmt: skip
    for kind in ("fandoms", "characters", "relationships", "freeforms"):
        data |= {f"{kind}_min": 0, f"{kind}_max": 1, f"{kind}_match": "0"}
    return data


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {name: sorted(apps.get_model(name).objects.values_list(), key=repr) for name in WATCHED}


@pytest.fixture
def world(alice: User, bob: User) -> dict[str, Any]:
    """Alice's work (a posted and a draft chapter), draft, series, second pseud, comment and
    bookmark, and an invitation to her; Bob's work and series for her to act on. Then Alice is
    suspended."""
    mine = post_work(alice, "Mine", chapters=("<p>One.</p>", "<p>Two.</p>"))
    draft_chapter = works.add_chapter(
        alice, mine, works.ChapterDetails(body="<p>3</p>"), draft=True
    )
    draft = post_work(alice, "My Draft", draft=True)
    release = works.schedule_work(alice, draft, timezone.now() + timedelta(days=1))
    works.schedule_chapter(alice, draft_chapter, timezone.now() + timedelta(days=1))
    series = works.create_series(alice, "My Series")
    pseud = create_pseud(alice, "Alias")
    theirs = post_work(bob, "Theirs")
    their_series = works.create_series(bob, "Their Series")
    works.add_work_to_series(bob, theirs, their_series)
    shared = post_work(bob, "Shared")
    invitation = works.invite_cocreator(bob, shared, alice.default_pseud)
    comment = social.post_comment(alice, theirs, "Lovely.")
    bookmark = social.save_bookmark(alice, social.BookmarkDetails(notes="Good"), work=theirs)
    fest = collections.create_collection(
        alice, collections.CollectionDetails("alices_fest", "Alice's Fest", is_moderated=True)
    )
    collections.create_collection(bob, collections.CollectionDetails("bobs_fest", "Bob's Fest"))
    waiting = collections.add_work(bob, theirs, fest)
    bobs_mark = social.save_bookmark(bob, social.BookmarkDetails(notes="Yes"), work=mine)
    waiting_mark = collections.add_bookmark(bob, bobs_mark, fest)
    gil = make_user("gil")
    now = timezone.now()
    exchanges.configure_exchange(  # Alice's: sign-ups closed, to be matched
        alice, fest, exchanges.ExchangeSettings(now - timedelta(days=2), now - timedelta(days=1))
    )
    for person in (alice, bob):
        ExchangeSignup.objects.create(
            exchange=fest.exchange, user=person, pseud=person.default_pseud,
            requests=[{"fandoms": ["Original Work"]}], offers=[{"fandoms": ["Original Work"]}],
        )  # fmt: skip
    bobs = Collection.objects.get(name="bobs_fest")
    open_exchange = exchanges.configure_exchange(  # Bob's: open, with a pinch hit waiting
        bob,
        bobs,
        exchanges.ExchangeSettings(
            now - timedelta(days=1), now + timedelta(days=1), nomination_limits={"fandoms": 2}
        ),
    )
    gives, receives = (
        ExchangeSignup.objects.create(
            exchange=open_exchange, user=person, pseud=person.default_pseud,
            requests=[{"fandoms": ["Original Work"]}], offers=[{"fandoms": ["Original Work"]}],
        )
        for person in (gil, bob)
    )  # fmt: skip
    meme = memes.configure_meme(bob, bobs, is_open=True, allow_anonymous=True)
    bobs_prompt = memes.post_prompt(bob, meme, {"fandoms": ["Original Work"]}, "Snow.")
    pinch_hit = ExchangeAssignment.objects.create(
        exchange=open_exchange, giver=gives, recipient=receives, sent_at=now, defaulted_at=now
    )
    key = token_for(alice)
    sanctions.suspend(holder(Role.POLICY_ABUSE), alice, timezone.now() + timedelta(days=5),
                      "Spam waves.")  # fmt: skip
    chapters = list(mine.chapters.order_by("position"))
    return {
        "W": mine.pk,
        "C1": chapters[0].pk,
        "C2": chapters[1].pk,
        "CD": draft_chapter.pk,
        "D": draft.pk,
        "R": release.pk,
        "S": series.pk,
        "P": pseud.pk,
        "B": theirs.pk,
        "BS": their_series.pk,
        "I": invitation.pk,
        "CM": comment.pk,
        "BM": bookmark.pk,
        "CI": waiting.pk,
        "SU": ExchangeSignup.objects.get(exchange=fest.exchange, user=bob).pk,
        "SA": ExchangeSignup.objects.get(exchange=fest.exchange, user=alice).pk,
        "PH": pinch_hit.pk,
        "PR": bobs_prompt.pk,
        "CB": waiting_mark.pk,
        "key": key,
        "alice": alice,
        "bob": bob,
    }


def fill(text: str, world: dict[str, Any]) -> str:
    for name in sorted(world, key=len, reverse=True):
        if isinstance(world[name], int):
            text = text.replace(f"{{{name}}}", str(world[name]))
    return text


SOON = f"{timezone.now().year + 1}-06-01T10:00"  # a time to schedule a draft for

# (method, address, data): every page that writes for a signed-in user.
PAGES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "/works/new", None),
    ("post", "/works/new", {}),
    ("get", "/works/{W}/edit", None),
    ("post", "/works/{W}/edit", {}),
    ("post", "/works/{W}/delete", {}),
    ("post", "/works/{D}/post", {}),
    ("get", "/works/{W}/chapters/new", None),
    ("post", "/works/{W}/chapters/new", {"body": "<p>New.</p>", "body_format": "html"}),
    ("post", "/works/{W}/chapters/{C1}/edit", {"body": "<p>Edited.</p>", "body_format": "html"}),
    ("post", "/works/{W}/chapters/{C2}/delete", {}),
    ("post", "/works/{W}/chapters/{CD}/post", {}),
    ("post", "/works/{W}/chapters/{CD}/post-silently", {}),
    ("get", "/works/{D}/schedule", None),
    ("post", "/works/{D}/schedule", {"post_at": SOON}),
    ("get", "/works/{W}/chapters/{CD}/schedule", None),
    ("post", "/works/{W}/chapters/{CD}/schedule", {"post_at": SOON}),
    ("post", "/works/{D}/schedules/{R}/cancel", {}),
    (
        "post",
        "/works/{W}/chapters/order",
        {"position_{C1}": "2", "position_{C2}": "1", "position_{CD}": "3"},
    ),
    ("post", "/works/{W}/creators", {"pseud": "bob"}),
    ("post", "/invitations/{I}/accept", {}),
    ("post", "/works/{W}/series", {"series": "{S}"}),
    ("get", "/series/new", None),
    ("post", "/series/new", {"title": "New Series"}),
    ("post", "/series/{S}/edit", {"title": "Renamed"}),
    ("post", "/works/{B}/kudos", {}),
    ("post", "/works/{B}/comments", {"text": "Spam!", "body_format": "plain"}),
    ("post", "/comments/{CM}/reply", {"text": "Spam!", "body_format": "plain"}),
    ("post", "/comments/{CM}/edit", {"text": "Edited", "body_format": "plain"}),
    ("post", "/comments/{CM}/delete", {}),
    ("post", "/works/{B}/bookmark", {"notes": "Changed", "tags": ""}),
    ("post", "/series/{BS}/bookmark", {"notes": "Series", "tags": ""}),
    ("post", "/bookmarks/{BM}/delete", {}),
    ("post", "/works/{B}/subscribe", {}),
    ("post", "/series/{BS}/subscribe", {}),
    ("post", "/users/bob/subscribe", {}),
    ("get", "/works/import", None),
    ("post", "/works/import", {"text": "A story.\n\nIt was long."}),
    ("post", "/works/import/post", import_data()),
    ("get", "/pseuds/new", None),
    ("post", "/pseuds/new", {"name": "Another", "description": "Buy pills"}),
    ("post", "/pseuds/{P}/edit", {"name": "Alias", "description": "Buy pills"}),
    ("post", "/pseuds/{P}/delete", {}),
    ("get", "/collections/new", None),
    ("post", "/collections/new", {"name": "spam_fest", "title": "Spam"}),
    ("get", "/collections/alices_fest/edit", None),
    ("post", "/collections/alices_fest/edit", {"name": "alices_fest", "title": "Renamed"}),
    ("post", "/collections/alices_fest/manage", {"username": "bob", "role": "moderator"}),
    ("post", "/collections/alices_fest/manage", {"work": "{W}"}),
    ("post", "/collections/alices_fest/items/{CI}", {"verb": "approve"}),
    ("post", "/collections/alices_fest/reveal", {}),
    ("get", "/collections/alices_fest/exchange", None),
    ("post", "/collections/alices_fest/exchange", exchange_settings()),
    ("post", "/collections/alices_fest/matching", {"verb": "run"}),
    ("post", "/collections/alices_fest/matching/{SU}", {"recipient": "{SA}"}),
    ("get", "/collections/bobs_fest/signup", None),
    (
        "post",
        "/collections/bobs_fest/signup",
        {"requests_1_fandoms": "Original Work", "offers_1_fandoms": "Original Work"},
    ),
    ("post", "/collections/bobs_fest/assignments/{PH}/take", {}),
    ("get", "/collections/bobs_fest/nominations", None),
    ("post", "/collections/bobs_fest/nominations", {"fandoms": "Rain"}),
    ("get", "/collections/alices_fest/meme", None),
    ("post", "/collections/alices_fest/bookmark-items/{CB}", {"verb": "approve"}),
    ("get", "/bookmarks/{BM}/collections", None),
    ("post", "/bookmarks/{BM}/collections", {"collection": "bobs_fest"}),
    ("post", "/collections/alices_fest/meme", {"is_open": "on"}),
    ("post", "/collections/bobs_fest/prompts", {"fandoms": "Original Work", "text": "Rain."}),
    ("post", "/collections/bobs_fest/prompts/{PR}/claim", {}),
    ("get", "/works/{W}/collections", None),
    ("post", "/works/{W}/collections", {"collection": "bobs_fest"}),
]


@pytest.mark.parametrize(
    ("method", "address", "data"), PAGES, ids=[f"{m} {a}" for m, a, _ in PAGES]
)
def test_a_suspended_user_is_refused_on_every_page_that_writes(
    method: str, address: str, data: dict[str, Any] | None, world: dict[str, Any]
) -> None:
    client = logged_in(User.objects.get(pk=world["alice"].pk))
    before = snapshot()
    if method == "get":
        answer = client.get(fill(address, world))
    else:
        sent = {
            fill(k, world): fill(v, world) if isinstance(v, str) else v
            for k, v in (data or {}).items()
        }
        if address == "/works/new":
            sent = form_data(world["alice"].default_pseud)
        if address == "/works/{W}/edit":
            sent = form_data(world["alice"].default_pseud, title="Edited", expected_chapters="")
        answer = client.post(fill(address, world), sent)
    assert answer.status_code == 403, answer.content.decode()[:500]
    text = answer.content.decode()
    # The 403 page says why (the banner above it says so on every page anyway).
    assert "<p>Your account is suspended until" in text and "Spam waves." in text
    assert snapshot() == before


# (method, address, JSON body): every API operation that writes for the token's user.
API_WRITES: list[tuple[str, str, dict[str, Any] | None]] = [
    (
        "post",
        "/works",
        {
            "title": "By API",
            "rating": "General Audiences",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": ["Original Work"],
            "chapter": {"body": "<p>Text.</p>"},
        },
    ),
    ("patch", "/works/{W}", {"title": "Edited"}),
    ("post", "/works/{D}/publish", None),
    ("post", "/works/{W}/chapters", {"body": "<p>More.</p>"}),
    ("patch", "/works/{W}/chapters/{C1}", {"body": "<p>Edited.</p>"}),
    ("post", "/works/{W}/chapters/{CD}/publish", None),
    ("put", "/works/{D}/schedule", {"post_at": f"{SOON}:00Z"}),
    ("delete", "/works/{D}/schedule", None),
    ("put", "/works/{W}/chapters/{CD}/schedule", {"post_at": f"{SOON}:00Z", "silent": True}),
    ("delete", "/works/{W}/chapters/{CD}/schedule", None),
    ("post", "/works/{B}/comments", {"text": "Spam!"}),
    ("post", "/works/{B}/kudos", None),
    ("put", "/works/{B}/bookmark", {"notes": "Changed"}),
    ("delete", "/bookmarks/{BM}", None),
    ("post", "/me/subscriptions", {"work_id": "{B}"}),
]


@pytest.mark.parametrize(
    ("method", "address", "body"), API_WRITES, ids=[f"{m} {a}" for m, a, _ in API_WRITES]
)
def test_a_suspended_user_is_refused_on_every_api_write(
    method: str, address: str, body: dict[str, Any] | None, world: dict[str, Any]
) -> None:
    client = bearer(world["key"])
    before = snapshot()
    if body and "work_id" in body:
        body = {"work_id": world["B"]}
    answer = getattr(client, method)(
        "/api/v1" + fill(address, world), body or {}, content_type="application/json"
    )
    assert answer.status_code == 403, answer.content.decode()[:500]
    error = error_of(answer)
    assert error["code"] == "suspended"
    assert "Spam waves." in error["message"]
    assert snapshot() == before


def test_the_api_refuses_a_suspended_session_alike(world: dict[str, Any]) -> None:
    client = logged_in(User.objects.get(pk=world["alice"].pk))
    answer = client.post(f"/api/v1/works/{world['B']}/kudos", {}, content_type="application/json")
    assert answer.status_code == 403 and error_of(answer)["code"] == "suspended"


def test_a_suspended_user_still_reads_and_keeps_what_is_not_writing(world: dict[str, Any]) -> None:
    """Reading, the inbox, history, preferences, blocking and muting, tokens and unsubscribing
    stay open: they publish nothing."""
    client = logged_in(User.objects.get(pk=world["alice"].pk))
    for address in (f"/works/{world['B']}", "/inbox", "/history", "/preferences", "/warnings"):
        assert client.get(address).status_code == 200, address
    assert client.post("/users/bob/block").status_code in (200, 302)
    assert client.post("/feeds/token/new").status_code in (200, 302)
    assert bearer(world["key"]).get("/api/v1/me").status_code == 200


def test_a_suspended_user_is_not_offered_the_comment_form(world: dict[str, Any]) -> None:
    client = logged_in(User.objects.get(pk=world["alice"].pk))
    page = client.get(f"/works/{world['B']}").content.decode()
    assert 'name="text"' not in page
    assert "Your account is suspended until" in page


def test_a_banned_users_session_and_token_stop_working_at_once(world: dict[str, Any]) -> None:
    """Even before the sessions are deleted (after the commit), the session reads as a guest."""
    alice = User.objects.get(pk=world["alice"].pk)
    session = logged_in(alice)
    sanctions.unsuspend(holder(Role.POLICY_ABUSE, "polly2"), alice)
    sanctions.ban(User.objects.get(username="polly2"), alice, "Threats.")
    assert session.get("/inbox").status_code == 302
    before = snapshot()
    session.post("/works/new", form_data(alice.default_pseud))
    assert snapshot() == before
    answer = bearer(world["key"]).post(f"/api/v1/works/{world['B']}/kudos")
    assert answer.status_code == 401
    assert Client().login(username="alice", password="x") is False


WRITES_NOTHING = {"/works/import"}  # the import preview: it reads the files and shows them


@pytest.mark.parametrize(
    ("method", "address", "data"), PAGES, ids=[f"{m} {a}" for m, a, _ in PAGES]
)
def test_the_same_requests_work_for_a_user_in_good_standing(
    method: str, address: str, data: dict[str, Any] | None, world: dict[str, Any]
) -> None:
    """The control: each refused request above is one that writes (or shows its form)."""
    alice = User.objects.get(pk=world["alice"].pk)
    sanctions.unsuspend(User.objects.get(username="polly"), alice)
    client = logged_in(alice)
    before = snapshot()
    if method == "get":
        assert client.get(fill(address, world)).status_code == 200
        return
    sent = {
        fill(k, world): fill(v, world) if isinstance(v, str) else v for k, v in (data or {}).items()
    }
    if address == "/works/new":
        sent = form_data(alice.default_pseud)
    if address == "/works/{W}/edit":
        sent = form_data(alice.default_pseud, title="Edited", expected_chapters="")
    answer = client.post(fill(address, world), sent)
    assert answer.status_code in (200, 302), answer.content.decode()[:300]
    if address not in WRITES_NOTHING:
        assert snapshot() != before


@pytest.mark.parametrize(
    ("method", "address", "body"), API_WRITES, ids=[f"{m} {a}" for m, a, _ in API_WRITES]
)
def test_the_same_api_writes_work_for_a_user_in_good_standing(
    method: str, address: str, body: dict[str, Any] | None, world: dict[str, Any]
) -> None:
    sanctions.unsuspend(User.objects.get(username="polly"), world["alice"])
    before = snapshot()
    if body and "work_id" in body:
        body = {"work_id": world["B"]}
    answer = getattr(bearer(world["key"]), method)(
        "/api/v1" + fill(address, world), body or {}, content_type="application/json"
    )
    assert answer.status_code in (200, 201, 204), answer.content.decode()[:300]
    assert snapshot() != before


# --- every address is accounted for -----------------------------------------------------------

# Pages that only read (or only show a form a test above refuses).
READS = {
    "home", "accounts:profile", "accounts:user_works", "accounts:user_series", "accounts:pseuds",
    "accounts:pseud", "works:index", "works:detail", "works:chapter", "works:navigate",
    "works:series", "works:drafts", "works:invitations", "tags:autocomplete", "tags:works",
    "social:favorites", "social:comment", "social:work_bookmarks", "social:bookmark",
    "social:user_bookmarks", "social:subscriptions", "social:inbox", "social:history",
    "social:later", "social:stats", "social:blocked", "social:muted", "search:works",
    "search:people", "search:bookmarks", "search:tag_suggestions",
    "remote_image", "moderation:warnings", "moderation:report_sent",
    "tags:media", "tags:media_fandoms", "tags:fandom",
    "web:favicon", "web:robots", "web:sitemap", "web:sitemap_section", "web:healthz",
    "collections:index", "collections:detail", "collections:signups", "collections:assignment",
    "collections:gifts", "collections:bookmarks",
}  # fmt: skip
# Writes a suspended user keeps: their own account, reading tools, safety tools, leaving.
KEPT = {
    "accounts:signup", "accounts:signup_confirm", "accounts:login", "accounts:logout",
    "accounts:password_change", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "accounts:email_change", "accounts:email_change_confirm",
    "accounts:delete_account", "accounts:preferences", "accounts:filters", "accounts:hide_tags",
    "accounts:show_tag", "accounts:hide_work", "accounts:show_work", "accounts:hide_creator",
    "accounts:show_creator", "social:unsubscribe", "social:subscription_email",
    "social:inbox_update", "social:clear_history", "social:later_mark", "social:keep_place",
    "social:mark_read", "social:devices", "social:device_remove", "social:kosync_root",
    "social:kosync_health", "social:kosync_create_user", "social:kosync_auth",
    "social:kosync_update", "social:kosync_progress", "search:saved", "search:save",
    "search:saved_update", "search:saved_delete", "social:shelves", "social:shelf",
    "social:shelf_edit", "social:shelf_delete", "social:shelf_move", "social:shelf_move_work",
    "social:shelf_remove_work", "social:shelve", "social:block",
    "social:unblock", "social:mute", "social:unmute", "social:comment_moderate",
    "exporting:new_token", "exporting:revoke_token", "tokens:list", "tokens:revoke",
    "moderation:report", "moderation:acknowledge",
    # An external author's claim page: orphaning, removing and refusing imports need no
    # account; claiming is refused to a suspended one (tests/importing/test_archivist_claim.py).
    "importing:claim",
    # The footer's language switch: a guest's cookie, or the reader's own preference.
    "accounts:language",
    # Two-factor sign-in: securing one's own account, and the log-in's second step.
    "accounts:two_factor", "accounts:two_factor_app", "accounts:two_factor_app_remove",
    "accounts:two_factor_backup", "accounts:two_factor_passkey_options",
    "accounts:two_factor_passkey_add", "accounts:two_factor_passkey_remove",
    "accounts:two_factor_off", "accounts:two_factor_verify",
    "accounts:two_factor_verify_passkey_options", "accounts:two_factor_verify_passkey",
    # Leaving a gift exchange, giving up an assignment, refusing a gift: nothing is posted.
    "collections:withdraw", "collections:default", "collections:refuse",
    # Letting go of a claimed prompt, taking down one's own prompt.
    "collections:unclaim", "collections:prompt_delete",
}  # fmt: skip
# Pages for roles (wranglers, moderators, superadmins), each behind its own permission.
ROLES = {"works:hide", "tags:edit", "tags:set_media"}
ROLE_PREFIXES = ("tags:wrangl", "tags:accept_suggestion", "tags:changes", "tags:undo")


def _routes() -> set[str]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns: Any, namespace: str = "") -> Any:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns))


def _view_name(address: str) -> str:
    from django.urls import resolve

    return resolve(re.sub(r"\{\w+\}", "1", address)).view_name


def test_every_page_address_is_refused_read_only_kept_or_for_roles(db: Any) -> None:
    """A new page that writes must join PAGES above (or say why a suspended user keeps it).
    Downloads, OPDS and feeds only read; the API has its own test below; moderation pages
    other than reports and warnings need a role."""
    refused = {_view_name(address) for _, address, _ in PAGES}
    unknown = {
        name
        for name in _routes()
        if name not in refused | READS | KEPT | ROLES
        and not name.startswith((*ROLE_PREFIXES, "exporting:", "api:", "moderation:"))
    }
    assert unknown == set()
    assert refused & (READS | KEPT) == set()


API_KEPT = {
    ("delete", "/me/subscriptions/{subscription_id}"),
    ("post", "/me/inbox/read"),
    ("post", "/reports"),
    ("put", "/works/{work_id}/place"),  # the reader's own place: reading, not posting
    # The reader's private shelves: reading tools, as "marked for later" is.
    ("post", "/me/shelves"),
    ("patch", "/me/shelves/{shelf_id}"),
    ("delete", "/me/shelves/{shelf_id}"),
    ("put", "/me/shelves/{shelf_id}/works"),
}


def test_every_api_write_is_refused_or_kept(db: Any) -> None:
    from ficarchive.api.main import api

    paths = api.get_openapi_schema()["paths"]
    writes = {
        (method, path.removeprefix("/api/v1"))
        for path, operations in paths.items()
        for method in operations
        if method != "get"
    }
    refused = {
        (method, address.replace("{W}", "{work_id}").replace("{D}", "{work_id}")
         .replace("{B}", "{work_id}").replace("{C1}", "{chapter_id}")
         .replace("{CD}", "{chapter_id}").replace("{BM}", "{bookmark_id}"))
        for method, address, _ in API_WRITES
    }  # fmt: skip
    assert writes - refused - API_KEPT == set()

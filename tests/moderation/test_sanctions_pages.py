"""The account's moderation page, the sanction forms, the banners and the warnings page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.moderation import switches
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import AuditEntry, Case, Role, Sanction
from tests.conftest import logged_in
from tests.moderation.holders import holder


@pytest.fixture
def polly(db: Any) -> User:
    return holder(Role.POLICY_ABUSE)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=2)).isoformat()


# --- the account's page -----------------------------------------------------------------------


def test_a_moderator_sees_the_accounts_standing_history_and_forms(
    polly: User, mallory: User
) -> None:
    sanctions.warn(polly, mallory, "Stop the insults.")
    Case.objects.create(
        target_kind="user", target_id=mallory.pk, label="Profile of mallory", subject=mallory
    )
    page = logged_in(polly).get("/moderation/users/mallory")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Stop the insults." in text
    assert "1 warning not yet acknowledged" in text
    assert "Profile of mallory" in text
    assert 'action="/moderation/users/mallory/suspend"' in text
    assert 'action="/moderation/users/mallory/spam-ban"' in text
    assert "warned" in text  # the audit entry


def test_support_sees_the_page_without_the_forms(mallory: User) -> None:
    page = logged_in(holder(Role.SUPPORT)).get("/moderation/users/mallory")
    assert page.status_code == 200
    assert "/moderation/users/mallory/ban" not in page.content.decode()


def test_the_page_is_refused_to_guests_readers_and_wranglers(mallory: User, bob: User) -> None:
    assert Client().get("/moderation/users/mallory").status_code == 302
    assert logged_in(bob).get("/moderation/users/mallory").status_code == 403
    wren = holder(Role.TAG_WRANGLER)
    assert logged_in(wren).get("/moderation/users/mallory").status_code == 403


def test_an_unknown_account_is_not_found(polly: User) -> None:
    assert logged_in(polly).get("/moderation/users/nobody").status_code == 404


# --- the forms ----------------------------------------------------------------------------


def test_a_moderator_suspends_from_the_page_and_comes_back(polly: User, mallory: User) -> None:
    client = logged_in(polly)
    sent = client.post(
        "/moderation/users/mallory/suspend",
        {"until": tomorrow(), "reason": "Spam waves.", "next": "/moderation/users/mallory"},
    )
    assert sent.status_code == 302 and sent["Location"] == "/moderation/users/mallory"
    mallory = fresh(mallory)
    assert mallory.suspended_until is not None and mallory.suspension_reason == "Spam waves."
    assert "Lift the suspension" in client.get("/moderation/users/mallory").content.decode()
    assert client.post("/moderation/users/mallory/unsuspend", {}).status_code == 302
    assert fresh(mallory).suspended_until is None


def test_a_suspension_date_in_the_past_is_refused_next_to_the_field(
    polly: User, mallory: User
) -> None:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    sent = logged_in(polly).post(
        "/moderation/users/mallory/suspend", {"until": yesterday, "reason": "Late."}
    )
    assert sent.status_code == 400
    assert "A suspension ends in the future." in sent.content.decode()
    assert fresh(mallory).suspended_until is None


def test_a_missing_reason_is_refused_next_to_the_field(polly: User, mallory: User) -> None:
    sent = logged_in(polly).post("/moderation/users/mallory/ban", {"reason": ""})
    assert sent.status_code == 400
    assert "Say why" in sent.content.decode()
    assert fresh(mallory).is_active


def test_a_moderator_bans_spam_bans_and_unbans_from_the_page(polly: User, mallory: User) -> None:
    client = logged_in(polly)
    assert client.post("/moderation/users/mallory/ban", {"reason": "Threats."}).status_code == 302
    assert not fresh(mallory).is_active
    page = client.get("/moderation/users/mallory").content.decode()
    assert "Banned." in page and "/moderation/users/mallory/unban" in page
    assert client.post("/moderation/users/mallory/unban", {}).status_code == 302
    assert fresh(mallory).is_active
    assert client.post("/moderation/users/mallory/spam-ban", {"reason": "Spam."}).status_code == 302
    assert AuditEntry.objects.filter(verb="spam_ban_user", subject=mallory).exists()


def test_a_sanction_from_a_case_page_names_the_case(polly: User, mallory: User) -> None:
    case = Case.objects.create(target_kind="user", target_id=mallory.pk, label="m", subject=mallory)
    logged_in(polly).post("/moderation/users/mallory/warn", {"reason": "Be kind.", "case": case.pk})
    assert Sanction.objects.get().case == case
    assert AuditEntry.objects.get(verb="warn_user").case == case


def test_a_superadmin_cannot_be_banned_from_the_page(polly: User, ada: User) -> None:
    page = logged_in(polly).get("/moderation/users/ada").content.decode()
    assert "A superadmin cannot be suspended or banned." in page
    sent = logged_in(polly).post("/moderation/users/ada/ban", {"reason": "Coup."})
    assert sent.status_code == 400 and "superadmin" in sent.content.decode()
    assert fresh(ada).is_active


@pytest.mark.parametrize("name", ["warn", "suspend", "unsuspend", "ban", "spam-ban", "unban"])
def test_the_forms_are_refused_to_guests_readers_and_other_roles(
    name: str, mallory: User, bob: User
) -> None:
    data = {"reason": "x", "until": tomorrow()}
    assert Client().post(f"/moderation/users/mallory/{name}", data).status_code == 302
    for actor in (bob, holder(Role.SUPPORT), holder(Role.TAG_WRANGLER)):
        assert logged_in(actor).post(f"/moderation/users/mallory/{name}", data).status_code == 403
    assert not Sanction.objects.exists() and fresh(mallory).is_active


def test_the_forms_need_a_post_and_csrf(polly: User, mallory: User) -> None:
    assert logged_in(polly).get("/moderation/users/mallory/ban").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(polly)
    assert strict.post("/moderation/users/mallory/ban", {"reason": "x"}).status_code == 403
    assert fresh(mallory).is_active


# --- banners and the warnings page ---------------------------------------------------------


def test_a_suspended_user_sees_until_when_and_why_on_every_page(
    polly: User, alice: User, work: Any
) -> None:
    sanctions.suspend(polly, alice, timezone.now() + timedelta(days=3), "Spam waves.")
    client = logged_in(fresh(alice))
    for address in ("/", work.get_absolute_url(), "/inbox"):
        text = client.get(address).content.decode()
        assert "Your account is suspended until" in text and "Spam waves." in text


def test_the_suspension_banner_goes_when_the_suspension_ends(polly: User, alice: User) -> None:
    sanctions.suspend(polly, alice, timezone.now() + timedelta(days=3), "Spam waves.")
    User.objects.filter(pk=alice.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    assert "suspended" not in logged_in(fresh(alice)).get("/").content.decode()


def test_a_warned_user_sees_a_banner_until_they_acknowledge(polly: User, alice: User) -> None:
    warning = sanctions.warn(polly, alice, "Tag your works.")
    client = logged_in(fresh(alice))
    assert "The moderators sent you a warning" in client.get("/").content.decode()
    page = client.get("/warnings").content.decode()
    assert "Tag your works." in page and "I have read this" in page
    assert client.post(f"/warnings/{warning.pk}/read").status_code == 302
    assert "The moderators sent you" not in client.get("/").content.decode()
    assert "Read on" in client.get("/warnings").content.decode()


def test_nobody_acknowledges_another_users_warning(polly: User, alice: User, bob: User) -> None:
    warning = sanctions.warn(polly, alice, "Tag your works.")
    assert logged_in(bob).post(f"/warnings/{warning.pk}/read").status_code == 404
    assert Client().post(f"/warnings/{warning.pk}/read").status_code == 302
    assert fresh(alice).unacknowledged_warnings == 1
    assert "Tag your works." not in logged_in(bob).get("/warnings").content.decode()


def test_the_banner_costs_no_query(
    polly: User, alice: User, django_assert_num_queries: Any
) -> None:
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    sanctions.warn(polly, alice, "Tag your works.")
    request = RequestFactory().get("/")
    request.user = fresh(alice)
    with django_assert_num_queries(0):
        html = Template("{% load standing %}{% standing_banner %}").render(RequestContext(request))
    assert "a warning" in html


def test_a_suspended_user_is_not_offered_posting_kudos_bookmarks_or_subscriptions(
    polly: User, alice: User, bob: User
) -> None:
    from tests.conftest import post_work

    theirs = post_work(bob, "Theirs")
    client = logged_in(alice)
    before = client.get(theirs.get_absolute_url()).content.decode()
    assert "Post a work" in before and "/kudos" in before and "Bookmark</a>" in before
    sanctions.suspend(polly, alice, timezone.now() + timedelta(days=1), "Spam.")
    page = logged_in(fresh(alice)).get(theirs.get_absolute_url()).content.decode()
    assert "Post a work" not in page and ">Import<" not in page
    assert f"/works/{theirs.pk}/kudos" not in page
    assert "Bookmark</a>" not in page and f"/works/{theirs.pk}/subscribe" not in page
    assert "Mark for later" in page  # reading tools stay


def test_the_case_page_offers_the_account_actions_and_they_come_back_to_it(
    polly: User, mallory: User
) -> None:
    case = Case.objects.create(
        target_kind="user", target_id=mallory.pk, label="Profile of mallory", subject=mallory
    )
    client = logged_in(polly)
    page = client.get(f"/moderation/cases/{case.pk}").content.decode()
    assert 'action="/moderation/users/mallory/spam-ban"' in page
    assert f'name="case" value="{case.pk}"' in page
    sent = client.post(
        "/moderation/users/mallory/spam-ban",
        {"reason": "Spam.", "case": case.pk, "next": f"/moderation/cases/{case.pk}"},
    )
    assert sent["Location"] == f"/moderation/cases/{case.pk}"
    assert AuditEntry.objects.get(verb="spam_ban_user").case == case


def test_support_sees_no_account_actions_on_a_case(mallory: User) -> None:
    case = Case.objects.create(
        target_kind="user", target_id=mallory.pk, label="Profile of mallory", subject=mallory
    )
    page = logged_in(holder(Role.SUPPORT)).get(f"/moderation/cases/{case.pk}").content.decode()
    assert "/moderation/users/mallory/ban" not in page


def test_the_account_page_asks_as_many_queries_for_a_long_history_as_for_a_short_one(
    polly: User, mallory: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(polly)

    def queries() -> int:
        switches.forget()  # each load reads the switches (a staff account's two-factor rule)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/moderation/users/mallory").status_code == 200
        return len(captured)

    sanctions.warn(polly, mallory, "One.")
    short = queries()
    for n in range(6):
        sanctions.suspend(polly, fresh(mallory), timezone.now() + timedelta(days=n + 1), f"S{n}")
        sanctions.unsuspend(polly, fresh(mallory))
        Case.objects.create(target_kind="comment", target_id=n + 1, label=f"c{n}", subject=mallory)
    assert queries() == short

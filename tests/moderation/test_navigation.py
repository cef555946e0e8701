"""The navigation's links for moderators, wranglers and superadmins; none for readers, free."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficarchive.moderation.backends import RolesBackend
from ficarchive.moderation.models import Case, Role
from tests.conftest import logged_in, post_work
from tests.moderation.holders import holder

LINKS = {
    "moderation": '<a href="/moderation">Moderation (',
    "wrangling": '<a href="/wrangling">Wrangling</a>',
    "audit": '<a href="/moderation/audit">Audit log</a>',
    "roles": '<a href="/moderation/roles">Roles</a>',
    "switches": '<a href="/moderation/switches">Site switches</a>',
    "admin": '<a href="/admin/">Django admin</a>',
}


def links_on(client: Client, address: str = "/works") -> set[str]:
    page = client.get(address).content.decode()
    return {name for name, link in LINKS.items() if link in page}


def test_readers_and_guests_see_no_moderation_links(alice, client: Client):
    assert links_on(logged_in(alice)) == set()
    assert links_on(client) == set()


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.POLICY_ABUSE, {"moderation", "audit"}),
        (Role.SUPPORT, {"moderation", "audit"}),
        (Role.TAG_WRANGLER, {"wrangling"}),
    ],
)
def test_each_role_sees_the_links_to_its_pages(db, role, links):
    assert links_on(logged_in(holder(role))) == links


def test_a_superadmin_sees_every_link(ada_client: Client):
    assert links_on(ada_client) == set(LINKS)


def test_a_staff_account_is_led_to_the_django_admin_and_wrangling(db):
    from tests.conftest import make_user

    staff = make_user("stella")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client = logged_in(staff)
    assert links_on(client) == {"wrangling", "admin"}
    assert client.get("/admin/").status_code == 200, "the link leads where the account may go"
    assert client.get("/wrangling").status_code == 200


def test_a_superuser_who_is_not_staff_gets_no_admin_link_it_cannot_follow(db):
    from tests.conftest import make_user

    boss = make_user("boss")
    boss.is_superuser = True
    boss.save(update_fields=["is_superuser"])
    client = logged_in(boss)
    assert "admin" not in links_on(client)
    assert client.get("/admin/").status_code == 302, "Django's admin sends it to log in"


def test_the_moderation_link_counts_open_and_assigned_cases(db):
    for n, state in enumerate(["open", "assigned", "resolved", "dismissed", "open"]):
        Case.objects.create(target_kind="comment", target_id=n, label=f"c{n}", state=state)
    page = logged_in(holder(Role.SUPPORT)).get("/works").content.decode()
    assert '<a href="/moderation">Moderation (3)</a>' in page


def test_a_moderator_page_asks_one_count_for_the_link(db):
    client = logged_in(holder(Role.POLICY_ABUSE))
    client.get("/works")
    with CaptureQueriesContext(connection) as seen:
        client.get("/works")
    counts = [q["sql"] for q in seen if "moderation_case" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


# What each page asked of the database for an ordinary reader before the moderation links
# and roles existed (the work page asked two permission queries more then); a profile asks one
# more since it offers Subscribe, Block and Mute (social.panels.person_state). Listings ask
# one more for the reader's places in the works shown, and the work page two (the place and
# the chapters read: social.places), and one for the accounts a work is a gift for.
PERMISSION_QUERY = 'FROM "auth_permission"'  # how Django's ModelBackend reads permissions
READER_QUERIES = {"/": 7, "/works": 8, "/work": 18, "/users/alice": 12}


@pytest.mark.parametrize("address", list(READER_QUERIES))
def test_an_ordinary_readers_page_asks_no_more_queries_than_before(address, alice, carol):
    work = post_work(alice)
    client = logged_in(carol)
    url = f"/works/{work.pk}" if address == "/work" else address
    client.get(url)
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    assert len(seen) <= READER_QUERIES[address], [q["sql"] for q in seen]
    assert not [q for q in seen if "moderation_case" in q["sql"]]
    asked_for_permissions = [q for q in seen if PERMISSION_QUERY in q["sql"]]
    assert not asked_for_permissions


def test_the_session_user_is_one_query_and_knows_a_reader_holds_nothing(carol):
    with CaptureQueriesContext(connection) as seen:
        user = RolesBackend().get_user(carol.pk)
        assert user is not None
        assert not user.has_perm("moderation.handle_reports")
        assert not user.has_perm("tags.wrangle")
        assert user.get_all_permissions() == set()
    assert len(seen) == 1


def test_the_session_user_of_a_role_holder_reads_its_permissions(db):
    sue = holder(Role.SUPPORT)
    user = RolesBackend().get_user(sue.pk)
    assert user is not None
    assert user.has_perm("moderation.manage_invitations")
    assert not user.has_perm("moderation.hide_content")


def test_a_superadmin_without_groups_still_holds_every_permission(ada):
    user = RolesBackend().get_user(ada.pk)
    assert user is not None
    assert user.has_perm("moderation.hide_content")
    assert "moderation.hide_content" in user.get_all_permissions()


def test_a_deactivated_account_has_no_session_user(carol):
    carol.is_active = False
    carol.save(update_fields=["is_active"])
    assert RolesBackend().get_user(carol.pk) is None
    assert RolesBackend().get_user(999_999) is None

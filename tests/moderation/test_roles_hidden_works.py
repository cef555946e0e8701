"""Hidden works: their creators, archive admins and the moderators who may hide works see them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ficarchive.moderation.models import Role
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work
from tests.moderation.holders import holder


@pytest.fixture
def hidden(alice) -> Work:
    work = post_work(alice, "Taken Down")
    Work.objects.filter(pk=work.pk).update(is_hidden=True)
    return work


def test_policy_and_abuse_moderators_see_hidden_works(hidden):
    polly = holder(Role.POLICY_ABUSE)
    assert list(Work.objects.visible_to(polly)) == [hidden]
    response = logged_in(polly).get(f"/works/{hidden.pk}")
    assert response.status_code == 200
    assert "Taken Down" in response.content.decode()


def test_admins_and_creators_still_see_hidden_works(hidden, ada, sam, alice):
    for user in (ada, sam, alice):
        assert hidden.is_visible_to(user), user


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.TAG_WRANGLER])
def test_other_roles_do_not_see_hidden_works(hidden, role):
    user = holder(role)
    assert not hidden.is_visible_to(user)
    assert logged_in(user).get(f"/works/{hidden.pk}").status_code == 404


def test_readers_and_guests_do_not_see_hidden_works(hidden, carol, client):
    assert not hidden.is_visible_to(AnonymousUser())
    assert not hidden.is_visible_to(carol)
    assert logged_in(carol).get(f"/works/{hidden.pk}").status_code == 404
    assert client.get(f"/works/{hidden.pk}").status_code == 404


def test_a_banned_moderator_does_not_see_hidden_works(hidden):
    polly = holder(Role.POLICY_ABUSE)
    polly.is_active = False
    polly.save(update_fields=["is_active"])
    assert not hidden.is_visible_to(polly)


def test_hidden_works_stay_out_of_a_moderators_listings(hidden, alice):
    shown = post_work(alice, "Still Up")
    assert list(Work.objects.listed_for(holder(Role.POLICY_ABUSE))) == [shown]


def test_a_moderator_holding_the_permission_of_their_own_sees_hidden_works(hidden, carol):
    from django.contrib.auth.models import Permission

    carol.user_permissions.add(Permission.objects.get(codename="hide_content"))
    assert hidden.is_visible_to(carol)


def test_asking_costs_a_reader_no_query_of_its_own(hidden, carol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        assert list(Work.objects.visible_to(carol)) == []
    assert len(seen) == 1

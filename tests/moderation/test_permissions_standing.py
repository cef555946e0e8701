"""A moderator who is suspended holds no moderation permission while it lasts."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.moderation.actions import sanctions
from ficarchive.moderation.models import Role
from ficarchive.moderation.permissions import may
from ficarchive.works import actions as works
from ficarchive.works.models import Work
from tests.conftest import logged_in, post_work
from tests.moderation.holders import holder


def test_a_suspended_moderator_cannot_moderate_until_the_suspension_ends(
    ada: User, alice: User
) -> None:
    polly = holder(Role.POLICY_ABUSE)
    work = post_work(alice, "Lanterns")
    works.hide_work(ada, work, "Copied")
    assert may(polly, "hide_content")
    assert Work.objects.visible_to(polly).filter(pk=work.pk).exists()

    sanctions.suspend(ada, polly, timezone.now() + timedelta(days=2), "Leaked a report")
    polly = User.objects.get(pk=polly.pk)
    assert not may(polly, "hide_content")
    assert not Work.objects.visible_to(polly).filter(pk=work.pk).exists()
    assert logged_in(polly).get("/moderation").status_code == 403

    User.objects.filter(pk=polly.pk).update(suspended_until=timezone.now() - timedelta(minutes=1))
    polly = User.objects.get(pk=polly.pk)
    assert may(polly, "hide_content")
    assert Work.objects.visible_to(polly).filter(pk=work.pk).exists()
    assert logged_in(polly).get("/moderation").status_code == 200

"""Site moderators act on others' comments only through the moderation pages, which ask their
reason and write the audit log; the work creators' own comment tools refuse them."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from ficarchive.moderation.models import AuditEntry, Role
from ficarchive.social.models import Comment
from ficarchive.works.models import Work
from tests.conftest import logged_in
from tests.moderation.holders import holder
from tests.moderation.report_helpers import comment_on


@pytest.mark.parametrize("verb", ["hide", "freeze", "delete"])
def test_the_creators_comment_tools_refuse_a_site_moderator(
    work: Work, carol: User, verb: str
) -> None:
    comment = comment_on(work, carol, "Lovely.")
    polly = logged_in(holder(Role.POLICY_ABUSE))
    answer = polly.post(f"/comments/{comment.pk}/{verb}")
    assert answer.status_code == 403
    comment.refresh_from_db()
    assert comment.is_public and not comment.is_frozen
    assert not AuditEntry.objects.exists()


def test_the_moderation_page_hides_it_with_the_reason_logged(work: Work, carol: User) -> None:
    comment = comment_on(work, carol, "Lovely.")
    polly = logged_in(holder(Role.POLICY_ABUSE))
    answer = polly.post(f"/moderation/comments/{comment.pk}/hide", {"reason": "Off topic"})
    assert answer.status_code == 302
    assert Comment.objects.get(pk=comment.pk).is_hidden
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.reason) == ("hide_comment", "Off topic")

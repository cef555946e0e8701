"""New accounts may post at most 3 comments per 15 minutes (AO3's limit), every number a
setting, counted in the cache every process shares: on the pages, in the API, across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.moderation.spam.limits import CommentLimitReached
from ficarchive.social import actions
from ficarchive.works.models import Work
from tests.api.conftest import API, bearer, token_for


def say(client: Client, work: Work, text: str) -> Any:
    return client.post(f"/works/{work.pk}/comments", {"text": text, "body_format": "plain"})


def test_a_new_account_posts_three_comments_then_is_told_when_it_may_again(
    carol_client: Client, work: Work
) -> None:
    for number in range(3):
        assert say(carol_client, work, f"Thought {number}.").status_code == 302
    refused = say(carol_client, work, "One more thought.")
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "New accounts may post 3 comments every 15 minutes." in page
    assert "You may comment again in " in page and " UTC)" in page
    assert work.comments.count() == 3


def test_replies_count_too(carol: User, bob: User, work: Work) -> None:
    top = actions.post_comment(bob, work, "A thread.")
    for number in range(3):
        actions.post_comment(carol, work, f"Reply {number}.", parent=top)
    with pytest.raises(CommentLimitReached):
        actions.post_comment(carol, work, "Reply 3.", parent=top)


def test_the_api_answers_429_with_retry_after(carol: User, work: Work) -> None:
    client = bearer(token_for(carol))
    url = f"{API}/works/{work.pk}/comments"
    for number in range(3):
        posted = client.post(url, {"text": f"API {number}"}, content_type="application/json")
        assert posted.status_code == 201
    refused = client.post(url, {"text": "API 3"}, content_type="application/json")
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert "You may comment again in" in error["message"]
    assert 0 < int(refused["Retry-After"]) <= 900


def test_an_established_account_is_not_limited(carol: User, work: Work, settings: Any) -> None:
    User.objects.filter(pk=carol.pk).update(date_joined=timezone.now() - timedelta(days=60))
    carol.refresh_from_db()
    settings.COMMENT_LIMIT_COMMENTS = 2
    for number in range(6):
        actions.post_comment(carol, work, f"Thought {number}.")
    assert work.comments.count() == 6


def test_an_old_account_with_few_comments_is_limited(
    carol: User, work: Work, settings: Any
) -> None:
    User.objects.filter(pk=carol.pk).update(date_joined=timezone.now() - timedelta(days=60))
    carol.refresh_from_db()
    settings.COMMENT_LIMIT = 1
    actions.post_comment(carol, work, "First.")
    with pytest.raises(CommentLimitReached):
        actions.post_comment(carol, work, "Second.")


def test_every_number_is_a_setting(carol: User, work: Work, settings: Any) -> None:
    settings.COMMENT_LIMIT = 5
    settings.COMMENT_LIMIT_WINDOW = 60
    for number in range(5):
        actions.post_comment(carol, work, f"Thought {number}.")
    with pytest.raises(CommentLimitReached, match="5 comments every 1 minute"):
        actions.post_comment(carol, work, "Thought 5.")
    settings.COMMENT_LIMIT_ACCOUNT_DAYS = 0
    settings.COMMENT_LIMIT_COMMENTS = 0
    actions.post_comment(carol, work, "Now established.")


def count_in_another_process(user_id: int, times: int, window: int) -> None:
    """Post-count TIMES comments of the account in a separate Python process, through the same
    function the comment action calls, against the cache this test process uses."""
    code = (
        "import json, os, django\n"
        "from django.conf import settings\n"
        "settings.CACHES = {'default': json.loads(os.environ['SPAM_TEST_CACHE'])}\n"
        "django.setup()\n"
        "from django.utils import timezone\n"
        "from ficarchive.accounts.models import User\n"
        "from ficarchive.moderation.spam.limits import count_comment\n"
        f"someone = User(pk={user_id}, date_joined=timezone.now())\n"
        f"for _ in range({times}):\n"
        "    count_comment(someone)\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ficarchive.settings",
        "FICARCHIVE_DATA": str(django_settings.DATA_DIR),
        "FICARCHIVE_COMMENT_LIMIT_WINDOW": str(window),
        "SPAM_TEST_CACHE": json.dumps(django_settings.CACHES["default"]),
    }
    subprocess.run([sys.executable, "-c", code], env=environment, check=True, timeout=120)


def test_the_limit_holds_across_processes(carol: User, work: Work, settings: Any) -> None:
    settings.COMMENT_LIMIT_WINDOW = 10**9  # one window for the whole test, in both processes
    count_in_another_process(carol.pk, 2, settings.COMMENT_LIMIT_WINDOW)
    actions.post_comment(carol, work, "The third, here.")
    with pytest.raises(CommentLimitReached):
        actions.post_comment(carol, work, "A fourth is one too many.")
    assert work.comments.count() == 1

"""Background tasks of accounts: ending a banned account's sessions outside the request (it
decodes every live session once; see `accounts.sessions`)."""

from __future__ import annotations

from django_tasks import task

from ficarchive.accounts.models import User
from ficarchive.accounts.sessions import end_sessions_of


@task()
def end_sessions(user_id: int) -> int:
    """Delete every live session of the account; returns how many (0 if it is gone)."""
    user = User.objects.filter(pk=user_id).first()
    return end_sessions_of(user) if user is not None else 0

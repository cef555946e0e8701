"""Background tasks of gift exchanges: the matching, and the assignments' emails."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django_tasks import task

from ficarchive.collections.exchange_actions import run_matching
from ficarchive.collections.exchange_models import ExchangeAssignment


@task()
def match_exchange(exchange_id: int) -> dict[str, Any]:
    """Match a gift exchange's sign-ups (`exchange_actions.run_matching`); its report."""
    return run_matching(exchange_id)


@task()
def email_assignments(exchange_id: int, giver_ids: list[int]) -> int:
    """Email each giver their assignment (those who have an address); how many were sent."""
    sent = (
        ExchangeAssignment.objects.filter(exchange_id=exchange_id, giver__user_id__in=giver_ids)
        .select_related("exchange__collection", "giver__user", "recipient__pseud")
        .exclude(giver__user__email="")
    )
    site = settings.SITE_URL.rstrip("/")
    with mail.get_connection() as connection:
        messages = []
        for assignment in sent:
            context = {
                "assignment": assignment,
                "collection": assignment.exchange.collection,
                "site_url": site,
                "SITE_NAME": settings.SITE_NAME,
            }
            body = render_to_string("collections/email/assignment.txt", context)
            subject = render_to_string("collections/email/assignment_subject.txt", context)
            messages.append(
                mail.EmailMessage(
                    " ".join(subject.split()),
                    body,
                    to=[assignment.giver.user.email],
                    connection=connection,
                )
            )
        connection.send_messages(messages)
    return len(messages)

"""Telling guests who gave an email how their report ended, from the background worker."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django_tasks import task

from ficarchive.moderation.models import Case


@task()
def mail_guest_reporters(case_id: int) -> int:
    """One mail per distinct guest address of the closed case; how many were sent."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None or case.is_open:
        return 0
    addresses = sorted(
        set(
            case.reports.filter(reporter__isnull=True)
            .exclude(reporter_email="")
            .values_list("reporter_email", flat=True)
        )
    )
    if not addresses:
        return 0
    context = {
        "case": case,
        "site_url": settings.SITE_URL.rstrip("/"),
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = " ".join(
        render_to_string("moderation/email/report_closed_subject.txt", context).split()
    )
    body = render_to_string("moderation/email/report_closed.txt", context)
    with mail.get_connection() as connection:
        connection.send_messages(
            [
                mail.EmailMessage(subject, body, to=[address], connection=connection)
                for address in addresses
            ]
        )
    return len(addresses)

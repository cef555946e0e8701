"""The worker's batch: N invitations every H hours, once a period however many workers ask."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.test.utils import override_settings

from ficarchive.moderation.actions import invitations
from ficarchive.moderation.models import AuditEntry, InvitationRequest
from ficarchive.upkeep import run_upkeep
from tests.moderation.invitation_helpers import committing


def queue_of(count: int) -> None:
    for n in range(count):
        InvitationRequest.objects.create(email=f"r{n}@example.net")


@pytest.fixture
def by_invitation(turn):
    turn(signups="invitation")


@override_settings(INVITATIONS_PER_BATCH=2, INVITATION_BATCH_HOURS=6)
def test_one_batch_a_period_and_the_next_once_the_period_has_passed(by_invitation):
    queue_of(5)
    with committing():
        assert invitations.send_invitation_batch() == 2
    assert invitations.send_invitation_batch() == 0, "the period has not passed"
    assert len(mail.outbox) == 2
    entry = AuditEntry.objects.get(verb="send_invitations")
    assert entry.actor is None and entry.actor_name == "the archive"
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=entry.created_at - timedelta(hours=6))
    with committing():
        assert invitations.send_invitation_batch() == 2
    assert InvitationRequest.objects.filter(sent_at=None).count() == 1


@override_settings(INVITATIONS_PER_BATCH=2, INVITATION_BATCH_HOURS=6)
def test_support_sending_now_does_not_hold_back_the_workers_batch(by_invitation, ada):
    queue_of(5)
    invitations.send_invitations(1, by=ada)
    assert invitations.send_invitation_batch() == 2


@override_settings(INVITATIONS_PER_BATCH=2, INVITATION_BATCH_HOURS=6)
def test_an_empty_queue_sends_nothing_and_writes_nothing(by_invitation):
    assert invitations.send_invitation_batch() == 0
    assert not AuditEntry.objects.filter(verb="send_invitations").exists()


@pytest.mark.parametrize("off", [{"INVITATIONS_PER_BATCH": 0}, {"INVITATION_BATCH_HOURS": 0}])
def test_a_zero_setting_turns_the_batch_off(by_invitation, off):
    queue_of(2)
    with override_settings(**off):
        assert invitations.send_invitation_batch() == 0
    assert not mail.outbox


def test_no_batch_goes_out_while_sign_ups_are_open_or_closed(turn, db):
    queue_of(2)
    assert invitations.send_invitation_batch() == 0
    turn(signups="closed")
    assert invitations.send_invitation_batch() == 0
    assert InvitationRequest.objects.filter(sent_at=None).count() == 2


@override_settings(INVITATIONS_PER_BATCH=3, INVITATION_BATCH_HOURS=1)
def test_the_upkeep_sends_the_batch(by_invitation):
    queue_of(4)
    with committing():
        assert run_upkeep()["invitations_sent"] == 3
    assert run_upkeep()["invitations_sent"] == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(INVITATIONS_PER_BATCH=3, INVITATION_BATCH_HOURS=24)
@pytest.mark.parametrize("callers", [2, 6])
def test_callers_at_the_same_moment_send_one_batch(turn, callers):
    turn(signups="invitation")
    queue_of(10)
    barrier = threading.Barrier(callers)
    sent: list[int] = []

    def call() -> None:
        try:
            barrier.wait()
            sent.append(invitations.send_invitation_batch())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0] * (callers - 1) + [3]
    assert AuditEntry.objects.filter(verb="send_invitations").count() == 1
    assert len(mail.outbox) == 3
    assert InvitationRequest.objects.filter(sent_at=None).count() == 7

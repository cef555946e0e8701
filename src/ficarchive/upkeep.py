"""The archive's upkeep: the writes that reads used to make, done by the background worker.

Pages and API reads never write to the database (on SQLite a held write lock would stall
them). What they need written is noted in the cache, and once a minute the `upkeep` task
writes it in batches:

- the API tokens' last uses (`api.actions.write_token_uses`);
- hits and reading history not yet flushed by requests (`social.hits.flush_buffers`);
- the search change log's old rows (`search.actions.prune_changes`);
- the upkeep's own finished task rows older than a day;
- the invitation queue's batch, when one is due (`moderation.actions.invitations`);
- the works and chapters whose scheduled time came (`works.actions.scheduling.post_due`);
- the anonymous and unrevealed collections whose reveal time came
  (`collections.revealing.reveal_due`);
- the saved searches' alerts and their daily and weekly emails (`search.saved_actions`);
- the worker's heartbeat, which `/healthz` reads (`web.actions.beat`).

`ficarchive serve` starts the clock (`ficarchive upkeep`) beside the server. Every few seconds
the clock queues the next upkeep for the next whole minute unless one is already waiting in the
task queue; it looks and queues in one transaction that holds the database's write lock
(SQLite) or an advisory lock (PostgreSQL), so however many clocks run, on however many
machines, one upkeep waits at a time. Any worker runs it; two upkeeps never overlap (a lock in
the cache).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

UPKEEP_EVERY = 60  # seconds between two upkeeps
CLOCK_TICK = 5.0  # seconds between two looks at the queue
LOCK = "upkeep:running"
LOCK_FOR = 300  # a crashed upkeep's lock ends after this many seconds
KEEP_FINISHED = timedelta(days=1)
ADVISORY_LOCK = 0x75706B656570  # PostgreSQL advisory lock key of the clocks ("upkeep")


def _jobs() -> dict[str, Callable[[], int]]:
    from ficarchive.api.actions import write_token_uses
    from ficarchive.collections.revealing import reveal_due
    from ficarchive.moderation.actions.invitations import send_invitation_batch
    from ficarchive.search.actions import prune_changes
    from ficarchive.search.saved_actions import check_saved_searches, send_digests
    from ficarchive.social.hits import flush_buffers
    from ficarchive.web.actions import beat
    from ficarchive.works.actions.scheduling import post_due

    return {
        "token_uses": write_token_uses,
        "hits": flush_buffers,
        "changes_pruned": prune_changes,
        "tasks_pruned": prune_finished_upkeeps,
        "invitations_sent": send_invitation_batch,
        "scheduled_posted": post_due,
        "collections_revealed": reveal_due,
        "search_alerts": check_saved_searches,
        "search_emails": send_digests,
        "heartbeat": beat,  # last: /healthz reads when the worker last got here
    }


def run_upkeep() -> dict[str, int]:
    """Do every upkeep job once (one failing job does not stop the others): what each did."""
    if not cache.add(LOCK, 1, LOCK_FOR):
        return {}  # another worker is at it
    done: dict[str, int] = {}
    try:
        for name, job in _jobs().items():
            try:
                done[name] = job()
            except DatabaseError:
                logger.exception("upkeep: %s failed; the next upkeep tries again", name)
    finally:
        cache.delete(LOCK)
    return done


@task()
def upkeep() -> dict[str, int]:
    """The task the clock queues every minute."""
    return run_upkeep()


def prune_finished_upkeeps() -> int:
    """Delete the upkeep's own task rows that finished more than a day ago; how many."""
    old = DBTaskResult.objects.filter(task_path=upkeep.module_path).filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=timezone.now() - KEEP_FINISHED,
    )
    deleted, _ = old.delete()
    return deleted


def next_run(now: float) -> datetime:
    """The next whole period after NOW (a Unix time)."""
    return datetime.fromtimestamp((now // UPKEEP_EVERY + 1) * UPKEEP_EVERY, UTC)


def queue_upkeep(now: float | None = None, *, at_once: bool = False) -> bool:
    """Queue an upkeep for the next whole minute (AT_ONCE: now) unless one is already waiting;
    True if queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=upkeep.module_path, status=TaskResultStatus.READY
    )
    with transaction.atomic():  # on SQLite, BEGIN IMMEDIATE: clocks take turns
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        if waiting.exists():
            return False
        when = time.time() if now is None else now
        run_after = datetime.fromtimestamp(when, UTC) if at_once else next_run(when)
        upkeep.using(run_after=run_after).enqueue()
    return True


def run_clock(*, ticks: int | None = None) -> int:
    """Keep one upkeep waiting in the queue (forever, or for TICKS looks at the queue). The
    first runs at once, so that a machine just started shows its worker's heartbeat within
    seconds (`/healthz`), not at the next whole minute."""
    done = 0
    while ticks is None or done < ticks:
        close_old_connections()
        try:
            queue_upkeep(at_once=done == 0)
        except DatabaseError:
            logger.warning("upkeep clock: the database is unavailable; trying again")
        done += 1
        if ticks is None or done < ticks:
            time.sleep(CLOCK_TICK)
    return 0

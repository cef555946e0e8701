"""The database task queue and the worker that `ficarchive serve` runs beside gunicorn."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.core import mail
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from ficarchive.serve import run_beside, worker_command
from ficarchive.social import actions
from ficarchive.social.models import InboxItem
from ficarchive.works import actions as work_actions
from tests.conftest import post_work


def run_worker() -> None:
    """Run the queued tasks as the worker of `ficarchive serve` does, until none are left."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    while (task := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)


def test_a_new_chapter_is_queued_and_the_worker_delivers_it(
    alice, carol, django_capture_on_commit_callbacks
):
    work = post_work(alice)
    actions.subscribe(carol, work=work)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        chapter = work_actions.add_chapter(
            alice, work, work_actions.ChapterDetails(body="<p>Later that night.</p>")
        )
    assert len(callbacks) == 1
    assert DBTaskResult.objects.count() == 1, "one task per event, queued after the commit"
    assert not InboxItem.objects.exists()
    assert mail.outbox == []
    run_worker()
    assert InboxItem.objects.filter(user=carol, chapter=chapter).count() == 1
    assert [message.to for message in mail.outbox] == [["carol@example.org"]]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_serve_runs_the_task_worker():
    command = worker_command()
    assert command[:3] == [sys.executable, "-m", "ficarchive.cli"]
    assert "db_worker" in command


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}/stat").exists()
        and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    )


def test_helpers_stop_when_the_server_stops(tmp_path):
    pid_file = tmp_path / "helper.pid"
    helper = [
        sys.executable,
        "-c",
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)",
    ]
    server = [sys.executable, "-c", "import time; time.sleep(1)"]
    assert run_beside(server, [helper]) == 0
    pid = int(pid_file.read_text())
    assert not _alive(pid)


def test_sigterm_stops_the_server_and_its_helpers(tmp_path):
    pid_file = tmp_path / "helper.pid"
    helper = (
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    )
    script = (
        "import sys\n"
        "from ficarchive.serve import run_beside\n"
        f"helper = [sys.executable, '-c', {helper!r}]\n"
        "sys.exit(run_beside([sys.executable, '-c', 'import time; time.sleep(60)'], [helper]))\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 20
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    parent.terminate()
    parent.wait(timeout=20)
    assert not _alive(int(pid_file.read_text()))

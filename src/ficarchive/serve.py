"""First-start setup and the production HTTP server behind `ficarchive serve`."""

from __future__ import annotations

import hashlib
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Sequence

from django.conf import settings

from ficarchive.env import env_int, env_str

ADMIN_NOTE = "first-admin.txt"
STATIC_STAMP = "static.stamp"  # in the data folder: what the gathered static files were made of
# The longest request line gunicorn reads (its highest setting; its default is 4094): the API
# answers query strings past its own limit (api/guard.py) with a JSON 414 of its own, and the
# worker (webworker.py) answers longer lines in the same shape.
MAX_REQUEST_LINE = 8190
MALLOC_THRESHOLDS = {  # bytes: see server_environment
    "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20),
    "MALLOC_TRIM_THRESHOLD_": str(4 * 2**20),
}


def create_first_admin() -> tuple[str, str] | None:
    """Make an admin account with a generated password if the archive has no admin yet."""
    from ficarchive.accounts.actions import create_user
    from ficarchive.accounts.models import User

    if User.objects.filter(is_staff=True).exists():
        return None
    username = env_str("FICARCHIVE_ADMIN", "admin")
    password = secrets.token_urlsafe(12)
    create_user(username, f"{username}@localhost", password, is_staff=True, reserved_ok=True)
    note = settings.DATA_DIR / ADMIN_NOTE
    note.touch(mode=0o600)
    note.write_text(f"user name: {username}\npassword: {password}\n")
    return username, password


def static_stamp() -> str:
    """A digest of every static file the finders offer (path, size, time) and of the storage
    that gathers them: the same digest means the gathered files are still right."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(str(settings.STORAGES["staticfiles"]).encode())
    for finder in get_finders():
        for name, storage in finder.list([]):
            found = os.stat(storage.path(name))
            digest.update(f"{name}\0{found.st_size}\0{found.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> None:
    """Gather (and compress) the static files, unless they are gathered already: a restart
    does not spend its first seconds compressing what did not change."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    stamp_file = settings.DATA_DIR / STATIC_STAMP
    stamp = static_stamp()
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    gathered = (
        staticfiles_storage.exists(manifest)
        if manifest
        else any(path.is_file() for path in settings.STATIC_ROOT.rglob("*"))
    )
    if gathered and stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp_file.write_text(stamp)


def setup(*, verbose: bool = False) -> None:
    """Migrate (done by the caller), gather static files, load demo content, make an admin."""
    from ficarchive.demo.loader import archive_is_empty, load_demo

    collect_static()
    if archive_is_empty() and env_str("FICARCHIVE_DEMO", "1") != "0":
        count = load_demo()
        print(f"Loaded the demo archive: {count} works.")
    admin = create_first_admin()
    if admin:
        print(
            "\nAn admin account was made for you (also saved in "
            f"{settings.DATA_DIR / ADMIN_NOTE}):\n"
            f"  user name: {admin[0]}\n  password:  {admin[1]}\n"
        )
    elif verbose:
        print("The archive is set up.")


def serve(args: Sequence[str]) -> int:
    """Set up, then hand over to gunicorn (a production WSGI server)."""
    from ficarchive.search.index_keeper import prepare_snapshot

    setup()
    print(prepare_snapshot())  # before the workers start, so none of them builds
    host = env_str("HOST", "127.0.0.1")
    port = env_int("PORT", 8000)
    workers = env_int("WEB_CONCURRENCY", 2)
    shown_host = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host  # noqa: S104
    print(f"Serving {settings.SITE_NAME} at http://{shown_host}:{port}/  (Ctrl+C stops it)")
    if host not in {"127.0.0.1", "localhost", "::1"} and not env_str("SITE_URL"):
        print(
            f"Note: only {', '.join(settings.ALLOWED_HOSTS)} may be named in requests. Set "
            "SITE_URL to the address readers use (e.g. https://fics.example.org), or list "
            "more names in ALLOWED_HOSTS."
        )
    sys.stdout.flush()
    command = [
        sys.executable, "-m", "gunicorn", "ficarchive.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", str(env_int("WEB_THREADS", 4)),
        "--access-logfile", "-" if env_str("ACCESS_LOG") else "/dev/null",
        "--forwarded-allow-ips", env_str("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        # Longer than gunicorn's 2 s, so clients reusing a connection seldom race its close.
        "--keep-alive", str(env_int("WEB_KEEP_ALIVE", 15)),
        "--limit-request-line", str(MAX_REQUEST_LINE),
        "--worker-class", "ficarchive.webworker.ArchiveWorker",  # a JSON 414 past that
        *args,
    ]  # fmt: skip
    helpers = [clock_command()]
    if env_str("FICARCHIVE_WORKER", "1") != "0":
        helpers.append(worker_command())
    return run_beside(command, helpers, server_environment())


def server_environment() -> dict[str, str]:
    """The server processes' environment: glibc's malloc with fixed thresholds. By default
    they grow with the largest block freed, so that a search's large temporary arrays stay in
    every process's heap once freed: 74 MB of a process's own beside the shared index at 1M
    works, 48 MB with blocks up to 32 MB taken from the heap and the heap's top given back past
    4 MB, at the same engine speed (bench/bench_index_sharing.py; search/README.md). An
    environment that sets either keeps its own."""
    return {**MALLOC_THRESHOLDS, **os.environ}


def worker_command() -> list[str]:
    """The background task worker (emails, subscription updates) that runs beside the server."""
    return [sys.executable, "-m", "ficarchive.cli", "db_worker", "--queue-name", "*"]


def clock_command() -> list[str]:
    """The clock that queues the upkeep every minute (see upkeep.py), for any worker to run."""
    return [sys.executable, "-m", "ficarchive.cli", "upkeep"]


def run_beside(
    command: list[str], helpers: list[list[str]], env: dict[str, str] | None = None
) -> int:
    """Run the server in the foreground and the helpers beside it (all with ENV, or this
    process's environment); they stop when it stops.

    SIGTERM (and Ctrl+C) stop the server; the helpers are then stopped too.
    """
    started = [subprocess.Popen(helper, env=env) for helper in helpers]  # noqa: S603
    server = subprocess.Popen(command, env=env)  # noqa: S603
    previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        while True:
            try:
                return server.wait()
            except KeyboardInterrupt:
                server.terminate()
    finally:
        signal.signal(signal.SIGTERM, previous)
        for helper in started:
            helper.terminate()
        for helper in started:
            try:
                helper.wait(timeout=10)
            except subprocess.TimeoutExpired:
                helper.kill()

"""What ending a banned account's sessions costs: `accounts.sessions.end_sessions_of` decodes
every live session once (Django keeps the user id inside the signed session data), so the time
grows with the number of live sessions on the whole archive. Measured with SESSIONS live
sessions of other users and 3 of the banned one, on SQLite by default or on PostgreSQL with
DATABASE_URL (use an empty database: the sessions table is filled and emptied).

    python bench/bench_sessions.py   (writes bench/results/sessions-sqlite.json, or
                                      sessions-postgresql.json with DATABASE_URL)
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "100000"))

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("FICARCHIVE_DATA", tempfile.mkdtemp(prefix="ficarchive-bench-sessions-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from ficarchive.accounts.models import User
    from ficarchive.accounts.sessions import end_sessions_of
    from ficarchive.cli import ensure_database

    ensure_database()
    Session.objects.all().delete()
    banned, _ = User.objects.get_or_create(username="bench_banned", email="banned@example.org")
    store = SessionStore()
    expires = timezone.now() + timedelta(days=14)
    backend = "ficarchive.moderation.backends.RolesBackend"

    def row(user_id: int) -> Session:
        data = {SESSION_KEY: str(user_id), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: "x" * 64}
        return Session(
            session_key=get_random_string(32), session_data=store.encode(data), expire_date=expires
        )

    rows = [row(banned.pk + 1 + n % 5000) for n in range(SESSIONS)]
    rows += [row(banned.pk) for _ in range(3)]
    Session.objects.bulk_create(rows, batch_size=5000)
    started = time.perf_counter()
    ended = end_sessions_of(banned)
    seconds = time.perf_counter() - started
    assert ended == 3, ended
    results = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "live_sessions": SESSIONS + 3,
        "ended": ended,
        "seconds": round(seconds, 3),
        "microseconds_per_session": round(seconds / (SESSIONS + 3) * 1e6, 2),
    }
    Session.objects.all().delete()
    RESULTS.mkdir(parents=True, exist_ok=True)
    written = RESULTS / f"sessions-{connection.vendor}.json"
    written.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

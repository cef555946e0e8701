"""Ending every session of one account (a ban).

Django's database sessions keep the user id inside the signed (and sometimes compressed) session
data, so no query can select one user's sessions. `end_sessions_of` therefore decodes every
*unexpired* session once, in chunks, and deletes the user's through the session engine (so a
cached_db engine forgets them too). That costs about 15 µs a session (`bench/bench_sessions.py`:
1.5 s for 100,000 live sessions, on SQLite and PostgreSQL alike), so a ban runs it in a
background task (`accounts.tasks.end_sessions`) after its commit. The account is refused at once
anyway: Django's ModelBackend reads an inactive user's session as a guest's. Deleting the
sessions makes sure an unban does not bring them back.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

if TYPE_CHECKING:
    from ficarchive.accounts.models import User

CHUNK = 2000


def end_sessions_of(user: User) -> int:
    """Delete every live session logged in as USER; returns how many. Engines that keep no rows
    (signed cookies, cache only) cannot be listed: there the refusal of inactive users acts."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    model = store_class.get_model_class()
    decoder = store_class()
    wanted = str(user.pk)
    rows = model.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    )
    keys = [
        key
        for key, data in rows.iterator(chunk_size=CHUNK)
        if str(decoder.decode(data).get(SESSION_KEY)) == wanted
    ]
    for key in keys:
        store_class(session_key=key).delete()
    return len(keys)

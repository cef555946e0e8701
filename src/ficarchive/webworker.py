"""The gunicorn worker `ficarchive serve` runs: gunicorn's threaded worker, with the one
refusal gunicorn makes before the application sees a request answered in the API's JSON
error shape rather than gunicorn's HTML page.

gunicorn reads request lines of up to `serve.MAX_REQUEST_LINE` (8190) bytes, its highest
setting; the API answers query strings past its own limit itself (api/guard.py). A longer
line is refused here, before its path is known, so the answer is JSON for every address: no
page of the site has addresses that long.

Each worker maps the machine's search index as it starts (search/index_keeper.py).
"""

from __future__ import annotations

import json
from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker


def too_long_answer(exc: LimitRequestLine) -> bytes:
    """The raw HTTP answer to a request line past gunicorn's limit."""
    message = (
        f"The request line is {exc.size} bytes long; this server reads at most "
        f"{exc.max_size}. Send fewer or shorter parameters."
    )
    body = json.dumps({"error": {"code": "uri_too_long", "message": message, "field": None}})
    head = (
        "HTTP/1.1 414 URI Too Long\r\nConnection: close\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return (head + body).encode()


class ArchiveWorker(ThreadWorker):
    def load_wsgi(self) -> None:
        """Load the application, its addresses and views (Django imports them on the first
        request otherwise: a second of the first reader's), and map the machine's search
        index, before the first request."""
        super().load_wsgi()
        from django.db import connections
        from django.urls import get_resolver

        from ficarchive.search.index_keeper import map_snapshot

        get_resolver().url_patterns  # noqa: B018 (imports every urls module and its views)

        try:
            map_snapshot()
        except Exception:  # the database may be down: the first search maps or builds then
            self.log.exception("Could not map the search index before the first request")
        finally:
            connections.close_all()  # requests run in other threads, on their own connections

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        self.log.debug("Refused a request line: %s", exc)
        try:
            util.write_nonblock(client, too_long_answer(exc))
        except OSError:
            self.log.debug("Could not answer the too long request line")

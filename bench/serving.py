"""`ficarchive serve` for a benchmark: started on a free port in a process group of its own,
waited for, and stopped with every process of the group."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

WAIT_SECONDS = 1800  # a build of the index at 3M works takes minutes on 2 cores


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served(
    env: dict[str, str], *, output: bool = False
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`ficarchive serve` (no task worker) with ENV on a free port: (the process, the port).
    OUTPUT: its output is readable from the process's stdout; otherwise it is dropped."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("ficarchive")), "serve", "--timeout", "900"]
    server = subprocess.Popen(
        command,
        env={**env, "PORT": str(port), "FICARCHIVE_WORKER": "0"},
        stdout=subprocess.PIPE if output else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if output else subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        yield server, port
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)


def answers(port: int, path: str, *, meanwhile: Callable[[], None] | None = None) -> bool:
    """Wait until the server on PORT answers PATH with a 200 (False: not within WAIT_SECONDS),
    calling MEANWHILE between tries."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if meanwhile is not None:
            meanwhile()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return True
        except OSError:
            time.sleep(0.05)
    return False


NOT_ANSWERING = {"not_run": f"the server did not answer within {WAIT_SECONDS // 60} minutes"}

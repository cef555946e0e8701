"""A tiny SMTP server on 127.0.0.1 that accepts every message (and any AUTH PLAIN login), for
tests that check what the archive sends by mail through the real SMTP backend."""

from __future__ import annotations

import base64
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    port: int = 0
    logins: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def _handler(box: Mailbox) -> type[socketserver.StreamRequestHandler]:
    class Session(socketserver.StreamRequestHandler):
        def say(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.say("220 sink ready")
            while line := self.rfile.readline():
                verb = line.decode("utf-8", "replace").strip()
                upper = verb.upper()
                if upper.startswith(("EHLO", "HELO")):
                    self.say("250-sink")
                    self.say("250 AUTH PLAIN")
                elif upper.startswith("AUTH PLAIN"):
                    _, user, _ = base64.b64decode(verb.split()[2]).decode().split("\0")
                    box.logins.append(user)
                    self.say("235 accepted")
                elif upper == "DATA":
                    self.say("354 go on")
                    lines = []
                    while (part := self.rfile.readline()) not in (b".\r\n", b""):
                        lines.append(part.decode("utf-8", "replace"))
                    box.messages.append("".join(lines))
                    self.say("250 kept")
                elif upper == "QUIT":
                    self.say("221 bye")
                    return
                else:
                    self.say("250 ok")

    return Session


@contextmanager
def smtp_sink() -> Iterator[Mailbox]:
    box = Mailbox()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(box))
    server.daemon_threads = True
    box.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()

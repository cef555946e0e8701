"""`ficarchive users create NAME --email E [--password-file F] [--admin]`: an account made from
the shell with sign-up's checks (`accounts.actions.create_user`), active at once."""

from __future__ import annotations

import getpass
import os
import stat
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.accounts.actions import create_user
from ficarchive.moderation.actions.invitations import refuse_banned_address

MAX_PASSWORD_BYTES = 4096
# Which input each field of sign-up's errors came from, as the command line names it.
INPUTS = {"username": "NAME", "email": "--email"}


class Command(BaseCommand):
    help = (
        "Manage accounts. `users create` makes an account with the checks sign-up makes "
        "(user name, email address, password strength, reserved names), active at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="create")
        create = commands.add_parser(
            "create",
            help="make an account as sign-up does, active at once",
            description=(
                "Make an account as sign-up does (same checks; no confirmation email): active "
                "at once, with its default pseud. The password comes from --password-file, or "
                "is asked for twice when the command runs in a terminal; it is never an "
                "argument, which other users of the machine could see."
            ),
        )
        create.add_argument("name", help="the user name: 3 to 40 letters, digits or underscores")
        create.add_argument("--email", required=True, help="the account's email address")
        create.add_argument(
            "--password-file",
            metavar="FILE",
            help="read the password from the first line of FILE ('-': standard input)",
        )
        create.add_argument(
            "--admin", action="store_true", help="an admin: staff and superuser, as setup's"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = self.password(options["password_file"])
        try:
            refuse_banned_address(options["email"])
            user = create_user(
                options["name"], options["email"], password, is_staff=options["admin"]
            )
        except ValidationError as exc:
            source = options["password_file"]
            raise CommandError(
                _named(exc, f"--password-file {source}" if source else "the password")
            ) from exc
        kind = "admin account" if user.is_staff else "account"
        self.stdout.write(f"Made the {kind} {user.username} ({user.email}).")

    def password(self, source: str | None) -> str:
        if source == "-":
            return _first_line(sys.stdin.read(MAX_PASSWORD_BYTES + 1), "standard input")
        if source:
            return _read_password_file(Path(source), self.stderr.write)
        if not sys.stdin.isatty():
            raise CommandError(
                "Give the password with --password-file FILE (or - for standard input): "
                "there is no terminal to ask for it."
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ; nothing was made.")
        return first


def _read_password_file(path: Path, warn: Any) -> str:
    """The first line of PATH; a warning when other users may read it."""
    try:
        with path.open("rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise CommandError(f"--password-file {path}: not a regular file.")
            data = handle.read(MAX_PASSWORD_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"--password-file {path}: {exc.strerror}.") from exc
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        warn(f"Note: other users may read {path}; `chmod 600 {path}` keeps a password private.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(f"--password-file {path}: not UTF-8 text.") from exc
    return _first_line(text, f"--password-file {path}")


def _first_line(text: str, source: str) -> str:
    if len(text.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise CommandError(f"{source}: longer than a password ({MAX_PASSWORD_BYTES} bytes).")
    line = text.split("\n", 1)[0].removesuffix("\r")
    if not line:
        raise CommandError(f"{source}: the first line, the password, is empty.")
    return line


def _named(exc: ValidationError, password_source: str) -> str:
    """Sign-up's errors after the input each is about: "--email: Enter a valid email…"."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"password": exc.messages}
    inputs = {**INPUTS, "password": password_source}
    return " ".join(
        f"{inputs.get(field, field)}: {' '.join(messages)}" for field, messages in errors.items()
    )

"""The `ficarchive` command: `serve`, plus the Django management commands an admin needs.

Every subcommand works on a fresh data folder: it creates and migrates the database first.
Help (`--help` on any command, `help`) and `--version` touch nothing: no data folder, no database.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
import tempfile
from collections.abc import Sequence

USAGE = """\
usage: ficarchive COMMAND [options]

Run the archive:
  serve              set up the data folder and serve the archive (PORT, default 8000)
  setup              create and migrate the database, load demo content if it is empty
  upkeep             queue the background upkeep every minute (`serve` runs it);
                     --once: do the upkeep now (token last uses, hits, old search changes)

Administer it (Django management commands; `ficarchive COMMAND --help` for each):
  users create       make an account as sign-up does, active at once
                     (users create NAME --email E [--password-file F] [--admin])
  createsuperuser    make an admin account
  changepassword     set a user's password
  migrate            apply database migrations
  demo               load the demo content into an empty archive
  tags               load or dump tags as CSV (tags load FILE.csv, tags dump FILE.csv)
  export             write a work as EPUB, HTML or TXT (export WORK_ID --format epub)
  search             search works like the search page (search 'q=storm&sort=kudos' --json)
  challenges         a gift exchange's matching alone (challenges match FILE.jsonl --json)
  import             import fan fiction files as works (import FILE... --as USER)
  backup             write the whole archive to one file while it serves (backup PATH)
  restore            bring a backup back into an empty data folder or database (restore PATH)
  check              check the configuration for problems
  shell              a Python shell with the archive loaded
  dbshell            a database shell
  collectstatic      gather static files for serving
  help               list every command

Settings come from the environment: FICARCHIVE_DATA (default ./data), DATABASE_URL,
PORT, DEBUG, SECRET_KEY, REDIS_URL, EMAIL_HOST and friends (see README.md).
`ficarchive --version` prints the version.
"""

HELP_OPTIONS = {"-h", "--help"}
# The help of the commands that are ours rather than Django's.
OWN_HELP = {
    "serve": """\
usage: ficarchive serve [GUNICORN-OPTION...]

Set up the data folder as `setup` does, then serve the archive with gunicorn, with the task
worker and the upkeep clock beside it; Ctrl+C or SIGTERM stops them all. Options are passed
to gunicorn.

Environment: PORT (8000), HOST (127.0.0.1), WEB_CONCURRENCY (2 processes), WEB_THREADS (4),
SITE_URL (the address readers use), FICARCHIVE_WORKER=0 (no task worker), ACCESS_LOG=1, and
every setting of `ficarchive --help`.
""",
    "setup": """\
usage: ficarchive setup

Create and migrate the database, gather the static files, load the demo works into an empty
archive (not with FICARCHIVE_DEMO=0) and, when the archive has no admin, make one
(FICARCHIVE_ADMIN, default "admin") and print its password once. Safe to run again.
""",
    "upkeep": """\
usage: ficarchive upkeep [--once]

Queue the background upkeep every minute, for any task worker to run (`serve` runs this).
  --once   do the upkeep now, here, and print what it did
""",
}

# Commands that must not run migrations first (they inspect or create the schema themselves).
NO_AUTO_MIGRATE = {
    "migrate", "makemigrations", "help", "version", "check", "sqlmigrate",
    # A backup copies the database as it is; a restore needs an empty one (it migrates after).
    "backup", "restore",
}  # fmt: skip


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    import django

    django.setup()


def ensure_database() -> None:
    """Create and migrate the database if it is new or behind."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def main(argv: Sequence[str] | None = None) -> int:
    from ficarchive.env import SettingError

    args = list(sys.argv[1:] if argv is None else argv)
    refused = unusable_argument(args)
    if refused:
        print(f"ficarchive: {refused}", file=sys.stderr)
        return 2
    try:
        return run(args)
    except SettingError as exc:
        print(f"ficarchive: {exc}", file=sys.stderr)
        return 2


def unusable_argument(args: Sequence[str]) -> str | None:
    """Why an argument cannot be used (a NUL, or bytes that are not UTF-8), or None."""
    from ficarchive.text.characters import unusable_character

    for number, arg in enumerate(args, start=1):
        reason = unusable_character(arg)
        if reason is not None:
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            return (
                f"argument {number} ({shown}) cannot be used: {reason}; "
                "names and text on the command line must be UTF-8"
            )
    return None


def version() -> str:
    """ "ficarchive 1.2.3": the installed package's version."""
    try:
        return f"ficarchive {importlib.metadata.version('ficarchive')}"
    except importlib.metadata.PackageNotFoundError:
        return "ficarchive (version unknown: not installed as a package)"


def wants_help(args: Sequence[str]) -> bool:
    """Whether ARGS ask for help: `help …`, or -h/--help before any `--`."""
    if args[0] == "help":
        return True
    options = args[1 : args.index("--")] if "--" in args else args[1:]
    return any(arg in HELP_OPTIONS for arg in options)


def show_help(args: list[str]) -> int:
    """A command's help, touching nothing: ours are printed as they are; Django's need the
    settings loaded, which make the data folder, so they load them on a scratch one."""
    if args[0] in OWN_HELP:
        print(OWN_HELP[args[0]], end="")
        return 0
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="ficarchive-help-") as scratch:
        os.environ["FICARCHIVE_DATA"] = scratch
        _django_setup()
        from django.core.management import execute_from_command_line

        try:
            execute_from_command_line(["ficarchive", *args])
        except SystemExit as stop:  # argparse stops with it once the help is printed
            return stop.code if isinstance(stop.code, int) else 0
    return 0


def run(args: list[str]) -> int:
    if not args or args[0] in HELP_OPTIONS:
        print(USAGE)
        return 0
    if args[0] in {"--version", "version"}:
        print(version())
        return 0
    if wants_help(args):
        return show_help(args)
    command = args[0]
    _django_setup()
    from django.core.management import execute_from_command_line

    if command not in NO_AUTO_MIGRATE:
        ensure_database()
    if command == "serve":
        from ficarchive.serve import serve

        return serve(args[1:])
    if command == "setup":
        from ficarchive.serve import setup

        setup(verbose=True)
        return 0
    if command == "upkeep":
        from ficarchive.upkeep import run_clock, run_upkeep

        if "--once" in args[1:]:
            print(run_upkeep())
            return 0
        return run_clock()
    execute_from_command_line(["ficarchive", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

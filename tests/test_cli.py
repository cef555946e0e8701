"""The `ficarchive` command on a fresh data folder, as an admin runs it."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(
    data: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "FICARCHIVE_DATA": str(data), **env}
    environment.pop("DATABASE_URL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", *args],
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_help_lists_the_commands(tmp_path):
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0
    assert "serve" in result.stdout
    assert "createsuperuser" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["setup", "--help"],
        ["serve", "--help"],
        ["serve", "-h"],
        ["upkeep", "--help"],
        ["users", "--help"],
        ["users", "create", "--help"],
        ["export", "--help"],
        ["import", "--help"],
        ["createsuperuser", "--help"],
        ["migrate", "--help"],
        ["backup", "--help"],
        ["restore", "--help"],
        ["tags", "load", "--help"],
        ["help"],
        ["help", "export"],
    ],
    ids=" ".join,
)
def test_help_on_any_command_prints_help_and_touches_nothing(tmp_path, command):
    data = tmp_path / "data"
    result = run_cli(data, *command, FICARCHIVE_DEMO="0")
    assert result.returncode == 0, result.stderr
    assert "usage: ficarchive " in result.stdout or "Available subcommands" in result.stdout
    assert "An admin account was made" not in result.stdout
    assert not data.exists(), "no data folder, no database, no secret key"


def test_version_is_ficarchive_s_own(tmp_path):
    expected = f"ficarchive {importlib.metadata.version('ficarchive')}"
    for option in ("--version", "version"):
        result = run_cli(tmp_path / "data", option)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == expected
    assert not (tmp_path / "data").exists()


def test_a_superuser_made_by_createsuperuser_has_a_pseud_and_imports_works(tmp_path):
    admin = {
        "DJANGO_SUPERUSER_USERNAME": "keeper",
        "DJANGO_SUPERUSER_EMAIL": "keeper@example.org",
        "DJANGO_SUPERUSER_PASSWORD": "a long pass phrase 77",
    }
    made = run_cli(tmp_path, "createsuperuser", "--noinput", **admin)
    assert made.returncode == 0, made.stderr
    story = tmp_path / "storm.txt"
    story.write_text(
        "Title: The Storm\nRating: General Audiences\n"
        "Archive Warning: No Archive Warnings Apply\nFandom: Original Work\n\n"
        "The rain came down on the lighthouse all night.\n"
    )
    imported = run_cli(tmp_path, "import", str(story), "--as", "keeper")
    assert imported.returncode == 0, imported.stderr
    assert "Traceback" not in imported.stderr
    shown = run_cli(
        tmp_path, "shell", "-v", "0", "-c",
        "from ficarchive.works.models import Work; w = Work.objects.get(); "
        "print(w.title, '/', *(p.name for p in w.creators))",
    )  # fmt: skip
    assert shown.stdout.strip() == "The Storm / keeper", shown.stderr


def test_users_create_makes_an_account_that_logs_in(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("a long pass phrase 77\n")
    secret.chmod(0o600)
    made = run_cli(
        tmp_path, "users", "create", "lena", "--email", "lena@example.org",
        "--password-file", str(secret), "--admin",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "lena" in made.stdout and "a long pass phrase" not in made.stdout + made.stderr
    check = run_cli(
        tmp_path, "shell", "-v", "0", "-c",
        "from django.contrib.auth import authenticate; "
        "u = authenticate(username='lena', password='a long pass phrase 77'); "
        "print(u.is_active, u.is_staff, u.default_pseud.name)",
    )  # fmt: skip
    assert check.stdout.split() == ["True", "True", "lena"], check.stderr


def test_setup_on_a_fresh_folder_migrates_loads_the_demo_and_prints_an_admin(tmp_path):
    result = run_cli(tmp_path, "setup", FICARCHIVE_DEMO="0")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ficarchive.sqlite3").exists()
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert "user name: admin" in result.stdout
    password = result.stdout.split("password:")[1].split()[0]
    assert password in (tmp_path / "first-admin.txt").read_text()

    again = run_cli(tmp_path, "setup", FICARCHIVE_DEMO="0")
    assert again.returncode == 0, again.stderr
    assert "password" not in again.stdout, "the admin is made and printed only on first start"


def test_any_management_command_works_on_a_fresh_folder(tmp_path):
    result = run_cli(tmp_path, "showmigrations", "works")
    assert result.returncode == 0, result.stderr
    assert "[X] 0001_initial" in result.stdout


def test_an_unknown_command_says_so(tmp_path):
    result = run_cli(tmp_path, "frobnicate")
    assert result.returncode != 0
    assert "Unknown command: 'frobnicate'" in result.stderr


def test_an_argument_that_is_not_utf8_is_refused_before_anything_runs(tmp_path):
    # A byte that is not UTF-8 reaches Python as a lone surrogate (U+DC80 for byte 0x80).
    result = run_cli(tmp_path, "search", "q=caf\udc80")
    assert result.returncode == 2
    assert "argument 2 (q=caf\\udc80) cannot be used" in result.stderr
    assert "lone surrogate U+DC80" in result.stderr
    assert not (tmp_path / "ficarchive.sqlite3").exists(), "nothing ran, not even a migration"


def test_a_bad_port_is_named(tmp_path):
    result = run_cli(tmp_path, "serve", PORT="eighty", FICARCHIVE_DEMO="0")
    assert result.returncode != 0
    assert "PORT must be a whole number, not 'eighty'" in result.stderr


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "") != "", reason="SQLite only")
def test_serve_answers_http_with_static_files_and_the_demo(tmp_path):
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "FICARCHIVE_DATA": str(tmp_path), "PORT": str(port)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "ficarchive.cli", "serve"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        home = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                    home = reply.read().decode()
                    headers = reply.headers
                break
            except OSError:
                time.sleep(0.5)
        assert home, "the server did not answer"
        assert headers["X-Frame-Options"] == "DENY"
        assert 'href="/works/' in home, "the home page lists demo works"
        css = home.split('rel="stylesheet" href="')[1].split('"')[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5) as reply:
            assert reply.status == 200
            assert "--measure" in reply.read().decode()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"http://localhost:{port}/" in output
    assert "user name: admin" in output

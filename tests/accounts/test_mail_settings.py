"""Password-reset mail goes through Django's mail framework: printed to the console unless the
environment names an SMTP server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile


def mail_settings(**env: str) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'backend': s.EMAIL_BACKEND, 'host': s.EMAIL_HOST, 'port': s.EMAIL_PORT, "
        "'user': s.EMAIL_HOST_USER, 'tls': s.EMAIL_USE_TLS, 'sender': s.DEFAULT_FROM_EMAIL}))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EMAIL_") and key != "DEFAULT_FROM_EMAIL"
    }
    environment |= {
        "FICARCHIVE_DATA": tempfile.mkdtemp(),
        "DJANGO_SETTINGS_MODULE": "ficarchive.settings",
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_mail_is_printed_to_the_console_by_default():
    assert mail_settings()["backend"] == "django.core.mail.backends.console.EmailBackend"


def test_an_smtp_host_in_the_environment_sends_mail_through_it():
    found = mail_settings(
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="archive",
        EMAIL_USE_TLS="0",
        DEFAULT_FROM_EMAIL="Archive <archive@example.org>",
    )
    assert found == {
        "backend": "django.core.mail.backends.smtp.EmailBackend",
        "host": "smtp.example.org",
        "port": 2525,
        "user": "archive",
        "tls": False,
        "sender": "Archive <archive@example.org>",
    }

"""The protections that stay on whatever the environment says."""

from __future__ import annotations

from django.conf import settings


def test_debug_is_off_unless_asked_for():
    assert settings.DEBUG is False


def test_passwords_hash_with_argon2(alice):
    assert alice.password.startswith("argon2")


def test_pages_refuse_to_be_framed(client, db):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_csrf_and_clickjacking_middleware_are_installed():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in settings.MIDDLEWARE


def _settings_under(**env: str) -> dict[str, object]:
    import json
    import os
    import subprocess
    import sys
    import tempfile

    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'secure': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, "
        "'redirect': s.SECURE_SSL_REDIRECT, 'debug': s.DEBUG, "
        "'engine': s.DATABASES['default']['ENGINE'], 'hasher': s.PASSWORD_HASHERS[0]}))"
    )
    environment = {
        **os.environ,
        "FICARCHIVE_DATA": tempfile.mkdtemp(),
        "DJANGO_SETTINGS_MODULE": "ficarchive.settings",
        **env,
    }
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_cookies_are_secure_behind_https():
    assert _settings_under(HTTPS="1") == {
        "secure": True,
        "csrf": True,
        "redirect": True,
        "debug": False,
        "engine": "django.db.backends.sqlite3",
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
    }


def test_database_url_switches_to_postgresql():
    values = _settings_under(DATABASE_URL="postgres://someone@127.0.0.1:5432/archive")
    assert values["engine"] == "django.db.backends.postgresql"

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
        "'engine': s.DATABASES['default']['ENGINE'], 'hasher': s.PASSWORD_HASHERS[0], "
        "'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0), 'site': s.SITE_URL, "
        "'hosts': s.ALLOWED_HOSTS, 'origins': s.CSRF_TRUSTED_ORIGINS}))"
    )
    environment = {
        **os.environ,
        "FICARCHIVE_DATA": tempfile.mkdtemp(),
        "DJANGO_SETTINGS_MODULE": "ficarchive.settings",
        **env,
    }
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    for name in ("SITE_URL", "PORT", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
        if name not in env:
            environment.pop(name, None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    return json.loads(out.stdout)


def test_cookies_are_secure_behind_https():
    values = _settings_under(HTTPS="1")
    assert {
        key: values[key] for key in ("secure", "csrf", "redirect", "debug", "engine", "hasher")
    } == {
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


def test_by_default_only_this_machine_may_be_named_in_the_host_header():
    values = _settings_under()
    assert values["site"] == "http://localhost:8000"
    assert values["hosts"] == ["localhost", "127.0.0.1", "[::1]"]
    assert "*" not in values["hosts"]


def test_site_url_follows_port_when_not_set():
    assert _settings_under(PORT="8123")["site"] == "http://localhost:8123"


def test_site_url_gives_the_allowed_host_and_trusted_origin():
    values = _settings_under(SITE_URL="https://fics.example.org/")
    assert values["site"] == "https://fics.example.org"
    assert values["hosts"] == ["fics.example.org", "localhost", "127.0.0.1", "[::1]"]
    assert values["origins"] == ["https://fics.example.org"]


def test_allowed_hosts_when_set_replace_the_default():
    values = _settings_under(SITE_URL="https://a.example", ALLOWED_HOSTS="a.example,b.example")
    assert values["hosts"] == ["a.example", "b.example"]


def test_a_site_url_that_is_not_an_address_is_named():
    import pytest

    with pytest.raises(RuntimeError, match="SITE_URL must be an http:// or https:// address"):
        _settings_under(SITE_URL="fics.example.org")
    with pytest.raises(RuntimeError, match="without a path"):
        _settings_under(SITE_URL="https://fics.example.org/archive")


def test_pages_carry_a_strict_content_security_policy_and_permissions_policy(client, db):
    response = client.get("/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'", "no inline script, no other origin"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert "unsafe" not in policy["style-src"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions


def test_hsts_is_sent_a_year_long_behind_https_and_never_without():
    assert _settings_under(HTTPS="1")["hsts"] == 31_536_000
    assert _settings_under()["hsts"] == 0

"""Typed helpers that read settings from the environment, with one-machine defaults."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit


class SettingError(ValueError):
    """An environment variable holds a value the archive cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SettingError(f"{name} must be a whole number, not {value!r}") from exc


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise SettingError(f"{name} must be a number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(entries: Sequence[str]) -> tuple[Network, ...] | None:
    """The trusted proxies of FORWARDED_ALLOW_IPS's ENTRIES (None: `*`, every peer)."""
    if "*" in entries:
        return None
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise SettingError(
                f"FORWARDED_ALLOW_IPS must list addresses or networks, not {entry!r}"
            ) from exc
    return tuple(networks)


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of CHOICES (any case), or DEFAULT when unset; anything else is a SettingError."""
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise SettingError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def data_dir() -> Path:
    """The folder for the SQLite file, uploads and caches (`FICARCHIVE_DATA`, default ./data)."""
    path = Path(env_str("FICARCHIVE_DATA", "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """`SECRET_KEY` from the environment, or one generated into the data folder on first start."""
    from_env = env_str("SECRET_KEY")
    if from_env:
        return from_env
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


# The names a request from this machine uses, allowed for the embedded default's own checks.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def site_url(port: int) -> str:
    """`SITE_URL`, the archive's public address, without a trailing slash.

    Every link in emails and downloads is built from it, never from a request's Host header.
    By default it is this machine on `PORT`, as `ficarchive serve` listens.
    """
    value = env_str("SITE_URL", f"http://localhost:{port}").strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SettingError(f"SITE_URL must be an http:// or https:// address, not {value!r}")
    if parts.path or parts.query or parts.fragment:
        raise SettingError(
            f"SITE_URL must be the archive's address without a path, like "
            f"{parts.scheme}://{parts.netloc}, not {value!r}"
        )
    return value


def allowed_hosts(site: str) -> list[str]:
    """`ALLOWED_HOSTS`, or by default SITE_URL's host name plus this machine's own names."""
    given = env_list("ALLOWED_HOSTS")
    if given:
        return given
    host = urlsplit(site).hostname or "localhost"
    shown = f"[{host}]" if ":" in host else host
    return list(dict.fromkeys([shown, *LOCAL_HOSTS]))


def trusted_origins(site: str) -> list[str]:
    """`CSRF_TRUSTED_ORIGINS`, always including SITE_URL's own origin."""
    return list(dict.fromkeys([site, *env_list("CSRF_TRUSTED_ORIGINS")]))

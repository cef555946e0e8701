"""Debian tools that some tests drive (chromium, epubcheck, calibre's ebook-meta).

Without the tool those tests skip and say which package to install; with
FICARCHIVE_REQUIRE_BROWSER=1 (set by CI) a missing tool is a failure instead, so that CI never
passes by skipping them.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def tool_missing(message: str) -> NoReturn:
    """Skip the test with MESSAGE, or fail it where CI requires every tool."""
    if os.environ.get("FICARCHIVE_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def find_tool(command: str, *, env_var: str = "", default: str = "") -> str | None:
    """The path of COMMAND: from ENV_VAR if set, else DEFAULT if it is there, else on PATH."""
    candidates = [os.environ.get(env_var, "") if env_var else "", default]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            return candidate
    return shutil.which(command)


EPUBCHECK_JAR = "/usr/share/java/epubcheck.jar"
# Only the quick compiler and the simple collector: epubcheck starts in a third of the time.
JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def epubcheck_command() -> list[str] | None:
    """How to run epubcheck here (Debian ships it as a jar), or None when it is not installed."""
    found = find_tool("epubcheck", env_var="EPUBCHECK", default=EPUBCHECK_JAR)
    if found is None:
        return None
    real = os.path.realpath(found)
    if real.endswith(".jar"):
        java = shutil.which("java")
        return [java, *JVM_FLAGS, "-jar", real] if java else None
    return [found]


def ebook_meta_command() -> list[str] | None:
    """How to run calibre's ebook-meta (Debian's calibre), or None when it is not installed."""
    found = find_tool("ebook-meta", env_var="EBOOK_META")
    return [found] if found else None

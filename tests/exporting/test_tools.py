"""The helper that finds Debian tools for tests: skip with the package's name, or fail in CI."""

from __future__ import annotations

import pytest

from tests import tools


def test_missing_tool_skips_naming_the_package(monkeypatch):
    monkeypatch.delenv("FICARCHIVE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install epubcheck"):
        tools.tool_missing("EPUB validation needs Debian's epubcheck: `apt-get install epubcheck`")


def test_missing_tool_fails_where_ci_requires_every_tool(monkeypatch):
    monkeypatch.setenv("FICARCHIVE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="epubcheck"):
        tools.tool_missing("EPUB validation needs Debian's epubcheck")


def test_epubcheck_jar_runs_under_java(monkeypatch, tmp_path):
    jar = tmp_path / "epubcheck.jar"
    jar.write_bytes(b"PK")
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\n")
    java.chmod(0o755)
    monkeypatch.setenv("EPUBCHECK", str(jar))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tools.epubcheck_command() == [str(java), *tools.JVM_FLAGS, "-jar", str(jar)]


def test_no_epubcheck_anywhere_is_none(monkeypatch, tmp_path):
    monkeypatch.delenv("EPUBCHECK", raising=False)
    monkeypatch.setattr(tools, "EPUBCHECK_JAR", str(tmp_path / "missing.jar"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tools.epubcheck_command() is None

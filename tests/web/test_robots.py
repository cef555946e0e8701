"""robots.txt: public pages open, private ones closed, the sitemap named, and the crawlers
that gather text for AI training refused by name unless the archive lets them in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from ficarchive.web.crawlers import AI_CRAWLERS


def groups(text: str) -> dict[str, list[str]]:
    """Each user agent's rules (a group's rules belong to every agent named above them)."""
    rules: dict[str, list[str]] = {}
    agents: list[str] = []
    reading_agents = False
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        field, _, value = (part.strip() for part in line.partition(":"))
        if field.lower() == "user-agent":
            agents = [*agents, value] if reading_agents else [value]
            reading_agents = True
            for agent in agents:
                rules.setdefault(agent, [])
        else:
            reading_agents = False
            for agent in agents:
                rules[agent].append(f"{field}: {value}")
    return rules


def robots() -> str:
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_robots_txt_closes_private_pages_and_names_the_sitemap(db: Any) -> None:
    text = robots()
    everyone = groups(text)["*"]
    private_paths = ("/preferences", "/inbox", "/moderation", "/admin/", "/feeds/")
    for private in (*private_paths, "/opds/token/", "/opds2/token/"):
        assert f"Disallow: {private}" in everyone
    assert "Allow: /" in everyone
    assert not any(rule in everyone for rule in ("Disallow: /works/", "Disallow: /tags/"))
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


def test_robots_txt_refuses_ai_training_crawlers_by_default(db: Any) -> None:
    rules = groups(robots())
    for name in ("GPTBot", "ClaudeBot", "CCBot", "Google-Extended", "anthropic-ai"):
        assert name in AI_CRAWLERS
        assert rules[name] == ["Disallow: /"], name
    assert "Googlebot" not in rules


def test_the_setting_lets_ai_crawlers_in_as_any_other(db: Any, settings: Any) -> None:
    settings.REFUSE_AI_CRAWLERS = False
    rules = groups(robots())
    assert list(rules) == ["*"]


def test_the_crawler_list_is_sorted_without_repeats() -> None:
    assert list(AI_CRAWLERS) == sorted(set(AI_CRAWLERS), key=str.lower)

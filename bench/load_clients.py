"""The clients of the load test (bench_load.py): each a signed-in reader and writer with a
browser session for the pages and a token for the API, noting every answer and every write the
archive acknowledged, with the marker that finds it in the database afterwards."""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import requests

PASSWORD = "load test password 7"
USER_PREFIX = "loader"
TIMEOUT = 120  # seconds a client waits for one answer
LOG_IN = "log in"

# What a client does next, and how often (the weights of a loop's choice).
MIX = {
    "home": 4,
    "work page": 16,
    "chapter page": 8,
    "search page": 7,
    "profile": 3,
    "download": 2,
    "api search": 6,
    "api work": 4,
    "post work (page)": 3,
    "post work (api)": 3,
    "add chapter (page)": 3,
    "add chapter (api)": 3,
    "comment (page)": 5,
    "comment (api)": 4,
    "kudos (page)": 4,
    "kudos (api)": 4,
    "bookmark (page)": 3,
    "bookmark (api)": 3,
    "subscribe (page)": 2,
    "subscribe (api)": 2,
}
SEARCHES = ["", "sort=kudos", "q=love", "q=night&sort=updated", "q=loadtest", "complete=true",
            "include=General Audiences", "exclude=Explicit&sort=words"]  # fmt: skip


# --- what the clients saw --------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    """One write the server acknowledged: what it is, its marker or key, the id it answered."""

    kind: str  # work, chapter, comment, bookmark, kudos, subscription
    key: str  # the marker, or "user_id:work_id" for kudos and subscriptions
    object_id: int | None = None


@dataclass
class Tally:
    """Everything the clients saw, shared by their threads."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # 4xx other than 429
    # Requests that ended without an answer: (time.monotonic(), what and why).
    connection_errors: list[tuple[float, str]] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    unanswered_writes: int = 0
    client_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, status: int | None, took_ms: float, detail: str = "") -> None:
        with self.lock:
            self.times[kind].append(took_ms)
            if status is None:
                self.connection_errors.append((time.monotonic(), f"{kind}: {detail}"))
                return
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {kind}: {detail}")
            elif status >= 400 and status != 429:
                self.refusals.append(f"{status} {kind}: {detail}")

    def ack(self, ack: Ack) -> None:
        with self.lock:
            self.acks.append(ack)


@dataclass
class Targets:
    """Works the clients may read and answer, and their chapters; grows as works are posted."""

    works: list[int]
    chapters: dict[int, list[int]]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, work_id: int, chapter_id: int | None) -> None:
        with self.lock:
            self.works.append(work_id)
            self.chapters.setdefault(work_id, [])
            if chapter_id is not None:
                self.chapters[work_id].append(chapter_id)

    def pick(self, rng: random.Random, avoid: Set[int] = frozenset()) -> int | None:
        with self.lock:
            choices = [w for w in self.works if w not in avoid]
        return rng.choice(choices) if choices else None

    def chapter_of(self, rng: random.Random) -> tuple[int, int] | None:
        with self.lock:
            pairs = [(w, c) for w, cs in self.chapters.items() for c in cs]
        return rng.choice(pairs) if pairs else None


@dataclass
class Run:
    prefix: str
    users: list[dict[str, Any]]
    targets: Targets
    tally: Tally = field(default_factory=Tally)
    phases: dict[str, float] = field(default_factory=dict)


def first_line(response: requests.Response) -> str:
    """The first line of an answer's text that says something (a page's title, a JSON error)."""
    text = response.text
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    if title:
        return " ".join(title.group(1).split())[:200]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:200] if lines else ""


class Client:
    """One signed-in reader and writer: a browser session for the pages, a token for the API."""

    def __init__(self, index: int, user: dict[str, Any], base: str, run: Run) -> None:
        self.index = index
        self.user = user
        self.base = base
        self.run = run
        self.rng = random.Random(index)
        self.browser = requests.Session()
        self.app = requests.Session()
        self.app.headers["Authorization"] = f"Bearer {user['token']}"
        self.last_answer = {True: 0.0, False: 0.0}  # when each session last had an answer
        self.mine: list[int] = []  # works this client posted
        self.done: dict[str, set[int]] = defaultdict(set)  # works given kudos, bookmarked, ...
        self.count = 0

    # one request, timed and counted
    def call(self, kind: str, method: str, path: str, *, api: bool = False, **kwargs: Any) -> Any:
        session = self.app if api else self.browser
        headers = kwargs.pop("headers", {})
        if method != "GET" and not api:
            headers["X-CSRFToken"] = session.cookies.get("csrftoken", "")
        started = time.perf_counter()
        idle = started - self.last_answer[api]  # how long its kept-alive connection sat idle
        try:
            response = session.request(
                method, self.base + path, headers=headers, allow_redirects=False,
                timeout=TIMEOUT, **kwargs,
            )  # fmt: skip
        except requests.RequestException as exc:
            took = (time.perf_counter() - started) * 1000
            reason = re.findall(r"(\w+(?:Error|Disconnected|Timeout))\b", str(exc))
            reason_name = reason[-1] if reason else type(exc).__name__
            self.last_answer[api] = time.perf_counter()
            self.run.tally.note(
                kind, None, took, f"{method} {path} (idle {idle:.1f} s before): {reason_name}"
            )
            if method != "GET":
                with self.run.tally.lock:
                    self.run.tally.unanswered_writes += 1
            return None
        self.last_answer[api] = time.perf_counter()
        took = (self.last_answer[api] - started) * 1000
        detail = f"{method} {path}: {first_line(response)}" if response.status_code >= 400 else ""
        self.run.tally.note(kind, response.status_code, took, detail)
        return response

    def marker(self, what: str) -> str:
        self.count += 1
        return f"{self.run.prefix}{what}{self.index:02d}n{self.count}"

    def log_in(self) -> bool:
        self.call(LOG_IN, "GET", "/login")
        response = self.call(
            LOG_IN, "POST", "/login",
            data={"username": self.user["username"], "password": PASSWORD,
                  "csrfmiddlewaretoken": self.browser.cookies.get("csrftoken", "")},
        )  # fmt: skip
        return response is not None and response.status_code == 302

    def form_of(self, kind: str, path: str, action_part: str) -> list[tuple[str, str]] | None:
        """The fields of the form on PATH whose action holds ACTION_PART, as a browser sends."""
        response = self.call(kind, "GET", path)
        if response is None or response.status_code != 200:
            return None
        page = lxml.html.fromstring(response.content)
        for form in page.forms:
            if action_part in (form.action or ""):
                return [(k, v) for k, v in form.form_values() if k != "action"]
        return None

    def loop(self, deadline: float) -> None:
        kinds, weights = list(MIX), list(MIX.values())
        while time.monotonic() < deadline:
            kind = self.rng.choices(kinds, weights)[0]
            try:
                getattr(self, "do_" + re.sub(r"\W+", "_", kind).strip("_"))(kind)
            except Exception as exc:  # an answer this client did not expect: note it, go on
                with self.run.tally.lock:
                    self.run.tally.client_errors.append(f"{kind}: {exc!r}"[:300])

    # --- reads
    def do_home(self, kind: str) -> None:
        self.call(kind, "GET", "/")

    def do_work_page(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng)
        self.call(kind, "GET", f"/works/{work}")

    def do_chapter_page(self, kind: str) -> None:
        found = self.run.targets.chapter_of(self.rng)
        if found:
            self.call(kind, "GET", f"/works/{found[0]}/chapters/{found[1]}")

    def do_search_page(self, kind: str) -> None:
        self.call(kind, "GET", "/works/search?" + self.rng.choice(SEARCHES))

    def do_profile(self, kind: str) -> None:
        other = self.rng.choice(self.run.users)["username"]
        self.call(kind, "GET", f"/users/{other}/works")

    def do_download(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng)
        fmt = self.rng.choice(["epub", "html", "txt"])
        self.call(kind, "GET", f"/downloads/works/{work}.{fmt}")

    def do_api_search(self, kind: str) -> None:
        self.call(kind, "GET", "/api/v1/works?" + self.rng.choice(SEARCHES), api=True)

    def do_api_work(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng)
        self.call(kind, "GET", f"/api/v1/works/{work}", api=True)

    # --- writes through the pages
    def do_post_work_page(self, kind: str) -> None:
        fields = self.form_of(kind, "/works/new", "/works/new")
        if fields is None:
            return
        title = self.marker("w")
        chosen = {"title": title, "rating": "General Audiences",
                  "warnings": "No Archive Warnings Apply", "fandoms": "Original Work",
                  "freeforms": "loadtest", "summary": "A work posted by the load test.",
                  "body_format": "html", "body": f"<p>{title} begins at night.</p>"}  # fmt: skip
        data = [(k, v) for k, v in fields if k not in chosen] + list(chosen.items())
        response = self.call(kind, "POST", "/works/new", data=data)
        found = response is not None and re.fullmatch(
            r"/works/(\d+)", response.headers.get("Location", "")
        )
        if found:
            self.posted(Ack("work", title, int(found.group(1))), None)

    def do_add_chapter_page(self, kind: str) -> None:
        if not self.mine:
            return self.do_post_work_page("post work (page)")
        work = self.rng.choice(self.mine)
        path = f"/works/{work}/chapters/new"
        fields = self.form_of(kind, path, path)
        if fields is None:
            return None
        title = self.marker("c")
        chosen = {"title": title, "body_format": "html", "body": f"<p>{title}: morning.</p>"}
        data = [(k, v) for k, v in fields if k not in chosen] + list(chosen.items())
        response = self.call(kind, "POST", path, data=data)
        found = response is not None and re.fullmatch(
            rf"/works/{work}/chapters/(\d+)", response.headers.get("Location", "")
        )
        if found:
            chapter = int(found.group(1))
            self.run.tally.ack(Ack("chapter", title, chapter))
            self.run.targets.add(work, chapter)
        return None

    def do_comment_page(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng)
        text = self.marker("m") + " Lovely, thank you for writing this."
        data = {"text": text, "body_format": "plain"}
        response = self.call(kind, "POST", f"/works/{work}/comments", data=data)
        found = response is not None and re.search(
            r"#comment-(\d+)$", response.headers.get("Location", "")
        )
        if found:
            self.run.tally.ack(Ack("comment", text, int(found.group(1))))

    def do_kudos_page(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng, set(self.mine) | self.done["kudos"])
        if work is None:
            return
        self.done["kudos"].add(work)
        response = self.call(kind, "POST", f"/works/{work}/kudos")
        if self.shows(response, "Thank you for leaving kudos!"):
            self.run.tally.ack(Ack("kudos", f"{self.user['id']}:{work}"))

    def do_bookmark_page(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng, self.done["bookmark"])
        if work is None:
            return
        self.done["bookmark"].add(work)
        notes = self.marker("b")
        data = {"notes": notes, "tags": "loadtest, rec", "is_rec": "on"}
        response = self.call(kind, "POST", f"/works/{work}/bookmark", data=data)
        if response is not None and response.status_code == 302:
            self.run.tally.ack(Ack("bookmark", notes))

    def do_subscribe_page(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng, set(self.mine) | self.done["subscribe"])
        if work is None:
            return
        self.done["subscribe"].add(work)
        response = self.call(kind, "POST", f"/works/{work}/subscribe")
        if self.shows(response, "Subscribed: new posts will reach your inbox."):
            self.run.tally.ack(Ack("subscription", f"{self.user['id']}:{work}"))

    def shows(self, response: Any, message: str) -> bool:
        """A redirect whose page (as the browser follows it) shows MESSAGE."""
        if response is None or response.status_code != 302:
            return False
        page = self.call("page after a write", "GET", response.headers["Location"])
        return page is not None and message in page.text

    # --- writes through the API
    def do_post_work_api(self, kind: str) -> None:
        title = self.marker("w")
        payload = {
            "title": title,
            "rating": "General Audiences",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": ["Original Work"],
            "freeforms": ["loadtest"],
            "chapter": {"title": "One", "body": f"<p>{title} begins at dawn.</p>"},
        }
        response = self.call(kind, "POST", "/api/v1/works", api=True, json=payload)
        if response is not None and response.status_code == 201:
            answer = response.json()
            chapters = answer.get("chapter_list") or [{}]
            self.posted(Ack("work", title, answer["id"]), chapters[0].get("id"))

    def do_add_chapter_api(self, kind: str) -> None:
        if not self.mine:
            return self.do_post_work_api("post work (api)")
        work = self.rng.choice(self.mine)
        title = self.marker("c")
        payload = {"title": title, "body": f"<p>{title}: evening.</p>"}
        response = self.call(kind, "POST", f"/api/v1/works/{work}/chapters", api=True, json=payload)
        if response is not None and response.status_code == 201:
            chapter = response.json()["id"]
            self.run.tally.ack(Ack("chapter", title, chapter))
            self.run.targets.add(work, chapter)
        return None

    def do_comment_api(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng)
        text = self.marker("m") + " Read it twice already."
        payload = {"text": text}
        response = self.call(kind, "POST", f"/api/v1/works/{work}/comments", api=True, json=payload)
        if response is not None and response.status_code == 201:
            self.run.tally.ack(Ack("comment", text, response.json()["id"]))

    def do_kudos_api(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng, set(self.mine) | self.done["kudos"])
        if work is None:
            return
        self.done["kudos"].add(work)
        response = self.call(kind, "POST", f"/api/v1/works/{work}/kudos", api=True)
        if response is not None and response.status_code == 201:
            self.run.tally.ack(Ack("kudos", f"{self.user['id']}:{work}"))

    def do_bookmark_api(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng, self.done["bookmark"])
        if work is None:
            return
        self.done["bookmark"].add(work)
        notes = self.marker("b")
        payload = {"notes": notes, "tags": ["loadtest"]}
        response = self.call(kind, "PUT", f"/api/v1/works/{work}/bookmark", api=True, json=payload)
        if response is not None and response.status_code in (200, 201):
            self.run.tally.ack(Ack("bookmark", notes, response.json()["id"]))

    def do_subscribe_api(self, kind: str) -> None:
        work = self.run.targets.pick(self.rng, set(self.mine) | self.done["subscribe"])
        if work is None:
            return
        self.done["subscribe"].add(work)
        payload = {"work_id": work}
        response = self.call(kind, "POST", "/api/v1/me/subscriptions", api=True, json=payload)
        if response is not None and response.status_code == 201:
            self.run.tally.ack(Ack("subscription", f"{self.user['id']}:{work}"))

    def posted(self, ack: Ack, chapter: int | None) -> None:
        assert ack.object_id is not None
        self.run.tally.ack(ack)
        self.mine.append(ack.object_id)
        self.run.targets.add(ack.object_id, chapter)

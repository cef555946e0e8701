"""Many machines, one archive: three app nodes on one PostgreSQL and one Redis, and a task worker
of its own, run as the README's "Running it as a cluster" says.

Each node is `ficarchive serve` with a data folder of its own (its own search snapshot, static
files and logs: a machine), all sharing `DATABASE_URL`, `REDIS_URL` and `SECRET_KEY`, with no
task worker beside them (`FICARCHIVE_WORKER=0`); the worker (`ficarchive db_worker`) runs on a
data folder of its own too. The nodes are reached directly, as a reverse proxy reaches them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.moderation.test_real_server import shell
from tests.serving import Browser, empty_redis, redis_db, server_errors, serving
from tests.tools import tool_missing

pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
    ),
    pytest.mark.xdist_group("cluster"),  # one cluster, its tests in order (make test: loadgroup)
]
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
SHOWS_WITHIN = 10.0  # seconds a test waits for what should show at once (measured: bench)


@dataclass
class Cluster:
    env: dict[str, str]  # what every node and the worker share
    nodes: dict[str, Browser]
    folders: dict[str, Path]
    key: str  # an API token of the author, "wren"
    reader_key: str  # an API token of a reader, "finch"


def api(base: str, key: str, method: str, path: str, body: object = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + "/api/v1" + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


def new_work(title: str) -> dict[str, object]:
    return {
        "title": title,
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Original Work"],
        "freeforms": ["Lighthouses"],
        "chapter": {"body": f"<p>{title}: the lamp turned all night.</p>"},
    }


def until(check, what: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds until CHECK() is true, failing after SHOWS_WITHIN."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > SHOWS_WITHIN:
            raise AssertionError(f"{what}: not within {SHOWS_WITHIN} s")
        time.sleep(0.05)
    return time.monotonic() - started


def found_titles(node: Browser, key: str, text: str) -> list[str]:
    status, body = api(node.base, key, "GET", f"/works?q={quote(text)}")
    assert status == 200, body
    return [work["title"] for work in body["works"]]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    import psycopg

    name = f"ficarchive_cluster_{os.getpid()}"
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        tool_missing("PostgreSQL is not reachable on 127.0.0.1:5432")
    number = redis_db(1)
    empty_redis(number)
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{number}",
        "SECRET_KEY": "one-secret-key-for-every-node-of-the-cluster-0123456789",
        "FICARCHIVE_WORKER": "0",
        # The address readers use, the proxy's: links, feeds and downloads are made from it,
        # the same on every node (a node's own address would make each a file of its own).
        "SITE_URL": "https://archive.example.org",
        "WEB_CONCURRENCY": "2",
        "WEB_THREADS": "2",
        # The write load comments fast from one account, past the comment and API limits.
        "FICARCHIVE_COMMENT_LIMIT": "100000",
        "FICARCHIVE_API_RATE_LIMIT_USER": "100000",
    }
    folders = {node: tmp_path_factory.mktemp(f"node-{node}") for node in "abc"}
    folders["worker"] = tmp_path_factory.mktemp("worker")
    with ExitStack() as stack:
        nodes = {"a": stack.enter_context(serving(folders["a"], **env, FICARCHIVE_DEMO="1"))}
        for node in "bc":  # the archive is set up: the others find it so
            nodes[node] = stack.enter_context(serving(folders[node], **env, FICARCHIVE_DEMO="1"))
        worker = start_worker(folders["worker"], env)
        stack.callback(stop, worker)
        key, reader_key = two_accounts(folders["a"], env)
        yield Cluster(env, nodes, folders, key, reader_key)
    for node in "abc":
        assert not server_errors(folders[node]), server_errors(folders[node])
    empty_redis(number)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def two_accounts(data: Path, env: dict[str, str]) -> tuple[str, str]:
    """Make the author "wren" and the reader "finch" in the cluster's database; their API
    tokens (write scope)."""
    made = shell(
        data,
        env,
        "wren = create_user('wren', 'wren@example.org', 'a long pass phrase 77')\n"
        "finch = create_user('finch', 'finch@example.org', 'a long pass phrase 78')\n"
        "print(create_access_token(wren, 'cli', 'write')[1],"
        " create_access_token(finch, 'cli', 'write')[1])\n",
    )
    key, reader_key = made.split()
    return key, reader_key


def start_worker(data: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    environment = {**os.environ, **env, "FICARCHIVE_DATA": str(data)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    log = (data / "worker.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "ficarchive.cli", "db_worker", "--queue-name", "*"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def test_every_node_found_the_archive_the_first_one_set_up(cluster: Cluster) -> None:
    front = {name: re.findall(r'href="(/works/\d+)"', node.get("/").text)
             for name, node in cluster.nodes.items()}  # fmt: skip
    assert front["a"] and front["a"] == front["b"] == front["c"], "one archive, loaded once"
    for folder in (cluster.folders[node] for node in "bc"):
        assert "Loaded the demo archive" not in (folder / "server.log").read_text()
        assert not (folder / "first-admin.txt").exists(), "one admin, made by the first node"


def test_a_session_made_on_one_node_works_on_the_others(cluster: Cluster) -> None:
    password = (cluster.folders["a"] / "first-admin.txt").read_text().split("password: ")[1]
    reader = Browser(cluster.nodes["a"].base)
    reader.get("/login")
    signed_in = reader.post("/login", {"username": "admin", "password": password.strip()})
    assert signed_in.status == 302, signed_in.text[:500]
    for node in "abc":
        there = Browser(cluster.nodes[node].base, cookies=dict(reader.cookies))
        inbox = there.get("/inbox")
        assert inbox.status == 200, f"node {node} does not know the session"
        assert "admin" in inbox.text
    assert Browser(cluster.nodes["b"].base).get("/inbox").status == 302, "guests log in first"


def test_writes_through_one_node_show_on_the_others(cluster: Cluster) -> None:
    a, b, c = (cluster.nodes[node].base for node in "abc")
    status, work = api(a, cluster.key, "POST", "/works", new_work("Keeper of Skerryvore"))
    assert status == 201, work
    for node in "bc":
        until(
            lambda n=node: (
                found_titles(cluster.nodes[n], cluster.key, "Skerryvore")
                == ["Keeper of Skerryvore"]
            ),
            f"the work posted through a, in search on {node}",
        )
    status, edited = api(b, cluster.key, "PATCH", f"/works/{work['id']}",
                         {"title": "Keeper of Bell Rock"})  # fmt: skip
    assert status == 200, edited
    for node in "ac":
        until(
            lambda n=node: (
                found_titles(cluster.nodes[n], cluster.key, "Bell Rock") == ["Keeper of Bell Rock"]
                and found_titles(cluster.nodes[n], cluster.key, "Skerryvore") == []
            ),
            f"the title edited through b, in search on {node}",
        )
    status, kudos = api(c, cluster.reader_key, "POST", f"/works/{work['id']}/kudos")
    assert status == 201, kudos
    for node in "ab":
        until(
            lambda n=node: api(cluster.nodes[n].base, cluster.key, "GET",
                               "/works?q=Bell+Rock")[1]["works"][0]["stats"]["kudos"] == 1,
            f"the kudos given through c, counted on {node}",
        )  # fmt: skip


def test_the_worker_beside_no_node_runs_the_upkeep_and_delivers_updates(cluster: Cluster) -> None:
    a, b = cluster.nodes["a"].base, cluster.nodes["b"].base
    status, _ = api(b, cluster.reader_key, "POST", "/me/subscriptions", {"username": "wren"})
    assert status == 201
    status, _ = api(a, cluster.key, "POST", "/works", new_work("The Flannan Isles"))
    assert status == 201

    def told() -> bool:
        status, inbox = api(b, cluster.reader_key, "GET", "/me/inbox")
        return status == 200 and "The Flannan Isles" in json.dumps(inbox)

    started = time.monotonic()
    while not told():  # the worker polls its queue: seconds, not a request's wait
        assert time.monotonic() - started < 60, "the worker did not deliver the update"
        time.sleep(0.2)
    for node in cluster.nodes.values():
        deadline = time.monotonic() + 90  # the clock queues the upkeep once a minute
        while (health := node.get("/healthz")).status != 200:
            assert time.monotonic() < deadline, health.text
            time.sleep(1)


def download(base: str, path: str, **headers: str) -> tuple[int, str, bytes]:
    """Status, ETag and body of a GET of a binary file, through the proxy (which names the
    archive's public host, as nginx's `proxy_set_header Host $host` does)."""
    sent = {"Host": "archive.example.org", **headers}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(base + path, headers=sent), timeout=60
        ) as reply:
            return reply.status, reply.headers["ETag"], reply.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers["ETag"], answer.read()


def test_a_download_is_the_same_file_on_every_node(cluster: Cluster) -> None:
    status, work = api(cluster.nodes["a"].base, cluster.key, "POST", "/works",
                       new_work("Muckle Flugga"))  # fmt: skip
    assert status == 201
    address = f"/downloads/works/{work['id']}.epub"
    answers = {name: download(node.base, address) for name, node in cluster.nodes.items()}
    assert {status for status, _, _ in answers.values()} == {200}
    assert len({body for _, _, body in answers.values()}) == 1, "one file, cached once"
    tags = {etag for _, etag, _ in answers.values()}
    assert len(tags) == 1 and None not in tags, tags
    (etag,) = tags
    for node in cluster.nodes.values():
        assert download(node.base, address, **{"If-None-Match": etag})[0] == 304


def kill_node(browser: Browser) -> None:
    """Kill a node at once, its server and every process it started (a machine going down)."""
    assert browser.process is not None
    os.killpg(browser.process.pid, signal.SIGKILL)
    browser.process.wait()


def test_a_node_killed_under_write_load_loses_no_acknowledged_write(
    cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> None:
    status, work = api(cluster.nodes["a"].base, cluster.key, "POST", "/works",
                       new_work("Eilean Glas"))  # fmt: skip
    assert status == 201
    comments = f"/works/{work['id']}/comments"
    acknowledged: list[tuple[str, int]] = []
    failed: list[str] = []
    lock = threading.Lock()
    stop_writing = threading.Event()

    def writer(node: str, author_key: str) -> None:
        number = 0
        while not stop_writing.is_set():
            number += 1
            text = f"Comment {number} through {node}: the light is lit."
            try:
                status, body = api(cluster.nodes[node].base, author_key, "POST", comments,
                                   {"text": text})  # fmt: skip
            except OSError as gone:
                with lock:
                    failed.append(f"{node}: {gone}")
                time.sleep(0.05)
                continue
            with lock:
                if status == 201:
                    acknowledged.append((node, body["id"]))
                else:
                    failed.append(f"{node}: {status}")

    writers = [threading.Thread(target=writer, args=(node, cluster.key)) for node in "abc"]
    for thread in writers:
        thread.start()
    time.sleep(3)
    kill_node(cluster.nodes["b"])
    time.sleep(3)
    stop_writing.set()
    for thread in writers:
        thread.join(timeout=120)
    from_b = [i for node, i in acknowledged if node == "b"]
    assert from_b and len(acknowledged) > len(from_b), "every node took writes before the kill"
    assert any(failure.startswith("b:") for failure in failed), "b went down during the load"
    assert not [f for f in failed if not f.startswith("b:")], failed

    ids = sorted(i for _, i in acknowledged)
    kept = shell(
        cluster.folders["c"],
        cluster.env,
        "from ficarchive.social.models import Comment\n"
        f"print(Comment.objects.filter(id__in={ids}).count())\n",
    )
    assert kept == str(len(ids)), "an acknowledged comment was lost"
    status, on_a = api(cluster.nodes["a"].base, cluster.key, "GET", f"/works/{work['id']}")
    assert status == 200 and on_a["stats"]["comments"] > 0

    # A node started later (a new machine, no snapshot of its own) catches up and serves.
    late = tmp_path_factory.mktemp("node-d")
    with serving(late, **cluster.env) as d:
        assert found_titles(d, cluster.key, "Eilean Glas") == ["Eilean Glas"]
        status, listed = api(d.base, cluster.key, "GET", f"/works/{work['id']}")
        assert status == 200
        for count in ("comments", "kudos", "bookmarks"):
            assert listed["stats"][count] == on_a["stats"][count], f"{count} as a counts them"
    assert not server_errors(late), server_errors(late)

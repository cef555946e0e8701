"""Import memory: how much one import raises a process's peak memory, for every accepted format
up to the size limit, now and before (the target: under 100 MB above idle for any file).

    python bench/bench_import_memory.py [--before REV] [--cases NAME,NAME]

Each measurement runs in a fresh process: Django is set up, a small file of the same format is
imported once (so every library is loaded: that is idle), the peak resident set (VmHWM) is
reset, then the file is imported once and the new peak is compared with the idle resident set.
Two ways in, as users meet them:
- `upload`: the import page, through Django's WSGI handler as a server calls it, with the
  multipart body made before idle is taken (a client's bytes are not the server's memory): the
  file streams in, is read, inferred and previewed.
- `command`: `ficarchive import FILE --as USER`, which also posts the work.
With --before REV (e.g. the commit before a change), the same processes run that revision's
code from a temporary git worktree, and both figures go to bench/results/import_memory.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "import_memory.json"
TARGET_MB = 100
MB = 1024 * 1024

WORDS = [
    *("the", "tide", "came", "in", "over", "glass", "orchard", "and", "bells", "rang"),
    *("under", "water", "while", "she", "counted", "barrels", "twice", "once", "for", "him"),
    *("herself", "somewhere", "below", "a", "boat", "knocked", "against", "quay", "like"),
    *("patient", "visitor", "lamplighter", "climbed", "ladder", "fog", "rolled", "off"),
]


def _prose(size: int, seed: int) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
        sentence = sentence.capitalize() + ". "
        parts.append(sentence)
        total += len(sentence)
    return "".join(parts)[:size]


def _paragraphs(size: int, seed: int) -> list[str]:
    text = _prose(size, seed)
    return [text[i : i + 900].strip() for i in range(0, len(text), 900)]


def make_one_line(size: int) -> bytes:
    return _prose(size, 1).encode()


def make_one_word(size: int) -> bytes:
    return b"a" * size


def make_lines(size: int) -> bytes:
    paragraphs = _paragraphs(size - 2000, 2)
    chapters = []
    per = max(len(paragraphs) // 40, 1)
    for number in range(0, len(paragraphs), per):
        body = "\n\n".join(paragraphs[number : number + per])
        chapters.append(f"Chapter {number // per + 1}\n\n{body}")
    return ("The Glass Orchard\nby Bench Writer\n\n" + "\n\n".join(chapters)).encode()[:size]


def _chapters_html(size: int, seed: int, count: int = 40) -> list[str]:
    paragraphs = _paragraphs(size, seed)
    per = max(len(paragraphs) // count, 1)
    return [
        "".join(f"<p>{p}</p>" for p in paragraphs[i : i + per])
        for i in range(0, len(paragraphs), per)
    ]


def make_html(size: int) -> bytes:
    chapters = _chapters_html(size - 4000, 3)
    body = "".join(f"<h2>Chapter {n}</h2>{c}" for n, c in enumerate(chapters, start=1))
    page = f"<html><head><title>The Glass Orchard</title></head><body>{body}</body></html>"
    return page.encode()


def make_epub(size: int) -> bytes:
    from tests.importing.conftest import build_epub

    chapters = _chapters_html(size, 4)
    return build_epub([(f"Chapter {n}", c) for n, c in enumerate(chapters, start=1)])


def make_docx(size: int) -> bytes:
    from tests.importing.conftest import build_docx

    paragraphs: list[tuple[str, str]] = []
    for number, chapter in enumerate(_chapters_html(size, 5, count=20), start=1):
        paragraphs.append(("Heading1", f"Chapter {number}"))
        paragraphs.extend(("", p) for p in chapter.replace("</p>", "").split("<p>") if p)
    return build_docx(paragraphs)


def make_zip(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(5):
            archive.writestr(f"story-{number + 1}.txt", make_lines(size // 5))
    return buffer.getvalue()


# name: (file name, maker, size of the text it holds)
NEAR = 8 * MB - 200_000  # near FICARCHIVE_MAX_UPLOAD_BYTES, 8 MB by default
CASES: dict[str, tuple[str, Any, int]] = {
    "txt one line, 16 MB (over the limit)": ("one-line-16.txt", make_one_line, 16 * MB),
    "txt one line, 7.8 MB": ("one-line.txt", make_one_line, NEAR),
    "txt one word, 7.8 MB": ("one-word.txt", make_one_word, NEAR),
    "txt many lines, 7.8 MB": ("lines.txt", make_lines, NEAR),
    "html, 7.8 MB": ("story.html", make_html, NEAR),
    "epub, 7.8 MB of text": ("story.epub", make_epub, NEAR),
    "docx, 2.5 MB of text": ("story.docx", make_docx, 5 * MB // 2),
    "docx, 7.8 MB of text": ("big.docx", make_docx, NEAR),
    "zip of 5 texts, 7.8 MB of text": ("stories.zip", make_zip, NEAR),
}
WARM_UP = {
    ".txt": make_lines,
    ".html": make_html,
    ".epub": make_epub,
    ".docx": make_docx,
    ".zip": make_zip,
}


# --- the measured process ----------------------------------------------------------------


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS
        return True
    except OSError:
        return False


def _upload_request(name: str, data: bytes) -> tuple[dict[str, Any], int]:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_file

    lines = encode_file(BOUNDARY, "upload", _Named(name, data))
    body = b"\r\n".join([*lines, f"--{BOUNDARY}--".encode(), b""])
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/works/import",
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
    }
    return environ, len(body)


class _Named(io.BytesIO):
    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name = name


def _login(environ: dict[str, Any]) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username="bench")
    client = Client()
    client.force_login(user)
    environ["HTTP_COOKIE"] = f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}"


def _loadable_middleware() -> None:
    """At an older revision, leave out middleware and upload handlers whose module that
    revision lacks (its settings may name modules committed after it)."""
    import importlib

    from django.conf import settings

    def loadable(path: str) -> bool:
        try:
            importlib.import_module(path.rsplit(".", 1)[0])
        except ImportError:
            return False
        return True

    settings.MIDDLEWARE = [p for p in settings.MIDDLEWARE if loadable(p)]
    settings.FILE_UPLOAD_HANDLERS = [p for p in settings.FILE_UPLOAD_HANDLERS if loadable(p)]


def _upload(environ: dict[str, Any]) -> str:
    from django.test.client import ClientHandler

    # Django's WSGI handler as the test client drives it (without the CSRF token a browser has).
    response: Any = ClientHandler(enforce_csrf_checks=False)(environ)
    return f"{response.status_code}, page of {len(response.content):,} bytes"


def _command(path: Path) -> str:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), "--as", "bench", stdout=out, stderr=err)
    return (out.getvalue() + err.getvalue()).strip().splitlines()[-1]


def child(mode: str, path: Path) -> dict[str, Any]:
    import django

    django.setup()
    _loadable_middleware()
    warm = path.with_name("warm-up" + path.suffix)
    data = path.read_bytes()
    if mode == "upload":
        environ, _ = _upload_request(warm.name, warm.read_bytes())
        _login(environ)
        _upload(environ)
        environ, _ = _upload_request(path.name, data)
        _login(environ)
    else:
        _command(warm)
    del data
    idle = _status("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    outcome = _upload(environ) if mode == "upload" else _command(path)
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    return {
        "idle_mb": round(idle, 1),
        "peak_mb": round(peak, 1),
        "above_idle_mb": round(peak - idle, 1),
        "seconds": round(seconds, 1),
        "outcome": outcome,
        "peak_reset": reset,
    }


# --- the runner --------------------------------------------------------------------------


def _prepare(folder: Path, cases: list[str]) -> dict[str, Path]:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    os.environ.setdefault("FICARCHIVE_DATA", str(folder))
    django.setup()  # the EPUB and DOCX makers are the tests' own
    files = {}
    for case in cases:
        name, make, size = CASES[case]
        path = folder / name
        if not path.exists():
            path.write_bytes(make(size))
        warm = folder / ("warm-up" + path.suffix)
        if not warm.exists():
            warm.write_bytes(WARM_UP[path.suffix](40_000))
        files[case] = path
    return files


def _database(source: Path) -> Path:
    data = Path(tempfile.mkdtemp(prefix="ficarchive-bench-memory-"))
    env = _env(source, data)
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); "
        "from ficarchive.accounts.actions import create_user; "
        "create_user('bench', 'bench@example.org', 'bench-password-1')"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)
    return data


def _env(source: Path, data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=f"{source / 'src'}{os.pathsep}{ROOT}",
        FICARCHIVE_DATA=str(data),
        DJANGO_SETTINGS_MODULE="ficarchive.settings",
        FICARCHIVE_STATIC_MANIFEST="0",
        FICARCHIVE_DEMO="0",
    )
    env.pop("DATABASE_URL", None)
    return env


def measure(source: Path, files: dict[str, Path], modes: list[str]) -> dict[str, Any]:
    template = _database(source)
    results: dict[str, Any] = {}
    for case, path in files.items():
        results[case] = {}
        for mode in modes:
            data = Path(tempfile.mkdtemp(prefix="ficarchive-bench-memory-"))
            shutil.copytree(template, data, dirs_exist_ok=True)
            run = subprocess.run(
                [sys.executable, __file__, "--child", mode, str(path)],
                env=_env(source, data),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=1800,
            )
            shutil.rmtree(data, ignore_errors=True)
            if run.returncode != 0:
                results[case][mode] = {"error": run.stderr.strip().splitlines()[-1:]}
            else:
                results[case][mode] = json.loads(run.stdout.strip().splitlines()[-1])
            print(case, mode, results[case][mode], flush=True)
    shutil.rmtree(template, ignore_errors=True)
    return results


def _worktree(revision: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="ficarchive-before-"))
    subprocess.run(
        ["git", "worktree", "add", "--detach", "-f", str(folder), revision],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"))
    parser.add_argument("--before", metavar="REV", help="also measure this revision")
    parser.add_argument("--cases", help="case names separated by ';' (default: all)")
    parser.add_argument("--modes", default="upload,command")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    cases = args.cases.split(";") if args.cases else list(CASES)
    modes = args.modes.split(",")
    folder = Path(tempfile.mkdtemp(prefix="ficarchive-bench-files-"))
    files = _prepare(folder, cases)
    report: dict[str, Any] = {
        "what": "peak resident memory of one import above the idle process (MB), fresh process",
        "target_mb": TARGET_MB,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "files": {case: {"name": p.name, "bytes": p.stat().st_size} for case, p in files.items()},
        "after": measure(ROOT, files, modes),
    }
    if args.before:
        tree = _worktree(args.before)
        try:
            report["before"] = {"revision": args.before, **measure(tree, files, modes)}
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT)
    worst = max(
        (
            r["above_idle_mb"]
            for c in report["after"].values()
            for r in c.values()
            if "error" not in r
        ),
        default=0,
    )
    report["worst_after_mb"] = worst
    report["under_target"] = worst < TARGET_MB
    shutil.rmtree(folder, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"worst after: {worst} MB above idle (target {TARGET_MB}); {RESULTS}")


if __name__ == "__main__":
    main()

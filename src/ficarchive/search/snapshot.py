"""One search index per machine: the built index in one file that every process on it maps.

The file holds a header (what the index was built from and how current it is), the index's
small part pickled (bitmaps, dictionaries) and its numpy arrays, which pickle protocol 5 leaves
out of band, each written at an aligned offset. A process maps the file copy-on-write
(`MAP_PRIVATE`) and unpickles the index with its arrays over the mapping, without copying
them: the arrays are the file's pages, which the operating system keeps once for every process
that maps them. When a process changes a value (a change-log row it applies), that page alone
becomes its own.

A snapshot is used only by the database it was built from (`database_key`), by the same code
(`CODE_STAMP`), and while the change log still holds every row after it: the log keeps an hour
(`search.actions.KEEP_CHANGES`), so a snapshot is good for `MAX_SILENCE` (50 minutes) after the
moment it was last current. A process that maps one then reads the log from the snapshot's last
row, as a process that built its own index would.

Writes go to a temporary file in the same folder, then `os.replace`: a process maps the old file
or the new one, never a half-written one, and one that mapped the old one keeps it until it lets
go of that index. Builds on a machine take turns (`build_lock`, an advisory file lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import mmap
import os
import pickle
import struct
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection

from ficarchive.search.following import MAX_SILENCE

if TYPE_CHECKING:
    from ficarchive.search.engine import Index

MAGIC = b"FICINDEX"
FORMAT = 1
FILE_NAME = "index.snapshot"
LOCK_NAME = "build.lock"
_LENGTH = struct.Struct("<Q")
_SMALL = 1 << 16  # arrays under this many bytes are aligned to 64 bytes, larger ones to a page


@dataclass(frozen=True)
class Identity:
    """Which file a process mapped: a new snapshot is a new file (inode) and modification time."""

    inode: int
    mtime_ns: int


@dataclass(frozen=True)
class Origin:
    """Where a loaded index came from."""

    identity: Identity
    current_at: float  # wall-clock time when the snapshot had read the whole change log
    last_change: int
    bytes: int


def folder() -> Path:
    return Path(settings.SEARCH_SNAPSHOT_DIR)


def path() -> Path:
    return folder() / FILE_NAME


def _code_stamp() -> str:
    """A digest of the search package's source: a snapshot pickled by other code is not read."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


CODE_STAMP = _code_stamp()


def database_key() -> str | None:
    """What names this database and no other, also after it is dropped and made again under the
    same name (SQLite: the file's device and inode; PostgreSQL: the database's oid); None for a
    database in memory, whose index cannot be shared."""
    settings_dict = connection.settings_dict
    name = str(settings_dict["NAME"] or "")
    if connection.vendor == "sqlite":
        if not name or name.startswith(":memory:") or "mode=memory" in name:
            return None
        try:
            found = os.stat(name)
        except OSError:
            return None
        return f"sqlite:{os.path.realpath(name)}:{found.st_dev}:{found.st_ino}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            (oid,) = cursor.fetchone()
        host, port = settings_dict.get("HOST") or "", settings_dict.get("PORT") or ""
        return f"postgresql:{host}:{port}:{name}:{oid}"
    return None


def _round_up(offset: int, step: int) -> int:
    return -(-offset // step) * step


def _aligned(offset: int, size: int) -> int:
    """Where an array of SIZE bytes goes at or after OFFSET (the data start is page-aligned)."""
    return _round_up(offset, 64 if size < _SMALL else mmap.PAGESIZE)


def identity(target: Path | None = None) -> Identity | None:
    """The snapshot file now on disk, or None."""
    try:
        found = os.stat(target or path())
    except OSError:
        return None
    return Identity(found.st_ino, found.st_mtime_ns)


def write(index: Index) -> Path | None:
    """Write INDEX as this machine's snapshot (replacing the one there) and return its path;
    None when this database's index cannot be shared. Holds the index's lock meanwhile: the
    arrays are written as they are, not copied first."""
    key = database_key()
    if key is None:
        return None
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    buffers: list[pickle.PickleBuffer] = []
    with index.lock:
        pickled = pickle.dumps(index, protocol=5, buffer_callback=buffers.append)
        raws = [buffer.raw() for buffer in buffers]
        layout, end = [], len(pickled)
        for raw in raws:
            start = _aligned(end, raw.nbytes)
            layout.append((start, raw.nbytes))
            end = start + raw.nbytes
        header = json.dumps(
            {
                "format": FORMAT,
                "code": CODE_STAMP,
                "database": key,
                "last_change": index.last_change,
                "current_at": index.current_at,
                "works": len(index.live),
                "pickle": len(pickled),
                "buffers": layout,
                "size": end,
            }
        ).encode()
        data_start = _round_up(len(MAGIC) + _LENGTH.size + len(header), mmap.PAGESIZE)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".index-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + _LENGTH.pack(len(header)) + header)
                out.seek(data_start)
                out.write(pickled)
                for (start, _), raw in zip(layout, raws, strict=True):
                    out.seek(data_start + start)
                    out.write(raw)
                out.truncate(data_start + end)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    return target


def _read_header(handle: int) -> tuple[dict[str, Any], int] | None:
    start = os.pread(handle, len(MAGIC) + _LENGTH.size, 0)
    if len(start) < len(MAGIC) + _LENGTH.size or not start.startswith(MAGIC):
        return None
    (length,) = _LENGTH.unpack_from(start, len(MAGIC))
    if length > 1 << 24:
        return None
    raw = os.pread(handle, length, len(start))
    try:
        header = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(header, dict):
        return None
    return header, _round_up(len(MAGIC) + _LENGTH.size + length, mmap.PAGESIZE)


def usable(header: dict[str, Any], key: str | None) -> bool:
    """Whether a snapshot with HEADER may serve this process now."""
    return (
        key is not None
        and header.get("format") == FORMAT
        and header.get("code") == CODE_STAMP
        and header.get("database") == key
        and isinstance(header.get("current_at"), int | float)
        and 0 <= time.time() - header["current_at"] < MAX_SILENCE
    )


def load() -> Index | None:
    """This machine's snapshot as an index over its mapped file, or None when there is none
    this process may use: missing, written by other code, of another database, older than the
    change log keeps, or cut short."""
    key = database_key()
    target = path()
    try:
        handle = os.open(target, os.O_RDONLY)
    except OSError:
        return None
    try:
        found = os.fstat(handle)
        read = _read_header(handle)
        if read is None or not usable(read[0], key):
            return None
        header, data_start = read
        if found.st_size < data_start + header["size"]:
            return None
        mapped = mmap.mmap(handle, 0, access=mmap.ACCESS_COPY)
    finally:
        os.close(handle)
    view = memoryview(mapped)
    buffers = [view[data_start + start : data_start + start + n] for start, n in header["buffers"]]
    index: Index = pickle.loads(  # noqa: S301 (our own file, in our own data folder)
        view[data_start : data_start + header["pickle"]], buffers=buffers
    )
    index.origin = Origin(
        Identity(found.st_ino, found.st_mtime_ns),
        header["current_at"],
        header["last_change"],
        found.st_size,
    )
    return index


def discard() -> None:
    """Remove this machine's snapshot (the archive was changed behind the change log's back)."""
    with contextlib.suppress(FileNotFoundError):
        path().unlink()


@contextlib.contextmanager
def build_lock(*, wait: bool = True) -> Iterator[bool]:
    """The machine's turn to build: yields True once this process holds it, or False at once
    when WAIT is false and another process holds it."""
    folder().mkdir(parents=True, exist_ok=True)
    with open(folder() / LOCK_NAME, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)

"""The backup file itself: one tar (gzip-compressed if its name ends in .gz) holding the
database copy, the uploads under `media/`, the secret key, and `manifest.json` last, which
records the size and SHA-256 of every other member.

Reading checks that the file is a tar, that it has our manifest, that it holds exactly the
files the manifest lists under names that stay inside the target folder, and each file's
checksum as it is extracted.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import time
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ficarchive.backups.manifest import (
    MANIFEST,
    MEDIA_PREFIX,
    SECRET_KEY_FILE,
    BackupError,
    FileEntry,
    Manifest,
)

CHUNK = 1024 * 1024
# What reading a damaged or foreign file can raise.
DAMAGE = (tarfile.TarError, OSError, EOFError, zlib.error)


class _Hashing:
    """A file read through once, hashed on the way."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def writing_mode(path: Path) -> Any:
    return "w:gz" if path.name.endswith((".gz", ".tgz")) else "w"


def add_file(tar: tarfile.TarFile, name: str, path: Path) -> FileEntry:
    """Add the file at PATH as NAME; its size is taken when it is opened."""
    with path.open("rb") as file:
        status = os.fstat(file.fileno())
        info = tarfile.TarInfo(name)
        info.size = status.st_size
        info.mtime = int(status.st_mtime)
        info.mode = 0o600
        reader = _Hashing(file)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return FileEntry(status.st_size, reader.digest.hexdigest())


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> FileEntry:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))
    return FileEntry(len(data), hashlib.sha256(data).hexdigest())


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        return False
    return name == SECRET_KEY_FILE or name.startswith(MEDIA_PREFIX) or "/" not in name


class BackupFile:
    """An opened backup whose manifest and list of files have been checked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = str(path)
        if not path.exists():
            raise BackupError(f"{path} does not exist.")
        if path.is_dir():
            raise BackupError(
                f"{path} is a folder; give the backup file made by ficarchive backup."
            )
        try:
            self.tar = tarfile.open(path, "r:*")  # noqa: SIM115 (closed by close())
            members = self.tar.getmembers()
        except DAMAGE as exc:
            raise BackupError(
                f"{path} is not a ficarchive backup, or it is damaged or incomplete "
                "(not a readable tar file)."
            ) from exc
        self.members = {member.name: member for member in members}
        manifest_member = self.members.get(MANIFEST)
        if manifest_member is None:
            raise BackupError(
                f"{path} is not a ficarchive backup, or it is incomplete (it has no {MANIFEST})."
            )
        self.manifest = Manifest.from_json(self._read(manifest_member), self.label)
        self._check_members()

    def _read(self, member: tarfile.TarInfo) -> bytes:
        try:
            file = self.tar.extractfile(member)
            if file is None:
                raise tarfile.ReadError("not a regular file")
            return file.read()
        except DAMAGE as exc:
            raise BackupError(f"{self.path} is damaged: {member.name} cannot be read.") from exc

    def _check_members(self) -> None:
        listed = set(self.manifest.files)
        present = set(self.members) - {MANIFEST}
        for name in sorted(listed | present):
            if not _safe_name(name):
                raise BackupError(f"{self.path} names a file outside the data folder: {name}.")
            member = self.members.get(name)
            if member is None:
                raise BackupError(f"{self.path} is incomplete: {name} is missing.")
            if name not in listed or not member.isfile():
                raise BackupError(f"{self.path} holds {name}, which its manifest does not list.")
        if self.manifest.database_file not in listed or SECRET_KEY_FILE not in listed:
            raise BackupError(f"{self.path} is incomplete: it lacks the database or the key.")

    def extract(self, name: str, target: Path) -> None:
        """Write member NAME to TARGET, checking its size and checksum against the manifest."""
        entry = self.manifest.files[name]
        digest = hashlib.sha256()
        size = 0
        try:
            source = self.tar.extractfile(self.members[name])
            if source is None:
                raise tarfile.ReadError("not a regular file")
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except DAMAGE as exc:
            raise BackupError(f"{self.path} is damaged: {name} cannot be read.") from exc
        if size != entry.size or digest.hexdigest() != entry.sha256:
            raise BackupError(
                f"{self.path} is damaged: {name} does not match the checksum in its manifest."
            )

    def read_bytes(self, name: str) -> bytes:
        data = self._read(self.members[name])
        entry = self.manifest.files[name]
        if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
            raise BackupError(
                f"{self.path} is damaged: {name} does not match the checksum in its manifest."
            )
        return data

    def close(self) -> None:
        self.tar.close()

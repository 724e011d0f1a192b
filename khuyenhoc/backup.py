"""A backup of the whole site (database and uploaded files) in one folder, and its restore.

A backup folder holds the database (a copy made through SQLite's backup API, safe while the
site runs, or a pg_dump archive), one archive of the uploaded files (public media and the
private import files) and a manifest listing both with their checksums. The folder is written
under a temporary name and renamed at the end, so a backup that stopped half-way is never
taken for a complete one; restore checks the manifest before it touches anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
FORMAT = 1
# Names of the two file trees inside the media archive.
PUBLIC, PRIVATE = "media", "private"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person running it."""


@dataclass(frozen=True)
class Manifest:
    folder: Path
    engine: str
    created_at: str
    files: dict[str, dict[str, Any]]

    @property
    def database_file(self) -> Path:
        return self.folder / (SQLITE_FILE if self.engine == "sqlite" else POSTGRES_FILE)


def default_root() -> Path:
    return Path(settings.BACKUP_DIR)


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Chưa hỗ trợ sao lưu CSDL loại “%(vendor)s”.") % {"vendor": vendor})
    return vendor


def _media_roots() -> dict[str, Path]:
    private = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (
        Path(settings.MEDIA_ROOT).parent / "private"
    )
    return {PUBLIC: Path(settings.MEDIA_ROOT), PRIVATE: Path(private)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- PostgreSQL through its own tools ---------------------------------------------------------


def _pg_command(program: str, alias: str) -> tuple[list[str], dict[str, str]]:
    """The program with the connection options of `alias` (from DATABASE_URL)."""
    found = shutil.which(program)
    if found is None:
        raise BackupError(
            _("Không tìm thấy chương trình %(program)s: hãy cài gói postgresql-client.")
            % {"program": program}
        )
    params = connections[alias].settings_dict
    command = [found, "--no-password"]
    if params.get("HOST"):
        command += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        command += ["--port", str(params["PORT"])]
    if params.get("USER"):
        command += ["--username", str(params["USER"])]
    environment = dict(os.environ)
    if params.get("PASSWORD"):
        # Through the environment, never on the command line where `ps` shows it.
        environment["PGPASSWORD"] = str(params["PASSWORD"])
    return command, environment


def _run(command: list[str], environment: dict[str, str], action: str) -> None:
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(
            _("%(action)s không thành công: %(detail)s")
            % {"action": action, "detail": finished.stderr.strip()[-2000:]}
        )


def _postgres_dump(target: Path, alias: str) -> None:
    command, environment = _pg_command("pg_dump", alias)
    name = str(connections[alias].settings_dict["NAME"])
    command += ["--format=custom", "--no-owner", "--no-privileges", "--file", str(target), name]
    _run(command, environment, _("Sao lưu CSDL"))


def _postgres_restore(source: Path, alias: str) -> None:
    command, environment = _pg_command("pg_restore", alias)
    name = str(connections[alias].settings_dict["NAME"])
    connections[alias].close()
    command += [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        name,
        str(source),
    ]
    _run(command, environment, _("Khôi phục CSDL"))


# --- SQLite through its backup API ------------------------------------------------------------


def _sqlite_connection(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError(_("Không sao lưu hoặc khôi phục được giữa một giao dịch CSDL."))
    return connection.connection


def _sqlite_dump(target: Path, alias: str) -> None:
    # The backup API copies a consistent snapshot page by page while others keep writing.
    destination = sqlite3.connect(target)
    try:
        _sqlite_connection(alias).backup(destination)
    finally:
        destination.close()


def _sqlite_restore(source: Path, alias: str) -> None:
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        origin.backup(_sqlite_connection(alias))
    finally:
        origin.close()


# --- the media archive ------------------------------------------------------------------------


def _media_archive(target: Path) -> None:
    with tarfile.open(target, "w:gz") as archive:
        for name, root in _media_roots().items():
            if root.is_dir():
                archive.add(root, arcname=name)


def _media_restore(source: Path) -> None:
    """Unpack beside each folder first, then swap, so a failed unpack leaves the old files."""
    roots = _media_roots()
    Path(settings.MEDIA_ROOT).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=Path(settings.MEDIA_ROOT).parent) as unpacked:
        with tarfile.open(source, "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the tree and devices.
            archive.extractall(unpacked, filter="data")
        for name, root in roots.items():
            restored = Path(unpacked) / name
            if root.exists():
                shutil.rmtree(root)
            if restored.is_dir():
                root.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(restored, root)
            else:
                root.mkdir(parents=True, exist_ok=True)


# --- the services -----------------------------------------------------------------------------


def backup_create(*, root: Path | None = None, alias: str = "default") -> Path:
    """Write a new backup folder under `root` (default BACKUP_DIR) and return its path."""
    engine = _engine(alias)
    root = Path(root or default_root())
    root.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = root / stamp
    counter = 1
    while folder.exists():
        counter += 1
        folder = root / f"{stamp}-{counter}"
    partial = root / f".{folder.name}.dang-ghi"
    partial.mkdir()
    try:
        database = partial / (SQLITE_FILE if engine == "sqlite" else POSTGRES_FILE)
        if engine == "sqlite":
            _sqlite_dump(database, alias)
        else:
            _postgres_dump(database, alias)
        _media_archive(partial / MEDIA_ARCHIVE)
        files = {
            path.name: {"size": path.stat().st_size, "sha256": _sha256(path)}
            for path in (database, partial / MEDIA_ARCHIVE)
        }
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def backup_read(folder: Path) -> Manifest:
    """The manifest of a complete backup folder; BackupError when anything is missing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupError(_("Không có thư mục sao lưu “%(path)s”.") % {"path": folder})
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        engine, created_at, files = data["engine"], data["created_at"], data["files"]
        if data.get("format") != FORMAT or not isinstance(files, dict):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(
            _("Thư mục “%(path)s” không phải một bản sao lưu đầy đủ (thiếu hoặc hỏng %(file)s).")
            % {"path": folder, "file": MANIFEST}
        ) from error
    manifest = Manifest(folder=folder, engine=engine, created_at=created_at, files=files)
    expected = {manifest.database_file.name, MEDIA_ARCHIVE}
    for name in sorted(expected):
        path = folder / name
        entry = files.get(name) or {}
        if (
            not path.is_file()
            or path.stat().st_size != entry.get("size")
            or _sha256(path) != entry.get("sha256")
        ):
            raise BackupError(
                _("Bản sao lưu “%(path)s” không đầy đủ: tệp %(file)s thiếu hoặc đã bị thay đổi.")
                % {"path": folder, "file": name}
            )
    return manifest


def backup_restore(*, folder: Path, alias: str = "default") -> Manifest:
    """Put the database and the uploaded files back as they were in the backup."""
    manifest = backup_read(folder)
    engine = _engine(alias)
    if manifest.engine != engine:
        raise BackupError(
            _(
                "Bản sao lưu này của CSDL %(backup)s, còn trang đang dùng CSDL %(current)s: "
                "không khôi phục được."
            )
            % {"backup": manifest.engine, "current": engine}
        )
    if engine == "sqlite":
        _sqlite_restore(manifest.database_file, alias)
    else:
        _postgres_restore(manifest.database_file, alias)
    _media_restore(folder / MEDIA_ARCHIVE)
    # Cached pages were made from the data that has just been replaced.
    caches["default"].clear()
    return manifest


def created_label(manifest: Manifest) -> str:
    try:
        moment = dt.datetime.fromisoformat(manifest.created_at)
    except ValueError:
        return manifest.created_at
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")

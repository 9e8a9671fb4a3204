"""Copies of the database: on demand, once a day, before a migration and before a restore.

Every copy is made with SQLite's online backup API (a consistent snapshot even while the
app has the file open) into a temporary file beside the target, checked with
`PRAGMA integrity_check`, and only then renamed into place, so a half-written copy never
replaces a good file. Automatic copies live in a `backups` folder beside the database,
named `<stem>-YYYYMMDD-HHMMSS-<reason>.db`; the newest `keep` of them are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import sqlite3
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from studyplan.model.errors import DatabaseError, ExportFileError
from studyplan.model.settings import BACKUPS_KEPT
from studyplan.store import settings
from studyplan.store.db import (
    DATABASE_MODE,
    FOLDER_MODE,
    Database,
    DetailedDatabaseError,
    database_file,
)

SQLITE_HEADER = b"SQLite format 3\x00"


REASONS = ("daily", "manual", "premigration", "prerestore")


_STAMP = "%Y%m%d-%H%M%S"


class DatabaseBusyError(DatabaseError):
    """Another program holds a write lock on the database for longer than the wait."""


class DiskFullError(ExportFileError):
    """The disk (or the user's quota) filled up while a copy was written; nothing was kept."""


@dataclass(frozen=True)
class BackupInfo:
    """One file in the backups folder."""

    path: Path
    taken_at: dt.datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return {
            "daily": "每日自动备份",
            "manual": "手动备份",
            "premigration": "升级前备份",
            "prerestore": "恢复前备份",
        }.get(self.reason, self.reason)


# -- helpers ---------------------------------------------------------------------------
def fsync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """The problems `PRAGMA integrity_check` reports; empty when the file is sound."""
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def _host_tag() -> str:
    """Six hex digits naming this machine, so a sweep never judges another host's process."""
    import hashlib  # here, not at the top: opening the database for the window needs neither
    import socket

    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # ERROR_ACCESS_DENIED: exists, not ours
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return bool(code.value == 259)  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def open_target(folder: Path, name: str) -> Path:
    """A temporary file beside the target, named `.<name>.<pid>@<host>-<random>.tmp`."""
    prefix = f".{name}.{os.getpid()}@{_host_tag()}-"
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportFileError(f"无法在该位置写入备份（{exc.strerror}）：{folder}") from exc
    os.close(fd)
    return Path(tmp_name)


def _usual_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def kept_mode(target: Path) -> int:
    """A replaced database keeps its permissions (it stays readable by whoever could read
    it); a new one is the owner's alone (DATABASE_MODE)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return DATABASE_MODE


def backup_mode(target: Path, database: Path | None) -> int:
    """A copy's permissions: a replaced file's own, a new one's the usual, but never wider
    than the database it copies (members' personal data stays as private as the database);
    its owner can always read and write it."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = _usual_mode()
    if database is not None:
        try:
            mode &= stat.S_IMODE(database.stat().st_mode) | 0o600
        except OSError:
            mode &= DATABASE_MODE
    return mode | 0o600


def snapshot_to(source: sqlite3.Connection, target: Path, mode: int) -> None:
    """Copy `source` into a temporary file beside `target`, check it, then rename it."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFileError(f"备份保存位置不存在：{folder}")
    if target.is_dir():
        raise ExportFileError(f"备份目标是一个文件夹，请给出文件名：{target}")
    tmp = open_target(folder, target.name)
    try:
        os.chmod(tmp, mode)
        copy = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            copy.execute("PRAGMA foreign_keys=ON")
            source.backup(copy)
            problems = integrity_problems(copy)
        finally:
            copy.close()
        if problems:
            raise DetailedDatabaseError(
                "备份副本校验未通过，没有保存备份；原数据库未做任何改动。", problems[0]
            )
        fsync(tmp)
        os.replace(tmp, target)
        _fsync_folder(folder)
    except PermissionError as exc:
        raise ExportFileError(f"没有写入权限，或目标文件正被其他程序打开：{target}") from exc
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusyError("数据库正被其他程序写入，暂时无法备份，请稍后重试。") from exc
        if "full" in str(exc):
            raise DiskFullError(f"磁盘空间不足，没有保存备份：{target}") from exc
        raise DetailedDatabaseError(f"备份失败，没有保存备份：{target}", exc) from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(f"磁盘空间不足，没有保存备份：{target}") from exc
        raise ExportFileError(f"写入备份失败（{exc.strerror or exc}）：{target}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def raw_connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=5.0, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def is_database_file(db: Database, path: str | Path) -> bool:
    """Whether `path` is the open database's own file, under any name (a symbolic or hard
    link included): writing there would replace the data the app is using."""
    main_file = db.conn.execute("PRAGMA database_list").fetchone()[2]
    return bool(main_file) and same_file(Path(main_file), Path(path))


# -- explicit backups ------------------------------------------------------------------
def backup_to(db: Database, target: str | Path) -> Path:
    """Write a checked copy of the open database to `target` (replacing a file there).

    The copy is a consistent snapshot even while the app has the database open.
    """
    target = Path(target)
    if is_database_file(db, target):
        raise ExportFileError(f"备份不能覆盖正在使用的数据库本身：{target}")
    snapshot_to(db.conn, target, backup_mode(target, database_file(db)))
    return target


# -- automatic backups -----------------------------------------------------------------
def backups_folder(db_path: str | Path) -> Path:
    """Where automatic backups of the database at `db_path` are kept."""
    return Path(db_path).parent / "backups"


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(db_path.stem)}-(\d{{8}}-\d{{6}})-([a-z]+)(?:-(\d+))?\.db$",
    )


def list_backups(db_path: str | Path) -> list[BackupInfo]:
    """The automatic backups of this database, newest first."""
    db_path = Path(db_path)
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    pattern = _name_pattern(db_path)
    found: list[tuple[dt.datetime, int, BackupInfo]] = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            taken_at = dt.datetime.strptime(match[1], _STAMP)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        serial = int(match[3] or 1)
        found.append((taken_at, serial, BackupInfo(entry, taken_at, match[2], size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


def latest_backup(db_path: str | Path) -> BackupInfo | None:
    backups = list_backups(db_path)
    return backups[0] if backups else None


def keep_setting_of(db_path: str | Path) -> int:
    """How many automatic backups the database file at `db_path` keeps, read without
    changing it; the default when there is no database yet or it cannot be read (a damaged
    one is restored too)."""
    path = Path(db_path)
    if not path.is_file():
        return BACKUPS_KEPT.default
    try:
        conn = raw_connect(path, read_only=True)
    except sqlite3.Error:
        return BACKUPS_KEPT.default
    try:
        return settings.count(Database(conn), BACKUPS_KEPT)
    finally:
        conn.close()


def new_backup_path(db_path: Path, now: dt.datetime, reason: str) -> Path:
    folder = backups_folder(db_path)
    base = f"{db_path.stem}-{now:{_STAMP}}-{reason}"
    candidate = folder / f"{base}.db"
    serial = 1
    while candidate.exists():
        serial += 1
        candidate = folder / f"{base}-{serial}.db"
    return candidate


#: A temporary copy older than this is a leftover: no backup or restore takes that long.
LEFTOVER_AGE = dt.timedelta(hours=1)


def remove_leftovers(db_path: str | Path, *, now: float | None = None) -> list[Path]:
    """Delete the temporary copies a backup or restore stopped half-way (the computer
    switched off, the process killed) left beside the database or in its backups folder.

    Only this database's own temporary copies are touched: `.<database name>.<tag>.tmp`
    beside it and `.<backup name>.<tag>.tmp` in its backups folder, named as this module
    names them, once older than LEFTOVER_AGE (`now` is a time.time() value); and at once any
    temporary copy there (a backup saved beside the database under another name, too) whose
    writer, named in its tag, has died on this machine. Returns what was deleted.
    """
    db_path = Path(db_path)
    now = time.time() if now is None else now
    beside = re.compile(rf"^\.{re.escape(db_path.name)}\.[^.]+\.tmp$")
    backup = re.compile(
        rf"^\.{re.escape(db_path.stem)}-\d{{8}}-\d{{6}}-[a-z]+(?:-\d+)?\.db\.[^.]+\.tmp$"
    )
    candidates: list[Path] = []
    for folder, pattern in ((db_path.parent, beside), (backups_folder(db_path), backup)):
        try:
            candidates += [
                p for p in folder.iterdir() if pattern.match(p.name) or _writer_gone(p.name)
            ]
        except OSError:
            continue
    removed: list[Path] = []
    for path in candidates:
        try:
            old = now - path.stat().st_mtime > LEFTOVER_AGE.total_seconds()
            if (old or _writer_gone(path.name)) and path.is_file():
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # in use, or not ours to delete: left as it is
    return removed


def _writer_gone(name: str) -> bool:
    """Whether the temporary copy `name` was written by a process of this machine that has
    since ended (killed, or the power cut), so nobody is still writing it."""
    match = re.search(r"\.(\d+)@([0-9a-f]{6})-[^.]*\.tmp$", name)
    if not match or match[2] != _host_tag():
        return False
    pid = int(match[1])
    return pid != os.getpid() and not pid_alive(pid)


def prune_backups(db_path: str | Path, keep: int, *, spare: Path | None = None) -> list[Path]:
    """Delete all but the newest `keep` automatic backups (never `spare`); returns what was
    deleted."""
    keep = max(int(keep), 1)
    removed = []
    for info in list_backups(db_path)[keep:]:
        if spare is not None and same_file(info.path, spare):
            continue
        with contextlib.suppress(OSError):
            info.path.unlink()
            removed.append(info.path)
    return removed


def ensure_folder(db_path: Path) -> Path:
    folder = backups_folder(db_path)
    try:
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
    except OSError as exc:
        raise ExportFileError(
            f"无法创建备份文件夹（{exc.strerror or exc}）：{folder}；数据库未做任何改动。"
        ) from exc
    return folder


def automatic_backup(
    db: Database,
    db_path: str | Path,
    *,
    keep: int = BACKUPS_KEPT.default,
    now: dt.datetime | None = None,
    reason: str = "daily",
) -> Path | None:
    """Copy the open database into the backups folder and drop the oldest copies.

    With reason "daily" nothing is done (None) when a backup from today already exists;
    any other reason ("premigration", "manual", …) always makes a copy.
    """
    if not re.fullmatch(r"[a-z]+", reason):
        raise ValueError(f"backup reason must be lowercase letters: {reason!r}")
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    if reason == "daily":
        latest = latest_backup(db_path)
        if latest is not None and latest.taken_at.date() == now.date():
            return None
    ensure_folder(db_path)
    target = new_backup_path(db_path, now, reason)
    snapshot_to(db.conn, target, backup_mode(target, db_path))
    prune_backups(db_path, keep)
    return target

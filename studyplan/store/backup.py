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
import functools
import hashlib
import os
import re
import shutil
import socket
import sqlite3
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from studyplan.model.errors import DatabaseError, ExportFileError, StudyplanError
from studyplan.model.settings import BACKUPS_KEPT
from studyplan.store import migrations as mig
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


@dataclass(frozen=True)
class BackupCheck:
    """What a backup file holds, once it has passed every check."""

    path: Path
    size: int
    schema_version: int
    needs_upgrade: bool
    members: int
    sessions: int
    last_session: dt.date | None


# -- helpers ---------------------------------------------------------------------------
def _fsync(path: Path) -> None:
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


def _integrity(conn: sqlite3.Connection) -> list[str]:
    """The problems `PRAGMA integrity_check` reports; empty when the file is sound."""
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def _host_tag() -> str:
    """Six hex digits naming this machine, so a sweep never judges another host's process."""
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


def _open_target(folder: Path, name: str) -> Path:
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


def _kept_mode(target: Path) -> int:
    """A replaced database keeps its permissions (it stays readable by whoever could read
    it); a new one is the owner's alone (DATABASE_MODE)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return DATABASE_MODE


def _backup_mode(target: Path, database: Path | None) -> int:
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


def _snapshot(source: sqlite3.Connection, target: Path, mode: int) -> None:
    """Copy `source` into a temporary file beside `target`, check it, then rename it."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFileError(f"备份保存位置不存在：{folder}")
    if target.is_dir():
        raise ExportFileError(f"备份目标是一个文件夹，请给出文件名：{target}")
    tmp = _open_target(folder, target.name)
    try:
        os.chmod(tmp, mode)
        copy = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            copy.execute("PRAGMA foreign_keys=ON")
            source.backup(copy)
            problems = _integrity(copy)
        finally:
            copy.close()
        if problems:
            raise DetailedDatabaseError(
                "备份副本校验未通过，没有保存备份；原数据库未做任何改动。", problems[0]
            )
        _fsync(tmp)
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


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _raw_connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
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
    return bool(main_file) and _same_file(Path(main_file), Path(path))


# -- explicit backups ------------------------------------------------------------------
def backup_to(db: Database, target: str | Path) -> Path:
    """Write a checked copy of the open database to `target` (replacing a file there).

    The copy is a consistent snapshot even while the app has the database open.
    """
    target = Path(target)
    if is_database_file(db, target):
        raise ExportFileError(f"备份不能覆盖正在使用的数据库本身：{target}")
    _snapshot(db.conn, target, _backup_mode(target, database_file(db)))
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


def latest_sound_backup(db_path: str | Path) -> BackupInfo | None:
    """The newest automatic backup that passes every check a restore makes: the one a
    message may recommend (a truncated or damaged copy never is)."""
    for info in list_backups(db_path):
        try:
            check_backup_file(info.path)
        except DatabaseError:
            continue
        return info
    return None


def keep_setting_of(db_path: str | Path) -> int:
    """How many automatic backups the database file at `db_path` keeps, read without
    changing it; the default when there is no database yet or it cannot be read (a damaged
    one is restored too)."""
    path = Path(db_path)
    if not path.is_file():
        return BACKUPS_KEPT.default
    try:
        conn = _raw_connect(path, read_only=True)
    except sqlite3.Error:
        return BACKUPS_KEPT.default
    try:
        return settings.count(Database(conn), BACKUPS_KEPT)
    finally:
        conn.close()


def _new_backup_path(db_path: Path, now: dt.datetime, reason: str) -> Path:
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
        if spare is not None and _same_file(info.path, spare):
            continue
        with contextlib.suppress(OSError):
            info.path.unlink()
            removed.append(info.path)
    return removed


def _ensure_folder(db_path: Path) -> Path:
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
    _ensure_folder(db_path)
    target = _new_backup_path(db_path, now, reason)
    _snapshot(db.conn, target, _backup_mode(target, db_path))
    prune_backups(db_path, keep)
    return target


# -- checking and restoring ------------------------------------------------------------
def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Each table's columns (SQLite's own tables left out)."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    ]
    return {t: {row[1] for row in conn.execute(f"PRAGMA table_info([{t}])")} for t in tables}


@functools.cache
def _expected_columns() -> dict[str, set[str]]:
    """Every table and column this version's schema has: a new database, in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        mig.apply_pending(Database(conn))
        return _columns(conn)
    finally:
        conn.close()


def _foreign_key_problem(conn: sqlite3.Connection) -> str | None:
    rows = conn.execute("PRAGMA foreign_key_check").fetchmany(1000)
    if not rows:
        return None
    return f"表 {'、'.join(sorted({row[0] for row in rows}))} 中有记录引用了不存在的数据"


def _schema_problem(conn: sqlite3.Connection) -> str | None:
    """What the file lacks of this version's tables and columns once brought up to date
    (an older backup is upgraded in memory, the file itself untouched); None if nothing."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.backup(copy)
        copy.execute("PRAGMA foreign_keys=ON")
        try:
            mig.apply_pending(Database(copy))
        except sqlite3.DatabaseError:
            return "无法升级到本版本的结构"
        found = _columns(copy)
    finally:
        copy.close()
    for table, columns in sorted(_expected_columns().items()):
        if table not in found:
            return f"缺少数据表 {table}"
        missing = sorted(columns - found[table])
        if missing:
            return f"数据表 {table} 缺少列 {'、'.join(missing)}"
    return None


def check_backup_file(path: str | Path) -> BackupCheck:
    """Refuse, with a sentence, a file that cannot be restored; it is opened read-only."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise DatabaseError(f"找不到备份文件：{name}")
    if path.is_dir():
        raise DatabaseError(f"选择的是一个文件夹，不是备份文件：{name}")
    if not path.is_file():  # a pipe or a device: reading it would never end
        raise DatabaseError(f"选择的不是普通文件（是管道或设备），不能用来恢复：{name}")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"无法读取备份文件（{exc.strerror or exc}）：{name}") from exc
    if header != SQLITE_HEADER:
        raise DatabaseError(f"该文件不是 studyplan 数据库备份，不能用来恢复：{name}")
    try:
        conn = _raw_connect(path, read_only=True)
    except sqlite3.Error as exc:
        raise DetailedDatabaseError(f"无法打开备份文件：{name}", exc) from exc
    try:
        try:
            problems = _integrity(conn)
        except sqlite3.DatabaseError as exc:
            raise DetailedDatabaseError(f"备份文件已损坏，不能用来恢复：{name}", exc) from exc
        if problems:
            raise DetailedDatabaseError(f"备份文件已损坏，不能用来恢复：{name}", problems[0])
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                [mig.MIGRATIONS_TABLE],
            ).fetchone()
            names: set[str] = set()
            if has_table:
                names = {
                    row[0]
                    for row in conn.execute(
                        f"SELECT name FROM [{mig.MIGRATIONS_TABLE}] WHERE migration_set = ?",
                        [mig.MIGRATION_SET],
                    )
                }
            if not names:
                raise DatabaseError(f"该文件不是 studyplan 数据库备份，不能用来恢复：{name}")
            known = set(mig.known_names())
            if version > mig.schema_version() or names - known:
                raise DatabaseError(
                    f"该备份由更新版本的 studyplan 创建，请升级软件后再恢复：{name}"
                )
            problem = _foreign_key_problem(conn) or _schema_problem(conn)
            if problem:
                raise DatabaseError(f"备份文件不完整（{problem}），不能用来恢复：{name}")
            members = sessions = 0
            last_session = None
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "members" in tables:
                members = conn.execute("SELECT count(*) FROM members").fetchone()[0]
            if "sessions" in tables:
                sessions, last = conn.execute("SELECT count(*), max(date) FROM sessions").fetchone()
                with contextlib.suppress(TypeError, ValueError):
                    last_session = dt.date.fromisoformat(last)
        except sqlite3.DatabaseError as exc:
            raise DetailedDatabaseError(f"备份文件无法读取，不能用来恢复：{name}", exc) from exc
    finally:
        conn.close()
    return BackupCheck(
        path=path,
        size=size,
        schema_version=version,
        needs_upgrade=bool(known - names),
        members=members,
        sessions=sessions,
        last_session=last_session,
    )


def _copy_whole(source: Path, target: Path) -> None:
    """Copy a file byte for byte into a temporary file, then rename it: a copy cut short (a
    full disk) leaves nothing behind, never a truncated file under the real name."""
    tmp = _open_target(target.parent, target.name)
    try:
        os.chmod(tmp, _backup_mode(target, source))
        shutil.copyfile(source, tmp)
        _fsync(tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _keep_damaged_copy(db_path: Path, target: Path) -> None:
    """A byte-for-byte copy of a database SQLite cannot read, with its journal if any."""
    _copy_whole(db_path, target)
    for suffix in ("-journal", "-wal"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            _copy_whole(side, Path(str(target) + suffix))


def restore_from(
    db_path: str | Path, source: str | Path, *, keep: int | None = None
) -> Path | None:
    """Replace the database at `db_path` with the backup `source`.

    The caller must have closed every connection to `db_path` first (and should hold the
    database lock). The source is checked, the current database is copied into the backups
    folder (reason "prerestore"; a damaged one byte for byte), then the source is copied
    beside the database and renamed over it in one step. Returns the pre-restore backup,
    or None when there was no database yet. A backup with an older schema is brought up to
    date by the next `connect(db_path)`.
    """
    db_path = Path(db_path).resolve()  # through a link: the file it points to is replaced
    source = Path(source)
    try:
        check_backup_file(source)
    except DatabaseError as exc:
        raise DetailedDatabaseError(
            f"{str(exc).rstrip('。')}；当前数据库未做任何改动。", getattr(exc, "detail", "")
        ) from exc
    if keep is None:  # the count the database being replaced was set to keep
        keep = keep_setting_of(db_path)
    if _same_file(db_path, source):
        raise DatabaseError("所选备份就是当前数据库本身，无需恢复。")
    if not db_path.parent.is_dir():
        raise DatabaseError(f"数据库所在的文件夹不存在：{db_path.parent}")

    saved: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        _ensure_folder(db_path)
        saved = _new_backup_path(db_path, dt.datetime.now(), "prerestore")
        try:
            current = _raw_connect(db_path)
            try:
                _snapshot(current, saved, _backup_mode(saved, db_path))
            finally:
                current.close()
        except DatabaseBusyError as exc:
            raise DatabaseBusyError(
                "数据库正被其他程序使用，请先关闭 studyplan 的其他窗口后再恢复。"
            ) from exc
        except (sqlite3.Error, DatabaseError):
            try:
                _keep_damaged_copy(db_path, saved)
            except OSError as copy_exc:
                raise ExportFileError(
                    f"无法保存当前数据库的副本（{copy_exc.strerror or copy_exc}），没有恢复。"
                ) from copy_exc

    src = _raw_connect(source, read_only=True)
    try:
        for suffix in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(db_path) + suffix).unlink()
        _snapshot(src, db_path, _kept_mode(db_path))
    except StudyplanError as exc:  # the rename never happened: the database is as it was
        raise type(exc)(f"{str(exc).rstrip('。')}；没有恢复，当前数据库未做任何改动。") from exc
    finally:
        src.close()
    prune_backups(db_path, keep, spare=source)
    return saved

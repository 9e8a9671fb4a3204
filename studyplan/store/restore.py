"""Checking a backup file before it replaces the database, and restoring it.

A backup must pass what opening a database checks (integrity, foreign keys) and have every
table and column this version expects before anything is replaced; the database it replaces
is saved first, and a copy cut off on the way leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from studyplan.model.errors import DatabaseError, ExportFileError, StudyplanError
from studyplan.store import migrations as mig
from studyplan.store.backup import (
    SQLITE_HEADER,
    BackupInfo,
    DatabaseBusyError,
    backup_mode,
    ensure_folder,
    fsync,
    integrity_problems,
    keep_setting_of,
    kept_mode,
    list_backups,
    new_backup_path,
    open_target,
    prune_backups,
    raw_connect,
    same_file,
    snapshot_to,
)
from studyplan.store.db import (
    Database,
    DetailedDatabaseError,
)


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
        conn = raw_connect(path, read_only=True)
    except sqlite3.Error as exc:
        raise DetailedDatabaseError(f"无法打开备份文件：{name}", exc) from exc
    try:
        try:
            problems = integrity_problems(conn)
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
    tmp = open_target(target.parent, target.name)
    try:
        os.chmod(tmp, backup_mode(target, source))
        shutil.copyfile(source, tmp)
        fsync(tmp)
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
    if same_file(db_path, source):
        raise DatabaseError("所选备份就是当前数据库本身，无需恢复。")
    if not db_path.parent.is_dir():
        raise DatabaseError(f"数据库所在的文件夹不存在：{db_path.parent}")

    saved: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        ensure_folder(db_path)
        saved = new_backup_path(db_path, dt.datetime.now(), "prerestore")
        try:
            current = raw_connect(db_path)
            try:
                snapshot_to(current, saved, backup_mode(saved, db_path))
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

    src = raw_connect(source, read_only=True)
    try:
        for suffix in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(db_path) + suffix).unlink()
        snapshot_to(src, db_path, kept_mode(db_path))
    except StudyplanError as exc:  # the rename never happened: the database is as it was
        raise type(exc)(f"{str(exc).rstrip('。')}；没有恢复，当前数据库未做任何改动。") from exc
    finally:
        src.close()
    prune_backups(db_path, keep, spare=source)
    return saved


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

"""Opening the one SQLite file: pragmas, version guard, migrations.

One writer connection, rollback journal with synchronous=FULL: the secretary copies this single
file around (USB sticks, shares), and WAL's side files and its network-share limits do not suit
that. Before anything is written, a file is checked (`PRAGMA quick_check`,
`PRAGMA foreign_key_check`, the schema version): a damaged, foreign or newer database is
refused byte-for-byte untouched. Pending migrations on an existing database are preceded by a
copy in the `backups` folder beside it (see store/backup.py).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from studyplan.model.errors import DamagedDatabaseError, DatabaseError, StudyplanError
from studyplan.store import migrations as mig
from studyplan.store.db import (
    BUSY_TIMEOUT_SECONDS,
    DATABASE_MODE,
    MIN_SQLITE,
    SQLITE_HEADER,
    Database,
    DetailedDatabaseError,
)


def _check_file(path: Path) -> None:
    """Refuse a file that exists but is not an SQLite database, before sqlite3 touches it."""
    if not path.exists():
        if not path.parent.exists():
            raise DatabaseError(f"数据库所在的文件夹不存在：{path.parent}")
        return
    if path.is_dir():
        raise DatabaseError(f"数据库路径是一个文件夹，不是文件：{path}")
    if not path.is_file():  # a pipe waits forever for a writer; a device is no database
        raise DatabaseError(f"数据库路径不是普通文件（是管道或设备），未做任何改动：{path}")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DamagedDatabaseError(f"该文件不是 studyplan 数据库，未做任何改动：{path}")


def _create_private(path: Path) -> None:
    """Make the new, empty database file readable by its owner only (SQLite would make it
    as any program's file, readable by every user of the machine); its journal follows."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DATABASE_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseError(f"无法在该位置创建数据库（{exc.strerror or exc}）：{path}") from exc
    os.close(fd)


def _damaged(path: Path | None, detail: str = "") -> DamagedDatabaseError:
    """The sentence for a file SQLite cannot read cleanly, naming the newest backup."""
    message = "数据库文件已损坏，未做任何改动"
    latest = None
    if path is not None:
        from studyplan.store.restore import latest_sound_backup

        try:
            latest = latest_sound_backup(path)
        except OSError:
            latest = None
    if latest is not None:
        message += f"。最近的备份是 {latest.taken_at:%Y-%m-%d %H:%M} 的 {latest.path}。"
    elif path is not None:
        message += f"：{path}。"
    else:
        message += "。"
    found = str(latest.path) if latest is not None else ""
    return DamagedDatabaseError(message, latest_backup=found, detail=" ".join(detail.split()))


def _busy() -> DatabaseError:
    return DatabaseError("数据库正被其他程序使用，请稍后重试或先关闭它；文件未做任何改动。")


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _read_version(conn: sqlite3.Connection) -> tuple[int, set[str]]:
    """The stamped schema number and the migration names already applied (read-only)."""
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
    return version, names


def _is_foreign(conn: sqlite3.Connection, names: set[str]) -> bool:
    """True for a non-empty SQLite file that studyplan never created.

    A file holding nothing but an empty migrations table is a first start that was
    interrupted before its first migration committed: it is ours, and simply new.
    """
    if names:
        return False
    table = mig.MIGRATIONS_TABLE
    others = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name <> ? "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        [table],
    ).fetchone()[0]
    if others:
        return True
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name = ?", [table]
    ).fetchone()
    return bool(has_table and conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])


def _quick_check(conn: sqlite3.Connection) -> str | None:
    """The first problem `PRAGMA quick_check` finds, or None for a sound file."""
    rows = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    return None if rows == ["ok"] else (rows[0] if rows else "quick_check")


def _foreign_key_problem(conn: sqlite3.Connection) -> str | None:
    """A sentence naming the tables whose rows point at rows that do not exist."""
    rows = conn.execute("PRAGMA foreign_key_check").fetchmany(1000)
    if not rows:
        return None
    tables = sorted({row[0] for row in rows})
    return f"表 {'、'.join(tables)} 中有记录引用了不存在的数据"


def _inspect(conn: sqlite3.Connection, path: Path | None) -> tuple[int, set[str]]:
    """Every read-only check before anything is written: sound, ours, not from the future."""
    try:
        problem = _quick_check(conn)
        if problem:
            raise _damaged(path, problem)
        version, names = _read_version(conn)
        known = set(mig.known_names())
        if version > mig.schema_version() or names - known:
            raise DatabaseError(
                "该数据库由更新版本的 studyplan 创建，请升级软件后再打开；文件未做任何改动。"
            )
        if _is_foreign(conn, names):
            raise DamagedDatabaseError(f"该文件不是 studyplan 数据库，未做任何改动：{path}")
        if names:
            problem = _foreign_key_problem(conn)
            if problem:
                raise _damaged(path, problem)
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            raise _busy() from exc
        raise _damaged(path, str(exc)) from exc
    return version, names


def _backup_before_migrating(db: Database, path: Path) -> None:
    from studyplan.model.settings import BACKUPS_KEPT
    from studyplan.store import settings
    from studyplan.store.backup import automatic_backup

    try:
        automatic_backup(db, path, keep=settings.count(db, BACKUPS_KEPT), reason="premigration")
    except StudyplanError as exc:
        raise DatabaseError(
            f"升级数据库前无法先做备份（{exc}），因此没有升级；文件未做任何改动。"
        ) from exc


def needs_upgrade(path: str | Path) -> bool:
    """Whether opening `path` would write before anything else: a new file to create, or
    migrations pending. Read-only; a file that cannot be read counts as needing it (its
    `connect` then says what is wrong)."""
    path = Path(path)
    if str(path) == ":memory:" or not path.is_file() or path.stat().st_size == 0:
        return True
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        _version, names = _read_version(conn)
    except sqlite3.Error:
        return True
    finally:
        conn.close()
    return bool(set(mig.known_names()) - names)


def connect(path: str | Path) -> Database:
    """Open (creating if needed) and migrate the database at `path`.

    Raises DatabaseError, leaving the file byte-for-byte untouched, for a file that is
    damaged (`PRAGMA quick_check`, `PRAGMA foreign_key_check`), is not a studyplan database,
    or was written by a newer version of studyplan. Before migrations are applied to an
    existing database, a copy is saved in the `backups` folder beside it.
    """
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise DatabaseError(
            f"本机的 SQLite 版本过旧（{sqlite3.sqlite_version}），studyplan 需要 "
            f"{'.'.join(map(str, MIN_SQLITE))} 或更新的版本；请升级 Python 后再使用。"
        )
    path = Path(path)
    memory = str(path) == ":memory:"
    existing = False
    if not memory:
        _check_file(path)
        existing = path.exists() and path.stat().st_size > 0
        if not path.exists():
            _create_private(path)
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        _, names = _inspect(conn, None if memory else path)
        known = set(mig.known_names())
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        db = Database(conn)
        if known - names:
            if existing and names:
                _backup_before_migrating(db, path)
            mig.apply_pending(db)
            conn.execute(f"PRAGMA user_version={mig.schema_version()}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _is_busy(exc):
            raise _busy() from exc
        raise DetailedDatabaseError("数据库文件无法读取或写入，未做任何改动。", exc) from exc
    except BaseException:
        conn.close()
        raise
    return db

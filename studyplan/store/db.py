"""Opening the one SQLite file: pragmas, version guard, migrations.

One writer connection, rollback journal with synchronous=FULL: the secretary copies this single
file around (USB sticks, shares), and WAL's side files and its network-share limits do not suit
that. A database written by a newer version is refused before anything is written to it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from studyplan.errors import DatabaseError
from studyplan.store import migrations as mig

BUSY_TIMEOUT_SECONDS = 5.0
SQLITE_HEADER = b"SQLite format 3\x00"


def _check_file(path: Path) -> None:
    """Refuse a file that exists but is not an SQLite database, before sqlite3 touches it."""
    if not path.exists():
        if not path.parent.exists():
            raise DatabaseError(f"数据库所在的文件夹不存在：{path.parent}")
        return
    if path.is_dir():
        raise DatabaseError(f"数据库路径是一个文件夹，不是文件：{path}")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseError(f"该文件不是 studyplan 数据库，未做任何改动：{path}")


def _read_version(conn: sqlite3.Connection) -> tuple[int, set[str]]:
    """The stamped schema number and the migration names already applied (read-only)."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
            [mig.migrations.migrations_table],
        ).fetchone()
        names: set[str] = set()
        if has_table:
            names = {
                row[0]
                for row in conn.execute(
                    f"SELECT name FROM [{mig.migrations.migrations_table}] WHERE migration_set = ?",
                    [mig.MIGRATION_SET],
                )
            }
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"数据库文件已损坏或无法读取（{exc}），未做任何改动。") from exc
    return version, names


def _is_foreign(conn: sqlite3.Connection, names: set[str]) -> bool:
    """True for a non-empty SQLite file that studyplan never created."""
    if names:
        return False
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    return tables > 0


def connect(path: str | Path) -> Database:
    """Open (creating if needed) and migrate the database at `path`.

    Raises DatabaseError, leaving the file byte-for-byte untouched, for a file that is not a
    studyplan database or that a newer version of studyplan wrote.
    """
    path = Path(path)
    memory = str(path) == ":memory:"
    if not memory:
        _check_file(path)
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        version, names = _read_version(conn)
        known = set(mig.known_names())
        if version > mig.schema_version() or names - known:
            raise DatabaseError(
                "该数据库由更新版本的 studyplan 创建，请升级软件后再打开；文件未做任何改动。"
            )
        if _is_foreign(conn, names):
            raise DatabaseError(f"该文件不是 studyplan 数据库，未做任何改动：{path}")
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        db = Database(conn, execute_plugins=False)
        if known - names:
            mig.migrations.apply(db)
            conn.execute(f"PRAGMA user_version={mig.schema_version()}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"数据库文件已损坏或无法读取（{exc}）。") from exc
    except BaseException:
        conn.close()
        raise
    return db


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """All or nothing: every multi-step change runs inside one of these."""
    with db.atomic():
        yield db

"""Opening the one SQLite file: pragmas, version guard, migrations.

One writer connection, rollback journal with synchronous=FULL: the secretary copies this single
file around (USB sticks, shares), and WAL's side files and its network-share limits do not suit
that. Before anything is written, a file is checked (`PRAGMA quick_check`,
`PRAGMA foreign_key_check`, the schema version): a damaged, foreign or newer database is
refused byte-for-byte untouched. Pending migrations on an existing database are preceded by a
copy in the `backups` folder beside it (see store/backup.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Any

from studyplan.model.errors import DamagedDatabaseError, DatabaseError, StudyplanError
from studyplan.store import migrations as mig

BUSY_TIMEOUT_SECONDS = 5.0
#: The oldest SQLite the store's SQL runs on: INSERT … ON CONFLICT DO UPDATE came in 3.24.
#: (Debian 10 and UOS 20 have 3.27, so newer syntax such as FILTER (WHERE …) is not used.)
MIN_SQLITE = (3, 24, 0)
SQLITE_HEADER = b"SQLite format 3\x00"

Parameters = Sequence[Any] | Mapping[str, Any]


class Database:
    """The open database: one sqlite3 connection, in autocommit mode, and the three calls
    the store makes on it.

    The store speaks SQL, so it needs no more than `execute`, `query` (rows as dicts) and
    `atomic` (a transaction, or a savepoint inside one), the calls of sqlite-utils' Database
    of the same names. sqlite-utils itself is imported only to apply migrations
    (store/migrations.py): its import, which brings click, pluggy and, when installed, numpy
    and pandas, would otherwise cost more than the rest of the start-up before the window.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._savepoints = count(1)

    def execute(self, sql: str, parameters: Parameters | None = None) -> sqlite3.Cursor:
        """Run one statement; outside `atomic` a write is committed at once."""
        with _REFUSALS_SAID:
            return self.conn.execute(sql, () if parameters is None else parameters)

    def executemany(self, sql: str, rows: Iterable[Parameters]) -> sqlite3.Cursor:
        """Run one statement for each row (a bulk insert); refused writes as `execute`."""
        with _REFUSALS_SAID:
            return self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Parameters | None = None) -> Iterator[dict[str, Any]]:
        """Run a statement that returns rows, each as a dict keyed by column name.

        Raises ValueError for a statement without rows (use `execute` for those).
        """
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() is for statements that return rows; use execute()")
        keys = [column[0] for column in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """All of the block or none of it: a transaction, or a savepoint when one is open."""
        if self.conn.in_transaction:
            name = f"studyplan_{next(self._savepoints)}"
            self.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                # A RAISE(ROLLBACK) trigger may already have ended the whole transaction.
                if self.conn.in_transaction:
                    self.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.execute(f"RELEASE SAVEPOINT {name}")
                raise
            self.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.execute("ROLLBACK")
            raise
        try:
            self.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.execute("ROLLBACK")
            raise


#: Why SQLite refused a write, by its primary result code, when the file's surroundings are
#: to blame rather than our SQL.
READ_ONLY = "read-only"
BUSY = "busy"
_REFUSALS = {
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_CANTOPEN: READ_ONLY,  # no journal beside the file: a read-only folder
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_IOERR: "io",
    sqlite3.SQLITE_FULL: "full",
}
_REFUSAL_SENTENCES = {
    READ_ONLY: (
        "无法写入数据库文件或它所在的文件夹（可能是只读的，例如写保护的 U 盘，或 U 盘已拔出），"
        "修改没有保存；请把数据库复制到可写的位置后再打开。"
    ),
    BUSY: "数据库正被其他程序使用，修改没有保存；请先关闭那个程序后重试。",
    "io": "读写数据库文件时出错（磁盘或 U 盘可能已断开），修改没有保存。",
    "full": "磁盘空间已满，修改没有保存；请腾出空间后重试。",
}


def refusal(error: BaseException) -> str | None:
    """Why the file's surroundings refused a write (READ_ONLY, "busy", "io", "full"), for
    an sqlite3 error or the sentence `Database` made of one; None for anything else (a
    fault of ours, such as SQL naming no such table, or a lock inside our own connection)."""
    cause = error if isinstance(error, sqlite3.Error) else error.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    return _REFUSALS.get(code & 0xFF) if isinstance(code, int) else None


class _RefusalsSaid:
    """`with _REFUSALS_SAID:` a write the file's surroundings refused (read-only, locked,
    disk gone or full) leaves as a DatabaseError with its sentence; anything else stays as
    it is. A plain class, not @contextmanager: it wraps every statement the store runs."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> bool:
        if isinstance(error, sqlite3.OperationalError):
            why = refusal(error)
            if why is not None:
                raise DatabaseError(_REFUSAL_SENTENCES[why]) from error
        return False


_REFUSALS_SAID = _RefusalsSaid()


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
        raise DamagedDatabaseError(f"该文件不是 studyplan 数据库，未做任何改动：{path}")


def _damaged(path: Path | None, detail: str = "") -> DamagedDatabaseError:
    """The sentence for a file SQLite cannot read cleanly, naming the newest backup."""
    message = "数据库文件已损坏，未做任何改动"
    latest = None
    if path is not None:
        from studyplan.store.backup import latest_backup

        try:
            latest = latest_backup(path)
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
    from studyplan.store.backup import automatic_backup, keep_setting

    try:
        automatic_backup(db, path, keep=keep_setting(db), reason="premigration")
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
        raise DatabaseError(f"数据库文件无法读取或写入（{exc}）。") from exc
    except BaseException:
        conn.close()
        raise
    return db


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """All or nothing: every multi-step change runs inside one of these."""
    with db.atomic():
        yield db


def database_file(db: Database) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    for _, name, path in db.execute("PRAGMA database_list"):
        if name == "main" and path:
            return Path(path)
    return None

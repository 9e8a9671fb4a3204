"""The open database: one sqlite3 connection and the calls the store makes on it.

A write the file's surroundings refuse (read-only, locked, disk gone or full) leaves as a
DatabaseError with one sentence. Opening a file — checks, migrations, the backup before
them — is store/opening.py.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Any

from studyplan.model.errors import DatabaseError

BUSY_TIMEOUT_SECONDS = 5.0


#: The oldest SQLite the store's SQL runs on: INSERT … ON CONFLICT DO UPDATE came in 3.24.
#: (Debian 10 and UOS 20 have 3.27, so newer syntax such as FILTER (WHERE …) is not used.)
MIN_SQLITE = (3, 24, 0)


SQLITE_HEADER = b"SQLite format 3\x00"


Parameters = Sequence[Any] | Mapping[str, Any]


class DetailedDatabaseError(DatabaseError):
    """A DatabaseError whose sentence leaves out what SQLite said (English, of no use to the
    secretary); `detail` keeps it for the log."""

    def __init__(self, message: str, detail: object = "") -> None:
        super().__init__(message)
        self.detail = " ".join(str(detail).split())


REPLACED_SENTENCE = (
    "数据库文件已被其他程序替换或删除（例如在别处恢复了备份），这次修改没有保存；"
    "请关闭窗口后重新打开数据库。"
)


def _main_file(conn: sqlite3.Connection) -> Path | None:
    try:
        for _, name, path in conn.execute("PRAGMA database_list"):
            if name == "main" and path:
                return Path(path)
    except sqlite3.Error:
        return None
    return None


def _identity(path: Path | None) -> tuple[int, int] | None:
    """(device, inode) of the file, None when there is none (yet, or any longer)."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


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
        self._file = _main_file(conn)
        self._identity = _identity(self._file)
        #: The rows the undo log's triggers report while a recording is on
        #: (store/rowlog.py); a block `atomic` rolls back takes its rows out again, as
        #: SQLite takes the rows themselves back.
        self.rows_written: list[tuple[Any, ...]] = []

    def check_same_file(self) -> None:
        """Refuse to write when the database file was replaced (a restore by another
        program) or removed under this connection: SQLite would go on writing to the old,
        unlinked file and every change would be lost. DatabaseError with one sentence."""
        if self._file is None:
            return
        now = _identity(self._file)
        if self._identity is None:
            self._identity = now
        elif now != self._identity:
            raise DatabaseError(REPLACED_SENTENCE)

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
        seen = len(self.rows_written)
        if self.conn.in_transaction:
            name = f"studyplan_{next(self._savepoints)}"
            self.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                del self.rows_written[seen:]
                # A RAISE(ROLLBACK) trigger may already have ended the whole transaction.
                if self.conn.in_transaction:
                    self.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.execute(f"RELEASE SAVEPOINT {name}")
                raise
            self.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.check_same_file()
        self.execute("BEGIN")
        try:
            yield self
        except BaseException:
            del self.rows_written[seen:]
            if self.conn.in_transaction:
                self.execute("ROLLBACK")
            raise
        try:
            self.execute("COMMIT")
        except BaseException:
            del self.rows_written[seen:]
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

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        if isinstance(error, sqlite3.OperationalError):
            why = refusal(error)
            if why is not None:
                raise DatabaseError(_REFUSAL_SENTENCES[why]) from error


_REFUSALS_SAID = _RefusalsSaid()


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """All or nothing: every multi-step change runs inside one of these."""
    with db.atomic():
        yield db


@contextmanager
def reading(db: Database) -> Iterator[Database]:
    """One state of the record for every read in the block: a snapshot.

    A deferred transaction that only reads: its first read takes SQLite's shared lock,
    held until the block ends, so another connection's change waits (up to its busy
    timeout) rather than landing between two reads. Inside an open transaction the reads
    already see one state, and the block adds nothing. Keep the block to reading: writing
    in it would hold other connections off for longer, and a write lock taken while
    another connection waits to commit is refused at once.
    """
    if db.conn.in_transaction:
        yield db
        return
    db.execute("BEGIN DEFERRED")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    if db.conn.in_transaction:
        db.execute("COMMIT")


#: Permissions of a new database and of the folders beside it that hold its copies and
#: attachments (POSIX): members' personal data is for the owner's account alone.
DATABASE_MODE = 0o600
FOLDER_MODE = 0o700


def database_file(db: Database) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    for _, name, path in db.execute("PRAGMA database_list"):
        if name == "main" and path:
            return Path(path)
    return None

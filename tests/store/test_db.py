"""Opening, migrating and refusing database files."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database as SqliteUtils

from studyplan.model.errors import DatabaseError
from studyplan.store import migrations as mig
from studyplan.store.db import Database
from studyplan.store.opening import connect


def _tables(db) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_migrated_and_stamped(db_path: Path) -> None:
    db = connect(db_path)
    assert {"plans", "topics", "sessions", "session_topics", "members"} <= _tables(db)
    assert db.execute("PRAGMA user_version").fetchone()[0] == mig.schema_version()
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    applied = [m.name for m in mig.migration_set().applied(SqliteUtils(db.conn))]
    assert applied == mig.known_names()
    db.conn.close()


def test_reopening_applies_nothing_twice(db_path: Path) -> None:
    connect(db_path).conn.close()
    db = connect(db_path)
    assert len(mig.migration_set().applied(SqliteUtils(db.conn))) == mig.schema_version()
    db.conn.close()


def test_empty_file_is_initialised(db_path: Path) -> None:
    db_path.write_bytes(b"")
    db = connect(db_path)
    assert "sessions" in _tables(db)
    db.conn.close()


def test_older_schema_is_upgraded(db_path: Path) -> None:
    db = connect(db_path)
    # Pretend the file was written before migration 0002 existed.
    db.execute("DROP TABLE makeups")
    db.execute("DROP TABLE leave_requests")
    db.execute("DROP TABLE attendance")
    db.execute("DROP TABLE members")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = '0002_roster_attendance'")
    db.execute("PRAGMA user_version=1")
    db.conn.close()
    db = connect(db_path)
    assert "members" in _tables(db)
    assert db.execute("PRAGMA user_version").fetchone()[0] == mig.schema_version()
    db.conn.close()


def test_newer_user_version_is_refused_untouched(db_path: Path) -> None:
    connect(db_path).conn.close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version={mig.schema_version() + 1}")
    raw.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseError, match="更新版本"):
        connect(db_path)
    assert _digest(db_path) == before


def test_unknown_migration_is_refused_untouched(db_path: Path) -> None:
    connect(db_path).conn.close()
    raw = sqlite3.connect(db_path)
    raw.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('studyplan', '0099_from_the_future', '2030-01-01')"
    )
    raw.commit()
    raw.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseError, match="更新版本"):
        connect(db_path)
    assert _digest(db_path) == before


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all", bytes(range(256)) * 8],
    ids=["text", "random-bytes"],
)
def test_foreign_file_is_refused_untouched(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    with pytest.raises(DatabaseError, match="不是 studyplan 数据库"):
        connect(db_path)
    assert db_path.read_bytes() == content


def test_other_sqlite_database_is_refused_untouched(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)")
    raw.commit()
    raw.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseError, match="不是 studyplan 数据库"):
        connect(db_path)
    assert _digest(db_path) == before


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="文件夹不存在"):
        connect(tmp_path / "nowhere" / "studyplan.db")


def test_failed_migration_rolls_back_and_stays_pending(db_path: Path, monkeypatch) -> None:
    def broken(db) -> None:
        db.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(mig.migration_set()._migrations[1], "fn", broken)
    with pytest.raises(RuntimeError):
        connect(db_path)
    raw = sqlite3.connect(db_path)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    names = {r[0] for r in raw.execute("SELECT name FROM _sqlite_migrations")}
    raw.close()
    assert "half_done" not in tables
    assert names == {"0001_plan_calendar"}
    monkeypatch.undo()
    db = connect(db_path)
    assert "members" in _tables(db)
    db.conn.close()


# -- the Database the store works through -----------------------------------------------
@pytest.fixture
def plain() -> Database:
    db = Database(sqlite3.connect(":memory:", isolation_level=None))
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    return db


def _names(db: Database) -> list[str]:
    return [row["name"] for row in db.query("SELECT name FROM t ORDER BY id")]


def test_query_gives_rows_as_dicts_and_refuses_statements_without_rows(plain) -> None:
    plain.execute("INSERT INTO t (name) VALUES (?)", ["张三"])
    plain.execute("INSERT INTO t (name) VALUES (:name)", {"name": "李四"})
    assert list(plain.query("SELECT id, name FROM t WHERE id = ?", [2])) == [
        {"id": 2, "name": "李四"}
    ]
    with pytest.raises(ValueError, match="execute"):
        plain.query("UPDATE t SET name = 'x' WHERE id = 99")


def test_atomic_commits_the_block_or_nothing(plain) -> None:
    with plain.atomic():
        plain.execute("INSERT INTO t (name) VALUES ('a')")
        plain.execute("INSERT INTO t (name) VALUES ('b')")
    assert _names(plain) == ["a", "b"]
    with pytest.raises(sqlite3.IntegrityError), plain.atomic():
        plain.execute("INSERT INTO t (name) VALUES ('c')")
        plain.execute("INSERT INTO t (name) VALUES (NULL)")
    assert _names(plain) == ["a", "b"]
    assert not plain.conn.in_transaction


def test_atomic_inside_atomic_undoes_only_the_inner_block(plain) -> None:
    with plain.atomic():
        plain.execute("INSERT INTO t (name) VALUES ('outer')")
        with pytest.raises(RuntimeError), plain.atomic():
            plain.execute("INSERT INTO t (name) VALUES ('inner')")
            raise RuntimeError("undo the inner block")
        with plain.atomic():
            plain.execute("INSERT INTO t (name) VALUES ('kept')")
    assert _names(plain) == ["outer", "kept"]
    assert not plain.conn.in_transaction


def test_atomic_survives_a_trigger_that_rolls_back_everything(plain) -> None:
    plain.execute(
        "CREATE TRIGGER no_x BEFORE INSERT ON t WHEN NEW.name = 'x' "
        "BEGIN SELECT RAISE(ROLLBACK, 'no x'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="no x"), plain.atomic():
        plain.execute("INSERT INTO t (name) VALUES ('a')")
        with plain.atomic():
            plain.execute("INSERT INTO t (name) VALUES ('x')")
    assert _names(plain) == []
    assert not plain.conn.in_transaction


def test_the_migration_list_is_the_one_sqlite_utils_applies(db_path: Path) -> None:
    steps = mig.migration_set()
    assert steps.migrations_table == mig.MIGRATIONS_TABLE
    assert [m.name for m in steps._migrations] == mig.known_names()
    assert [m.transactional for m in steps._migrations] == [s.transactional for s in mig.STEPS]
    with pytest.raises(ValueError, match="twice"):
        mig.step(name=mig.known_names()[0])(lambda db: None)


def test_opening_an_up_to_date_database_does_not_import_sqlite_utils(db_path: Path) -> None:
    connect(db_path).conn.close()
    script = (
        "import sys; from studyplan.store.opening import connect; "
        f"connect({str(db_path)!r}).conn.close(); print('sqlite_utils' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


def test_an_sqlite_too_old_for_the_store_is_named(db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 22, 0))  # Ubuntu 18.04's
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.22.0")
    with pytest.raises(DatabaseError, match=r"SQLite 版本过旧（3\.22\.0）.*3\.24\.0"):
        connect(db_path)
    assert not db_path.exists()


def _read_only(db_path: Path) -> Database:
    """The database as a write-protected USB stick shows it (works as root too)."""
    connect(db_path).conn.close()
    return Database(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None))


def test_a_write_to_a_read_only_file_is_a_sentence_and_changes_nothing(db_path: Path) -> None:
    db = _read_only(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="只读"):
        db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    with pytest.raises(DatabaseError, match="只读"), db.atomic():
        db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    assert not db.conn.in_transaction
    assert db_path.read_bytes() == before


def test_a_write_while_another_program_holds_the_file_is_a_sentence(db_path: Path) -> None:
    connect(db_path).conn.close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    db = Database(sqlite3.connect(db_path, timeout=0.05, isolation_level=None))
    try:
        with pytest.raises(DatabaseError, match="其他程序"):
            db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    finally:
        other.execute("ROLLBACK")
        other.close()
    db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")


def test_a_mistake_in_sql_is_not_dressed_up_as_the_file(plain) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        plain.execute("SELECT * FROM no_such_table")


def test_a_bulk_write_to_a_read_only_file_is_the_same_sentence(db_path: Path) -> None:
    import datetime as dt

    from studyplan.app.attendance import AttendanceService
    from studyplan.app.planning import PlanningService
    from studyplan.model.plan import Session

    db = connect(db_path)
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    AttendanceService(db).add_member("王建国")
    session_id = planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17))
    )
    db.conn.close()
    read_only = _read_only(db_path)
    with pytest.raises(DatabaseError, match="只读"):
        AttendanceService(read_only).mark_all_present(session_id)


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (sqlite3.SQLITE_READONLY, "read-only"),
        (sqlite3.SQLITE_CANTOPEN, "read-only"),
        (sqlite3.SQLITE_BUSY, "busy"),
        (sqlite3.SQLITE_IOERR | (13 << 8), "io"),  # an extended code keeps its primary
        (sqlite3.SQLITE_FULL, "full"),
        (sqlite3.SQLITE_LOCKED, None),  # a lock inside our own connection: our fault
        (sqlite3.SQLITE_ERROR, None),
    ],
)
def test_refusals_are_told_by_sqlites_result_code(code: int, why: str | None) -> None:
    from studyplan.store.db import refusal

    error = sqlite3.OperationalError("whatever the text says")
    error.sqlite_errorcode = code
    assert refusal(error) == why
    wrapped = DatabaseError("句子")
    wrapped.__cause__ = error
    assert refusal(wrapped) == why

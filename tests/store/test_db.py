"""Opening, migrating and refusing database files."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from studyplan.errors import DatabaseError
from studyplan.store import migrations as mig
from studyplan.store.db import connect


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_migrated_and_stamped(db_path: Path) -> None:
    db = connect(db_path)
    assert {"plans", "topics", "sessions", "session_topics", "members"} <= set(db.table_names())
    assert db.execute("PRAGMA user_version").fetchone()[0] == mig.schema_version()
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    applied = [m.name for m in mig.migrations.applied(db)]
    assert applied == mig.known_names()
    db.conn.close()


def test_reopening_applies_nothing_twice(db_path: Path) -> None:
    connect(db_path).conn.close()
    db = connect(db_path)
    assert len(mig.migrations.applied(db)) == mig.schema_version()
    db.conn.close()


def test_empty_file_is_initialised(db_path: Path) -> None:
    db_path.write_bytes(b"")
    db = connect(db_path)
    assert "sessions" in db.table_names()
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
    assert "members" in db.table_names()
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

    monkeypatch.setattr(mig.migrations._migrations[1], "fn", broken)
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
    assert "members" in db.table_names()
    db.conn.close()

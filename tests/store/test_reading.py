"""store.db.reading: the reads of a block see one state of the record, while another
connection's change waits for the block to end."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studyplan.store.db import reading, transaction


def other_connection(db_path: Path) -> sqlite3.Connection:
    """A second connection to the file that gives up at once when the file is locked."""
    return sqlite3.connect(str(db_path), timeout=0, isolation_level=None)


def put_setting(conn: sqlite3.Connection, value: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('snapshot_test', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [value],
    )


def setting(db) -> str | None:
    rows = list(db.query("SELECT value FROM settings WHERE key = 'snapshot_test'"))
    return rows[0]["value"] if rows else None


def test_another_connection_waits_until_the_reading_ends(db, db_path: Path) -> None:
    other = other_connection(db_path)
    put_setting(other, "before")
    with reading(db):
        assert setting(db) == "before"
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            put_setting(other, "during")
        assert setting(db) == "before"
    put_setting(other, "after")
    assert setting(db) == "after"
    other.close()


def test_a_failed_reading_lets_go_of_the_file(db, db_path: Path) -> None:
    other = other_connection(db_path)
    with pytest.raises(RuntimeError), reading(db):
        setting(db)
        raise RuntimeError("stop")
    assert not db.conn.in_transaction
    put_setting(other, "after")
    assert setting(db) == "after"
    other.close()


def test_inside_a_transaction_the_reading_adds_nothing(db) -> None:
    with transaction(db):
        put_setting(db.conn, "written")
        with reading(db):
            assert setting(db) == "written"
        assert db.conn.in_transaction  # the reading did not end the change around it
    assert setting(db) == "written"

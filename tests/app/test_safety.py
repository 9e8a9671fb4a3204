"""备份与操作记录 on a database that cannot be written: the copy is what counts."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.safety import SafetyService
from studyplan.store import audit
from studyplan.store.db import Database


@pytest.fixture
def read_only(db, db_path: Path):
    """The same database opened read-only, as a write-protected file is."""
    database = Database(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None))
    yield database
    database.conn.close()


def _members(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM members").fetchone()[0]
    finally:
        conn.close()


def test_a_read_only_database_is_backed_up_without_a_note(db, read_only, tmp_path) -> None:
    AttendanceService(db).add_member("王建国", "副局长")
    noted = audit.count(db)
    target = tmp_path / "copy.db"
    assert SafetyService(read_only).backup_to(target) == target
    assert _members(target) == 1
    assert audit.count(db) == noted


def test_a_writable_database_notes_its_backup(db, tmp_path) -> None:
    target = tmp_path / "copy.db"
    SafetyService(db).backup_to(target)
    latest = audit.entries(db, limit=1)[0]
    assert (latest.action, latest.detail) == ("备份数据库", str(target))


def test_the_trail_of_a_read_only_database_is_exported(db, read_only, tmp_path) -> None:
    AttendanceService(db).add_member("王建国", "副局长")
    target = tmp_path / "操作记录.csv"
    written = SafetyService(read_only).export_audit(target)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))) == written + 1 == 2


@pytest.mark.parametrize("code", [sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY])
def test_the_note_of_a_backup_is_skipped_when_the_database_cannot_take_it(
    code, monkeypatch
) -> None:
    """A read-only folder (no journal can be made) or another program holding the file:
    the backup stands, only its line in 操作记录 is missing."""
    from studyplan.store import audit

    def refused(*_args, **_kwargs):
        error = sqlite3.OperationalError("refused")
        error.sqlite_errorcode = code
        raise error

    monkeypatch.setattr(audit, "record", refused)
    assert audit.record_if_writable(None, "备份数据库") is False

"""The row log behind undo: what a step changed, written back exactly or refused."""

from __future__ import annotations

import pytest

from studyplan.model.errors import UndoError
from studyplan.store import rowlog
from studyplan.store.db import transaction
from studyplan.store.rowlog import Refusals
from tests.sample_session import dump

RULES = Refusals({"*": "数据此后又有改动，无法{doing}。"}, dependents="已有记录，不能{doing}。")


def _member(db, name: str) -> int:
    cursor = db.execute("INSERT INTO members (name) VALUES (?)", [name])
    return int(cursor.lastrowid)


def _step(db, log, doing="撤销"):
    with transaction(db), rowlog.recording(db) as seen:
        rowlog.revert(db, log, RULES, doing)
    return seen.log


def test_a_step_is_undone_and_redone_exactly_and_the_audit_keeps_logging(db) -> None:
    kept = _member(db, "王建国")
    gone = _member(db, "赵磊")
    before = dump(db)
    audit = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with transaction(db), rowlog.recording(db) as seen:
        _member(db, "钱七")
        db.execute("UPDATE members SET position = '局长' WHERE id = ?", [kept])
        db.execute("DELETE FROM members WHERE id = ?", [gone])
    after = dump(db)
    assert seen.log.tables == {"members"} and len(seen.log.edits) == 3
    undone = _step(db, seen.log)
    assert dump(db) == before
    _step(db, undone, "重做")
    assert dump(db) == after
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] > audit + 6


def test_a_row_changed_since_refuses_and_nothing_is_written(db) -> None:
    member = _member(db, "王建国")
    with transaction(db), rowlog.recording(db) as seen:
        db.execute("UPDATE members SET position = '局长' WHERE id = ?", [member])
    db.execute("UPDATE members SET department = '局领导' WHERE id = ?", [member])
    later = dump(db)
    with pytest.raises(UndoError, match="无法撤销"):
        _step(db, seen.log)
    assert dump(db) == later


def test_removing_an_added_row_with_rows_written_since_is_refused(db) -> None:
    with transaction(db), rowlog.recording(db) as seen:
        member = _member(db, "钱七")
    db.execute("INSERT INTO sessions (date, start, end) VALUES ('2026-03-12', '15:00', '17:00')")
    db.execute("INSERT INTO attendance VALUES (1, ?, 'present', NULL, '')", [member])
    later = dump(db)
    with pytest.raises(UndoError, match="已有记录"):
        _step(db, seen.log)
    assert dump(db) == later


def test_a_deleted_row_whose_id_was_taken_comes_back_under_a_new_one(db) -> None:
    member = _member(db, "王建国")
    with transaction(db), rowlog.recording(db) as seen:
        db.execute("DELETE FROM members WHERE id = ?", [member])
    newcomer = _member(db, "李明")
    db.execute("UPDATE members SET id = ? WHERE id = ?", [member, newcomer])
    _step(db, seen.log)
    names = dict(db.execute("SELECT name, id FROM members").fetchall())
    assert names["李明"] == member and names["王建国"] != member

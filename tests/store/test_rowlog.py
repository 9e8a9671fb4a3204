"""The row log behind undo: what a step changed, written back exactly or refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from studyplan.app.planning import PlanningService
from studyplan.app.roster import RosterService
from studyplan.model.errors import UndoError
from studyplan.model.plan import Session
from studyplan.store import audit, rowlog
from studyplan.store.db import transaction
from studyplan.store.rowlog import Refusals
from tests.sample_session import dump, load_session

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


def test_rows_a_rolled_back_part_wrote_are_not_in_the_log(db) -> None:
    """A savepoint rolled back inside a recorded step (a part that was refused and caught)
    leaves no row in the log, as it leaves none in the database."""
    kept = _member(db, "王建国")
    with transaction(db), rowlog.recording(db) as seen:
        db.execute("UPDATE members SET position = '局长' WHERE id = ?", [kept])
        with pytest.raises(RuntimeError), transaction(db):
            _member(db, "钱七")
            db.execute("UPDATE members SET department = '办公室' WHERE id = ?", [kept])
            raise RuntimeError("refused")
    assert [(e.table, e.rowid) for e in seen.log.edits] == [("members", kept)]
    assert seen.log.rows("members") == [dict(seen.log.rows("members")[0], position="局长")]
    assert seen.log.rows("members")[0]["department"] == ""
    assert db.rows_written == []


def test_a_failed_step_leaves_nothing_for_the_next_recording(db) -> None:
    kept = _member(db, "王建国")
    with pytest.raises(RuntimeError), transaction(db), rowlog.recording(db):
        db.execute("UPDATE members SET position = '局长' WHERE id = ?", [kept])
        raise RuntimeError("refused")
    with transaction(db), rowlog.recording(db) as seen:
        db.execute("UPDATE members SET department = '办公室' WHERE id = ?", [kept])
    assert len(seen.log.edits) == 1
    assert seen.log.rows("members", after=False)[0]["position"] == ""


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


# -- what used to be row snapshots: a session or a member with every row that depends on it
SESSION_TABLES = {
    "sessions",
    "session_topics",
    "attendance",
    "leave_requests",
    "makeups",
    "study_records",
    "speeches",
    "reflections",
    "attachments",
}


@pytest.fixture
def loaded(db, tmp_path):
    return load_session(db, tmp_path / "archive")


def _deleted_session(db, session_id: int):
    with transaction(db), rowlog.recording(db) as seen:
        db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
    return seen.log


def test_the_schema_graph_leaves_out_audit_and_migrations(db) -> None:
    names = rowlog.tables(db)
    assert "audit_log" not in names and "_sqlite_migrations" not in names
    cascades = {(r.child, r.parent) for r in rowlog.references(db) if r.on_delete == "CASCADE"}
    assert ("attendance", "sessions") in cascades and ("topics", "plans") in cascades
    nulls = {(r.child, r.column) for r in rowlog.references(db) if r.on_delete == "SET NULL"}
    assert nulls == {("speeches", "member_id")}


def test_deleting_a_session_logs_every_cascade_and_undo_gives_each_row_back(db, loaded) -> None:
    before = dump(db)
    log = _deleted_session(db, loaded.session_id)
    assert log.tables == SESSION_TABLES
    assert log.removed("sessions") == (loaded.session_id,)
    assert len(log.removed("session_topics")) == 2
    assert len(log.removed("attendance")) == 4
    assert len(log.removed("makeups")) == 2  # 请假 and 缺席
    assert {row["session_id"] for row in log.rows("attendance", after=False)} == {loaded.session_id}
    # the other session's rows are not taken
    assert len(log.edits) == 1 + 2 + 4 + 1 + 2 + 1 + 1 + 1 + 1
    after_delete = dump(db)
    for table in SESSION_TABLES:
        assert len(after_delete[table]) < len(before[table])
    _step(db, log)
    assert dump(db) == before
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_undo_and_redo_twice_over_are_exact(db, loaded) -> None:
    before = dump(db)
    log = _deleted_session(db, loaded.session_id)
    gone = dump(db)
    for _ in range(2):
        log = _step(db, log)
        assert dump(db) == before
        log = _step(db, log, "重做")
        assert dump(db) == gone


def test_a_taken_session_id_gets_a_fresh_one_and_the_rows_on_it_follow(db, loaded) -> None:
    log = _deleted_session(db, loaded.session_id)
    planning = PlanningService(db)
    fresh = planning.save_session(
        Session(date=dt.date(2026, 5, 14), start=dt.time(9), end=dt.time(11))
    )
    assert fresh > loaded.session_id  # ids are never handed out twice (migration 0007)
    # A row written with an explicit id (another restore, say) can still take it.
    db.execute("UPDATE sessions SET id = ? WHERE id = ?", [loaded.session_id, fresh])
    newcomer = loaded.session_id
    undone = _step(db, log)
    (new_id,) = undone.added("sessions")
    assert new_id != newcomer
    assert planning.session(newcomer).date == dt.date(2026, 5, 14)
    assert planning.session(new_id).topic_numbers == (1, 2)
    moved = db.execute("SELECT count(*) FROM attendance WHERE session_id = ?", [new_id])
    assert moved.fetchone()[0] == 4
    stray = db.execute("SELECT count(*) FROM attendance WHERE session_id = ?", [newcomer])
    assert stray.fetchone()[0] == 0
    assert len(undone.edits) == len(log.edits)


def test_rows_whose_parent_is_gone_are_refused_and_nothing_is_written(db, loaded) -> None:
    log = _deleted_session(db, loaded.session_id)
    db.execute("DELETE FROM members WHERE id = ?", [loaded.member_ids[0]])
    before = dump(db)
    with pytest.raises(UndoError, match="无法恢复"):
        _step(db, log)
    assert dump(db) == before


def test_set_null_references_are_linked_again(db, loaded) -> None:
    member_id = loaded.member_ids[0]
    with transaction(db), rowlog.recording(db) as seen:
        db.execute("DELETE FROM members WHERE id = ?", [member_id])
    assert seen.log.updated("speeches") and len(seen.log.removed("attendance")) == 2
    assert db.execute("SELECT member_id FROM speeches").fetchone()[0] is None
    _step(db, seen.log)
    assert db.execute("SELECT member_id FROM speeches").fetchone()[0] == member_id


def test_lenient_tables_keep_a_column_changed_since(db) -> None:
    roster = RosterService(db)
    member = roster.add_member("赵磊", "办公室主任", department="办公室")
    with transaction(db), rowlog.recording(db) as seen:
        roster.update_member(replace(member, position="副主任", department="综合科"))
    roster.update_member(replace(roster.member(member.id), department="人事科"))
    with transaction(db):
        assert rowlog.revert(db, seen.log, Refusals({}, lenient={"members"}), "撤销") == 1
    again = roster.member(member.id)
    assert again.position == "办公室主任"  # put back
    assert again.department == "人事科"  # edited since: kept


def test_an_undo_is_in_the_audit_trail(db, loaded) -> None:
    log = _deleted_session(db, loaded.session_id)
    assert audit.entries(db, limit=1)[0].action == "删除场次"
    _step(db, log)
    assert "新增场次" in {e.action for e in audit.entries(db, limit=20)}

"""Row snapshots: rows with everything cascading from them, written back with their ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from studyplan.app.planning import PlanningService
from studyplan.app.roster import RosterService
from studyplan.model.errors import UndoError
from studyplan.model.plan import Session
from studyplan.store import audit, snapshots
from studyplan.store.db import transaction
from tests.sample_session import dump, load_session

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


def test_the_schema_graph_leaves_out_audit_and_migrations(db) -> None:
    names = snapshots.tables(db)
    assert "audit_log" not in names and "_sqlite_migrations" not in names
    cascades = {(r.child, r.parent) for r in snapshots.references(db) if r.on_delete == "CASCADE"}
    assert ("attendance", "sessions") in cascades and ("topics", "plans") in cascades
    nulls = {(r.child, r.column) for r in snapshots.references(db) if r.on_delete == "SET NULL"}
    assert nulls == {("speeches", "member_id")}
    with pytest.raises(ValueError):
        snapshots.capture(db, "audit_log", [1])


def test_capture_follows_every_cascade_from_a_session(db, loaded) -> None:
    snap = snapshots.capture(db, "sessions", [loaded.session_id])
    assert snap.ids == (loaded.session_id,)
    assert set(snap.tables) == SESSION_TABLES
    assert snap.tables[0] == "sessions"
    assert snap.count("sessions") == 1
    assert snap.count("session_topics") == 2
    assert snap.count("attendance") == 4
    assert snap.count("makeups") == 2  # 请假 and 缺席
    assert {row["session_id"] for row in snap.rows("attendance")} == {loaded.session_id}
    # the other session's rows are not taken
    assert snap.count() == 1 + 2 + 4 + 1 + 2 + 1 + 1 + 1 + 1


def test_delete_then_restore_gives_back_every_row_with_its_id(db, loaded) -> None:
    before = dump(db)
    snap = snapshots.capture(db, "sessions", [loaded.session_id])
    with transaction(db):
        assert snapshots.delete(db, snap) == 1
    after_delete = dump(db)
    for table in SESSION_TABLES:
        assert len(after_delete[table]) < len(before[table])
    restored = snapshots.restore(db, snap)
    assert restored.ids == (loaded.session_id,)
    assert dump(db) == before
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_restore_twice_after_deleting_twice_is_exact(db, loaded) -> None:
    before = dump(db)
    snap = snapshots.capture(db, "sessions", [loaded.session_id])
    for _ in range(2):
        with transaction(db):
            snapshots.delete(db, snap)
        snap = snapshots.restore(db, snap)
        assert dump(db) == before


def test_a_taken_id_gets_a_fresh_one_and_the_children_follow(db, loaded) -> None:
    snap = snapshots.capture(db, "sessions", [loaded.session_id])
    with transaction(db):
        snapshots.delete(db, snap)
    planning = PlanningService(db)
    fresh = planning.save_session(
        Session(date=dt.date(2026, 5, 14), start=dt.time(9), end=dt.time(11))
    )
    assert fresh > loaded.session_id  # ids are never handed out twice (migration 0007)
    # A row written with an explicit id (another restore, say) can still take it.
    db.execute("UPDATE sessions SET id = ? WHERE id = ?", [loaded.session_id, fresh])
    newcomer = loaded.session_id
    restored = snapshots.restore(db, snap)
    (new_id,) = restored.ids
    assert new_id != newcomer
    assert planning.session(newcomer).date == dt.date(2026, 5, 14)
    assert planning.session(new_id).topic_numbers == (1, 2)
    moved = db.execute("SELECT count(*) FROM attendance WHERE session_id = ?", [new_id])
    assert moved.fetchone()[0] == 4
    stray = db.execute("SELECT count(*) FROM attendance WHERE session_id = ?", [newcomer])
    assert stray.fetchone()[0] == 0
    assert restored.count() == snap.count()


def test_restore_refuses_rows_whose_parent_is_gone_and_writes_nothing(db, loaded) -> None:
    snap = snapshots.capture(db, "sessions", [loaded.session_id])
    with transaction(db):
        snapshots.delete(db, snap)
        db.execute("DELETE FROM members WHERE id = ?", [loaded.member_ids[0]])
    before = dump(db)
    with pytest.raises(UndoError, match="无法恢复"):
        snapshots.restore(db, snap)
    assert dump(db) == before


def test_set_null_references_are_linked_again(db, loaded) -> None:
    member_id = loaded.member_ids[0]
    snap = snapshots.capture(db, "members", [member_id])
    assert len(snap.links) == 1 and snap.links[0].table == "speeches"
    assert snap.count("attendance") == 2  # both sessions
    with transaction(db):
        snapshots.delete(db, snap)
    assert db.execute("SELECT member_id FROM speeches").fetchone()[0] is None
    snapshots.restore(db, snap)
    assert db.execute("SELECT member_id FROM speeches").fetchone()[0] == member_id


def test_overwrite_keeps_a_column_changed_since(db) -> None:
    roster = RosterService(db)
    member = roster.add_member("赵磊", "办公室主任", department="办公室")
    before = snapshots.capture(db, "members", [member.id], cascade=False)
    roster.update_member(replace(member, position="副主任", department="综合科"))
    after = snapshots.capture(db, "members", [member.id], cascade=False)
    roster.update_member(replace(roster.member(member.id), department="人事科"))
    with transaction(db):
        assert snapshots.overwrite(db, before, only_if=after) == 1
    again = roster.member(member.id)
    assert again.position == "办公室主任"  # put back
    assert again.department == "人事科"  # edited since: kept


def test_only_keeps_the_named_rows(db) -> None:
    roster = RosterService(db)
    ids = [roster.add_member(name).id for name in ("甲", "乙", "丙")]
    snap = snapshots.capture(db, "members", ids, cascade=False)
    part = snap.only([ids[1]])
    assert part.ids == (ids[1],)
    assert [row["name"] for row in part.rows()] == ["乙"]
    assert snap.only([]).count() == 0


def test_restoring_is_in_the_audit_trail(db, loaded) -> None:
    snap = snapshots.capture(db, "sessions", [loaded.session_id])
    with transaction(db):
        snapshots.delete(db, snap)
    assert audit.entries(db, limit=1)[0].action == "删除场次"
    snapshots.restore(db, snap)
    assert "新增场次" in {e.action for e in audit.entries(db, limit=20)}

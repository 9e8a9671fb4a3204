"""The use cases behind 撤销/重做: each returns what it takes to be undone and redone exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.app.planning import PlanningService
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.errors import UndoError, ValidationError
from studyplan.model.plan import ScheduleRequest, Session, SessionStatus
from tests.sample_session import dump, load_session

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db)
    service.ensure_bundled_plan()
    return service


def _planned(planning: PlanningService, day: dt.date, *topics: int) -> int:
    return planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=topics)
    )


def write_roster(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "姓名", "职务", "处室"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_deleting_a_loaded_session_and_restoring_it(db, tmp_path) -> None:
    loaded = load_session(db, tmp_path / "archive")
    planning = PlanningService(db)
    before = dump(db)
    deleted = planning.delete_session_undoable(loaded.session_id)
    assert deleted.session.id == loaded.session_id
    assert deleted.removed_rows == deleted.snapshot.count() - 1 > 10
    restored = planning.restore_deleted(deleted)
    assert restored.session.id == loaded.session_id
    assert dump(db) == before


def test_schedule_undo_and_redo_are_exact(planning) -> None:
    kept = _planned(planning, dt.date(2026, 1, 8), 1)
    replaced = _planned(planning, dt.date(2026, 2, 12), 2)
    proposal = planning.propose_schedule(
        ScheduleRequest(year=2026, replace_planned=True, start_date=dt.date(2026, 2, 1))
    )
    assert [s.id for s in proposal.removed_sessions] == [replaced]
    before = {s.id: s for s in planning.sessions(2026)}
    applied = planning.apply_schedule_undoable(proposal)
    assert applied.created and applied.removed.ids == (replaced,)
    after = {s.id: s for s in planning.sessions(2026)}

    undone = planning.undo_schedule(applied)
    assert {s.id: s for s in planning.sessions(2026)} == before
    assert kept in before
    redone = planning.redo_schedule(undone)
    assert {s.id: s for s in planning.sessions(2026)} == after
    assert redone.created == applied.created
    again = planning.undo_schedule(redone)
    assert {s.id: s for s in planning.sessions(2026)} == before
    assert again.created_rows is not None


def test_schedule_undo_refused_once_attendance_was_taken(planning, db) -> None:
    attendance = AttendanceService(db)
    member = attendance.add_member("王建国")
    applied = planning.apply_schedule_undoable(
        planning.propose_schedule(ScheduleRequest(year=2026))
    )
    attendance.set_attendance(applied.created[0], member.id, AttendanceStatus.PRESENT)
    sessions = planning.sessions(2026)
    with pytest.raises(UndoError, match="不能撤销"):
        planning.undo_schedule(applied)
    assert planning.sessions(2026) == sessions


def test_schedule_redo_refuses_to_replace_a_session_held_since(planning, db) -> None:
    replaced = _planned(planning, dt.date(2026, 2, 12), 2)
    proposal = planning.propose_schedule(
        ScheduleRequest(year=2026, replace_planned=True, start_date=dt.date(2026, 2, 1))
    )
    undone = planning.undo_schedule(planning.apply_schedule_undoable(proposal))
    attendance = AttendanceService(db)
    attendance.set_attendance(replaced, attendance.add_member("李明").id, AttendanceStatus.PRESENT)
    with pytest.raises(ValidationError, match="已举行"):
        planning.redo_schedule(undone)
    assert planning.session(replaced).status is SessionStatus.HELD


def test_mark_all_present_undo_removes_only_its_marks(planning, db) -> None:
    attendance = AttendanceService(db)
    ids = [attendance.add_member(n).id for n in ("王建国", "李明", "赵磊", "孙丽")]
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    marked = attendance.mark_all_present_undoable(session_id)
    assert marked.member_ids == tuple(ids) and marked.previous_status is SessionStatus.PLANNED
    assert planning.session(session_id).status is SessionStatus.HELD
    attendance.undo_mark_all_present(session_id, marked.member_ids, marked.previous_status)
    assert attendance.counts(session_id).unmarked == 4
    assert planning.session(session_id).status is SessionStatus.PLANNED

    attendance.set_attendance(session_id, ids[0], AttendanceStatus.LEAVE)
    marked = attendance.mark_all_present_undoable(session_id)
    assert marked.member_ids == tuple(ids[1:])
    assert marked.previous_status is SessionStatus.HELD
    attendance.set_attendance(session_id, ids[1], AttendanceStatus.LATE, dt.time(15, 10))
    removed = attendance.undo_mark_all_present(
        session_id, marked.member_ids, marked.previous_status
    )
    assert removed == 2  # 李明 was changed to 迟到 since: his mark stays
    marks = {m.id: mark for m, mark in attendance.attendance(session_id)}
    assert marks[ids[0]].status is AttendanceStatus.LEAVE
    assert marks[ids[1]].status is AttendanceStatus.LATE
    assert marks[ids[2]] is None and marks[ids[3]] is None
    assert planning.session(session_id).status is SessionStatus.HELD


def test_roster_import_undo_and_redo(db, tmp_path) -> None:
    attendance = AttendanceService(db)
    kept = attendance.add_member("王建国", "局长", department="局领导")
    changed = attendance.add_member("赵磊", "副主任", department="办公室")
    path = write_roster(
        tmp_path / "名单.xlsx",
        [
            [1, "王建国", "局长", "局领导"],
            [2, "赵磊", "主任", "办公室"],
            [3, "钱七", "处长", "人事处"],
        ],
    )
    before = dump(db)
    change = attendance.import_roster_undoable(path, today=TODAY)
    assert len(change.added) == 1 and change.before.ids == (changed.id,)
    after = dump(db)
    assert attendance.member(changed.id).position == "主任"

    undone = attendance.undo_import(change)
    assert dump(db) == before
    redone = attendance.redo_import(undone)
    assert dump(db) == after
    assert redone.added == change.added
    assert attendance.member(kept.id) == kept


def test_roster_import_undo_keeps_edits_made_since_and_refuses_history(db, tmp_path) -> None:
    attendance = AttendanceService(db)
    member = attendance.add_member("赵磊", "副主任", department="办公室")
    path = write_roster(
        tmp_path / "名单.xlsx", [[1, "赵磊", "主任", "办公室"], [2, "钱七", "处长", "人事处"]]
    )
    change = attendance.import_roster_undoable(path, today=TODAY)
    edited = attendance.member(member.id)
    attendance.update_member(replace(edited, department="综合科"))
    undone = attendance.undo_import(change)
    again = attendance.member(member.id)
    assert again.position == "副主任" and again.department == "综合科"

    change = attendance.redo_import(undone)
    session_id = _planned(PlanningService(db), dt.date(2026, 3, 12))
    attendance.set_attendance(session_id, change.added[0], AttendanceStatus.PRESENT)
    with pytest.raises(UndoError, match="不能撤销导入"):
        attendance.undo_import(change)
    assert attendance.member(change.added[0]).name == "钱七"


# -- one attendance mark -----------------------------------------------------------------
def test_one_mark_undone_and_redone_exactly(planning, db) -> None:
    attendance = AttendanceService(db)
    wang, li = (attendance.add_member(n).id for n in ("王建国", "李明"))
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    untouched = dump(db)

    absent = attendance.set_attendance_undoable(session_id, wang, AttendanceStatus.ABSENT)
    assert absent.text == "考勤：王建国 未登记→缺席"
    assert absent.after.makeup is not None and absent.after.session_status is SessionStatus.HELD
    marked = dump(db)
    attendance.undo_mark_change(absent)
    assert dump(db) == untouched
    attendance.redo_mark_change(absent)
    assert dump(db) == marked  # the same make-up task, under the same id

    present = attendance.set_attendance_undoable(session_id, wang, AttendanceStatus.PRESENT)
    assert present.after.makeup is None  # an open task goes with 出席
    attendance.undo_mark_change(present)
    assert dump(db) == marked

    cleared = attendance.clear_attendance_undoable(session_id, wang)
    assert cleared.text == "考勤：王建国 缺席→未登记"
    attendance.undo_mark_change(cleared)
    assert dump(db) == marked

    # Another member marked since keeps the session 已举行 when the first mark is undone.
    attendance.set_attendance(session_id, li, AttendanceStatus.PRESENT)
    attendance.undo_mark_change(absent)
    assert attendance.attendance(session_id)[0][1] is None
    assert planning.session(session_id).status is SessionStatus.HELD


def test_one_mark_undo_refused_once_its_task_changed(planning, db) -> None:
    attendance = AttendanceService(db)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    absent = attendance.set_attendance_undoable(session_id, wang, AttendanceStatus.ABSENT)
    assert absent.after.makeup is not None and absent.after.makeup.id is not None
    attendance.complete_makeup(absent.after.makeup.id, dt.date(2026, 3, 20), "自学")
    before = dump(db)
    with pytest.raises(UndoError, match=r"王建国.*无法撤销"):
        attendance.undo_mark_change(absent)
    assert dump(db) == before


def test_one_mark_undo_refused_on_a_cancelled_session(planning, db) -> None:
    attendance = AttendanceService(db)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    late = attendance.set_attendance_undoable(
        session_id, wang, AttendanceStatus.LATE, dt.time(15, 20)
    )
    session = planning.session(session_id)
    planning.save_session(replace(session, status=SessionStatus.CANCELLED))
    before = dump(db)
    with pytest.raises(UndoError, match="已取消"):
        attendance.undo_mark_change(late)
    assert dump(db) == before


# -- leave decisions -----------------------------------------------------------------------
FILED = dt.datetime(2026, 3, 10, 9, 0)
DECIDED = dt.datetime(2026, 3, 10, 10, 0)


def test_approving_leave_undone_and_redone_exactly(planning, db) -> None:
    attendance = AttendanceService(db)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    request = attendance.file_leave(wang, session_id, "出差", FILED, "李局长")
    filed = dump(db)

    approved = do(attendance.approve_leave, request.id, decided_at=DECIDED)
    assert approved.text == "批准请假：王建国"
    assert attendance.attendance(session_id)[0][1].status is AttendanceStatus.LEAVE
    assert [e.member.id for e in attendance.makeups()] == [wang]
    decided = dump(db)
    approved.undo()
    assert dump(db) == filed
    approved.redo()
    assert dump(db) == decided

    refused = do(attendance.reject_leave, request.id, decided_at=DECIDED)
    assert refused.text == "不批准请假：王建国"
    refused.undo()
    assert dump(db) == decided


def test_withdrawing_an_approved_request_undone_exactly(planning, db) -> None:
    attendance = AttendanceService(db)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    request = attendance.file_leave(wang, session_id, "出差", FILED, "李局长")
    attendance.approve_leave(request.id, decided_at=DECIDED)
    approved = dump(db)
    withdrawn = do(attendance.withdraw_leave, request.id, now=DECIDED)
    assert attendance.leave_requests(session_id=session_id) == []
    assert attendance.attendance(session_id)[0][1] is None
    withdrawn.undo()
    assert dump(db) == approved  # the request under its own id, the 请假 mark, the task
    with pytest.raises(UndoError, match="会议开始后不能撤回"):
        withdrawn.redo(dt.datetime(2026, 3, 12, 15, 0))
    assert dump(db) == approved
    withdrawn.redo(DECIDED)
    assert attendance.leave_requests(session_id=session_id) == []


def test_leave_undo_refused_once_the_request_or_mark_changed(planning, db) -> None:
    attendance = AttendanceService(db)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    request = attendance.file_leave(wang, session_id, "出差", FILED, "李局长")
    approved = do(attendance.approve_leave, request.id, decided_at=DECIDED)
    attendance.set_attendance(session_id, wang, AttendanceStatus.PRESENT)  # came after all
    before = dump(db)
    with pytest.raises(UndoError, match="王建国"):
        approved.undo()
    assert dump(db) == before

    refused = do(attendance.reject_leave, request.id, decided_at=DECIDED)
    attendance.withdraw_leave(request.id, now=DECIDED)
    before = dump(db)
    with pytest.raises(UndoError, match="请假申请此后又有改动"):
        refused.undo()
    assert dump(db) == before


def test_leave_undo_never_leaves_two_open_requests(planning, db) -> None:
    attendance = AttendanceService(db)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    first = attendance.file_leave(wang, session_id, "出差", FILED, "李局长")
    attendance.approve_leave(first.id, decided_at=DECIDED)
    withdrawn = do(attendance.withdraw_leave, first.id, now=DECIDED)
    attendance.file_leave(wang, session_id, "改为参加培训", FILED, "李局长")
    before = dump(db)
    with pytest.raises(UndoError, match="已另有一份"):
        withdrawn.undo()
    assert dump(db) == before

    second = attendance.leave_requests(session_id=session_id)[0].request
    refused = do(attendance.reject_leave, second.id, decided_at=DECIDED)
    third = attendance.file_leave(wang, session_id, "再次申请", FILED, "李局长")
    attendance.approve_leave(third.id, decided_at=DECIDED)
    before = dump(db)
    with pytest.raises(UndoError, match="已另有一份"):
        refused.undo()  # it would be pending beside the approved one
    assert dump(db) == before


def test_redo_keeps_the_rules_of_the_first_time(planning, db) -> None:
    attendance = AttendanceService(db)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    request = attendance.file_leave(wang, session_id, "出差", FILED, "李局长")
    attendance.set_attendance(session_id, wang, AttendanceStatus.LEAVE)
    approved = do(attendance.approve_leave, request.id, decided_at=DECIDED)
    assert not approved.log.touches("attendance", "makeups")  # already 请假
    approved.undo()
    planning.save_session(replace(planning.session(session_id), status=SessionStatus.CANCELLED))
    with pytest.raises(UndoError, match="已取消"):
        approved.redo()

    # A mark is not redone for a member who has left the group by the session's day.
    other = _planned(planning, dt.date(2026, 4, 9), 2)
    li = attendance.add_member("李明").id
    marked = attendance.set_attendance_undoable(other, li, AttendanceStatus.PRESENT)
    attendance.undo_mark_change(marked)
    attendance.deactivate_member(li, dt.date(2026, 3, 31))
    before = dump(db)
    with pytest.raises(UndoError, match="李明"):
        attendance.redo_mark_change(marked)
    assert dump(db) == before


def test_refusing_or_withdrawing_on_a_cancelled_session_can_be_undone(planning, db) -> None:
    attendance = AttendanceService(db)
    wang, li = (attendance.add_member(n).id for n in ("王建国", "李红梅"))
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    pending = attendance.file_leave(wang, session_id, "出差", FILED, "李局长")
    other = attendance.file_leave(li, session_id, "培训", FILED, "李局长")
    planning.save_session(replace(planning.session(session_id), status=SessionStatus.CANCELLED))
    before = dump(db)
    withdrawn = do(attendance.withdraw_leave, pending.id, now=DECIDED)
    refused = do(attendance.reject_leave, other.id, decided_at=DECIDED)
    refused.undo()
    withdrawn.undo(DECIDED)
    assert dump(db) == before


def test_approving_leave_runs_fewer_statements_than_before(planning, db) -> None:
    """Issue 12: approving one request ran 26 SQL statements with its undo record."""
    attendance = AttendanceService(db)
    wang, li = (attendance.add_member(n).id for n in ("王建国", "李明"))
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    first = attendance.file_leave(wang, session_id, "出差", FILED, "李局长")
    second = attendance.file_leave(li, session_id, "培训", FILED, "李局长")
    do(attendance.approve_leave, first.id, decided_at=DECIDED)  # sets the recording up
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        approved = do(attendance.approve_leave, second.id, decided_at=DECIDED)
    finally:
        db.conn.set_trace_callback(None)
    assert approved.text == "批准请假：李明"
    assert len(statements) < 26

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
from studyplan.model.clock import FixedClock
from studyplan.model.errors import UndoError, ValidationError
from studyplan.model.plan import ScheduleRequest, Session, SessionStatus
from tests.sample_session import dump, load_session

TODAY = dt.date(2026, 3, 1)
#: The services' clock: the evening a make-up of the 12 March session is done, after every
#: request below was filed and decided.
CLOCK = FixedClock(dt.datetime(2026, 3, 20, 17, 0))


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db, clock=CLOCK)
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
    planning = PlanningService(db, clock=CLOCK)
    before = dump(db)
    deleted = do(planning.delete_session, loaded.session_id)
    assert deleted.result.id == loaded.session_id
    assert deleted.log.removed("sessions") == (loaded.session_id,)
    assert len(deleted.log.edits) - 1 > 10  # the rows that went with the session
    deleted.undo()
    assert deleted.session_ids == {loaded.session_id}
    assert dump(db) == before


def test_schedule_undo_and_redo_are_exact(planning) -> None:
    kept = _planned(planning, dt.date(2026, 1, 8), 1)
    replaced = _planned(planning, dt.date(2026, 2, 12), 2)
    proposal = planning.propose_schedule(
        ScheduleRequest(year=2026, replace_planned=True, start_date=dt.date(2026, 2, 1))
    )
    assert [s.id for s in proposal.removed_sessions] == [replaced]
    before = {s.id: s for s in planning.sessions(2026)}
    applied = do(planning.apply_schedule, proposal)
    created = applied.result
    assert created and applied.log.removed("sessions") == (replaced,)
    after = {s.id: s for s in planning.sessions(2026)}

    applied.undo()
    assert {s.id: s for s in planning.sessions(2026)} == before
    assert kept in before
    applied.redo()
    assert {s.id: s for s in planning.sessions(2026)} == after
    assert applied.log.removed("sessions") == (replaced,)
    assert sorted(applied.log.added("sessions")) == sorted(created)
    applied.undo()
    assert {s.id: s for s in planning.sessions(2026)} == before
    assert sorted(applied.log.removed("sessions")) == sorted(created)


def test_schedule_undo_refused_once_attendance_was_taken(planning, db) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
    member = attendance.add_member("王建国")
    applied = do(planning.apply_schedule, planning.propose_schedule(ScheduleRequest(year=2026)))
    attendance.set_attendance(applied.result[0], member.id, AttendanceStatus.PRESENT)
    sessions = planning.sessions(2026)
    with pytest.raises(UndoError, match="不能撤销"):
        applied.undo()
    assert planning.sessions(2026) == sessions


def test_schedule_redo_refuses_to_replace_a_session_held_since(planning, db) -> None:
    replaced = _planned(planning, dt.date(2026, 2, 12), 2)
    proposal = planning.propose_schedule(
        ScheduleRequest(year=2026, replace_planned=True, start_date=dt.date(2026, 2, 1))
    )
    undone = do(planning.apply_schedule, proposal)
    undone.undo()
    attendance = AttendanceService(db, clock=CLOCK)
    attendance.set_attendance(replaced, attendance.add_member("李明").id, AttendanceStatus.PRESENT)
    with pytest.raises(ValidationError, match="已举行"):
        undone.redo()
    assert planning.session(replaced).status is SessionStatus.HELD


def test_mark_all_present_undo_removes_only_its_marks(planning, db) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
    ids = [attendance.add_member(n).id for n in ("王建国", "李明", "赵磊", "孙丽")]
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    marked = do(attendance.mark_all_present, session_id)
    assert sorted(marked.member_ids) == ids
    [previous] = marked.log.rows("sessions", after=False)
    assert SessionStatus(previous["status"]) is SessionStatus.PLANNED
    assert planning.session(session_id).status is SessionStatus.HELD
    marked.undo()
    assert attendance.counts(session_id).unmarked == 4
    assert planning.session(session_id).status is SessionStatus.PLANNED

    attendance.set_attendance(session_id, ids[0], AttendanceStatus.LEAVE)
    marked = do(attendance.mark_all_present, session_id)
    assert sorted(marked.member_ids) == ids[1:]
    assert not marked.log.touches("sessions")  # it was 已举行 before
    attendance.set_attendance(session_id, ids[1], AttendanceStatus.LATE, dt.time(15, 10))
    marked.undo()
    removed = marked.written
    assert removed == 2  # 李明 was changed to 迟到 since: his mark stays
    marks = {m.id: mark for m, mark in attendance.attendance(session_id)}
    assert marks[ids[0]].status is AttendanceStatus.LEAVE
    assert marks[ids[1]].status is AttendanceStatus.LATE
    assert marks[ids[2]] is None and marks[ids[3]] is None
    assert planning.session(session_id).status is SessionStatus.HELD


def test_roster_import_undo_and_redo(db, tmp_path) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
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
    change = do(attendance.import_roster, path, today=TODAY)
    added = change.log.added("members")
    assert len(added) == 1 and change.log.updated("members") == (changed.id,)
    after = dump(db)
    assert attendance.member(changed.id).position == "主任"

    change.undo()
    assert dump(db) == before
    change.redo()
    assert dump(db) == after
    assert change.log.added("members") == added
    assert attendance.member(kept.id) == kept


def test_roster_import_undo_keeps_edits_made_since_and_refuses_history(db, tmp_path) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
    member = attendance.add_member("赵磊", "副主任", department="办公室")
    path = write_roster(
        tmp_path / "名单.xlsx", [[1, "赵磊", "主任", "办公室"], [2, "钱七", "处长", "人事处"]]
    )
    change = do(attendance.import_roster, path, today=TODAY)
    edited = attendance.member(member.id)
    attendance.update_member(replace(edited, department="综合科"))
    change.undo()
    again = attendance.member(member.id)
    assert again.position == "副主任" and again.department == "综合科"

    change.redo()
    [added] = change.log.added("members")
    session_id = _planned(PlanningService(db, clock=CLOCK), dt.date(2026, 3, 12))
    attendance.set_attendance(session_id, added, AttendanceStatus.PRESENT)
    with pytest.raises(UndoError, match="不能撤销导入"):
        change.undo()
    assert attendance.member(added).name == "钱七"


# -- one attendance mark -----------------------------------------------------------------
def test_one_mark_undone_and_redone_exactly(planning, db) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
    wang, li = (attendance.add_member(n).id for n in ("王建国", "李明"))
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    untouched = dump(db)

    absent = do(attendance.set_attendance, session_id, wang, AttendanceStatus.ABSENT)
    assert absent.text == "考勤：王建国 未登记→缺席"
    assert absent.log.rows("makeups") and absent.log.rows("sessions")[0]["status"] == "held"
    marked = dump(db)
    absent.undo()
    assert dump(db) == untouched
    absent.redo()
    assert dump(db) == marked  # the same make-up task, under the same id

    present = do(attendance.set_attendance, session_id, wang, AttendanceStatus.PRESENT)
    assert present.log.removed("makeups")  # an open task goes with 出席
    present.undo()
    assert dump(db) == marked

    cleared = do(attendance.clear_attendance, session_id, wang)
    assert cleared.text == "考勤：王建国 缺席→未登记"
    cleared.undo()
    assert dump(db) == marked

    # Another member marked since keeps the session 已举行 when the first mark is undone.
    attendance.set_attendance(session_id, li, AttendanceStatus.PRESENT)
    absent.undo()
    assert attendance.attendance(session_id)[0][1] is None
    assert planning.session(session_id).status is SessionStatus.HELD


def test_one_mark_undo_refused_once_its_task_changed(planning, db) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    absent = do(attendance.set_attendance, session_id, wang, AttendanceStatus.ABSENT)
    [makeup_id] = absent.log.added("makeups")
    attendance.complete_makeup(makeup_id, dt.date(2026, 3, 20), "自学")
    before = dump(db)
    with pytest.raises(UndoError, match=r"王建国.*无法撤销"):
        absent.undo()
    assert dump(db) == before


def test_one_mark_undo_refused_on_a_cancelled_session(planning, db) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
    wang = attendance.add_member("王建国").id
    session_id = _planned(planning, dt.date(2026, 3, 12), 1)
    late = do(attendance.set_attendance, session_id, wang, AttendanceStatus.LATE, dt.time(15, 20))
    session = planning.session(session_id)
    planning.save_session(replace(session, status=SessionStatus.CANCELLED))
    before = dump(db)
    with pytest.raises(UndoError, match="已取消"):
        late.undo()
    assert dump(db) == before


# -- leave decisions -----------------------------------------------------------------------
FILED = dt.datetime(2026, 3, 10, 9, 0)
DECIDED = dt.datetime(2026, 3, 10, 10, 0)


def test_approving_leave_undone_and_redone_exactly(planning, db) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
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
    attendance = AttendanceService(db, clock=CLOCK)
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
    attendance = AttendanceService(db, clock=CLOCK)
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
    attendance = AttendanceService(db, clock=CLOCK)
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
    attendance = AttendanceService(db, clock=CLOCK)
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
    marked = do(attendance.set_attendance, other, li, AttendanceStatus.PRESENT)
    marked.undo()
    attendance.deactivate_member(li, dt.date(2026, 3, 31))
    before = dump(db)
    with pytest.raises(UndoError, match="李明"):
        marked.redo()
    assert dump(db) == before


def test_refusing_or_withdrawing_on_a_cancelled_session_can_be_undone(planning, db) -> None:
    attendance = AttendanceService(db, clock=CLOCK)
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
    attendance = AttendanceService(db, clock=CLOCK)
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
    # Eight of its own: BEGIN, three reads (store.leave.case), the decision, the mark, the
    # make-up, COMMIT; the tracer reports each write again for every trigger it fires.
    own = set(statements)
    assert len(own) == 8, own

"""The audit trail (操作记录) the triggers of migration 0006 write."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.safety import export_audit_csv
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.errors import ExportFileError
from studyplan.model.plan import Session, SessionStatus
from studyplan.store import audit
from studyplan.store.db import Database, transaction

DAY = dt.date(2026, 3, 12)


@pytest.fixture
def services(db):
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    return planning, AttendanceService(db)


def _session(planning: PlanningService, **changes) -> int:
    session = Session(
        date=DAY, start=dt.time(15), end=dt.time(17), location="局机关三楼会议室", **changes
    )
    return planning.save_session(session)


def _actions(db) -> list[tuple[str, str]]:
    return [(e.action, e.detail) for e in audit.entries(db)]


def test_a_new_session_is_recorded(db, services) -> None:
    planning, _ = services
    _session(planning)
    latest = audit.entries(db, limit=1)[0]
    assert latest.action == "新增场次"
    assert latest.detail == "2026-03-12 15:00 局机关三楼会议室"
    assert abs(latest.at - dt.datetime.now()) < dt.timedelta(minutes=1)


def test_session_changes_show_old_and_new(db, services) -> None:
    planning, _ = services
    session_id = _session(planning)
    session = planning.session(session_id)
    planning.save_session(
        Session(
            date=dt.date(2026, 3, 19),
            start=dt.time(15),
            end=dt.time(17),
            location="局机关五楼会议室",
            id=session_id,
            topic_numbers=session.topic_numbers,
        )
    )
    action, detail = _actions(db)[0]
    assert action == "修改场次"
    assert "2026-03-12 15:00–17:00 → 2026-03-19 15:00–17:00" in detail
    assert "地点：局机关三楼会议室→局机关五楼会议室" in detail
    planning.delete_session(session_id)
    assert _actions(db)[0] == ("删除场次", "2026-03-19 15:00 局机关五楼会议室")


def test_an_update_that_changes_nothing_is_not_recorded(db, services) -> None:
    planning, _ = services
    session_id = _session(planning)
    before = audit.count(db)
    planning.save_session(planning.session(session_id))
    assert audit.count(db) == before


def test_attendance_changes_are_recorded_with_names_and_dates(db, services) -> None:
    planning, service = services
    session_id = _session(planning)
    member = service.add_member("张三", "办公室主任")
    assert _actions(db)[0] == ("新增成员", "张三（办公室主任）")
    service.set_attendance(session_id, member.id, AttendanceStatus.PRESENT)
    kinds = [a for a, _ in _actions(db)]
    assert "登记考勤" in kinds and "更改场次状态" in kinds
    assert ("登记考勤", "张三 2026-03-12 出席") in _actions(db)
    service.set_attendance(session_id, member.id, AttendanceStatus.LEAVE)
    assert ("修改考勤", "张三 2026-03-12 出席→请假") in _actions(db)
    assert any(a == "新增补学" and d.startswith("张三 2026-03-12 截止") for a, d in _actions(db))


def test_leave_approval_and_makeup_completion_are_recorded(db, services) -> None:
    planning, service = services
    session_id = _session(planning)
    member = service.add_member("李四")
    request = service.file_leave(
        member.id,
        session_id,
        "参加市政府专题会议",
        filed_at=dt.datetime(2026, 3, 10, 9),
        now=dt.datetime(2026, 3, 10, 9),
    )
    assert _actions(db)[0] == ("新增请假", "李四 2026-03-12 参加市政府专题会议")
    service.approve_leave(request.id, approver="王局长", decided_at=dt.datetime(2026, 3, 10, 11))
    actions = _actions(db)
    assert ("审批请假", "李四 2026-03-12 已批准（审批人：王局长）") in actions
    assert ("登记考勤", "李四 2026-03-12 请假") in actions
    makeup = service.makeups(today=DAY)[0].makeup
    service.complete_makeup(
        makeup.id, dt.date(2026, 3, 20), "自学原文", "学习笔记一份", today=dt.date(2026, 3, 20)
    )
    assert _actions(db)[0] == ("完成补学", "李四 2026-03-12 完成于 2026-03-20 自学原文")


def test_member_leaving_and_deleting_a_session_cascade(db, services) -> None:
    planning, service = services
    session_id = _session(planning)
    member = service.add_member("赵五")
    service.set_attendance(session_id, member.id, AttendanceStatus.ABSENT)
    service.deactivate_member(member.id, dt.date(2026, 6, 30))
    assert _actions(db)[0][0] == "成员离任" and "2026-06-30" in _actions(db)[0][1]
    before = audit.count(db)
    planning.delete_session(session_id)
    # Only the session's deletion is listed, not each attendance mark or make-up with it.
    assert audit.count(db) == before + 1
    assert _actions(db)[0][0] == "删除场次"


def test_plans_and_calendar_overrides_are_recorded(db, services) -> None:
    from studyplan.model.plan import CalendarOverride

    planning, _ = services
    assert any(a == "导入学习计划" and d.startswith("2026年") for a, d in _actions(db))
    planning.set_overrides(2026, [CalendarOverride(dt.date(2026, 10, 10), True, "国庆调休")])
    assert _actions(db)[0] == ("设置调休", "2026-10-10 调为工作日（国庆调休）")


def test_entries_filter_by_time_and_limit(db) -> None:
    with transaction(db):
        for day in (1, 2, 3):
            audit.record(db, "备份", f"第{day}次", at=dt.datetime(2026, 5, day, 8, 0))
    assert [e.detail for e in audit.entries(db, limit=2)] == ["第3次", "第2次"]
    assert [e.detail for e in audit.entries(db, since=dt.date(2026, 5, 2))] == ["第3次", "第2次"]
    assert [e.detail for e in audit.entries(db, until=dt.date(2026, 5, 2))] == ["第2次", "第1次"]
    assert [
        e.detail for e in audit.entries(db, since=dt.datetime(2026, 5, 2, 9, 0), until=None)
    ] == ["第3次"]
    assert audit.entries(db, action="备份")[0].at == dt.datetime(2026, 5, 3, 8, 0)


def test_export_csv_opens_in_excel(db, services, tmp_path: Path) -> None:
    planning, _ = services
    _session(planning)
    audit.record(db, "=HYPERLINK", "-1+1")
    out = tmp_path / "操作记录.csv"
    written = export_audit_csv(db, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["时间", "操作", "内容"]
    assert len(rows) == written + 1
    assert rows[1][1:] == ["'=HYPERLINK", "'-1+1"]
    assert ["新增场次", "2026-03-12 15:00 局机关三楼会议室"] in [r[1:] for r in rows]


def test_export_to_a_missing_folder_is_a_sentence(db, tmp_path: Path) -> None:
    with pytest.raises(ExportFileError):
        export_audit_csv(db, tmp_path / "nowhere" / "x.csv")


def test_bulk_marking_logs_every_mark(db, services) -> None:
    """Marking 60 members present over 24 sessions logs each mark once and holds each
    session. (Its speed is measured in bench/: 考勤 全部出席 on a 60-member session.)"""
    planning, service = services
    with transaction(db):
        for i in range(60):
            service.add_member(f"成员{i}")
        ids = [
            planning.save_session(
                Session(
                    date=dt.date(2026, 1, 5) + dt.timedelta(days=7 * n),
                    start=dt.time(15),
                    end=dt.time(17),
                ),
                allow_day_off=True,  # weekly through the Spring Festival
            )
            for n in range(24)
        ]
    for session_id in ids:
        assert service.mark_all_present(session_id) == 60
    assert len(audit.entries(db, action="登记考勤")) == 60 * 24
    assert planning.session(ids[0]).status is SessionStatus.HELD


def test_export_onto_the_database_file_is_refused_and_writes_nothing(db, db_path: Path) -> None:
    before = db_path.read_bytes()
    link = db_path.with_name("操作记录.csv")
    link.symlink_to(db_path)
    for target in (db_path, link):
        with pytest.raises(ExportFileError, match="正在使用的数据库文件本身"):
            export_audit_csv(db, target)
    assert db_path.read_bytes() == before
    assert link.resolve() == db_path.resolve()


def _read_only(db_path: Path) -> Database:
    return Database(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None))


def test_a_note_on_a_read_only_database_is_skipped(db, db_path: Path) -> None:
    before = audit.count(db)
    read_only = _read_only(db_path)
    try:
        assert audit.record_if_writable(read_only, "备份数据库", "copy.db") is False
    finally:
        read_only.conn.close()
    assert audit.count(db) == before
    assert audit.record_if_writable(db, "备份数据库", "copy.db") is True
    assert audit.entries(db, limit=1)[0].detail == "copy.db"


def test_other_failures_of_a_note_are_not_hidden(db, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        audit.record_if_writable(db, "备份数据库")

"""操作记录 of the learning archive (migration 0008): minutes, materials, speeches,
reflections, attachments and the settings of 设置."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.app.safety import SafetyService
from studyplan.model.plan import Session

DAY = dt.date(2026, 3, 12)


@pytest.fixture
def setup(db, tmp_path: Path):
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    attendance = AttendanceService(db)
    member = attendance.add_member("王建国", "局长")
    session_id = planning.save_session(
        Session(date=DAY, start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )  # a topic with readings: the record starts with them as its materials
    return RecordsService(db, tmp_path / "档案"), attendance, member.id, session_id


def _last_id(db) -> int:
    return db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def _since(db, last: int) -> list[tuple[str, str]]:
    """The lines written after `last`, oldest first."""
    rows = db.execute("SELECT action, detail FROM audit_log WHERE id > ? ORDER BY id", [last])
    return [tuple(row) for row in rows]


def test_each_change_to_a_study_record_is_one_line(db, setup, tmp_path) -> None:
    records, _attendance, member_id, session_id = setup
    start = _last_id(db)
    records.save_minutes(session_id, "会议由王建国同志主持。")
    records.save_minutes(session_id, "会议由王建国同志主持。")  # unchanged: no line
    records.save_materials(session_id, ["《习近平谈治国理政》第五卷"])
    speech = records.add_speech(session_id, "王建国", "深刻把握核心要义", member_id=member_id)
    records.set_reflection(session_id, member_id, dt.date(2026, 3, 20), "学习体会")
    source = tmp_path / "会议通知.pdf"
    source.write_bytes(b"%PDF-1.4 notice")
    attachment = records.attach_file(session_id, source)
    records.remove_attachment(attachment.id)
    records.remove_speech(speech.id)
    assert _since(db, start) == [
        ("填写学习记录", "2026-03-12 会议记录"),
        ("修改学习记录", "2026-03-12 学习资料"),
        ("新增研讨发言", "2026-03-12 王建国：深刻把握核心要义"),
        ("登记心得体会", "王建国 2026-03-12 提交于 2026-03-20 学习体会"),
        ("添加附件", "2026-03-12 会议通知.pdf"),
        ("移除附件", "2026-03-12 会议通知.pdf"),
        ("删除研讨发言", "2026-03-12 王建国：深刻把握核心要义"),
    ]


def test_a_deleted_session_is_one_line_not_one_per_record(db, setup) -> None:
    records, _attendance, member_id, session_id = setup
    records.save_minutes(session_id, "纪要")
    records.add_speech(session_id, "王建国", member_id=member_id)
    start = _last_id(db)
    PlanningService(db).delete_session(session_id)
    assert [action for action, _ in _since(db, start)] == ["删除场次"]


def test_the_settings_of_the_dialog_are_recorded_and_derived_data_is_not(db, setup) -> None:
    _records, attendance, _member_id, _session_id = setup
    start = _last_id(db)
    attendance.set_makeup_due_days(14)  # the default, confirmed unchanged: nothing to note
    SafetyService(db).set_backups_to_keep(30)
    attendance.set_makeup_due_days(21)
    SafetyService(db).set_backups_to_keep(60)
    SafetyService(db).set_backups_to_keep(60)
    PlanningService(db).remember_holidays()
    assert _since(db, start) == [
        ("修改设置", "补学期限 21 天"),
        ("修改设置", "自动备份保留 60 份"),
    ]
    attendance.set_makeup_due_days(14)
    assert _since(db, start)[-1] == ("修改设置", "补学期限 21→14 天")

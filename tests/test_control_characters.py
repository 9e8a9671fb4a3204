"""Control characters and NUL never reach the record: a plan or roster carrying them imports
without them, text typed into the window loses them, and the ledger then exports (the
.xlsx format refuses them, which made every export fail until the topic was edited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import openpyxl

from studyplan.app.ledger import export_ledger
from studyplan.app.planning import PlanningService
from studyplan.app.roster import RosterService
from studyplan.io.plan_import import parse_plan_text
from studyplan.io.roster_import import cell_text
from studyplan.model.plan import Session
from studyplan.model.text import printable_text

BAD = "\x00\x07\x1b\x7f\x85"


def test_printable_text_drops_controls_and_keeps_tabs_and_line_breaks() -> None:
    assert printable_text(f"学{BAD}习\t材料\r\n第二行\r第三行") == "学习\t材料\n第二行\n第三行"


def test_a_plan_with_nul_and_bell_in_a_topic_imports_and_the_ledger_exports(
    db, tmp_path: Path
) -> None:
    text = "二、专题内容\n1. 学习\x00党的\x07二十大精神\n学习\x1c内容\n2. 第二个专题"
    path = tmp_path / "计划.txt"
    path.write_text(text, encoding="utf-8")
    planning = PlanningService(db)
    plan = planning.import_plan(path, 2026)
    assert [t.title for t in plan.topics] == ["学习党的二十大精神", "第二个专题"]
    assert plan.topics[0].description == "学习内容"
    planning.save_session(
        Session(
            date=dt.date(2026, 3, 12),
            start=dt.time(9),
            end=dt.time(11),
            location=f"三楼{BAD}会议室",
            host=f"王{BAD}建国",
            notes=f"备注{BAD}",
            topic_numbers=(1,),
        )
    )
    out = export_ledger(db, tmp_path / "台账.xlsx", 2026, today=dt.date(2026, 12, 1))
    workbook = openpyxl.load_workbook(out)
    values = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert any("学习党的二十大精神" in value for value in values)
    assert any("三楼会议室" in value for value in values)
    assert not any(char in value for value in values for char in BAD)


def test_parsed_text_splits_lines_only_at_line_breaks() -> None:
    plan = parse_plan_text("二、专题内容\n1. 专题\x1c名称\x85一", 2026)
    assert [t.title for t in plan.topics] == ["专题名称一"]


def test_roster_cells_and_members_typed_in_the_window_lose_control_characters(db) -> None:
    assert cell_text(f"局{BAD}长 ") == "局长"
    roster = RosterService(db)
    member = roster.add_member(f"李{BAD}红梅", f"副{BAD}局长", department=f"局{BAD}领导")
    assert (member.name, member.position, member.department) == ("李红梅", "副局长", "局领导")
    updated = roster.update_member(replace(member, position=f"局{BAD}长"))
    assert updated.position == "局长"


def test_every_other_text_typed_in_the_window_loses_them_and_the_ledger_exports(
    db, tmp_path: Path
) -> None:
    """Leave reasons, approvers, make-up method and evidence, materials, reflections and the
    names of working-day overrides: each kind of text the window saves."""
    from studyplan.app.attendance import AttendanceService
    from studyplan.app.records import RecordsService
    from studyplan.model.attendance import AttendanceStatus
    from studyplan.model.plan import CalendarOverride

    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    attendance = AttendanceService(db)
    records = RecordsService(db, tmp_path / "档案")
    wang = attendance.add_member("王建国", "局长")
    li = attendance.add_member("李红梅", "副局长")
    day = dt.date(2026, 3, 12)
    session_id = planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )
    filed = dt.datetime(2026, 3, 10, 9, 0)
    request = attendance.file_leave(
        wang.id, session_id, f"出{BAD}差", filed, f"李{BAD}局长", now=filed
    )
    attendance.approve_leave(request.id, decided_at=filed + dt.timedelta(hours=1))
    attendance.set_attendance(session_id, li.id, AttendanceStatus.ABSENT)
    task = next(e for e in attendance.makeups(today=day) if e.member.id == li.id)
    attendance.complete_makeup(
        task.makeup.id, day, f"自学{BAD}原文", "心得\x00一篇\r\n已交", today=day
    )
    records.save_materials(session_id, [f"《学习{BAD}读本》"])
    records.set_reflection(session_id, wang.id, day, f"学习{BAD}心得", f"备{BAD}注")
    planning.set_overrides(2026, [CalendarOverride(dt.date(2026, 5, 9), True, f"调{BAD}休")])

    [entry] = attendance.leave_requests(session_id=session_id)
    assert (entry.request.reason, entry.request.approver) == ("出差", "李局长")
    done = next(e for e in attendance.makeups(today=day) if e.member.id == li.id).makeup
    assert (done.method, done.evidence) == ("自学原文", "心得一篇\n已交")
    record = records.record(session_id)
    assert record.materials == ["《学习读本》"]
    assert [(r.title, r.note) for r in record.reflections] == [("学习心得", "备注")]
    assert [o.name for o in planning.overrides()] == ["调休"]

    out = export_ledger(db, tmp_path / "台账.xlsx", 2026, today=dt.date(2026, 6, 1))
    cells = [
        str(c)
        for ws in openpyxl.load_workbook(out).worksheets
        for row in ws.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    assert not any(ch in text for text in cells for ch in BAD)
    assert any("出差" in text for text in cells)

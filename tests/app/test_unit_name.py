"""One rule names the unit: the ledger and the sign-in sheet of one plan carry the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.ledger import export_ledger
from studyplan.app.planning import PlanningService
from studyplan.app.signin import build_signin_sheet
from studyplan.model.plan import Plan, Session, Topic
from studyplan.model.planning import PlanReplacement


@pytest.mark.parametrize(
    "title",
    ["2026年市科学技术局理论学习中心组学习计划", "市科学技术局2026年理论学习中心组专题学习计划"],
)
def test_ledger_and_signin_sheet_name_the_same_unit(db, tmp_path: Path, title: str) -> None:
    planning = PlanningService(db)
    plan = Plan(year=2026, title=title, topics=(Topic(2026, 1, "学习党的创新理论"),))
    planning.replace_plan(PlanReplacement(plan, replaces=False))
    sid = planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17), topic_numbers=[1])
    )
    sheet = build_signin_sheet(planning, AttendanceService(db), sid)
    out = export_ledger(db, tmp_path / "台账.xlsx", 2026, today=dt.date(2026, 12, 1))
    first_title = openpyxl.load_workbook(out).worksheets[0]["A1"].value

    assert sheet.org == "市科学技术局"
    assert sheet.title.startswith("市科学技术局")
    assert first_title.startswith("市科学技术局2026年")

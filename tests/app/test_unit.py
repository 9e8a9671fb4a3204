"""设置 → 单位信息: the unit's details, and the one rule that names the unit everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from studyplan.app.ledger import export_ledger
from studyplan.app.planning import PlanningService
from studyplan.app.unit import UnitService
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Plan, Session, Topic
from studyplan.model.planning import PlanReplacement
from studyplan.model.unit import DEFAULT_GROUP_NAME, UnitDetails
from studyplan.store import audit


@pytest.fixture
def unit(db) -> UnitService:
    return UnitService(db)


def _plan(db, year: int, title: str) -> None:
    plan = Plan(year=year, title=title, topics=(Topic(year, 1, "专题一"),))
    PlanningService(db).replace_plan(PlanReplacement(plan, replaces=False))


def test_details_start_empty_with_the_usual_group_name(unit) -> None:
    assert unit.details() == UnitDetails("", DEFAULT_GROUP_NAME, "", "")
    assert not unit.is_set()
    assert unit.next_brief_number() == 1


def test_details_are_saved_trimmed_and_noted_in_the_trail(unit, db) -> None:
    saved = unit.save(UnitDetails(" 县 发展和改革局 ", "", "张  敏", "0351-1234567"))
    assert saved == UnitDetails("县 发展和改革局", DEFAULT_GROUP_NAME, "张 敏", "0351-1234567")
    assert unit.details() == saved and unit.is_set()
    noted = [e.detail for e in audit.entries(db, action="修改设置")]
    assert any(d.startswith("单位名称 县 发展和改革局") for d in noted)
    assert any(d.startswith("学习秘书 张 敏") for d in noted)
    count = len(audit.entries(db))
    unit.save(saved)  # nothing changed: nothing written, nothing noted
    assert len(audit.entries(db)) == count


def test_a_detail_too_long_is_refused_and_nothing_is_saved(unit) -> None:
    with pytest.raises(ValidationError, match="单位名称过长"):
        unit.save(UnitDetails(name="局" * 61))
    assert not unit.is_set()


def test_the_next_brief_number_is_kept_within_its_range(unit) -> None:
    unit.set_next_brief_number(12)
    assert unit.next_brief_number() == 12
    with pytest.raises(ValidationError, match="简报期号"):
        unit.set_next_brief_number(0)


def test_the_unit_is_named_by_settings_first_then_by_the_plans(unit, db) -> None:
    assert unit.unit_name(2026) == ""
    _plan(db, 2025, "市科学技术局2025年理论学习中心组学习计划")
    _plan(db, 2026, "2026年理论学习中心组学习计划")  # names no unit
    assert unit.unit_name(2026) == "市科学技术局"  # the newest plan that names one
    assert unit.unit_name(None) == "市科学技术局"
    unit.save(UnitDetails(name="县发展和改革局"))
    assert unit.unit_name(2025) == "县发展和改革局"


def test_the_ledger_carries_the_unit_set_in_settings(unit, db, tmp_path: Path) -> None:
    _plan(db, 2026, "市科学技术局2026年理论学习中心组学习计划")
    PlanningService(db).save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17))
    )
    unit.save(UnitDetails(name="县发展和改革局"))
    out = export_ledger(db, tmp_path / "台账.xlsx", 2026, today=dt.date(2026, 12, 1))
    titles = [ws["A1"].value for ws in openpyxl.load_workbook(out).worksheets]
    assert all(t.startswith("县发展和改革局2026年") for t in titles)

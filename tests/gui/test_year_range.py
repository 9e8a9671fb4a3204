"""The dialogs offer exactly the years the model accepts (model/years.py), no more, no less."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from studyplan.gui.calendar.session_dialog import SessionDialog
from studyplan.gui.members.member_dialog import MemberDialog
from studyplan.gui.plan_files import guess_year, import_plan, title_year
from studyplan.model.years import year_span


def _picker_span(edit) -> tuple[dt.date, dt.date]:
    return edit.minimumDate().toPython(), edit.maximumDate().toPython()


def test_date_pickers_span_the_supported_years(qtbot, planning) -> None:
    session = SessionDialog(planning, day=dt.date(2026, 3, 19))
    member = MemberDialog(None, today=dt.date(2026, 3, 1), joined_default=dt.date(2026, 3, 1))
    for dialog in (session, member):
        qtbot.addWidget(dialog)
    assert _picker_span(session.date_edit) == year_span(None)
    assert _picker_span(member.joined_edit) == year_span(None)


def test_plan_import_asks_within_the_supported_years(
    qtbot, planning, monkeypatch, tmp_path: Path
) -> None:
    bounds: list[tuple[int, int]] = []
    plan = tmp_path / "计划.txt"
    plan.write_text("1.第一个专题\n说明一\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(plan), ""))

    def get_int(parent, title, label, value, low, high, *rest):
        bounds.append((low, high))
        return value, False

    monkeypatch.setattr(QInputDialog, "getInt", get_int)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert import_plan(parent, planning, 2026) is None
    first, last = year_span(None)
    assert bounds == [(first.year, last.year)]


def test_a_year_in_a_name_counts_only_within_the_range() -> None:
    assert guess_year(Path("1949年计划.docx"), 2026) == 2026
    assert guess_year(Path("1950年计划.docx"), 2026) == 1950
    assert guess_year(Path("2101 2100年计划.docx"), 2026) == 2100
    assert title_year("2101年与2100年") == 2100
    assert title_year("1949年") is None

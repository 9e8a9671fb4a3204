"""Entering the State Council's holiday arrangement by hand."""

from __future__ import annotations

import datetime as dt

from studyplan.gui.calendar.overrides_dialog import HolidayOverridesDialog, OverridesModel
from studyplan.model.plan import CalendarOverride
from tests.gui.conftest import PROVISIONAL_YEAR


def test_provisional_year_says_so(qtbot, planning) -> None:
    dialog = HolidayOverridesDialog(planning, PROVISIONAL_YEAR)
    qtbot.addWidget(dialog)
    assert "节假日安排尚未发布，当前为推算" in dialog.status_label.text()
    official = HolidayOverridesDialog(planning, 2026)
    qtbot.addWidget(official)
    assert "尚未发布" not in official.status_label.text()


def test_rows_added_and_edited_are_saved(qtbot, planning) -> None:
    dialog = HolidayOverridesDialog(planning, 2027)
    qtbot.addWidget(dialog)
    model = dialog.model
    dialog.add_row()
    dialog.add_row()
    assert [e.date for e in model.entries()] == [dt.date(2027, 1, 1), dt.date(2027, 1, 2)]
    model.setData(model.index(1, OverridesModel.COL_DATE), dt.date(2027, 2, 20))
    model.setData(model.index(1, OverridesModel.COL_KIND), "上班")
    model.setData(model.index(1, OverridesModel.COL_NAME), "春节调休")
    dialog.accept()

    assert dialog.result() == HolidayOverridesDialog.DialogCode.Accepted
    saved = [o for o in planning.overrides() if o.date.year == 2027]
    assert saved == [
        CalendarOverride(dt.date(2027, 1, 1), False, ""),
        CalendarOverride(dt.date(2027, 2, 20), True, "春节调休"),
    ]
    day = planning.calendar.day(dt.date(2027, 2, 20))
    assert day.is_workday and day.is_adjusted_workday and day.overridden


def test_removing_rows_and_a_duplicate_date(qtbot, planning) -> None:
    planning.set_overrides(2027, [CalendarOverride(dt.date(2027, 10, 9), True, "国庆调休")])
    dialog = HolidayOverridesDialog(planning, 2027)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    dialog.model.add_entry(CalendarOverride(dt.date(2027, 10, 9), False, ""))
    dialog.accept()
    assert not dialog.error_label.isHidden() and "两次" in dialog.error_label.text()
    dialog.table.selectRow(1)
    dialog.remove_selected()
    dialog.table.selectRow(0)
    dialog.remove_selected()
    dialog.accept()
    assert [o for o in planning.overrides() if o.date.year == 2027] == []


def test_overrides_model_passes_the_model_tester(qtmodeltester) -> None:
    model = OverridesModel(2027)
    qtmodeltester.check(model)
    model.set_entries(
        [
            CalendarOverride(dt.date(2027, 2, 6), True, "春节调休"),
            CalendarOverride(dt.date(2027, 2, 11), False, "春节"),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, OverridesModel.COL_KIND)) == "上班"


def test_added_dates_are_not_clipped(qtbot, planning) -> None:
    # A year without overrides: the date column was sized for the header alone, and the
    # first 添加一天 showed "2027-01-···".
    dialog = HolidayOverridesDialog(planning, 2027)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() == 0
    dialog.add_row()
    dialog.add_row()
    table = dialog.table
    text = dialog.model.index(0, OverridesModel.COL_DATE).data()
    width = table.horizontalHeader().sectionSize(OverridesModel.COL_DATE)
    assert width >= table.sizeHintForColumn(OverridesModel.COL_DATE)
    assert width > table.fontMetrics().horizontalAdvance(text)

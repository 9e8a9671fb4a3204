"""Auto-scheduling: preview first, nothing written until 确定."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from studyplan.gui.calendar.schedule_dialog import AutoScheduleDialog, ProposalModel
from studyplan.model.plan import ScheduleRequest, TopicState

JAN = dt.date(2026, 1, 5)


def test_preview_then_ok_writes_the_sessions(qtbot, planning) -> None:
    dialog = AutoScheduleDialog(planning, 2026, today=JAN)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.ok_button.isEnabled()
    rows = dialog.new_model.rowCount()
    assert rows > 0 and planning.sessions(2026) == []  # a preview writes nothing

    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.applied is not None and len(dialog.applied) == rows
    sessions = planning.sessions(2026)
    assert [s.date for s in sessions] == [s.date for s in dialog.new_model.sessions()]
    assert all(s.start == dt.time(15) and s.end == dt.time(17) for s in sessions)


def test_the_form_becomes_the_request(qtbot, planning) -> None:
    dialog = AutoScheduleDialog(planning, 2026, today=dt.date(2026, 6, 5))
    qtbot.addWidget(dialog)
    dialog.set_preset("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE")
    dialog.duration_spin.setValue(90)
    dialog.replace_check.setChecked(True)
    request = dialog.request()
    assert request == ScheduleRequest(
        year=2026,
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        duration_minutes=90,
        start_date=dt.date(2026, 6, 5),
        replace_planned=True,
    )
    dialog.set_preset("FREQ=MONTHLY;BYMONTHDAY=15")
    assert dialog.rule_combo.currentText() == "自定义…"
    assert not dialog.rule_edit.isHidden()
    assert dialog.request().rule == "FREQ=MONTHLY;BYMONTHDAY=15"


def test_start_date_defaults_to_january_for_another_year(qtbot, planning) -> None:
    dialog = AutoScheduleDialog(planning, 2027, today=dt.date(2026, 11, 26))
    qtbot.addWidget(dialog)
    assert dialog.request().start_date == dt.date(2027, 1, 1)


def test_a_bad_rule_is_explained_inline(qtbot, planning) -> None:
    dialog = AutoScheduleDialog(planning, 2026, today=JAN)
    qtbot.addWidget(dialog)
    dialog.set_preset("FREQ=SOMETIMES")
    assert dialog.preview() is None
    assert not dialog.error_label.isHidden()
    assert "排期规则" in dialog.error_label.text()
    assert not dialog.ok_button.isEnabled()


def test_changing_a_parameter_needs_a_fresh_preview(qtbot, planning) -> None:
    dialog = AutoScheduleDialog(planning, 2026, today=JAN)
    qtbot.addWidget(dialog)
    dialog.preview()
    assert dialog.ok_button.isEnabled()
    dialog.duration_spin.setValue(150)
    assert not dialog.ok_button.isEnabled() and dialog.proposal is None
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=2000)  # the debounced re-preview
    assert dialog.new_model.sessions()[0].end == dt.time(17, 30)


def test_replacing_lists_the_removed_sessions(qtbot, planning) -> None:
    planning.apply_schedule(planning.propose_schedule(ScheduleRequest(year=2026)))
    dialog = AutoScheduleDialog(planning, 2026, today=dt.date(2026, 7, 1))
    qtbot.addWidget(dialog)
    dialog.replace_check.setChecked(True)
    dialog.preview()
    removed = dialog.removed_model.sessions()
    assert removed and all(s.date >= dt.date(2026, 7, 1) for s in removed)
    assert not dialog.removed_table.isHidden()
    added = [s.date for s in dialog.new_model.sessions()]
    dialog.accept()
    later = [s.date for s in planning.sessions(2026) if s.date >= dt.date(2026, 7, 1)]
    assert added and later == added


def test_proposal_model_passes_the_model_tester(qtmodeltester, planning) -> None:
    model = ProposalModel()
    qtmodeltester.check(model)
    proposal = planning.propose_schedule(ScheduleRequest(year=2026))
    titles = {t.number: t.title for t in planning.topics(2026)}
    model.set_sessions(proposal.new_sessions, titles, {proposal.new_sessions[0].date: "说明"})
    qtmodeltester.check(model)
    assert model.data(model.index(0, ProposalModel.COL_NOTE)) == "说明"
    assert model.data(model.index(0, ProposalModel.COL_WEEKDAY)).startswith("星期")


def test_auto_schedule_from_the_window_fills_calendar_and_topics(
    window, planning, qtbot, monkeypatch
) -> None:
    def preview_and_accept(dialog: AutoScheduleDialog) -> int:
        dialog.preview()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(AutoScheduleDialog, "exec", preview_and_accept)
    window.calendar.set_month(2026, 1)
    window.act_auto_schedule.trigger()

    sessions = planning.sessions(2026)
    assert sessions
    january = [s for s in sessions if s.date.month == 1]
    shown = [s for s in window.calendar.model.sessions()]
    assert [s.id for s in shown] == [s.id for s in january]
    states = {o.topic.number: o.state for o in planning.topic_overview(2026)}
    model = window.calendar.topics.model
    for row in range(model.rowCount()):
        overview = model.overview(row)
        assert overview.state is states[overview.topic.number]
        assert overview.state is TopicState.SCHEDULED
        assert model.data(model.index(row, model.COL_STATE)) == "已安排"


def test_a_daily_rule_previews_without_warnings(qtbot, planning) -> None:
    dialog = AutoScheduleDialog(planning, 2026, today=JAN)
    qtbot.addWidget(dialog)
    dialog.set_preset("FREQ=DAILY")
    proposal = dialog.preview()
    assert proposal is not None and len(proposal.new_sessions) == 14
    assert proposal.warnings == []
    assert dialog.warnings_area.isHidden()


def test_many_warnings_scroll_and_the_dialog_fits_the_screen(qtbot, planning, monkeypatch) -> None:
    real = planning.propose_schedule

    def with_many_warnings(request: ScheduleRequest):
        proposal = real(request)
        proposal.warnings[:] = [f"第{n}条提示：某日是休息日，已跳过。" for n in range(1, 121)]
        return proposal

    monkeypatch.setattr(planning, "propose_schedule", with_many_warnings)
    dialog = AutoScheduleDialog(planning, 2026, today=JAN)
    qtbot.addWidget(dialog)
    dialog.resize(860, 620)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.warnings_label.isVisible())
    dialog.adjustSize()
    # 120 lines of warnings once made the dialog 2533 px tall on an 800 px screen.
    assert dialog.minimumSizeHint().height() < 500 and dialog.sizeHint().height() < 700
    assert dialog.height() <= 700
    assert dialog.rect().contains(dialog.buttons.geometry())
    assert dialog.warnings_label.text().count("⚠") == 120  # all there, to scroll through
    area = dialog.warnings_area
    assert area.height() <= area.tallest() < 8 * area.fontMetrics().lineSpacing()


def test_a_single_warning_takes_a_single_line(qtbot, planning) -> None:
    dialog = AutoScheduleDialog(planning, 2026, today=JAN)
    qtbot.addWidget(dialog)
    dialog.resize(860, 620)
    dialog.show()
    qtbot.waitExposed(dialog)
    proposal = dialog.preview()  # twelve second Thursdays for fourteen topics
    assert proposal is not None and len(proposal.warnings) == 1
    qtbot.waitUntil(lambda: dialog.warnings_area.isVisible())
    label = dialog.warnings_label
    margins = label.contentsMargins()  # the style sheet's padding and border
    line = label.fontMetrics().lineSpacing()
    assert dialog.warnings_area.height() < 2 * line + margins.top() + margins.bottom()

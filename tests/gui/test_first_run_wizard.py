"""The first-run wizard walked as a new secretary would, and when it opens by itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studyplan.app.context import Context
from studyplan.app.first_run import BUNDLED_NAME, bundled_source, wizard_due
from studyplan.app.ledger import collect
from studyplan.app.signin import build_signin_sheet
from studyplan.app.templates import save_plan_template
from studyplan.gui.wizard.wizard import FirstRunWizard
from studyplan.model.plan import Session
from tests.gui.conftest import CLOCK, TODAY, type_text

UNIT = "市生态环境局"


@pytest.fixture
def services(window) -> Context:
    return window._services


def _walk(monkeypatch, steps) -> list[FirstRunWizard]:
    """FirstRunWizard.exec runs `steps(wizard)` instead of waiting for clicks."""
    seen: list[FirstRunWizard] = []

    def exec_(wizard: FirstRunWizard) -> int:
        seen.append(wizard)
        wizard.show()
        steps(wizard)
        return wizard.result()

    monkeypatch.setattr(FirstRunWizard, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    return seen


def _unit_page(wizard: FirstRunWizard) -> None:
    wizard.next()  # the welcome page
    assert wizard.currentPage() is wizard.unit_page
    type_text(wizard.unit_page.name_edit, UNIT)
    type_text(wizard.unit_page.secretary_edit, "何雨晴")
    wizard.next()
    assert wizard.currentPage() is wizard.plan_page


def _session(services: Context) -> int:
    return services.planning.save_session(
        Session(date=dt.date(2026, 4, 9), start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )


def test_a_new_secretary_imports_their_plan_and_roster(
    qtbot, window, services, monkeypatch, tmp_path: Path
) -> None:
    own_plan = save_plan_template(tmp_path / "本局计划.docx", 2026, UNIT)
    roster = tmp_path / "名单.xlsx"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(own_plan), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(roster), ""))

    def steps(wizard: FirstRunWizard) -> None:
        _unit_page(wizard)
        page = wizard.plan_page
        assert page.bundled_radio.isChecked()  # the bundled plan stays the default
        page.file_radio.setChecked(True)
        page.file_row.button.click()
        page.year_spin.setValue(2026)
        wizard.next()
        assert wizard.currentPage() is wizard.roster_page
        wizard.roster_page.template_button.click()
        assert wizard.roster_page.file_radio.isChecked()
        assert wizard.roster_page.file_row.path() == roster
        # The secretary fills the template in: the example row replaced by the group.
        book = openpyxl.load_workbook(roster)
        sheet = book.active
        assert [c.value for c in sheet[1]][:5] == ["序号", "姓名", "职务", "角色", "部门"]
        sheet.delete_rows(2)
        sheet.append([1, "周明", "局长", "组长", "局领导"])
        sheet.append([2, "吴芳", "副局长", "副组长", "局领导"])
        book.save(roster)
        wizard.accept()

    seen = _walk(monkeypatch, steps)
    assert window.run_wizard()
    assert seen and seen[0].result() == 1

    assert UNIT in window.windowTitle()
    titles = [t.title for t in services.planning.topics(2026)]
    assert titles[0] == "深入学习领会习近平新时代中国特色社会主义思想" and len(titles) == 3
    assert [m.name for m in services.attendance.list_members()] == ["周明", "吴芳"]
    assert window.calendar.topics.model.rowCount() == 3
    ledger = collect(services.db, 2026, TODAY)
    assert ledger.org == UNIT and UNIT in ledger.title("学习台账")
    sheet = build_signin_sheet(services.planning, services.attendance, _session(services))
    assert UNIT in sheet.title
    # Nothing of the bundled plan's unit is left anywhere it could be shown.
    assert all(
        "科学技术局" not in (services.planning.plan_title(y) or "") for y in range(2020, 2031)
    )
    assert not wizard_due(services)


def test_a_new_secretary_starts_from_the_bundled_plan(window, services, monkeypatch) -> None:
    def steps(wizard: FirstRunWizard) -> None:
        _unit_page(wizard)
        wizard.next()  # the bundled plan, as offered
        assert wizard.roster_page.later_radio.isChecked()
        wizard.accept()

    _walk(monkeypatch, steps)
    assert window.run_wizard()
    assert window.windowTitle().startswith(UNIT)
    assert len(services.planning.topics(2026)) == 14
    assert services.planning.plan_title(2026) == BUNDLED_NAME
    # The unit set takes the place of the plan title's.
    assert window.calendar.topics.plan_title.text() == f"{UNIT}2026年理论学习中心组专题学习计划"
    assert collect(services.db, 2026, TODAY).org == UNIT
    assert services.unit.details().secretary == "何雨晴"


def test_an_empty_plan_with_typed_topics_and_members(window, services, monkeypatch) -> None:
    def steps(wizard: FirstRunWizard) -> None:
        _unit_page(wizard)
        wizard.plan_page.empty_radio.setChecked(True)
        wizard.plan_page.year_spin.setValue(2027)
        wizard.plan_page.topics_edit.setPlainText("专题甲\n\n专题乙")
        wizard.next()
        wizard.roster_page.typed_radio.setChecked(True)
        wizard.roster_page.members_edit.setPlainText("周明 局长\n吴芳")
        wizard.accept()

    _walk(monkeypatch, steps)
    assert window.run_wizard()
    assert [t.title for t in services.planning.topics(2027)] == ["专题甲", "专题乙"]
    assert services.planning.plan_title(2027) == f"{UNIT}2027年理论学习中心组学习计划"
    assert services.planning.topics(2026) == []  # the bundled plan was not chosen
    assert [(m.name, m.position) for m in services.attendance.list_members()] == [
        ("周明", "局长"),
        ("吴芳", ""),
    ]
    assert window.year == 2027


def test_a_plan_file_that_does_not_read_keeps_the_page(window, monkeypatch, tmp_path) -> None:
    bad = tmp_path / "计划.txt"
    bad.write_text("没有专题的文件", encoding="utf-8")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))

    def steps(wizard: FirstRunWizard) -> None:
        _unit_page(wizard)
        wizard.plan_page.file_radio.setChecked(True)
        wizard.plan_page.file_row.edit.setText(str(bad))
        wizard.next()
        assert wizard.currentPage() is wizard.plan_page
        wizard.reject()

    _walk(monkeypatch, steps)
    assert not window.run_wizard()
    assert len(warned) == 1


def test_the_wizard_is_due_on_a_new_database_only(db, planning, tmp_path) -> None:
    context = Context.with_planning(planning, tmp_path / "archive", clock=CLOCK)
    assert wizard_due(context)  # only the bundled plan loaded on first open
    context.attendance.add_member("周明")
    assert not wizard_due(context)


def test_skipping_leaves_everything_and_does_not_come_back(window, services, monkeypatch):
    _walk(monkeypatch, lambda wizard: wizard.reject())
    assert not window.run_wizard()
    assert len(services.planning.topics(2026)) == 14
    assert not wizard_due(services)
    assert window.act_wizard.text() == "入门向导…"
    assert window.act_wizard in window.help_menu.actions()


def test_a_bundled_plan_not_chosen_does_not_come_back_at_the_next_start(
    window, services, monkeypatch, db_path
) -> None:
    from studyplan.gui.app import open_context

    def steps(wizard: FirstRunWizard) -> None:
        _unit_page(wizard)
        wizard.plan_page.empty_radio.setChecked(True)
        wizard.plan_page.year_spin.setValue(2027)
        wizard.next()
        wizard.accept()

    _walk(monkeypatch, steps)
    assert window.run_wizard()
    services.db.conn.commit()
    with open_context(db_path, clock=CLOCK) as again:
        assert again.planning.topics(2026) == []
        assert again.planning.plan_title(2026) is None


def test_the_wizard_again_from_help_brings_the_bundled_plan_back_when_asked(
    window, services, monkeypatch
) -> None:
    services.topics.drop_untouched_plan(2026, bundled_source())
    _walk(monkeypatch, lambda wizard: wizard.reject())
    window.run_wizard()  # skipped: the bundled plan is not loaded by itself any more
    assert services.planning.ensure_bundled_plan() is False

    def steps(wizard: FirstRunWizard) -> None:
        _unit_page(wizard)
        wizard.next()  # the bundled plan
        wizard.accept()

    _walk(monkeypatch, steps)
    assert window.run_wizard()
    assert len(services.planning.topics(2026)) == 14
    assert window.calendar.topics.model.rowCount() == 14


def test_the_wizard_comes_before_the_window_on_a_first_start(qapp, tmp_path, monkeypatch):
    """Nothing of the bundled plan's unit is on screen before the secretary chose: the
    window (its title names the unit of the plan) shows only once the wizard is closed."""
    from PySide6.QtWidgets import QApplication

    from studyplan.gui import app as gui_app
    from studyplan.gui.main_window import MainWindow

    asked: list[bool] = []

    def run_wizard(window) -> bool:
        asked.append(window.isVisible())
        return False  # skipped

    monkeypatch.delenv(gui_app.NO_WIZARD_ENV, raising=False)
    monkeypatch.setattr(MainWindow, "run_wizard", run_wizard)
    monkeypatch.setattr(QApplication, "exec", lambda *_args: 0)
    assert gui_app.run_gui(tmp_path / "学习台账.db", ["studyplan"]) == 0
    assert asked == [False]

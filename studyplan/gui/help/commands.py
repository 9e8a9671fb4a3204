"""The window's 计划 and 帮助 commands beside the views: next year's plan, the plan template,
the manual, the first-run wizard, 关于, and the window title naming the unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from pathlib import Path

    from studyplan.app.context import Context
    from studyplan.app.planning import PlanningService
    from studyplan.gui.undo import ChangeStack

APP_TITLE = "理论学习中心组学习管理"


class HelpCommands:
    """A part of `MainWindow` (its services, year and undo stack)."""

    _services: Context
    _planning: PlanningService
    _db_path: Path | None
    _year: int
    undo_stack: ChangeStack

    def update_title(self) -> None:
        """The window names the unit (设置 or the wizard; else the one the plan names)."""
        unit = self._services.unit.unit_name(self._year or None)
        title = self.tr(APP_TITLE)
        self.setWindowTitle(f"{unit} — {title}" if unit else title)

    # -- 计划 and 帮助 ------------------------------------------------------------------
    def new_next_year_plan(self) -> None:
        from studyplan.gui.calendar.plan_actions import new_next_year_plan

        change = new_next_year_plan(self, self._services, self._year, self.undo_stack)
        if change is not None:
            self.set_year(change.result.year)

    def download_plan_template(self) -> None:
        from studyplan.gui.calendar.plan_actions import download_plan_template

        download_plan_template(self, self._services, self._year)

    def show_manual(self) -> QWidget:
        from studyplan.gui.help.manual import ManualDialog

        return ManualDialog.open(self)

    def run_wizard(self) -> bool:
        """入门向导; True when it was finished (and the window shows what it did)."""
        from studyplan.gui.wizard.wizard import FirstRunWizard

        wizard = FirstRunWizard(self._services, self)
        finished = bool(wizard.exec())
        if finished:
            self.data_changed({"plans", "topics", "session_topics", "members", "settings"})
            plan_years = self._planning.plan_years()
            year = wizard.plan_page.year_spin.value()
            self.set_year(year if year in plan_years else self._year)
            self.calendar.refresh()
            self.statusBar().showMessage("；".join(wizard.done_lines), 15000)
        self.update_title()
        return finished

    def about(self) -> None:
        from studyplan.app.about import about_facts
        from studyplan.gui.help.about import AboutDialog

        facts = about_facts(self._db_path or self._planning.database_file())
        AboutDialog(facts, self.tr(APP_TITLE), self).exec()

"""The first-run wizard (入门向导): the unit, the year's plan and the roster, in three pages
after a welcome. It opens by itself on a database not yet begun (`app.first_run.wizard_due`)
and again from 帮助 → 入门向导; 跳过向导 leaves everything as it is."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from studyplan.app.context import Context
from studyplan.app.first_run import FirstRunAnswers, apply_answers, mark_done
from studyplan.gui.wizard.pages import PlanPage, RosterPage, UnitPage, WelcomePage
from studyplan.model.errors import StudyplanError


class FirstRunWizard(QWizard):
    """Asks; on 完成 does what was chosen (`done_lines` say what), on 跳过 nothing."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self._context = context
        self.setWindowTitle(self.tr("入门向导"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("跳过向导"))
        self.welcome = WelcomePage()
        self.unit_page = UnitPage(context.unit.details())
        self.plan_page = PlanPage(context, context.clock.today().year)
        self.roster_page = RosterPage()
        for page in (self.welcome, self.unit_page, self.plan_page, self.roster_page):
            self.addPage(page)
        self.resize(760, 560)
        #: What 完成 did, a sentence a step.
        self.done_lines: list[str] = []

    def answers(self) -> FirstRunAnswers:
        plan, roster = self.plan_page, self.roster_page
        return FirstRunAnswers(
            unit=self.unit_page.details(),
            plan=plan.choice(),
            year=plan.year_spin.value(),
            plan_file=plan.file_row.path(),
            topics=plan.topics(),
            roster=roster.choice(),
            roster_file=roster.file_row.path(),
            members=roster.members(),
        )

    def accept(self) -> None:
        """Do what was chosen; a step that fails says why and the wizard stays open."""
        try:
            self.done_lines = apply_answers(self._context, self.answers())
        except StudyplanError as error:
            QMessageBox.warning(self, self.tr("入门向导"), str(error))
            return
        super().accept()

    def reject(self) -> None:
        """跳过向导: nothing changes, and the wizard does not open by itself again."""
        mark_done(self._context)
        super().reject()

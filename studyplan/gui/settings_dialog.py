"""文件 → 设置…: the few numbers a secretary may want to change."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.safety import SafetyService
from studyplan.model.errors import StudyplanError
from studyplan.model.settings import CALENDAR_REMINDER_DAYS


class SettingsDialog(QDialog):
    """补学期限, how many automatic backups to keep, and the calendar's reminder."""

    def __init__(
        self,
        attendance: AttendanceService,
        safety: SafetyService,
        planning: PlanningService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置"))
        self._attendance, self._safety, self._planning = attendance, safety, planning
        self.due_days = QSpinBox()
        self.due_days.setRange(1, 366)
        self.due_days.setSuffix(self.tr(" 天"))
        self.due_days.setValue(attendance.makeup_due_days())
        self.keep = QSpinBox()
        self.keep.setRange(1, 1000)
        self.keep.setSuffix(self.tr(" 份"))
        self.keep.setValue(safety.backups_to_keep())
        self.reminder = QSpinBox()
        self.reminder.setRange(CALENDAR_REMINDER_DAYS.low, CALENDAR_REMINDER_DAYS.high)
        self.reminder.setSuffix(self.tr(" 天"))
        self.reminder.setSpecialValueText(self.tr("不提醒"))
        self.reminder.setValue(planning.calendar_reminder_days())
        self.reminder.setToolTip(self.tr("导出的日历文件（.ics）在会前几天提醒"))
        form = QFormLayout()
        form.addRow(self.tr("补学补研期限（会后）"), self.due_days)
        form.addRow(self.tr("自动备份保留"), self.keep)
        form.addRow(self.tr("日历提醒（会前）"), self.reminder)
        hint = QLabel(self.tr("补学期限只影响今后新产生的补学任务。"))
        hint.setObjectName("hintLabel")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

    def accept(self) -> None:
        try:
            self._attendance.set_makeup_due_days(self.due_days.value())
            self._safety.set_backups_to_keep(self.keep.value())
            self._planning.set_calendar_reminder_days(self.reminder.value())
        except StudyplanError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        attendance: AttendanceService,
        safety: SafetyService,
        planning: PlanningService,
    ) -> bool:
        """Show the dialog; True when the settings were saved."""
        return cls(attendance, safety, planning, parent).exec() == QDialog.DialogCode.Accepted

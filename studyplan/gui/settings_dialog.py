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
from studyplan.app.safety import SafetyService
from studyplan.model.errors import StudyplanError


class SettingsDialog(QDialog):
    """补学期限 and how many automatic backups to keep."""

    def __init__(
        self, attendance: AttendanceService, safety: SafetyService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置"))
        self._attendance, self._safety = attendance, safety
        self.due_days = QSpinBox()
        self.due_days.setRange(1, 366)
        self.due_days.setSuffix(self.tr(" 天"))
        self.due_days.setValue(attendance.makeup_due_days())
        self.keep = QSpinBox()
        self.keep.setRange(1, 1000)
        self.keep.setSuffix(self.tr(" 份"))
        self.keep.setValue(safety.backups_to_keep())
        form = QFormLayout()
        form.addRow(self.tr("补学补研期限（会后）"), self.due_days)
        form.addRow(self.tr("自动备份保留"), self.keep)
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
        except StudyplanError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, attendance: AttendanceService, safety: SafetyService
    ) -> bool:
        """Show the dialog; True when the settings were saved."""
        return cls(attendance, safety, parent).exec() == QDialog.DialogCode.Accepted

"""文件 → 设置…: the unit's details every output names, the few numbers a secretary may
want to change, and the document templates (文书模板)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.context import Context
from studyplan.model.errors import StudyplanError
from studyplan.model.settings import (
    BACKUPS_KEPT,
    CALENDAR_REMINDER_DAYS,
    MAKEUP_DUE_DAYS,
    NEXT_BRIEF_NUMBER,
)
from studyplan.model.unit import MAX_DETAIL_LENGTH, UnitDetails


class SettingsDialog(QDialog):
    """单位信息 (unit name, group name, secretary, phone, next brief number), 补学期限, the
    automatic backups kept, and the calendar's reminder."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置"))
        self._context = context
        details = context.unit.details()

        def line(text: str, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit(text)
            edit.setMaxLength(MAX_DETAIL_LENGTH)
            edit.setPlaceholderText(placeholder)
            edit.setMinimumWidth(280)
            return edit

        from_plan = context.unit.unit_name() if not context.unit.is_set() else ""
        self.unit_name = line(
            details.name,
            self.tr("例如：市科学技术局")
            if not from_plan
            else self.tr("未填写时取计划标题中的“{name}”").format(name=from_plan),
        )
        self.group_name = line(details.group)
        self.secretary = line(details.secretary, self.tr("姓名"))
        self.phone = line(details.phone, self.tr("例如：0351-1234567"))
        self.next_brief = self._count(NEXT_BRIEF_NUMBER, context.unit.next_brief_number())
        self.next_brief.setPrefix(self.tr("第 "))
        self.next_brief.setSuffix(self.tr(" 期"))
        unit_form = QFormLayout()
        unit_form.addRow(self.tr("单位名称"), self.unit_name)
        unit_form.addRow(self.tr("中心组名称"), self.group_name)
        unit_form.addRow(self.tr("学习秘书"), self.secretary)
        unit_form.addRow(self.tr("联系电话"), self.phone)
        unit_form.addRow(self.tr("下一期学习简报"), self.next_brief)
        unit_box = QGroupBox(self.tr("单位信息"))
        unit_box.setLayout(unit_form)

        self.due_days = self._count(MAKEUP_DUE_DAYS, context.attendance.makeup_due_days())
        self.due_days.setSuffix(self.tr(" 天"))
        self.keep = self._count(BACKUPS_KEPT, context.safety.backups_to_keep())
        self.keep.setSuffix(self.tr(" 份"))
        self.reminder = self._count(
            CALENDAR_REMINDER_DAYS, context.planning.calendar_reminder_days()
        )
        self.reminder.setSuffix(self.tr(" 天"))
        self.reminder.setSpecialValueText(self.tr("不提醒"))
        self.reminder.setToolTip(self.tr("导出的日历文件（.ics）在会前几天提醒"))
        form = QFormLayout()
        form.addRow(self.tr("补学补研期限（会后）"), self.due_days)
        form.addRow(self.tr("自动备份保留"), self.keep)
        form.addRow(self.tr("日历提醒（会前）"), self.reminder)
        rules_box = QGroupBox(self.tr("期限与提醒"))
        rules_box.setLayout(form)

        hint = QLabel(
            self.tr("单位名称用于学习台账、签到表和各类文书；补学期限只影响今后新产生的补学任务。")
        )
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(unit_box)
        layout.addWidget(rules_box)
        from studyplan.gui.documents import TemplatesBox

        self.templates = TemplatesBox(context)
        layout.addWidget(self.templates)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    @staticmethod
    def _count(setting, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(setting.low, setting.high)
        box.setValue(value)
        return box

    def accept(self) -> None:
        context = self._context
        try:
            context.unit.save(
                UnitDetails(
                    self.unit_name.text(),
                    self.group_name.text(),
                    self.secretary.text(),
                    self.phone.text(),
                )
            )
            context.unit.set_next_brief_number(self.next_brief.value())
            context.attendance.set_makeup_due_days(self.due_days.value())
            context.safety.set_backups_to_keep(self.keep.value())
            context.planning.set_calendar_reminder_days(self.reminder.value())
        except StudyplanError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, context: Context) -> bool:
        """Show the dialog; True when the settings were saved."""
        return cls(context, parent).exec() == QDialog.DialogCode.Accepted

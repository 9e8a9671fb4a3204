"""The dialog where the secretary types a topic: its title, description, readings, form and
the month or quarter the plan puts it in."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.topics import TopicFields
from studyplan.model.errors import ValidationError
from studyplan.model.plan import SESSION_FORMS, Topic
from studyplan.model.years import QUARTER_NAMES

#: The choices of 计划时间: none, a month, or a quarter; (month, quarter) for each.
WHEN_CHOICES: tuple[tuple[str, int | None, int | None], ...] = (
    ("不限", None, None),
    *((f"{m}月", m, None) for m in range(1, 13)),
    *((name, None, q) for q, name in enumerate(QUARTER_NAMES, start=1)),
)


class TopicDialog(QDialog):
    """New or edited topic; `fields()` is what was typed (checked by the use case)."""

    def __init__(self, parent: QWidget | None, topic: Topic | None, number: int) -> None:
        super().__init__(parent)
        self.setObjectName("topicDialog")
        self.setWindowTitle(
            self.tr("修改专题{n}").format(n=number) if topic else self.tr("新增专题")
        )
        self.setMinimumWidth(560)
        self.title_edit = QLineEdit(topic.title if topic else "")
        self.title_edit.setObjectName("topicTitle")
        self.title_edit.setPlaceholderText(self.tr("例如：深入学习领会……重要论述"))
        self.description_edit = QPlainTextEdit(topic.description if topic else "")
        self.description_edit.setObjectName("topicDescription")
        self.description_edit.setTabChangesFocus(True)
        self.readings_edit = QPlainTextEdit("\n".join(topic.readings) if topic else "")
        self.readings_edit.setObjectName("topicReadings")
        self.readings_edit.setTabChangesFocus(True)
        self.readings_edit.setPlaceholderText(self.tr("每行一篇，例如：《习近平著作选读》"))
        self.readings_edit.setMaximumHeight(96)
        self.form_combo = QComboBox()
        self.form_combo.setObjectName("topicForm")
        self.form_combo.setEditable(True)
        self.form_combo.addItems(["", *SESSION_FORMS])
        self.form_combo.setCurrentText(topic.form if topic else "")
        self.when_combo = QComboBox()
        self.when_combo.setObjectName("topicWhen")
        for label, month, quarter in WHEN_CHOICES:
            self.when_combo.addItem(label, (month, quarter))
        if topic is not None:
            index = self.when_combo.findData((topic.month, topic.quarter))
            self.when_combo.setCurrentIndex(max(index, 0))

        form = QFormLayout()
        form.addRow(self.tr("专题名称"), self.title_edit)
        form.addRow(self.tr("专题说明"), self.description_edit)
        form.addRow(self.tr("学习篇目"), self.readings_edit)
        form.addRow(self.tr("学习形式"), self.form_combo)
        form.addRow(self.tr("计划时间"), self.when_combo)
        hint = QLabel(self.tr("保存后可用“编辑 > 撤销”（Ctrl+Z）撤回。"))
        hint.setObjectName("dialogHint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Closes only on fields the use case will take; else says what is wrong."""
        try:
            self.fields().cleaned()
        except ValidationError as error:
            QMessageBox.warning(self, self.windowTitle(), str(error))
            return
        super().accept()

    def fields(self) -> TopicFields:
        month, quarter = self.when_combo.currentData()
        return TopicFields(
            self.title_edit.text(),
            self.description_edit.toPlainText(),
            tuple(self.readings_edit.toPlainText().splitlines()),
            self.form_combo.currentText(),
            month,
            quarter,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, topic: Topic | None, number: int) -> TopicFields | None:
        """What the secretary typed, or None when they cancelled."""
        dialog = cls(parent, topic, number)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.fields()

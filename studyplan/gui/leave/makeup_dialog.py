"""Recording a make-up study as done (完成补学): when, how, and what shows it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studyplan.gui.common import error_label, session_label
from studyplan.gui.date_field import Bound, DateField
from studyplan.model.attendance import MAKEUP_METHODS, MakeupEntry
from studyplan.model.roster import normalize_text
from studyplan.model.text import printing_problem

MakeupAnswer = tuple[dt.date, str, str]


class MakeupDialog(QDialog):
    """The completion form. Use `MakeupDialog.ask(...)`; the caller records the answer."""

    def __init__(
        self, entry: MakeupEntry, *, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("完成补学"))
        self.setObjectName("makeupDialog")
        makeup, session = entry.makeup, entry.session

        about = QLabel()
        about.setTextFormat(Qt.TextFormat.PlainText)
        about.setWordWrap(True)
        about.setText(
            self.tr("{name}　{session}　截止 {due:%Y-%m-%d}").format(
                name=entry.member.label, session=session_label(session), due=makeup.due
            )
        )
        about.setObjectName("fieldHeading")
        self.completed_edit = DateField(today, self.tr("完成日期"))
        self.completed_edit.setObjectName("makeupCompleted")
        # Done on a day between the session and today: a later date would count as done
        # before it is.
        self.completed_edit.set_range(
            Bound(min(session.date, today), self.tr("学习日期")), Bound(today, self.tr("今天"))
        )
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("makeupMethod")
        self.method_combo.setEditable(True)
        self.method_combo.addItems(list(MAKEUP_METHODS))
        self.method_combo.setCurrentText(makeup.method or MAKEUP_METHODS[0])
        self.evidence_edit = QPlainTextEdit(makeup.evidence)
        self.evidence_edit.setObjectName("makeupEvidence")
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_edit.setPlaceholderText(self.tr("例如：提交学习心得一篇，已存入学习台账"))
        self.evidence_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)

        self.error_label = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.completed_edit.refused.connect(self.show_error)
        self.completed_edit.textEdited.connect(self.error_label.hide)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        date_row = QHBoxLayout()
        date_row.addWidget(self.completed_edit)
        date_row.addStretch(1)
        form.addRow(self.tr("完成日期"), date_row)
        form.addRow(self.tr("补学方式"), self.method_combo)
        form.addRow(self.tr("佐证材料"), self.evidence_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def sizeHint(self) -> QSize:
        return QSize(520, 300)

    def answer(self) -> MakeupAnswer:
        return (
            self.completed_edit.date().toPython(),
            normalize_text(self.method_combo.currentText()),
            self.evidence_edit.toPlainText().strip(),
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        problem = self.completed_edit.check()
        if problem:
            self.show_error(problem)
            self.completed_edit.setFocus()
            return
        if not normalize_text(self.method_combo.currentText()):
            self.show_error(self.tr("请选择或填写补学方式。"))
            self.method_combo.setFocus()
            return
        for what, field, text in (
            (self.tr("补学方式"), self.method_combo, self.method_combo.currentText()),
            (self.tr("佐证材料"), self.evidence_edit, self.evidence_edit.toPlainText()),
        ):
            problem = printing_problem({what: text})
            if problem:
                self.show_error(problem)
                field.setFocus()
                return
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, entry: MakeupEntry, *, today: dt.date
    ) -> MakeupAnswer | None:
        """(completed_on, method, evidence), or None if cancelled."""
        dialog = cls(entry, today=today, parent=parent)
        try:
            return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

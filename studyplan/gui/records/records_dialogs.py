"""Small dialogs of the study records view: a speech, a handed-in reflection, a material.

Each is used through its `ask` classmethod, which returns the answer or None if cancelled;
the view saves the answer through the records service.
"""

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
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from studyplan.gui.common import error_label, weekday_name
from studyplan.gui.date_field import Bound, DateField
from studyplan.model.records import MAX_SPEAKER_LENGTH, MAX_TITLE_LENGTH, Reflection, Speech
from studyplan.model.roster import Member, normalize_text
from studyplan.model.text import printing_problem


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _unprintable(label: QLabel, fields: tuple[tuple[str, QWidget, str], ...]) -> bool:
    """Show the sentence for the first field (what, widget, text) holding a character the
    record cannot print, and put the cursor there; False when every one prints."""
    for what, field, text in fields:
        problem = printing_problem({what: text})
        if problem:
            label.setText(problem)
            label.show()
            field.setFocus()
            return True
    return False


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setHorizontalSpacing(10)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class SpeechDialog(QDialog):
    """A speech of the discussion: the speaker (a member expected at the session, or any name
    typed in) and the title."""

    def __init__(
        self, names: list[str], speech: Speech | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("编辑研讨发言") if speech else self.tr("添加研讨发言"))
        self.setObjectName("speechDialog")
        self.speaker_combo = QComboBox()
        self.speaker_combo.setEditable(True)
        self.speaker_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.speaker_combo.addItems(names)
        self.speaker_combo.setCurrentIndex(-1)
        self.speaker_combo.setCurrentText(speech.speaker if speech else "")
        line_edit = self.speaker_combo.lineEdit()
        assert line_edit is not None
        line_edit.setMaxLength(MAX_SPEAKER_LENGTH)
        line_edit.setPlaceholderText(self.tr("从应到成员中选择，或输入其他发言人"))
        self.title_edit = QLineEdit(speech.title if speech else "")
        self.title_edit.setMaxLength(MAX_TITLE_LENGTH)
        self.title_edit.setPlaceholderText(self.tr("发言题目，可暂不填写"))
        self.error_label = error_label()
        self.buttons = _buttons(self)

        form = _form()
        form.addRow(self.tr("发言人"), self.speaker_combo)
        form.addRow(self.tr("题目"), self.title_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def sizeHint(self) -> QSize:
        return QSize(520, 170)

    def answer(self) -> tuple[str, str]:
        return (
            normalize_text(self.speaker_combo.currentText()),
            normalize_text(self.title_edit.text()),
        )

    def accept(self) -> None:
        if not self.answer()[0]:
            self.error_label.setText(self.tr("请填写发言人。"))
            self.error_label.show()
            self.speaker_combo.setFocus()
            return
        speaker, title = self.speaker_combo.currentText(), self.title_edit.text()
        if _unprintable(
            self.error_label,
            (
                (self.tr("发言人"), self.speaker_combo, speaker),
                (self.tr("发言题目"), self.title_edit, title),
            ),
        ):
            return
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, names: list[str], speech: Speech | None = None
    ) -> tuple[str, str] | None:
        """(speaker, title) as entered, or None if cancelled."""
        dialog = cls(names, speech, parent)
        try:
            return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class ReflectionDialog(QDialog):
    """Marks a member's reflection (心得体会) as handed in: the date, its title and a note."""

    def __init__(
        self,
        member: Member,
        session_day: dt.date,
        reflection: Reflection | None,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("心得体会提交情况"))
        self.setObjectName("reflectionDialog")
        day = reflection.submitted_on if reflection else max(today, session_day)

        who = QLabel()
        who.setTextFormat(Qt.TextFormat.PlainText)
        who.setWordWrap(True)
        who.setText(
            self.tr("{member} · {day} 学习").format(
                member=member.label, day=f"{session_day:%Y年%m月%d日}"
            )
        )
        who.setObjectName("fieldHeading")
        self.date_edit = DateField(day, self.tr("提交日期"))
        self.date_edit.set_range(Bound(session_day, self.tr("学习日期")))
        self.weekday_label = QLabel()
        self.weekday_label.setObjectName("hint")
        self.date_edit.dateChanged.connect(self._date_changed)
        self._date_changed()
        self.title_edit = QLineEdit(reflection.title if reflection else "")
        self.title_edit.setMaxLength(MAX_TITLE_LENGTH)
        self.title_edit.setPlaceholderText(self.tr("心得体会题目，可不填"))
        self.note_edit = QLineEdit(reflection.note if reflection else "")
        self.note_edit.setPlaceholderText(self.tr("例如：手写稿、已交纸质稿"))
        self.error_label = error_label()
        self.date_edit.refused.connect(self.error_label.setText)
        self.date_edit.refused.connect(self.error_label.show)
        self.buttons = _buttons(self)

        date_row = QHBoxLayout()
        date_row.setSpacing(10)
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.weekday_label)
        date_row.addStretch(1)
        form = _form()
        form.addRow(self.tr("提交日期"), date_row)
        form.addRow(self.tr("题目"), self.title_edit)
        form.addRow(self.tr("备注"), self.note_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _date_changed(self) -> None:
        self.weekday_label.setText(weekday_name(self.date_edit.day()))

    def accept(self) -> None:
        problem = self.date_edit.check()
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            self.date_edit.setFocus()
            return
        if _unprintable(
            self.error_label,
            (
                (self.tr("心得体会题目"), self.title_edit, self.title_edit.text()),
                (self.tr("备注"), self.note_edit, self.note_edit.text()),
            ),
        ):
            return
        super().accept()

    def sizeHint(self) -> QSize:
        return QSize(520, 220)

    def answer(self) -> tuple[dt.date, str, str]:
        return (
            self.date_edit.date().toPython(),
            normalize_text(self.title_edit.text()),
            normalize_text(self.note_edit.text()),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        member: Member,
        session_day: dt.date,
        reflection: Reflection | None,
        today: dt.date,
    ) -> tuple[dt.date, str, str] | None:
        """(submitted_on, title, note) as entered, or None if cancelled."""
        dialog = cls(member, session_day, reflection, today, parent)
        try:
            return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class MaterialDialog(QDialog):
    """One entry of the materials studied: a book, an article, a document."""

    def __init__(self, text: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("编辑学习资料") if text else self.tr("添加学习资料"))
        self.setObjectName("materialDialog")
        self.text_edit = QLineEdit(text or "")
        self.text_edit.setPlaceholderText(self.tr("例如：《习近平著作选读》第一卷"))
        self.error_label = error_label()
        self.buttons = _buttons(self)
        form = _form()
        form.addRow(self.tr("名称"), self.text_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def sizeHint(self) -> QSize:
        return QSize(560, 130)

    def answer(self) -> str:
        return normalize_text(self.text_edit.text())

    def accept(self) -> None:
        if not self.answer():
            self.error_label.setText(self.tr("请填写学习资料名称。"))
            self.error_label.show()
            return
        if _unprintable(
            self.error_label, ((self.tr("学习资料"), self.text_edit, self.text_edit.text()),)
        ):
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, text: str | None = None) -> str | None:
        """The material's name as entered, or None if cancelled."""
        dialog = cls(text, parent)
        try:
            return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

"""Dialogs of the 三张清单 view; each `ask` returns the answer, or None when cancelled."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from studyplan.gui.date_field import DateField
from studyplan.model.duties import Arrangement, Progress, StudyResult
from studyplan.model.roster import Member
from studyplan.model.text import printing_problem


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def refused(dialog: QDialog, fields: list[tuple[str, QWidget, str]]) -> bool:
    """At OK: whether one of `fields` (what the user calls it, its widget, its text) holds a
    character the record cannot print; if so the sentence is shown, the field takes the
    focus and the dialog stays open with what was typed. The use case refuses the same."""
    for what, widget, text in fields:
        problem = printing_problem({what: text})
        if problem:
            QMessageBox.warning(dialog, dialog.windowTitle(), problem)
            widget.setFocus()
            return True
    return False


#: Wide enough for a topic's title on two lines, and for names typed in full.
DIALOG_WIDTH = 480


def _where_label(dialog: QDialog, where: str) -> QLabel:
    """The topic or session the dialog is about, whole and wrapped: a read-only line edit
    showed only the end of a long title, and took the keys first."""
    dialog.setMinimumWidth(DIALOG_WIDTH)
    label = QLabel(where)
    label.setObjectName("whereLabel")
    label.setWordWrap(True)
    return label


def _member_combo(members: list[Member], chosen: int | None = None) -> QComboBox:
    combo = QComboBox()
    for member in members:
        combo.addItem(member.label, member.id)
    if chosen is not None and combo.findData(chosen) >= 0:
        combo.setCurrentIndex(combo.findData(chosen))
    return combo


class SpeakerDialog(QDialog):
    """安排重点发言: a member and the subject they speak on."""

    def __init__(self, members: list[Member], where: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("安排重点发言"))
        self.member_combo = _member_combo(members)
        self.subject_edit = QLineEdit()
        self.subject_edit.setPlaceholderText(self.tr("发言题目（可不填）"))
        form = QFormLayout(self)
        form.addRow(self.tr("学习"), _where_label(self, where))
        form.addRow(self.tr("重点发言人"), self.member_combo)
        form.addRow(self.tr("发言题目"), self.subject_edit)
        form.addRow(_buttons(self))

    def accept(self) -> None:
        if refused(self, [(self.tr("发言题目"), self.subject_edit, self.subject_edit.text())]):
            return
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, members: list[Member], where: str
    ) -> tuple[int, str] | None:
        dialog = cls(members, where, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.member_combo.currentIndex() < 0:
            return None
        return dialog.member_combo.currentData(), dialog.subject_edit.text()


class ArrangementDialog(QDialog):
    """A topic's arrangement (主持人、领学/辅导人、责任处室、学习形式、计划月份), or a
    session's 责任处室 (its host and lecturer are edited with the session)."""

    def __init__(
        self,
        arrangement: Arrangement,
        forms: list[str],
        where: str,
        *,
        session: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("编辑责任与任务"))
        self.session = session
        self.host_edit = QLineEdit(arrangement.host)
        self.lecturer_edit = QLineEdit(arrangement.lecturer)
        self.department_edit = QLineEdit(arrangement.department)
        self.form_combo = QComboBox()
        self.form_combo.setEditable(False)
        self.form_combo.addItem("", "")
        for form in forms:
            self.form_combo.addItem(form, form)
        if arrangement.form and self.form_combo.findData(arrangement.form) < 0:
            self.form_combo.addItem(arrangement.form, arrangement.form)
        self.form_combo.setCurrentIndex(max(0, self.form_combo.findData(arrangement.form)))
        self.month_spin = QSpinBox()
        self.month_spin.setRange(0, 12)
        self.month_spin.setSpecialValueText(self.tr("未定"))
        self.month_spin.setSuffix(self.tr(" 月"))
        self.month_spin.setValue(arrangement.month or 0)
        form = QFormLayout(self)
        form.addRow(self.tr("学习"), _where_label(self, where))
        if not session:
            form.addRow(self.tr("主持人"), self.host_edit)
            form.addRow(self.tr("领学/辅导人"), self.lecturer_edit)
        form.addRow(self.tr("责任处室"), self.department_edit)
        if not session:
            form.addRow(self.tr("学习形式"), self.form_combo)
            form.addRow(self.tr("计划月份"), self.month_spin)
        form.addRow(_buttons(self))

    def accept(self) -> None:
        shown = (
            []
            if self.session
            else [
                (self.tr("主持人"), self.host_edit),
                (self.tr("领学/辅导人"), self.lecturer_edit),
            ]
        )
        shown.append((self.tr("责任处室"), self.department_edit))
        if refused(self, [(what, edit, edit.text()) for what, edit in shown]):
            return
        super().accept()

    def arrangement(self) -> Arrangement:
        return Arrangement(
            host=self.host_edit.text(),
            lecturer=self.lecturer_edit.text(),
            department=self.department_edit.text(),
            form=self.form_combo.currentData() or "",
            month=self.month_spin.value() or None,
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        arrangement: Arrangement,
        forms: list[str],
        where: str,
        *,
        session: bool,
    ) -> Arrangement | None:
        dialog = cls(arrangement, forms, where, session=session, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.arrangement()


#: A result's target: (label, topic id, session id).
Target = tuple[str, int | None, int | None]


class ResultDialog(QDialog):
    """A result of the study (成果转化清单)."""

    def __init__(
        self,
        targets: list[Target],
        kinds: list[str],
        members: list[Member],
        result: StudyResult | None,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("学习成果") if result is None else self.tr("修改学习成果"))
        self._result = result
        self.target_combo = QComboBox()
        for label, topic_id, session_id in targets:
            self.target_combo.addItem(label, (topic_id, session_id))
        self.name_edit = QLineEdit(result.name if result else "")
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(kinds)
        self.owner_combo = _member_combo(members, result.member_id if result else None)
        due = result.due if result and result.due else today + dt.timedelta(days=30)
        # A deadline may be any day of the supported years (model/years.py): one already
        # past is how an overdue result is recorded.
        self.due_edit = DateField(due, self.tr("完成时限"))
        self.due_edit.setObjectName("resultDue")
        self.progress_combo = QComboBox()
        for progress in Progress:
            self.progress_combo.addItem(progress.label, progress)
        self.effect_edit = QPlainTextEdit(result.effect if result else "")
        self.effect_edit.setFixedHeight(70)
        self.attachments_edit = QLineEdit("；".join(result.attachments) if result else "")
        self.attachments_edit.setPlaceholderText(self.tr("文件位置，多个用“；”分隔"))
        browse = QPushButton(self.tr("选择文件…"))
        browse.clicked.connect(self._browse)
        if result is not None:
            key = (result.topic_id, result.session_id)
            for row in range(self.target_combo.count()):
                if self.target_combo.itemData(row) == key:
                    self.target_combo.setCurrentIndex(row)
            self.kind_combo.setCurrentText(result.kind)
            self.progress_combo.setCurrentIndex(self.progress_combo.findData(result.progress))
        files = QHBoxLayout()
        files.addWidget(self.attachments_edit, 1)
        files.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(self.tr("对应专题或场次"), self.target_combo)
        form.addRow(self.tr("成果名称"), self.name_edit)
        form.addRow(self.tr("类型"), self.kind_combo)
        form.addRow(self.tr("责任人"), self.owner_combo)
        form.addRow(self.tr("完成时限"), self.due_edit)
        form.addRow(self.tr("进展"), self.progress_combo)
        form.addRow(self.tr("成效说明"), self.effect_edit)
        form.addRow(self.tr("附件"), files)
        form.addRow(_buttons(self))

    def _browse(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("选择附件"))
        if paths:
            current = [p for p in self.attachments_edit.text().split("；") if p.strip()]
            self.attachments_edit.setText("；".join([*current, *paths]))

    def accept(self) -> None:
        problem = self.due_edit.check()
        if problem:
            QMessageBox.warning(self, self.windowTitle(), problem)
            self.due_edit.setFocus()
            return
        if refused(
            self,
            [
                (self.tr("成果名称"), self.name_edit, self.name_edit.text()),
                (self.tr("成效说明"), self.effect_edit, self.effect_edit.toPlainText()),
            ],
        ):
            return
        super().accept()

    def result(self) -> StudyResult:  # type: ignore[override]
        topic_id, session_id = self.target_combo.currentData() or (None, None)
        values = StudyResult(
            name=self.name_edit.text(),
            kind=self.kind_combo.currentText(),
            member_id=self.owner_combo.currentData(),
            due=self.due_edit.day(),
            progress=self.progress_combo.currentData(),
            effect=self.effect_edit.toPlainText(),
            attachments=tuple(p for p in self.attachments_edit.text().split("；") if p.strip()),
            topic_id=topic_id,
            session_id=session_id,
        )
        return replace(values, id=self._result.id) if self._result else values

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        targets: list[Target],
        kinds: list[str],
        members: list[Member],
        result: StudyResult | None,
        today: dt.date,
    ) -> StudyResult | None:
        dialog = cls(targets, kinds, members, result, today, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result()


class ListSettingsDialog(QDialog):
    """学习形式 and 成果类型 the secretary adds (one a line), and each member's yearly duties."""

    def __init__(
        self,
        forms: list[str],
        kinds: list[str],
        required: dict[str, int],
        parent: QWidget | None = None,
    ) -> None:
        from studyplan.model.duties import DEFAULT_RESULT_TYPES, DEFAULT_STUDY_FORMS, DUTIES

        super().__init__(parent)
        self.setWindowTitle(self.tr("清单可选项与年度学习任务"))
        self.forms_edit = QPlainTextEdit("\n".join(forms[len(DEFAULT_STUDY_FORMS) :]))
        self.kinds_edit = QPlainTextEdit("\n".join(kinds[len(DEFAULT_RESULT_TYPES) :]))
        for edit in (self.forms_edit, self.kinds_edit):
            edit.setFixedHeight(70)
            edit.setPlaceholderText(self.tr("每行一项"))
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout(self)
        form.addRow(self.tr("学习形式"), QLabel("、".join(DEFAULT_STUDY_FORMS)))
        form.addRow(self.tr("另增学习形式"), self.forms_edit)
        form.addRow(self.tr("成果类型"), QLabel("、".join(DEFAULT_RESULT_TYPES)))
        form.addRow(self.tr("另增成果类型"), self.kinds_edit)
        for duty in DUTIES:
            spin = QSpinBox()
            spin.setRange(duty.setting.low, duty.setting.high)
            spin.setValue(required[duty.code])
            self.spins[duty.code] = spin
            form.addRow(self.tr("每人每年{name}").format(name=duty.name), spin)
        form.addRow(_buttons(self))

    def accept(self) -> None:
        if refused(
            self,
            [
                (self.tr("学习形式"), self.forms_edit, self.forms_edit.toPlainText()),
                (self.tr("成果类型"), self.kinds_edit, self.kinds_edit.toPlainText()),
            ],
        ):
            return
        super().accept()

    def answer(self) -> tuple[list[str], list[str], dict[str, int]]:
        def lines(edit: QPlainTextEdit) -> list[str]:
            return [line for line in edit.toPlainText().splitlines() if line.strip()]

        required = {code: spin.value() for code, spin in self.spins.items()}
        return lines(self.forms_edit), lines(self.kinds_edit), required

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        forms: list[str],
        kinds: list[str],
        required: dict[str, int],
    ) -> tuple[list[str], list[str], dict[str, int]] | None:
        dialog = cls(forms, kinds, required, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

"""Dialogs about roster members: the member form, the last day in the group, the import report."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studyplan.gui.common import error_label
from studyplan.gui.date_field import Bound, DateField
from studyplan.model.roster import (
    DEFAULT_ROLE,
    MAX_NAME_LENGTH,
    ROLES,
    ImportLine,
    ImportReport,
    Member,
    normalize_name,
)
from studyplan.model.text import printing_problem


class MemberDialog(QDialog):
    """The member form. Use `MemberDialog.ask(...)`; the caller saves the answer."""

    def __init__(
        self,
        member: Member | None = None,
        *,
        today: dt.date,
        joined_default: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._original = member
        editing = member is not None and member.id is not None
        self.setWindowTitle(self.tr("编辑成员") if editing else self.tr("添加成员"))
        self.setObjectName("memberDialog")

        self.name_edit = QLineEdit(member.name if member else "")
        self.name_edit.setMaxLength(MAX_NAME_LENGTH + 10)
        self.name_edit.setPlaceholderText(self.tr("例如：王建国"))
        self.position_edit = QLineEdit(member.position if member else "")
        self.position_edit.setPlaceholderText(self.tr("例如：局党组书记、局长"))
        self.role_combo = QComboBox()
        self.role_combo.setEditable(True)
        self.role_combo.addItems(list(ROLES))
        self.role_combo.setCurrentText(member.role if member else DEFAULT_ROLE)
        self.department_edit = QLineEdit(member.department if member else "")
        self.department_edit.setPlaceholderText(self.tr("例如：办公室"))

        joined = member.active_from if member else joined_default
        self.joined_check = QCheckBox(self.tr("自此日起计为应到"))
        self.joined_check.setChecked(joined is not None)
        self.joined_edit = DateField(joined or today, self.tr("加入日期"))
        self.joined_edit.setEnabled(joined is not None)
        self.joined_check.toggled.connect(self.joined_edit.setEnabled)
        joined_hint = QLabel(self.tr("不勾选时，此前各次学习也计为应到（初次建立名单时适用）。"))
        joined_hint.setObjectName("hint")
        joined_hint.setWordWrap(True)

        self.error_label = error_label()
        self.joined_edit.refused.connect(self.show_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        joined_row = QHBoxLayout()
        joined_row.addWidget(self.joined_check)
        joined_row.addWidget(self.joined_edit)
        joined_row.addStretch(1)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("姓名"), self.name_edit)
        form.addRow(self.tr("职务"), self.position_edit)
        form.addRow(self.tr("组内角色"), self.role_combo)
        form.addRow(self.tr("部门"), self.department_edit)
        form.addRow(self.tr("加入日期"), joined_row)
        form.addRow("", joined_hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def sizeHint(self) -> QSize:
        return QSize(480, 300)

    def member(self) -> Member:
        """The member as the form describes it (not saved; `id` kept when editing)."""
        base = self._original or Member(name="")
        return replace(
            base,
            name=self.name_edit.text().strip(),
            position=self.position_edit.text().strip(),
            role=self.role_combo.currentText().strip() or DEFAULT_ROLE,
            department=self.department_edit.text().strip(),
            active_from=(
                self.joined_edit.date().toPython() if self.joined_check.isChecked() else None
            ),
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        name = normalize_name(self.name_edit.text())
        if not name:
            self.show_error(self.tr("请填写成员姓名。"))
            self.name_edit.setFocus()
            return
        if len(name) > MAX_NAME_LENGTH:
            self.show_error(self.tr("姓名过长（不超过 {n} 个字）。").format(n=MAX_NAME_LENGTH))
            self.name_edit.setFocus()
            return
        for what, edit, text in (
            (self.tr("姓名"), self.name_edit, self.name_edit.text()),
            (self.tr("职务"), self.position_edit, self.position_edit.text()),
            (self.tr("组内角色"), self.role_combo, self.role_combo.currentText()),
            (self.tr("部门"), self.department_edit, self.department_edit.text()),
        ):
            problem = printing_problem({what: text})
            if problem:
                self.show_error(problem)
                edit.setFocus()
                return
        problem = self.joined_edit.check() if self.joined_check.isChecked() else None
        if problem:
            self.show_error(problem)
            self.joined_edit.setFocus()
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        member: Member | None = None,
        *,
        today: dt.date,
        joined_default: dt.date | None = None,
    ) -> Member | None:
        """The member as entered, or None if cancelled. `joined_default` pre-fills the
        joining date of a new member (leave it None while first setting up the roster);
        without one the date picker starts at `today`."""
        dialog = cls(member, today=today, joined_default=joined_default, parent=parent)
        try:
            return dialog.member() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class LastDayDialog(QDialog):
    """Asks for the last day a member belongs to the group (离任)."""

    def __init__(self, member: Member, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("成员离任"))
        self.setObjectName("lastDayDialog")
        question = QLabel()
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setText(self.tr("{name} 在中心组的最后一天：").format(name=member.label))
        question.setWordWrap(True)
        self.date_edit = DateField(today, self.tr("最后一天"))
        if member.active_from is not None:
            self.date_edit.set_range(Bound(member.active_from, self.tr("加入日期")))
        self.error_label = error_label()
        self.date_edit.refused.connect(self.error_label.setText)
        self.date_edit.refused.connect(self.error_label.show)
        hint = QLabel(self.tr("此日之后的学习不再计为应到；以往的考勤、请假和补学记录全部保留。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.date_edit)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def sizeHint(self) -> QSize:
        return QSize(460, 190)

    def accept(self) -> None:
        problem = self.date_edit.check()
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            self.date_edit.setFocus()
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, member: Member, today: dt.date) -> dt.date | None:
        dialog = cls(member, today, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.date_edit.date().toPython()
            return None
        finally:
            dialog.deleteLater()


def _lines_html(title: str, lines: list[ImportLine], color: str) -> str:
    if not lines:
        return ""
    esc = html.escape
    rows = "".join(
        f"<tr><td align='right' style='color:#6b7280'>第 {line.row} 行</td>"
        f"<td><b>{esc(line.name) or '（空）'}</b></td><td>{esc(line.reason)}</td></tr>"
        for line in lines
    )
    return (
        f"<h4 style='color:{color};margin:12px 0 4px 0'>{esc(title)}（{len(lines)}）</h4>"
        f"<table cellspacing='0' cellpadding='3'>{rows}</table>"
    )


def report_html(report: ImportReport) -> str:
    """The import report as the dialog shows it: counts first, then each list by row."""
    esc = html.escape
    source = esc(report.source)
    if report.sheet:
        source += f"（工作表：{esc(report.sheet)}）"
    parts = [
        f"<p style='margin:0 0 4px 0;font-size:large;font-weight:600'>{esc(report.summary)}</p>",
        f"<p style='margin:0;color:#6b7280'>文件：{source}</p>",
        _lines_html("新增", report.added, "#15803d"),
        _lines_html("更新", report.updated, "#2563eb"),
        _lines_html("跳过", report.skipped, "#b91c1c"),
        _lines_html("无变化", report.unchanged, "#4b5563"),
    ]
    if any(line.namesake for line in report.added):
        parts.append(
            "<p style='margin:2px 0 0 0;color:#6b7280'>"
            "新增成员中有与现有成员同名者；如是同一人，请用“编辑 → 撤销”撤回这次导入，"
            "先在成员列表中更正其职务、部门，再重新导入。</p>"
        )
    if report.not_in_file:
        names = "、".join(esc(m.label) for m in report.not_in_file)
        parts.append(
            "<h4 style='color:#c2410c;margin:12px 0 4px 0'>"
            f"名单中没有的现有成员（{len(report.not_in_file)}）</h4>"
            f"<p style='margin:0'>{names}</p>"
            "<p style='margin:2px 0 0 0;color:#6b7280'>"
            "已排到名单所列成员之后，其他信息未作改动；如已离任，请在成员列表中选中后点“离任…”。</p>"
        )
    if report.same_names:
        parts.append(
            "<h4 style='color:#c2410c;margin:12px 0 4px 0'>"
            f"同名成员（{len(report.same_names)}）</h4>"
            + "".join(f"<p style='margin:0'>{esc(s)}</p>" for s in report.same_names)
        )
    return "".join(parts)


class ImportReportDialog(QDialog):
    """What a roster import did, row by row, for the secretary to check."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("名单导入结果"))
        self.setObjectName("importReportDialog")
        self.browser = QTextBrowser()
        self.browser.setObjectName("importReport")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(report_html(report))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def sizeHint(self) -> QSize:
        return QSize(640, 520)

    @classmethod
    def show_report(cls, parent: QWidget | None, report: ImportReport) -> None:
        dialog = cls(report, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

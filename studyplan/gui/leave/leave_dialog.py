"""Filing a leave request (请假登记): who, for which session, why, when, approved by whom."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QSize, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from studyplan.gui.common import error_label, session_label
from studyplan.gui.date_field import Bound, DateField
from studyplan.model.attendance import (
    LEAVE_KINDS,
    guess_leave_kind,
    leave_kind_label,
    session_start,
)
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import Member, normalize_text
from studyplan.model.text import printing_problem

#: Reasons offered in the drop-down; the secretary may type any other.
COMMON_REASONS: tuple[str, ...] = (
    "公务外出",
    "参加上级会议",
    "出差",
    "病假",
    "事假",
    "年休假",
)

LeaveAnswer = tuple[int, int, str, dt.datetime, str]
#: (kind, last day of a leave for a date range, or None for the chosen session alone).
LeaveTerms = tuple[str, dt.date | None]


class LeaveDialog(QDialog):
    """The leave form. Use `LeaveDialog.ask(...)`; the caller files the request."""

    def __init__(
        self,
        members: Sequence[Member],
        sessions: Sequence[Session],
        *,
        now: dt.datetime,
        session_id: int | None = None,
        approvers: Iterable[str] = (),
        parent: QWidget | None = None,
        names: dict[int, str] | None = None,
    ) -> None:
        super().__init__(parent)
        #: Member id -> the name shown where a namesake must be told apart.
        self._names = dict(names or {})
        self.setWindowTitle(self.tr("新建请假"))
        self.setObjectName("leaveDialog")
        self._now = now.replace(second=0, microsecond=0)
        self._members = [m for m in members if m.id is not None]
        self._sessions = [
            s for s in sessions if s.id is not None and s.status is not SessionStatus.CANCELLED
        ]

        self.session_combo = QComboBox()
        self.session_combo.setObjectName("leaveSession")
        for session in self._sessions:
            text = session_label(session)
            if dt.datetime.combine(session.date, session.end) <= self._now:
                text += self.tr("（已结束）")
            elif session_start(session) <= self._now:
                text += self.tr("（已开始）")
            self.session_combo.addItem(text, session.id)
        self.session_combo.setPlaceholderText(self.tr("本年度没有可请假的场次"))
        self.member_combo = QComboBox()
        self.member_combo.setObjectName("leaveMember")
        self.member_combo.setPlaceholderText(self.tr("请选择成员"))
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("leaveReason")
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(list(COMMON_REASONS))
        self.reason_combo.setCurrentIndex(-1)
        self.reason_combo.lineEdit().setPlaceholderText(self.tr("例如：参加省厅会议"))
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("leaveKind")
        for kinds in LEAVE_KINDS.values():
            for kind in kinds:
                self.kind_combo.addItem(leave_kind_label(kind), kind)
        self.kind_combo.setCurrentIndex(-1)
        self.kind_combo.setPlaceholderText(self.tr("请选择类别"))
        self._kind_chosen = False
        self.span_check = QCheckBox(self.tr("连续请假至"))
        self.span_check.setObjectName("leaveSpan")
        self.span_check.setToolTip(
            self.tr("出差、病休等一段时间：其间各场学习（含以后新增的）都算请假")
        )
        self.until_date = DateField(self._now.date(), self.tr("请假截止日期"))
        self.until_date.setObjectName("leaveUntil")
        self.until_date.setEnabled(False)
        self.span_check.toggled.connect(self.until_date.setEnabled)
        self.filed_date = DateField(self._now.date(), self.tr("提交日期"))
        self.filed_date.setObjectName("leaveFiledDate")
        self.filed_date.set_range(latest=Bound(self._now.date(), self.tr("今天")))
        self.filed_time = QTimeEdit(QTime(self._now.hour, self._now.minute))
        self.filed_time.setObjectName("leaveFiledTime")
        self.filed_time.setDisplayFormat("HH:mm")
        self.approver_edit = QLineEdit()
        self.approver_edit.setObjectName("leaveApprover")
        self.approver_edit.setPlaceholderText(self.tr("例如：王建国（可审批时再填）"))
        known = sorted({a for a in approvers if a})
        if known:
            completer = QCompleter(known, self.approver_edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.approver_edit.setCompleter(completer)

        self.late_label = QLabel()
        self.late_label.setObjectName("lateNotice")
        self.late_label.setStyleSheet("color: #b91c1c; font-weight: 600;")
        self.late_label.setWordWrap(True)
        self.error_label = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("场次"), self.session_combo)
        span_row = QHBoxLayout()
        span_row.addWidget(self.span_check)
        span_row.addWidget(self.until_date)
        span_row.addStretch(1)
        form.addRow("", span_row)
        form.addRow(self.tr("请假人"), self.member_combo)
        form.addRow(self.tr("事由"), self.reason_combo)
        form.addRow(self.tr("类别"), self.kind_combo)
        filed_row = QHBoxLayout()
        filed_row.addWidget(self.filed_date)
        filed_row.addWidget(self.filed_time)
        filed_row.addStretch(1)
        form.addRow(self.tr("提交时间"), filed_row)
        form.addRow("", self.late_label)
        form.addRow(self.tr("审批人"), self.approver_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.session_combo.currentIndexChanged.connect(self._session_changed)
        self.reason_combo.editTextChanged.connect(self._reason_changed)
        self.kind_combo.activated.connect(self._kind_activated)
        self.filed_date.dateChanged.connect(self._update_late)
        self.filed_time.timeChanged.connect(self._update_late)
        # A sentence about a field goes once the field is changed: it may be put right now.
        for changed in (
            self.session_combo.currentIndexChanged,
            self.member_combo.currentIndexChanged,
            self.reason_combo.editTextChanged,
            self.kind_combo.currentIndexChanged,
            self.filed_date.dateChanged,
            self.filed_time.timeChanged,
        ):
            changed.connect(self.error_label.hide)
        self.filed_date.refused.connect(self.show_error)
        self.session_combo.setCurrentIndex(self._default_index(session_id))
        self._session_changed()

    def sizeHint(self) -> QSize:
        return QSize(520, 380)

    def _reason_changed(self, text: str) -> None:
        """Offer the kind the reason names until the secretary picks one."""
        if not self._kind_chosen:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(guess_leave_kind(text)))

    def _kind_activated(self) -> None:
        self._kind_chosen = True

    def terms(self) -> LeaveTerms:
        """The kind chosen and, for a leave for a date range, its last day."""
        kind = self.kind_combo.currentData() or ""
        last = self.until_date.day() if self.span_check.isChecked() else None
        return kind, last

    def _default_index(self, session_id: int | None) -> int:
        ids = [s.id for s in self._sessions]
        if session_id in ids:
            return ids.index(session_id)
        for index, session in enumerate(self._sessions):
            if session_start(session) > self._now:
                return index
        return len(self._sessions) - 1

    def session(self) -> Session | None:
        index = self.session_combo.currentIndex()
        return self._sessions[index] if 0 <= index < len(self._sessions) else None

    def _session_changed(self) -> None:
        session = self.session()
        if session is not None:
            self.until_date.setMinimumDate(session.date)
            if self.until_date.day() < session.date:
                self.until_date.setDate(session.date)
        chosen = self.member_combo.currentData()
        self.member_combo.clear()
        if session is not None:
            for member in self._members:
                if member.expected_on(session.date):
                    shown = self._names.get(member.id or 0, member.name)
                    text = shown if shown != member.name else member.label
                    self.member_combo.addItem(text, member.id)
        self.member_combo.setCurrentIndex(self.member_combo.findData(chosen))
        self._update_late()

    def _update_late(self) -> None:
        session = self.session()
        filed = self.filed_at()
        if session is not None and filed >= session_start(session):
            self.late_label.setText(self.tr("提交时间已在会议开始之后，将标记为“事后补假”。"))
            self.late_label.show()
        else:
            self.late_label.hide()

    def filed_at(self) -> dt.datetime:
        day = self.filed_date.date().toPython()
        time = self.filed_time.time().toPython().replace(second=0, microsecond=0)
        return dt.datetime.combine(day, time)

    def answer(self) -> LeaveAnswer | None:
        session = self.session()
        member_id = self.member_combo.currentData()
        if session is None or session.id is None or member_id is None:
            return None
        filed = self.filed_at()
        return (
            member_id,
            session.id,
            normalize_text(self.reason_combo.currentText()),
            filed,
            normalize_text(self.approver_edit.text()),
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        if self.session() is None:
            self.show_error(self.tr("请选择请假的场次。"))
            return
        if self.member_combo.currentData() is None:
            self.show_error(self.tr("请选择请假人。"))
            self.member_combo.setFocus()
            return
        if not normalize_text(self.reason_combo.currentText()):
            self.show_error(self.tr("请填写请假事由。"))
            self.reason_combo.setFocus()
            return
        for what, field, text in (
            (self.tr("请假事由"), self.reason_combo, self.reason_combo.currentText()),
            (self.tr("审批人"), self.approver_edit, self.approver_edit.text()),
        ):
            problem = printing_problem({what: text})
            if problem:
                self.show_error(problem)
                field.setFocus()
                return
        problem = self.filed_date.check()
        if problem:
            self.show_error(problem)
            self.filed_date.setFocus()
            return
        if not self.kind_combo.currentData():
            self.show_error(self.tr("请选择请假类别（因公或因私）。"))
            self.kind_combo.setFocus()
            return
        if self.span_check.isChecked():
            problem = self.until_date.check()
            if problem:
                self.show_error(problem)
                self.until_date.setFocus()
                return
        if self.filed_at() > self._now.replace(second=0, microsecond=0):
            # A request is entered once it was made; a later time would also make approving
            # it now impossible (a decision cannot precede the request).
            self.show_error(self.tr("提交时间不能晚于现在。"))
            self.filed_time.setFocus()
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        members: Sequence[Member],
        sessions: Sequence[Session],
        *,
        now: dt.datetime,
        session_id: int | None = None,
        approvers: Iterable[str] = (),
        names: dict[int, str] | None = None,
    ) -> tuple | None:
        """(member_id, session_id, reason, filed_at, approver, kind, last day or None), or
        None if cancelled."""
        dialog = cls(
            members,
            sessions,
            now=now,
            session_id=session_id,
            approvers=approvers,
            parent=parent,
            names=names,
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            answer = dialog.answer()
            return None if answer is None else (*answer, *dialog.terms())
        finally:
            dialog.deleteLater()

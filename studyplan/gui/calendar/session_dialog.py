"""Creating or editing one study session."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QSize, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.changes import Change, do
from studyplan.app.planning import PlanningService
from studyplan.gui.common import error_label, weekday_name
from studyplan.gui.date_field import DateField
from studyplan.model.errors import StudyplanError
from studyplan.model.plan import SESSION_FORMS, Session, SessionStatus
from studyplan.model.planning import NeedsConfirmation

DEFAULT_START = dt.time(15, 0)
DEFAULT_END = dt.time(17, 0)
NumberRole = Qt.ItemDataRole.UserRole + 1
T = TypeVar("T")


def do_asking(parent: QWidget, use_case: Callable[..., T], *args: object) -> Change[T]:
    """`do(use_case, *args)`, asking about each rule the user may set aside (a second session
    that day, a day off: NeedsConfirmation) and trying again with the answer. Raises the
    question itself when the answer is no, and any other StudyplanError. The edit form and a
    session dragged in the calendar ask the same questions."""
    allowed: dict[str, bool] = {}
    while True:
        try:
            return do(use_case, *args, **allowed)
        except NeedsConfirmation as question:
            answer = QMessageBox.question(
                parent,
                question.title,
                str(question),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise
            allowed[question.permission] = True


class SessionDialog(QDialog):
    """The session form. Use `SessionDialog.ask(...)`; it saves through the planning service."""

    def __init__(
        self,
        service: PlanningService,
        session: Session | None = None,
        day: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._original = session
        self._topics_year: int | None = None
        self._ticks_by_year: dict[int | None, set[int]] = {}
        self.saved: Session | None = None
        self.change: Change[int] | None = None
        self.setWindowTitle(self.tr("编辑学习场次") if session else self.tr("新建学习场次"))
        self.setObjectName("sessionDialog")

        start_day = session.date if session else (day or service.clock.today())
        self.date_edit = DateField(start_day, self.tr("日期"))
        self.weekday_label = QLabel()
        self.weekday_label.setObjectName("hint")
        self.start_edit = QTimeEdit(QTime(session.start if session else DEFAULT_START))
        self.end_edit = QTimeEdit(QTime(session.end if session else DEFAULT_END))
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        # A new session is most likely held where the last one was.
        self.location_edit = QLineEdit(session.location if session else service.default_location())
        self.location_edit.setPlaceholderText(self.tr("例如：局机关三楼会议室"))
        self.form_combo = QComboBox()
        self.form_combo.setEditable(True)
        self.form_combo.addItems(list(SESSION_FORMS))
        self.form_combo.setCurrentText(session.form if session else SESSION_FORMS[0])
        self.host_edit = QLineEdit(session.host if session else "")
        self.lecturer_edit = QLineEdit(session.lecturer if session else "")
        self.status_combo = QComboBox()
        for status in SessionStatus:
            self.status_combo.addItem(status.label, status.value)
        status = session.status if session else SessionStatus.PLANNED
        self.status_combo.setCurrentIndex(self.status_combo.findData(status.value))
        self.notes_edit = QPlainTextEdit(session.notes if session else "")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 14)

        self.topic_model = QStandardItemModel(self)
        self.topic_list = QListView()
        self.topic_list.setObjectName("topicChecklist")
        self.topic_list.setModel(self.topic_model)
        self.topic_list.setUniformItemSizes(True)
        self.topic_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.topic_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.topic_hint = QLabel()
        self.topic_hint.setObjectName("hint")
        self.topic_hint.setWordWrap(True)

        self.error_label = error_label()
        self.date_edit.refused.connect(self.show_error)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Enter in 备注 starts a new line; Ctrl+Enter saves from anywhere in the form.
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, activated=self.accept)

        self._layout()
        self.date_edit.dateChanged.connect(self._date_changed)
        self._date_changed()
        if session:
            self._check_topics(session.topic_numbers)

    def _layout(self) -> None:
        time_row = QHBoxLayout()
        time_row.setSpacing(8)
        time_row.addWidget(self.start_edit)
        time_row.addWidget(QLabel("至"))
        time_row.addWidget(self.end_edit)
        time_row.addStretch(1)
        date_row = QHBoxLayout()
        date_row.setSpacing(10)
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.weekday_label)
        date_row.addStretch(1)

        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("日期"), date_row)
        form.addRow(self.tr("时间"), time_row)
        form.addRow(self.tr("地点"), self.location_edit)
        form.addRow(self.tr("形式"), self.form_combo)
        form.addRow(self.tr("主持人"), self.host_edit)
        form.addRow(self.tr("领学/辅导人"), self.lecturer_edit)
        form.addRow(self.tr("状态"), self.status_combo)
        form.addRow(self.tr("备注"), self.notes_edit)

        topics = QVBoxLayout()
        heading = QLabel(self.tr("学习专题（可多选）"))
        heading.setObjectName("fieldHeading")
        topics.addWidget(heading)
        topics.addWidget(self.topic_list, 1)
        topics.addWidget(self.topic_hint)

        columns = QHBoxLayout()
        columns.addLayout(form, 5)
        columns.addSpacing(12)
        columns.addLayout(topics, 6)

        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        order = [
            self.date_edit,
            self.start_edit,
            self.end_edit,
            self.location_edit,
            self.form_combo,
            self.host_edit,
            self.lecturer_edit,
            self.status_combo,
            self.notes_edit,
            self.topic_list,
            self.buttons,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    def sizeHint(self) -> QSize:
        return QSize(860, 480)

    # -- topics -----------------------------------------------------------------------
    def _date_changed(self) -> None:
        day = self.date_edit.date().toPython()
        self.weekday_label.setText(weekday_name(day))
        if day.year != self._topics_year:
            self._load_topics(day.year)

    def _load_topics(self, year: int) -> None:
        """List `year`'s topics. Ticks stay with their year: back in a year shown before,
        its ticks return; in a new year the same numbers are ticked where they exist."""
        checked = set(self.checked_topics())
        if self.topic_model.rowCount():
            self._ticks_by_year[self._topics_year] = checked
        checked = self._ticks_by_year.get(year, checked)
        self._topics_year = year
        self.topic_model.clear()
        topics = self._service.topics(year)
        dropped = checked - {t.number for t in topics}
        for topic in topics:
            item = QStandardItem(f"专题{topic.number}  {topic.title}")
            item.setToolTip(f"专题{topic.number}：{topic.title}")
            item.setData(topic.number, NumberRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(
                Qt.CheckState.Checked if topic.number in checked else Qt.CheckState.Unchecked
            )
            self.topic_model.appendRow(item)
        hint = (
            self.tr("{year} 年计划共 {n} 个专题").format(year=year, n=len(topics))
            if topics
            else self.tr("{year} 年还没有学习计划，可不选专题").format(year=year)
        )
        if dropped:
            hint += self.tr("；已勾选的专题{listed}不在该年计划中，已取消勾选").format(
                listed="、".join(str(n) for n in sorted(dropped))
            )
        self.topic_hint.setText(hint)

    def _check_topics(self, numbers: tuple[int, ...]) -> None:
        for row in range(self.topic_model.rowCount()):
            item = self.topic_model.item(row)
            if item.data(NumberRole) in numbers:
                item.setCheckState(Qt.CheckState.Checked)

    def set_topic_checked(self, number: int, checked: bool = True) -> None:
        """Tick or untick a topic by its number (what a click on its box does)."""
        for row in range(self.topic_model.rowCount()):
            item = self.topic_model.item(row)
            if item.data(NumberRole) == number:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_topics(self) -> tuple[int, ...]:
        return tuple(
            sorted(
                self.topic_model.item(row).data(NumberRole)
                for row in range(self.topic_model.rowCount())
                if self.topic_model.item(row).checkState() == Qt.CheckState.Checked
            )
        )

    # -- the answer -------------------------------------------------------------------
    def session(self) -> Session:
        """The session as the form now describes it (not yet saved)."""
        return Session(
            id=self._original.id if self._original else None,
            date=self.date_edit.date().toPython(),
            start=self.start_edit.time().toPython(),
            end=self.end_edit.time().toPython(),
            location=self.location_edit.text().strip(),
            form=self.form_combo.currentText().strip(),
            topic_numbers=self.checked_topics(),
            host=self.host_edit.text().strip(),
            lecturer=self.lecturer_edit.text().strip(),
            status=SessionStatus(self.status_combo.currentData()),
            notes=self.notes_edit.toPlainText().strip(),
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        """Save, then close; a rule broken keeps the dialog open with the sentence shown. A
        rule the user may set aside (a second session that day, a day off) is asked about."""
        problem = self.date_edit.check()
        if problem:
            self.show_error(problem)
            self.date_edit.setFocus()
            return
        try:
            change = do_asking(self, self._service.save_session, self.session())
        except StudyplanError as error:  # a rule broken, or one the user would not set aside
            self.show_error(str(error))
            return
        self.change = change
        self.saved = self._service.session(change.result)
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        service: PlanningService,
        session: Session | None,
        day: dt.date | None,
    ) -> Change[int] | None:
        """Show the form; what was saved (to undo), or None if the user cancelled."""
        dialog = cls(service, session, day, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.change
            return None
        finally:
            dialog.deleteLater()

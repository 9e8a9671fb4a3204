"""Auto-scheduling a year's sessions from a cadence rule, previewed before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import (
    QSize,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.planning import PlanningService
from studyplan.gui.common import (
    AnyIndex,
    ObjectRole,
    RowTableModel,
    topics_label,
    weekday_name,
)
from studyplan.gui.date_field import Bound, DateField
from studyplan.model.errors import StudyplanError
from studyplan.model.plan import SESSION_FORMS, ScheduleProposal, ScheduleRequest, Session

#: How many lines of warnings show before the rest scroll: the dialog must fit the screen.
WARNING_LINES = 4

#: (label, RRULE body); an empty body stands for the custom rule typed by the user.
FREQUENCY_PRESETS: tuple[tuple[str, str], ...] = (
    ("每月第二个星期四", "FREQ=MONTHLY;BYDAY=+2TH"),
    ("每月第一个星期二", "FREQ=MONTHLY;BYDAY=+1TU"),
    ("每月最后一个星期五", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("每两周星期三", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
    ("每三周星期二", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU"),
    ("自定义…", ""),
)


class ProposalModel(RowTableModel):
    """Sessions of a proposal (to add, or to remove), one per row."""

    COL_DATE, COL_WEEKDAY, COL_TIME, COL_TOPICS, COL_NOTE = range(5)
    HEADERS = ("日期", "星期", "时间", "专题", "说明")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles: dict[int, str] = {}
        self._notes: dict[dt.date, str] = {}

    def set_sessions(
        self,
        sessions: Sequence[Session],
        titles: Mapping[int, str] | None = None,
        notes: Mapping[dt.date, str] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows = list(sessions)
        self._titles = dict(titles or {})
        self._notes = dict(notes or {})
        self.endResetModel()

    def sessions(self) -> list[Session]:
        return list(self._rows)

    def _topics_text(self, session: Session) -> str:
        numbers = session.topic_numbers
        if len(numbers) == 1 and numbers[0] in self._titles:
            return f"专题{numbers[0]}  {self._titles[numbers[0]]}"
        return topics_label(numbers) or session.form

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        session: Session | None = self.row(index)
        if session is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_DATE: f"{session.date:%Y-%m-%d}",
                self.COL_WEEKDAY: weekday_name(session.date),
                self.COL_TIME: session.time_range,
                self.COL_TOPICS: self._topics_text(session),
                self.COL_NOTE: self._notes.get(session.date, ""),
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_TOPICS:
            lines = [
                f"专题{n}：{self._titles[n]}" if n in self._titles else f"专题{n}"
                for n in session.topic_numbers
            ]
            return "\n".join(lines) or None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_NOTE:
            return self._notes.get(session.date) or None
        if role == ObjectRole:
            return session
        return None


class WarningsArea(QScrollArea):
    """The proposal's warnings: as tall as they need, up to WARNING_LINES lines, then they
    scroll. A word-wrapped label on its own grows the dialog past the screen (a daily rule
    once brought 114 warnings) and pushes 确定 and 取消 out of sight."""

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def tallest(self) -> int:
        """The most height the area takes, whatever the number of warnings."""
        label = self.widget()
        margins = label.contentsMargins()
        spacing = label.fontMetrics().lineSpacing()
        lines = spacing * WARNING_LINES + spacing // 2  # a half line shows there is more
        return lines + margins.top() + margins.bottom() + 2 * self.frameWidth()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        frame = 2 * self.frameWidth()
        needed = self.widget().heightForWidth(width - frame) + frame
        return min(needed, self.tallest())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()  # QScrollArea keeps the first content size it saw
        return QSize(hint.width(), self.heightForWidth(max(self.width(), hint.width())))

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), 0)


def _table(model: ProposalModel) -> QTableView:
    view = QTableView()
    view.setObjectName("proposalTable")
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(ProposalModel.COL_TOPICS, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    return view


class AutoScheduleDialog(QDialog):
    """Cadence parameters, a preview of the proposal, and 确定 to write it in one go."""

    def __init__(
        self,
        service: PlanningService,
        year: int,
        *,
        today: dt.date | None = None,
        apply: Callable[[ScheduleProposal], list[int]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._year = year
        self._proposal: ScheduleProposal | None = None
        self._apply = apply or service.apply_schedule
        self._previewed_once = False
        self.applied: list[int] | None = None
        self.setObjectName("scheduleDialog")
        self.setWindowTitle(self.tr("自动排期 — {year} 年").format(year=year))
        today = today or service.clock.today()

        self.rule_combo = QComboBox()
        for label, rule in FREQUENCY_PRESETS:
            self.rule_combo.addItem(label, rule)
        self.rule_edit = QLineEdit()
        self.rule_edit.setPlaceholderText("FREQ=MONTHLY;BYDAY=+2TH")
        self.rule_edit.setToolTip(self.tr("RFC 5545 重复规则，例如 FREQ=MONTHLY;BYDAY=+2TH"))
        self.rule_edit.hide()
        self.start_time_edit = QTimeEdit(QTime(15, 0))
        self.start_time_edit.setDisplayFormat("HH:mm")
        self.duration_spin = QSpinBox()
        self.duration_spin.setRange(15, 600)
        self.duration_spin.setSingleStep(30)
        self.duration_spin.setValue(120)
        self.duration_spin.setSuffix(self.tr(" 分钟"))
        defaults = ScheduleRequest(year=year)
        self.location_edit = QLineEdit(service.default_location())
        self.form_combo = QComboBox()
        self.form_combo.setEditable(True)
        self.form_combo.addItems(list(SESSION_FORMS))
        self.form_combo.setCurrentText(defaults.form)
        self.start_date_edit = DateField(
            today if today.year == year else dt.date(year, 1, 1), self.tr("起始日期")
        )
        # Within the year being scheduled.
        self.start_date_edit.set_range(Bound(dt.date(year, 1, 1)), Bound(dt.date(year, 12, 31)))
        self.replace_check = QCheckBox(self.tr("替换尚未举行的计划场次"))
        self.replace_check.setToolTip(
            self.tr("起始日期之后、状态为“计划”的场次将被删除并重新排期；已举行的场次保留。")
        )
        self.preview_button = QPushButton(self.tr("预览"))
        self.preview_button.setObjectName("previewButton")

        self.new_model = ProposalModel(self)
        self.new_table = _table(self.new_model)
        self.new_label = QLabel()
        self.new_label.setObjectName("fieldHeading")
        self.removed_model = ProposalModel(self)
        self.removed_table = _table(self.removed_model)
        self.removed_table.setMaximumHeight(120)
        self.removed_label = QLabel()
        self.removed_label.setObjectName("fieldHeading")
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("warningLabel")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.warnings_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings_area = WarningsArea(self.warnings_label)
        self.warnings_area.setObjectName("warningsArea")
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        for widget in (
            self.removed_label,
            self.removed_table,
            self.warnings_area,
            self.error_label,
        ):
            widget.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._layout()
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(400)
        self._stale_timer.timeout.connect(self.preview)
        self.rule_combo.currentIndexChanged.connect(self._rule_choice_changed)
        self.preview_button.clicked.connect(self.preview)
        for signal in (
            self.rule_edit.textChanged,
            self.start_time_edit.timeChanged,
            self.duration_spin.valueChanged,
            self.location_edit.textChanged,
            self.form_combo.currentTextChanged,
            self.start_date_edit.dateChanged,
            self.start_date_edit.refused,
            self.replace_check.toggled,
        ):
            signal.connect(self._parameters_changed)

    def _layout(self) -> None:
        rule_row = QHBoxLayout()
        rule_row.addWidget(self.rule_combo)
        rule_row.addWidget(self.rule_edit, 1)
        left = QFormLayout()
        left.setHorizontalSpacing(10)
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left.addRow(self.tr("频次"), rule_row)
        left.addRow(self.tr("起始日期"), self.start_date_edit)
        left.addRow(self.tr("开始时间"), self.start_time_edit)
        right = QFormLayout()
        right.setHorizontalSpacing(10)
        right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        right.addRow(self.tr("时长"), self.duration_spin)
        right.addRow(self.tr("默认地点"), self.location_edit)
        right.addRow(self.tr("学习形式"), self.form_combo)
        grid = QGridLayout()
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(24)
        actions = QHBoxLayout()
        actions.addWidget(self.replace_check)
        actions.addStretch(1)
        actions.addWidget(self.preview_button)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(actions)
        layout.addWidget(self.error_label)
        layout.addWidget(self.new_label)
        layout.addWidget(self.new_table, 1)
        layout.addWidget(self.removed_label)
        layout.addWidget(self.removed_table)
        layout.addWidget(self.warnings_area)
        layout.addWidget(self.buttons)

    def sizeHint(self) -> QSize:
        return QSize(860, 620)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._previewed_once:
            self._previewed_once = True
            QTimer.singleShot(0, self.preview)

    # -- parameters -------------------------------------------------------------------
    def set_preset(self, rule: str) -> None:
        """Choose a preset by its RRULE body, or type `rule` into 自定义… if none has it."""
        index = self.rule_combo.findData(rule)
        if index < 0:
            index = self.rule_combo.findData("")
            self.rule_edit.setText(rule)
        self.rule_combo.setCurrentIndex(index)

    def rule(self) -> str:
        preset = self.rule_combo.currentData()
        return preset or self.rule_edit.text().strip()

    def request(self) -> ScheduleRequest:
        """The request as the form now describes it."""
        return ScheduleRequest(
            year=self._year,
            rule=self.rule(),
            start_time=self.start_time_edit.time().toPython(),
            duration_minutes=self.duration_spin.value(),
            location=self.location_edit.text().strip(),
            form=self.form_combo.currentText().strip() or SESSION_FORMS[0],
            start_date=self.start_date_edit.date().toPython(),
            replace_planned=self.replace_check.isChecked(),
        )

    def _rule_choice_changed(self) -> None:
        custom = not self.rule_combo.currentData()
        self.rule_edit.setVisible(custom)
        if custom:
            self.rule_edit.setFocus()
        self._parameters_changed()

    def _parameters_changed(self) -> None:
        """The preview no longer matches the form: 确定 waits for a fresh one."""
        self._proposal = None
        self.ok_button.setEnabled(False)
        self._stale_timer.start()

    # -- preview and apply --------------------------------------------------------------
    @property
    def proposal(self) -> ScheduleProposal | None:
        return self._proposal

    def preview(self) -> ScheduleProposal | None:
        """Ask the scheduler for a proposal and show it; nothing is written."""
        self._stale_timer.stop()
        self._proposal = None
        self.ok_button.setEnabled(False)
        problem = self.start_date_edit.check()
        if problem:
            self._show_error(problem)
            return None
        request = self.request()
        if not request.rule:
            self._show_error(self.tr("请输入自定义的重复规则，例如 FREQ=MONTHLY;BYDAY=+2TH。"))
            return None
        try:
            proposal = self._service.propose_schedule(request)
        except StudyplanError as error:
            self._show_error(str(error))
            return None
        self.error_label.hide()
        titles = {t.number: t.title for t in self._service.topics(self._year)}
        notes = self._notes(request, proposal)
        self.new_model.set_sessions(proposal.new_sessions, titles, notes)
        self.removed_model.set_sessions(proposal.removed_sessions, titles)
        self.new_label.setText(
            self.tr("将新增 {n} 个场次").format(n=len(proposal.new_sessions))
            if proposal.new_sessions
            else self.tr("所有专题均已安排，无需新增场次")
        )
        removed = len(proposal.removed_sessions)
        self.removed_label.setText(self.tr("将删除 {n} 个尚未举行的计划场次").format(n=removed))
        self.removed_label.setVisible(removed > 0)
        self.removed_table.setVisible(removed > 0)
        self._show_warnings(proposal.warnings)
        self._proposal = proposal
        self.ok_button.setEnabled(bool(proposal.new_sessions or proposal.removed_sessions))
        return proposal

    def _notes(self, request: ScheduleRequest, proposal: ScheduleProposal) -> dict[dt.date, str]:
        """Why a proposed date is not one the rule names: moved off a day off, or added."""
        from studyplan.model.scheduler import rule_dates

        first = request.start_date or dt.date(request.year, 1, 1)
        try:
            slots = set(rule_dates(request.rule, first, dt.date(request.year, 12, 31)))
        except StudyplanError:
            return {}
        calendar = self._service.calendar
        notes: dict[dt.date, str] = {}
        for session in proposal.new_sessions:
            day = session.date
            info = calendar.day(day)
            if day in slots:
                notes[day] = self.tr("调休上班日") if info.is_adjusted_workday else ""
                continue
            monday = day - dt.timedelta(days=day.weekday())
            week = [monday + dt.timedelta(days=i) for i in range(7)]
            original = next((d for d in week if d in slots), None)
            if original is None:
                notes[day] = self.tr("本季度规则无学习日，补排一次")
                continue
            reason = calendar.day(original).holiday_name
            if calendar.day(original).is_workday:
                reason = self.tr("已有安排")
            notes[day] = self.tr("{m}月{d}日{why}，调至本日").format(
                m=original.month, d=original.day, why=reason or self.tr("休息")
            )
        return notes

    def _show_warnings(self, warnings: Sequence[str]) -> None:
        """The warnings, one a line, in an area no taller than WARNING_LINES lines."""
        self.warnings_label.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings_area.setVisible(bool(warnings))
        self.warnings_area.updateGeometry()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.new_model.set_sessions([])
        self.removed_model.set_sessions([])
        self.new_label.setText(self.tr("暂无预览"))
        for widget in (self.removed_label, self.removed_table, self.warnings_area):
            widget.hide()

    def accept(self) -> None:
        """Write the previewed proposal, all or nothing; an error keeps the dialog open."""
        problem = self.start_date_edit.check()
        if problem:
            self._show_error(problem)
            self.ok_button.setEnabled(False)
            self.start_date_edit.setFocus()
            return
        if self._proposal is None:
            return
        try:
            self.applied = self._apply(self._proposal)
        except StudyplanError as error:
            self._show_error(str(error))
            self.ok_button.setEnabled(False)
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        service: PlanningService,
        year: int,
        *,
        today: dt.date | None = None,
        apply: Callable[[ScheduleProposal], list[int]] | None = None,
    ) -> list[int] | None:
        """Show the dialog; the ids of the sessions written, or None if cancelled.

        `apply` writes the accepted proposal (default: the service's `apply_schedule`).
        """
        dialog = cls(service, year, today=today, apply=apply, parent=parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.applied
            return None
        finally:
            dialog.deleteLater()

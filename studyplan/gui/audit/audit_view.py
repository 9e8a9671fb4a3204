"""The 操作记录 view: the audit trail the database keeps of every change, newest first.

Filtered by a date range and by the kind of change, exported as CSV for an inspection. The
view reloads only while it is shown: other views report every keystroke of attendance
marking as a change, and a trail of years should not be re-read for each one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.safety import AuditEntry, SafetyService
from studyplan.gui.actions import run_action
from studyplan.gui.common import (
    AnyIndex,
    ObjectRole,
    RowTableModel,
    setup_row_table,
    to_qdate,
)
from studyplan.gui.date_field import DateField
from studyplan.gui.exporting import SaveAs, export_file
from studyplan.model.clock import Clock

#: How far back the view looks when it opens.
DEFAULT_MONTHS = 3


class AuditModel(RowTableModel):
    """Audit entries, one per row: 时间, 操作, 内容."""

    COL_AT, COL_ACTION, COL_DETAIL = range(3)
    HEADERS = ("时间", "操作", "内容")

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.set_rows(entries)

    def entry(self, row: int) -> AuditEntry:
        return self._rows[row]

    def entries(self) -> list[AuditEntry]:
        return list(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry: AuditEntry | None = self.row(index)
        if entry is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.COL_AT:
                return entry.at.strftime("%Y-%m-%d %H:%M:%S")
            if column == self.COL_ACTION:
                return entry.action
            if column == self.COL_DETAIL:
                return entry.detail
        if role == ObjectRole:
            return entry
        return None


class AuditView(QWidget):
    """操作记录: who-changed-what, by date range and kind of change, with CSV export."""

    def __init__(
        self,
        service: SafetyService,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditView")
        self._service = service
        #: The window's clock (by default the service's): the range ends today.
        self.clock = clock or service.clock
        self._stale = True
        self._follow_today = True
        self._last_folder = ""

        self.model = AuditModel(self)
        self.heading_label = QLabel(self.tr("操作记录"))
        self.heading_label.setObjectName("panelHeading")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("panelSummary")

        today_q = to_qdate(self.today)
        self.since_edit = self._date_edit(today_q.addMonths(-DEFAULT_MONTHS))
        self.until_edit = self._date_edit(today_q)
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("auditAction")
        self.action_combo.setMinimumContentsLength(8)
        self.action_combo.addItem(self.tr("全部操作"), None)
        self.export_button = QPushButton(self.tr("导出 CSV…"))
        self.export_button.setToolTip(self.tr("把所列的操作记录导出为 Excel 可打开的 CSV 文件"))

        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        header = setup_row_table(self.table, 30)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AuditModel.COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(AuditModel.COL_AT, 170)
        self.table.setColumnWidth(AuditModel.COL_ACTION, 130)

        self.hint_label = QLabel(
            self.tr(
                "数据库自动记录场次、成员、考勤、请假、补学、学习记录（会议记录、研讨发言、"
                "心得体会、附件）、学习计划、调休和设置的每一次改动，以及备份与恢复；"
                "记录不能修改或删除。"
            )
        )
        self.hint_label.setObjectName("hint")
        self.hint_label.setWordWrap(True)

        self._layout()
        self.setFocusProxy(self.table)
        self.since_edit.dateChanged.connect(self._filter_changed)
        self.until_edit.dateChanged.connect(self._until_changed)
        self.action_combo.currentIndexChanged.connect(self._filter_changed)
        self.export_button.clicked.connect(self.export_csv)

    def _date_edit(self, day: QDate) -> DateField:
        return DateField(day)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading_label)
        top.addSpacing(12)
        top.addWidget(self.summary_label)
        top.addStretch(1)

        filters = QHBoxLayout()
        for text, widget in (
            (self.tr("从"), self.since_edit),
            (self.tr("至"), self.until_edit),
            (self.tr("操作"), self.action_combo),
        ):
            label = QLabel(text)
            label.setObjectName("fieldHeading")
            filters.addWidget(label)
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint_label)

    # -- state ----------------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        return self.clock.today()

    def since(self) -> dt.date:
        return self.since_edit.date().toPython()

    def until(self) -> dt.date:
        return self.until_edit.date().toPython()

    def action(self) -> str | None:
        return self.action_combo.currentData()

    def _last_day(self) -> dt.date | None:
        """The range's end as asked of the trail: none while it follows today, since the
        database stamps entries by the machine's own clock, which the window's clock (a
        demo's or a test's day) may not match."""
        return None if self._follow_today else self.until()

    def set_range(self, since: dt.date, until: dt.date) -> None:
        """Show the entries of since..until (inclusive)."""
        self._follow_today = until >= self.today
        for edit, day in ((self.since_edit, since), (self.until_edit, until)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(day))
            edit.blockSignals(False)
        self.reload()

    def set_action(self, action: str | None) -> None:
        """Show only entries of `action` (None: every kind)."""
        index = self.action_combo.findData(action) if action is not None else 0
        if index < 0:
            self.action_combo.addItem(action, action)
            index = self.action_combo.count() - 1
        self.action_combo.setCurrentIndex(index)

    # -- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Another view changed the data: reload now if shown, else when next shown."""
        self._stale = True
        if not self.isHidden() and self.isVisibleTo(self.window()):
            self.reload()

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        if visible and self._stale:
            self.reload()

    def reload(self) -> None:
        """Read the entries for the filters shown, newest first."""
        self._stale = False
        if self._follow_today and self.until() < self.today:
            self.until_edit.blockSignals(True)
            self.until_edit.setDate(to_qdate(self.today))
            self.until_edit.blockSignals(False)
        self._fill_actions()
        entries = run_action(
            self,
            self.tr("无法读取操作记录"),
            lambda: self._service.audit_entries(self.since(), self._last_day(), self.action()),
        )
        if entries is None:
            entries = []
        self.model.set_entries(entries)
        if entries:
            self.summary_label.setText(
                self.tr("共 {n} 条（{since} 至 {until}）").format(
                    n=len(entries), since=self.since(), until=self.until()
                )
            )
        else:
            self.summary_label.setText(self.tr("所选时间内没有操作记录"))
        self.export_button.setEnabled(bool(entries))

    def _fill_actions(self) -> None:
        current = self.action()
        self.action_combo.blockSignals(True)
        self.action_combo.clear()
        self.action_combo.addItem(self.tr("全部操作"), None)
        for action in self._service.audit_actions():
            self.action_combo.addItem(action, action)
        index = self.action_combo.findData(current) if current is not None else 0
        if index < 0:
            self.action_combo.addItem(current, current)
            index = self.action_combo.count() - 1
        self.action_combo.setCurrentIndex(index)
        self.action_combo.blockSignals(False)

    def _until_changed(self) -> None:
        self._follow_today = self.until() >= self.today
        self._filter_changed()

    def _filter_changed(self) -> None:
        if self.since() > self.until():
            self.summary_label.setText(self.tr("起始日期晚于结束日期"))
            self.model.set_entries([])
            self.export_button.setEnabled(False)
            return
        self.reload()

    # -- export ---------------------------------------------------------------------------
    def export_csv(self) -> Path | None:
        """Ask where, then write the entries listed as CSV; the file written, or None."""
        folder = Path(self._last_folder) if self._last_folder else Path.home()
        suggested = folder / f"操作记录-{self.today:%Y%m%d}.csv"
        save_as = SaveAs(
            title=self.tr("导出操作记录"),
            suggested=suggested,
            file_filter=self.tr("CSV 文件 (*.csv)"),
            suffixes=(".csv",),
        )

        def write(target: Path) -> int:
            self._last_folder = str(target.parent)
            return self._service.export_audit(target, self.since(), self._last_day(), self.action())

        written = export_file(
            self,
            save_as,
            write,
            lambda target, n: self.tr("已导出 {n} 条操作记录：{path}").format(n=n, path=target),
        )
        if written is None:
            return None
        target = written[0]
        self.reload()
        return target

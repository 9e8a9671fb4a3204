"""The main window: a navigation list of named views, the year switcher, menus, status bar.

A view is any QWidget. It may define `set_year(year)` (called when the year switcher
changes), `refresh()` (called when another view changed the data), `SHOWS` (the tables it
shows: it reloads only after a change to one of them; without it, after any change) and a
`changed(tables)` signal (emitted after a write that cannot be undone, with the names of the
tables it wrote; undoable changes reach the window through the undo stack). Adding one is a
single `add_view` line in `_add_views`; a view given as a factory is built (and its module
imported) the first time it is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from studyplan.app.context import Context
from studyplan.app.safety import describe_backup
from studyplan.gui.actions import run_action
from studyplan.gui.calendar.calendar_page import CalendarPage
from studyplan.gui.help.commands import APP_TITLE, HelpCommands
from studyplan.gui.signin_actions import SigninActions
from studyplan.gui.undo import ChangeStack
from studyplan.gui.view_registry import ViewRegistry
from studyplan.gui.window_bars import WindowBars
from studyplan.model.years import years_offered

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from studyplan.app.changes import Change
    from studyplan.gui.attendance.attendance_view import AttendanceView
    from studyplan.gui.audit.audit_view import AuditView
    from studyplan.gui.documents import DocumentActions
    from studyplan.gui.ledger_export import LedgerExport
    from studyplan.gui.records.records_view import RecordsView
    from studyplan.gui.reports_export import ArchiveExport

_GEOMETRY_KEY = "mainWindow/geometry"
_SPLITTER_KEY = "mainWindow/calendarSplitter"
NameRole = Qt.ItemDataRole.UserRole + 1


class MainWindow(WindowBars, HelpCommands, QMainWindow):
    """Views by name (`views`, `show_view`), one year shown across all of them.

    `db_path` is the database file the services were opened on; without it the backup and
    restore commands are disabled. Restoring needs the connection closed, so the window only
    asks (`restartRequested(backup file)`) and closes: the composition root restores the
    file and opens a new window on it.
    """

    yearChanged = Signal(int)
    restartRequested = Signal(Path)

    def __init__(
        self,
        services: Context,
        *,
        db_path: Path | None = None,
        year: int | None = None,
        month: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr(APP_TITLE))
        self._services = services
        self._planning = services.planning
        self._db_path = Path(db_path) if db_path is not None else None
        #: The context's clock: every view and dialog of the window asks it what day it is.
        self.clock = services.clock
        self._year = 0
        self.views = ViewRegistry(self._view_built)
        #: Hidden views catch up when shown, so a change costs only the visible view's reload.
        self._stale: set[QWidget] = set()
        self.ledger_export: LedgerExport | None = None
        self.archive_export: ArchiveExport | None = None
        self._documents: DocumentActions | None = None
        self._pending_year: dict[QWidget, int] = {}
        #: 撤销/重做 of deletions and bulk changes, for every view of this window.
        self.undo_stack = ChangeStack(self.clock, self)
        self.undo_stack.applied.connect(self._change_applied)

        self._nav = QListWidget()
        self._nav.setObjectName("navigation")
        self._nav.setFixedWidth(112)
        self._stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._nav)
        layout.addWidget(self._stack, 1)
        self.setCentralWidget(central)

        self.calendar = CalendarPage(
            self._planning,
            clock=self.clock,
            year=year,
            month=month,
            turnout=services.attendance.turnout_by_session,
            undo_stack=self.undo_stack,
            topics=services.topics,
            # Made inside the stack it is shown in: with the application's style sheet, a
            # page moved into another parent is styled again, every widget of it.
            parent=self._stack,
        )
        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self._nav.currentRowChanged.connect(self._nav_changed)
        self.calendar.monthChanged.connect(self._month_shown)

        self._add_views()
        self.set_year(self.calendar.year)
        self.update_title()
        self._month_shown(self.calendar.year, self.calendar.month)
        self.show_view("calendar")

    def closeEvent(self, event: QCloseEvent) -> None:
        """An export still running is waited for or cancelled, as the user answers: its
        thread is joined before the window goes, and no partial file is left."""
        from studyplan.gui.exporting import close_while_exporting, running_exports

        jobs = running_exports(self)
        if jobs and not close_while_exporting(self, jobs):
            event.ignore()
            return
        super().closeEvent(event)

    # -- where the window was ---------------------------------------------------------------
    def save_layout(self, settings: QSettings) -> None:
        """Remember the window's size, place and the calendar/topics split for the next start."""
        settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(_SPLITTER_KEY, self.calendar.splitter.saveState())

    def restore_layout(self, settings: QSettings) -> bool:
        """Put the window back where `save_layout` left it; False if nothing (usable) was
        saved, in which case the caller chooses a size."""
        splitter = settings.value(_SPLITTER_KEY)
        if isinstance(splitter, QByteArray):
            self.calendar.splitter.restoreState(splitter)
        geometry = settings.value(_GEOMETRY_KEY)
        return isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)

    def _add_views(self) -> None:
        """The views in navigation order; later views plug in with one line each. Only the
        calendar is built now: the others are built when first shown or looked up."""
        self.signin = SigninActions(self, self._planning, self._services.attendance)
        self.add_view("calendar", self.tr("日历"), self.calendar)
        self.add_view("members", self.tr("成员"), self._members_view)
        self.add_view("attendance", self.tr("考勤"), self._attendance_view)
        self.add_view("leave", self.tr("请假与补学"), self._leave_view)
        self.add_view("records", self.tr("学习记录"), self._records_view)
        self.add_view("stats", self.tr("统计"), self._stats_view)
        self.add_view("audit", self.tr("操作记录"), self._audit_view)
        self.add_view("lists", self.tr("三张清单"), self._lists_view)
        self.calendar.attendanceRequested.connect(self.record_attendance)
        self.calendar.recordsRequested.connect(self.open_records)
        self.calendar.documentRequested.connect(self.export_document)

    # -- the view factories -------------------------------------------------------------
    def _members_view(self) -> QWidget:
        from studyplan.gui.members.members_view import MembersView

        return MembersView(
            self._services.attendance,
            self._planning,
            clock=self.clock,
            undo_stack=self.undo_stack,
            lists=self._services.lists,
        )

    def _attendance_view(self) -> QWidget:
        from studyplan.gui.attendance.attendance_view import AttendanceView

        view = AttendanceView(
            self._services.attendance, self._planning, clock=self.clock, undo_stack=self.undo_stack
        )
        view.signin_requested.connect(self.signin.popup)
        return view

    def _leave_view(self) -> QWidget:
        from studyplan.gui.leave.leave_view import LeaveView

        return LeaveView(
            self._services.attendance, self._planning, clock=self.clock, undo_stack=self.undo_stack
        )

    def _records_view(self) -> QWidget:
        from studyplan.gui.records.records_view import RecordsView

        services = self._services
        view = RecordsView(
            services.records,
            self._planning,
            services.attendance,
            clock=self.clock,
            undo_stack=self.undo_stack,
        )
        view.documentRequested.connect(self.export_document)
        return view

    def _stats_view(self) -> QWidget:
        from studyplan.gui.stats.stats_view import StatsView

        services = self._services
        view = StatsView(services.statistics, services.compliance, clock=self.clock)
        view.report_requested.connect(self.export_report)
        return view

    def _lists_view(self) -> QWidget:
        from studyplan.gui.lists.lists_view import ListsView

        services = self._services
        return ListsView(
            services.lists, services.attendance, clock=self.clock, undo_stack=self.undo_stack
        )

    def _audit_view(self) -> QWidget:
        from studyplan.gui.audit.audit_view import AuditView

        return AuditView(self._services.safety, clock=self.clock)

    @property
    def documents(self) -> DocumentActions:
        """The session's documents (学习通知/记录/简报), made when first asked for: their
        templates and writers are not needed to show the window."""
        if self._documents is None:
            from studyplan.gui.documents import DocumentActions

            self._documents = DocumentActions(self, self._services)
        return self._documents

    def export_document(self, kind: str, session_id: int) -> None:
        self.documents.export(kind, session_id)

    @property
    def attendance(self) -> AttendanceView:
        return self.views["attendance"]  # type: ignore[return-value]

    @property
    def records(self) -> RecordsView:
        return self.views["records"]  # type: ignore[return-value]

    @property
    def audit(self) -> AuditView:
        return self.views["audit"]  # type: ignore[return-value]

    # -- the view registry --------------------------------------------------------------
    def add_view(self, name: str, title: str, widget: QWidget | Callable[[], QWidget]) -> None:
        """Register the view `name`, listed as `title` in the navigation: a widget, or a
        factory that builds it the first time it is needed."""
        if name in self.views:
            raise ValueError(f"视图 {name} 已存在")
        if isinstance(widget, QWidget):
            self.views.register(name, widget, None)
        else:
            self.views.register(name, None, widget)
        item = QListWidgetItem(title)
        item.setData(NameRole, name)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setSizeHint(QSize(0, 44))
        self._nav.addItem(item)
        number = self._nav.count()
        if number <= 9:
            action = self._view_menu.addAction(title)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, n=name: self.show_view(n))

    def _view_built(self, name: str, widget: QWidget) -> None:
        """A view just registered or built joins the stack, the change signals and the year."""
        self._stack.addWidget(widget)
        changed = getattr(widget, "changed", None)
        if isinstance(changed, SignalInstance):
            changed.connect(lambda tables, w=widget: self.data_changed(tables, w))
        if self._year and hasattr(widget, "set_year"):
            widget.set_year(self._year)

    def show_view(self, name: str) -> QWidget:
        """Bring the view `name` to front; ValueError naming the known views otherwise."""
        if name not in self.views:
            known = "、".join(self.views)
            raise ValueError(f"未知的视图：{name}（可用：{known}）")
        widget = self.views[name]
        self._nav.setCurrentRow(list(self.views).index(name))
        widget.setFocus()
        return widget

    def current_view_name(self) -> str:
        return self._nav.currentItem().data(NameRole) if self._nav.currentItem() else ""

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        widget = self.views[self._nav.item(row).data(NameRole)]
        self._stack.setCurrentWidget(widget)
        self._catch_up(widget)
        on_calendar = self._stack.currentWidget() is self.calendar
        for action in self._month_actions:
            action.setVisible(on_calendar)

    def data_changed(self, tables: Collection[str], source: QWidget | None = None) -> None:
        """A write that cannot be undone changed `tables` (in the view `source`, which shows
        it already, or outside any view: an import, the working-day overrides): the views
        that show one of them reload, and the year list and the status bar follow."""
        self._reload_views(frozenset(tables), source)

    def _change_applied(self, change: Change, source: QWidget | None) -> None:
        """A change was made, undone or redone (shown already by `source`)."""
        self._reload_views(change.tables, source)

    def _reload_views(self, written: frozenset[str], source: QWidget | None) -> None:
        """The views other than `source` that show one of the `written` tables reload (a
        view without `SHOWS` shows anything): the one on screen now, the others when next
        shown."""
        shown = self._stack.currentWidget()
        for widget in self.views.built():
            if widget is source or not hasattr(widget, "refresh"):
                continue
            tables = getattr(widget, "SHOWS", None)
            if tables is not None and tables.isdisjoint(written):
                continue
            if widget is shown:
                widget.refresh()
            else:
                self._stale.add(widget)  # reloaded when it is next shown
        self._reload_years()
        self._update_status()
        self.update_title()

    def _catch_up(self, widget: QWidget | None) -> None:
        """Bring a view that was hidden up to date: the year it missed, then the data."""
        if widget is None:
            return
        year = self._pending_year.pop(widget, None)
        if year is not None:
            widget.set_year(year)
        if widget in self._stale:
            self._stale.discard(widget)
            widget.refresh()

    # -- the year ---------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self._year

    def set_year(self, year: int) -> None:
        """Show `year` in every view that follows the year switcher."""
        if year == self._year:
            return
        self._year = year
        self._reload_years()
        shown = self._stack.currentWidget()
        for widget in self.views.built():
            if not hasattr(widget, "set_year"):
                continue
            if widget is shown or widget is self.calendar:
                widget.set_year(year)  # the calendar drives the month and year combos
            else:
                self._pending_year[widget] = year
        self._update_status()
        self.yearChanged.emit(year)

    def _reload_years(self) -> None:
        this_year = self.clock.today().year
        years = years_offered(self._planning.years(), this_year, self._year or None)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(self.tr("{year} 年").format(year=year), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(self._year))
        self.year_combo.blockSignals(False)

    def _year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year:
            self.set_year(year)

    def _month_shown(self, year: int, month: int) -> None:
        self.month_combo.blockSignals(True)
        self.month_combo.setCurrentIndex(month - 1)
        self.month_combo.blockSignals(False)
        self.set_year(year)

    def _month_chosen(self, index: int) -> None:
        self.calendar.set_month(self.calendar.year, index + 1)

    # -- commands ---------------------------------------------------------------------
    def step_month(self, step: int) -> None:
        self.show_view("calendar")
        self.calendar.step_month(step)

    def go_today(self) -> None:
        self.show_view("calendar")
        self.calendar.go_today()

    def new_session(self) -> None:
        self.show_view("calendar")
        self.calendar.new_session()

    def auto_schedule(self) -> None:
        self.show_view("calendar")
        self.calendar.auto_schedule()

    def record_attendance(self, session_id: int) -> None:
        """Open the 考勤 view on a session picked in the calendar."""
        self.show_view("attendance")
        self.attendance.set_session(session_id)

    def open_records(self, session_id: int) -> None:
        """Open the 学习记录 view on a session picked in the calendar."""
        self.show_view("records")
        self.records.set_session(session_id)

    def edit_overrides(self) -> None:
        from studyplan.gui.calendar.overrides_dialog import HolidayOverridesDialog

        if HolidayOverridesDialog.ask(self, self._planning, self._year):
            self.data_changed({"calendar_overrides"})

    def import_plan(self) -> None:
        from studyplan.gui import plan_files

        plan = plan_files.import_plan(self, self._planning, self._year)
        if plan is not None:
            self.data_changed({"plans", "topics", "session_topics"})
            self.set_year(plan.year)

    def export_ics(self) -> None:
        from studyplan.gui import plan_files

        plan_files.export_ics(self, self._planning, self._year)

    def export_ledger(self) -> None:
        """Ask for the year and file, then write the ledger without freezing the window."""
        from studyplan.gui.ledger_export import LedgerExport

        db_file = self._db_path or self._planning.database_file()
        if db_file is None or (self.ledger_export is not None and self.ledger_export.running):
            return
        self.ledger_export = LedgerExport(self, db_file, clock=self.clock)
        answer = self.ledger_export.ask(self._year, self._planning.years())
        if answer is not None:
            self.ledger_export.start(*answer)

    def export_report(self, year: int, quarterly: bool) -> None:
        """统计 → 季度通报… / 年度报告… for the year the 统计 view shows."""
        from studyplan.gui.reports_export import export_report

        export_report(self, self._services, year, quarterly=quarterly)

    def export_archive(self) -> None:
        """Ask for the year and where, then write the volume without freezing the window."""
        from studyplan.gui.reports_export import ArchiveExport

        db_file = self._db_path or self._planning.database_file()
        if db_file is None or (self.archive_export is not None and self.archive_export.running):
            return
        self.archive_export = ArchiveExport(self, self._services, db_file)
        answer = self.archive_export.ask(self._year, self._planning.years())
        if answer is not None:
            self.archive_export.start(*answer)

    def edit_settings(self) -> None:
        from studyplan.gui.settings_dialog import SettingsDialog

        SettingsDialog.ask(self, self._services)
        self.update_title()

    def show_audit(self) -> None:
        self.show_view("audit")

    def backup_database(self) -> Path | None:
        """Ask where, then write a checked copy of the database there; the file written."""
        if self._db_path is None:
            return None
        from studyplan.gui.exporting import SaveAs, export_file

        suggested = self._db_path.with_name(
            f"{self._db_path.stem}-备份-{self.clock.today():%Y%m%d}.db"
        )
        save_as = SaveAs(
            title=self.tr("备份数据库"),
            suggested=suggested,
            file_filter=self.tr("SQLite 数据库 (*.db)"),
            suffixes=(".db",),
            done_title=self.tr("备份完成"),
            failed_title=self.tr("备份失败"),
            openable=False,  # a copy of the database is opened by restoring it, not a program
        )
        written = export_file(
            self,
            save_as,
            self._write_backup,
            lambda _path, copy: self.tr("已把数据库备份到 {path}。").format(path=copy),
        )
        return None if written is None else written[1]

    def _write_backup(self, target: Path) -> Path:
        written = self._services.safety.backup_to(target)
        self.audit.refresh()  # before the message: 操作记录 lists the backup already
        return written

    def restore_backup(self) -> bool:
        """Pick a backup, show what it holds, confirm; then ask to be restarted on it."""
        if self._db_path is None:
            return False
        from studyplan.gui.audit.restore_dialog import RestoreDialog

        source = RestoreDialog.ask(self, self._services.safety, self._db_path)
        if source is None:
            return False
        check = run_action(
            self, self.tr("无法恢复"), lambda: self._services.safety.check_backup(source)
        )
        if check is None:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("从备份恢复"),
            self.tr(
                "备份 {name} 中有：{what}\n\n"
                "恢复后当前数据库将被替换（替换前会自动另存一份），窗口将重新打开。确定恢复吗？"
            ).format(name=source.name, what=describe_backup(check)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.restartRequested.emit(source)
        return True

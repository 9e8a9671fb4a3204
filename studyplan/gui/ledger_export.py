"""导出学习台账: ask what and where, then write the workbook in a worker thread with progress.

The export reads years of data; in the GUI thread it would freeze the window. The work runs
as a `gui.exporting.BackgroundExport`: it opens its own connection (an SQLite connection
belongs to the thread that uses it), reports progress, stops between rows when 取消 is
clicked or the window closes, and a refused write reopens the save dialog.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QProgressDialog, QWidget

from studyplan.gui.exporting import BackgroundExport, ExportJob, SaveAs
from studyplan.model.clock import Clock

ALL_YEARS = "全部年度"


def write_ledger_file(
    db_path: Path, target: Path, year: int | None, today: dt.date, job: ExportJob
) -> Path:
    """The work of one export, in the worker thread: its own connection, closed after."""
    from studyplan.app.context import open_database
    from studyplan.app.ledger import export_ledger

    db = open_database(db_path)
    try:
        return export_ledger(
            db,
            target,
            year,
            today=today,
            progress=job.progress,
            cancelled=job.cancelled.is_set,
        )
    finally:
        db.conn.close()


class LedgerExport(QObject):
    """The 文件 → 导出学习台账… command of one window."""

    finished = Signal(object)  # the written Path, or None when it failed or was cancelled

    def __init__(
        self,
        parent: QWidget,
        db_path: Path,
        *,
        clock: Clock,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._db_path = db_path
        self._clock = clock  # the window's: the ledger counts make-ups overdue as of today
        self._year: int | None = None
        self.export: BackgroundExport | None = None

    @property
    def running(self) -> bool:
        return self.export is not None and self.export.running

    @property
    def progress(self) -> QProgressDialog | None:
        return self.export.progress if self.export is not None else None

    def ask(self, current_year: int, years: list[int]) -> tuple[int | None, Path] | None:
        """Which year (or all years) and which file; None when the user cancels."""
        tr = self._parent.tr
        labels = [tr("{y} 年").format(y=current_year), tr(ALL_YEARS)]
        label, ok = QInputDialog.getItem(
            self._parent, tr("导出学习台账"), tr("导出范围："), labels, 0, False
        )
        if not ok:
            return None
        year = None if label == labels[1] else current_year
        stem = (
            f"{year}年"
            if year
            else f"{min(years, default=current_year)}-{max(years, default=current_year)}年"
        )
        self._prepare(year, f"{stem}理论学习中心组学习台账.xlsx")
        assert self.export is not None
        path = self.export.ask()
        return None if path is None else (year, path)

    def _prepare(self, year: int | None, suggested: str) -> None:
        tr = self._parent.tr
        today = self._clock.today()
        db_path = self._db_path
        if self.export is not None:
            self.export.deleteLater()
        save_as = SaveAs(
            title=tr("导出学习台账"),
            suggested=suggested,
            file_filter=tr("Excel 工作簿 (*.xlsx)"),
            suffixes=(".xlsx",),
        )
        self.export = BackgroundExport(
            self._parent,
            save_as,
            lambda target, job: write_ledger_file(db_path, target, year, today, job),
            lambda written, _result: tr("已保存：{p}").format(p=written),
            busy=tr("正在导出学习台账…"),
        )
        self.export.finished.connect(self.finished)
        self._year = year

    def start(self, year: int | None, target: Path) -> None:
        """Begin writing in the background; `finished` tells when it is done."""
        if self.running:
            return
        if self.export is None or year != self._year:
            self._prepare(year, target.name)
        assert self.export is not None
        self.export.start(target)

    def cancel(self) -> None:
        """As the progress dialog's 取消 does."""
        if self.export is not None:
            self.export.cancel()

"""导出学习台账: ask what and where, then write the workbook in a worker thread with progress.

The export reads years of data; in the GUI thread it would freeze the window. The worker opens
its own connection (an SQLite connection belongs to the thread that uses it) and reports
progress back through signals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from studyplan.gui.common import save_target
from studyplan.model.clock import Clock
from studyplan.model.errors import StudyplanError

ALL_YEARS = "全部年度"


class LedgerWorker(QObject):
    """Runs one export in a thread of its own."""

    progressed = Signal(int, int)
    succeeded = Signal(str)
    failed = Signal(str)

    def __init__(
        self, db_path: Path, target: Path, year: int | None, today: dt.date | None
    ) -> None:
        super().__init__()
        self._db_path, self._target, self._year, self._today = db_path, target, year, today

    @Slot()
    def run(self) -> None:
        from studyplan.app.context import open_database
        from studyplan.app.ledger import export_ledger

        try:
            db = open_database(self._db_path)
            try:
                written = export_ledger(
                    db,
                    self._target,
                    self._year,
                    today=self._today,
                    progress=lambda done, total: self.progressed.emit(done, total),
                )
            finally:
                db.conn.close()
        except StudyplanError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a sentence, never a crash of the window
            self.failed.emit(f"导出台账时发生意外错误（{type(error).__name__}），请重试。")
        else:
            self.succeeded.emit(str(written))


class LedgerExport(QObject):
    """The 文件 → 导出学习台账… command of one window."""

    finished = Signal(object)  # the written Path, or None when it failed

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
        self._thread: QThread | None = None
        self._worker: LedgerWorker | None = None
        self.progress: QProgressDialog | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

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
        name, _ = QFileDialog.getSaveFileName(
            self._parent,
            tr("导出学习台账"),
            f"{stem}理论学习中心组学习台账.xlsx",
            tr("Excel 工作簿 (*.xlsx)"),
        )
        if not name:
            return None
        path = save_target(self._parent, name, (".xlsx",), ".xlsx")
        return None if path is None else (year, path)

    def start(self, year: int | None, target: Path) -> None:
        """Begin writing in the background; `finished` tells when it is done."""
        if self.running:
            return
        tr = self._parent.tr
        self.progress = QProgressDialog(tr("正在导出学习台账…"), "", 0, 0, self._parent)
        self.progress.setWindowTitle(tr("导出学习台账"))
        self.progress.setCancelButton(None)
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self._thread = QThread(self)
        self._worker = LedgerWorker(self._db_path, target, year, self._clock.today())
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progressed)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._thread.start()

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, total))

    def _succeeded(self, path: str) -> None:
        self._stop()
        QMessageBox.information(
            self._parent, self._parent.tr("导出完成"), self._parent.tr("已保存：{p}").format(p=path)
        )
        self.finished.emit(Path(path))

    def _failed(self, message: str) -> None:
        self._stop()
        QMessageBox.warning(self._parent, self._parent.tr("导出失败"), message)
        self.finished.emit(None)

    def _stop(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
            self._thread = None
        if self._worker is not None:
            self._worker.deleteLater()
            self._worker = None

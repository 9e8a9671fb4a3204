"""统计 → 季度通报… / 年度报告…, and 文件 → 导出学习档案专卷…: the window's side of the reports
and the archive volume — which year, which file, the charts and the sign-in PDF drawn by Qt,
and the volume written in a worker thread with a progress dialog whose 取消 stops it.

The charts are widgets, which Qt allows only in the GUI thread: they are drawn here before
the worker starts, and the worker's chart renderer hands the finished pictures on. The
sign-in PDF is painted on a QPdfWriter, which a worker thread may do.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from studyplan.app.archive import ExportCancelled, Renderers, export_archive, is_zip
from studyplan.app.context import Context, open_database
from studyplan.app.reports import ChartRenderer, ReportService
from studyplan.app.signin import SignInSheet
from studyplan.gui.actions import run_action
from studyplan.gui.common import save_target
from studyplan.model.clock import Clock
from studyplan.model.errors import StudyplanError
from studyplan.model.statistics import YearStatistics
from studyplan.model.years import QUARTER_NAMES

REPORT_TITLE = "导出学习情况报告"
ARCHIVE_TITLE = "导出学习档案专卷"


# -- the renderers ---------------------------------------------------------------------------
def _signin_pdf(sheet: SignInSheet, path: Path) -> None:
    from studyplan.gui.signin_print import write_signin_pdf

    write_signin_pdf(sheet, path)


def chart_renderer() -> ChartRenderer:
    """Draws the charts now, in the calling (GUI) thread."""
    from studyplan.gui.stats.chart_images import render_chart_images

    return render_chart_images


def renderers() -> Renderers:
    """The sign-in PDF and the charts as the command line draws them (in its one thread,
    once it made the QApplication). Charts are widgets: under an application without them
    (a QGuiApplication made for a PDF) the report goes without pictures rather than fail."""
    app = QCoreApplication.instance()
    charts = chart_renderer() if isinstance(app, QApplication) else None
    return Renderers(signin_pdf=_signin_pdf, charts=charts)


def _drawn_beforehand(pictures: Mapping[str, Path]) -> ChartRenderer:
    """A chart renderer for a worker thread: it copies pictures drawn in the GUI thread."""

    def copy(_stats: YearStatistics, folder: Path) -> Mapping[str, Path]:
        return {
            name: Path(shutil.copy(path, folder / path.name)) for name, path in pictures.items()
        }

    return copy


# -- 季度通报… / 年度报告… -------------------------------------------------------------------
def export_report(parent: QWidget, context: Context, year: int, *, quarterly: bool) -> Path | None:
    """Ask for the quarter (for a 季度通报) and the file, then write the report; the path
    written, or None when the user cancelled or it was refused (its sentence shown)."""
    tr = parent.tr
    quarter: int | None = None
    if quarterly:
        labels = [f"{year}年{name}" for name in QUARTER_NAMES]
        today = context.clock.today()
        # The quarter just ended is the one a 通报 is usually written for.
        ended = (today.month - 1) // 3 if today.year == year else 4
        label, ok = QInputDialog.getItem(
            parent, tr("季度学习情况通报"), tr("季度："), labels, max(ended - 1, 0), False
        )
        if not ok:
            return None
        quarter = labels.index(label) + 1
    service = ReportService(context.db, clock=context.clock)
    what = "年度学习情况报告" if quarter is None else f"{QUARTER_NAMES[quarter - 1]}学习情况通报"
    name, _ = QFileDialog.getSaveFileName(
        parent, tr(REPORT_TITLE), f"{year}年{what}.docx", tr("Word 文档 (*.docx)")
    )
    if not name:
        return None
    path = save_target(parent, name, (".docx",), ".docx")
    if path is None:
        return None
    charts = chart_renderer() if quarter is None else None

    def write() -> Path:
        # A moment's work in this thread (the charts are widgets): the cursor says so.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return service.export_report(
                year, quarter, path, folder=context.templates_folder, charts=charts
            )
        finally:
            QApplication.restoreOverrideCursor()

    written = run_action(parent, tr(REPORT_TITLE), write)
    if written is not None:
        QMessageBox.information(parent, tr("导出完成"), tr("已保存：{p}").format(p=written))
    return written


# -- 导出学习档案专卷… -----------------------------------------------------------------------
class ArchiveWorker(QObject):
    """Writes one volume in a thread of its own, over a connection of its own."""

    progressed = Signal(int, int)
    succeeded = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        db_path: Path,
        archive_root: Path,
        target: Path,
        year: int,
        clock: Clock,
        pictures: Mapping[str, Path],
        cancel: threading.Event,
    ) -> None:
        super().__init__()
        self._db_path, self._archive_root = db_path, archive_root
        self._target, self._year = target, year
        self._clock, self._pictures, self._cancel = clock, pictures, cancel

    @Slot()
    def run(self) -> None:
        try:
            # A connection of this thread's own; the window's archive folder (attachments).
            context = Context(open_database(self._db_path), self._archive_root, self._clock)
            try:
                written = export_archive(
                    context,
                    self._year,
                    self._target,
                    renderers=Renderers(
                        signin_pdf=_signin_pdf, charts=_drawn_beforehand(self._pictures)
                    ),
                    progress=lambda done, total: self.progressed.emit(done, total),
                    cancel=self._cancel,
                )
            finally:
                # Not `context.close()`: the window's database stays protected from exports.
                context.db.conn.close()
        except ExportCancelled:
            self.cancelled.emit()
        except StudyplanError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a sentence, never a crash of the window
            self.failed.emit(f"导出学习档案专卷时发生意外错误（{type(error).__name__}），请重试。")
        else:
            self.succeeded.emit(str(written))


class ArchiveExport(QObject):
    """The 文件 → 导出学习档案专卷… command of one window."""

    finished = Signal(object)  # the written Path, or None (failed or cancelled)

    def __init__(self, parent: QWidget, context: Context, db_path: Path) -> None:
        super().__init__(parent)
        self._parent = parent
        self._context = context
        self._db_path = db_path
        self._thread: QThread | None = None
        self._worker: ArchiveWorker | None = None
        self._pictures: tempfile.TemporaryDirectory[str] | None = None
        self.cancel = threading.Event()
        self.progress: QProgressDialog | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def ask(self, current_year: int, years: list[int]) -> tuple[int, Path] | None:
        """Which year and where (a .zip, or a new folder); None when the user cancels."""
        tr = self._parent.tr
        choices = sorted(set(years) | {current_year}, reverse=True)
        labels = [f"{y} 年" for y in choices]
        label, ok = QInputDialog.getItem(
            self._parent,
            tr(ARCHIVE_TITLE),
            tr("年度："),
            labels,
            choices.index(current_year),
            False,
        )
        if not ok:
            return None
        year = choices[labels.index(label)]
        name, chosen_filter = QFileDialog.getSaveFileName(
            self._parent,
            tr(ARCHIVE_TITLE),
            f"{year}年度学习档案专卷.zip",
            tr("压缩包 (*.zip);;文件夹（输入新文件夹名） (*)"),
        )
        if not name:
            return None
        if chosen_filter.startswith(tr("压缩包")):
            path = save_target(self._parent, name, (".zip",), ".zip")
            return None if path is None else (year, path)
        return year, Path(name)

    def start(self, year: int, target: Path) -> None:
        """Draw the charts, then write the volume in the background; `finished` tells."""
        if self.running:
            return
        tr = self._parent.tr
        statistics = ReportService(self._context.db, clock=self._context.clock)
        self._pictures = tempfile.TemporaryDirectory(prefix="studyplan-charts-")
        pictures = run_action(
            self._parent,
            tr(ARCHIVE_TITLE),
            lambda: chart_renderer()(
                statistics.year_statistics(year),
                Path(self._pictures.name),  # type: ignore[union-attr]
            ),
        )
        if pictures is None:
            self._cleanup()
            return
        self.cancel.clear()
        self.progress = QProgressDialog(tr("正在导出学习档案专卷…"), tr("取消"), 0, 0, self._parent)
        self.progress.setWindowTitle(tr(ARCHIVE_TITLE))
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self._cancel_requested)
        self._thread = QThread(self)
        self._worker = ArchiveWorker(
            self._db_path,
            self._context.archive_root,
            target,
            year,
            self._context.clock,
            dict(pictures),
            self.cancel,
        )
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progressed)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._worker.cancelled.connect(self._cancelled)
        self._thread.start()

    def _cancel_requested(self) -> None:
        self.cancel.set()
        if self.progress is not None:
            self.progress.setLabelText(self._parent.tr("正在取消…"))

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and not self.cancel.is_set():
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, total))

    def _succeeded(self, path: str) -> None:
        self._stop()
        tr = self._parent.tr
        what = tr("压缩包") if is_zip(path) else tr("文件夹")
        QMessageBox.information(
            self._parent, tr("导出完成"), tr("学习档案专卷已保存为{w}：{p}").format(w=what, p=path)
        )
        self.finished.emit(Path(path))

    def _failed(self, message: str) -> None:
        self._stop()
        QMessageBox.warning(self._parent, self._parent.tr("导出失败"), message)
        self.finished.emit(None)

    def _cancelled(self) -> None:
        self._stop()
        self.finished.emit(None)

    def _stop(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancel_requested)
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
        self._cleanup()

    def _cleanup(self) -> None:
        if self._pictures is not None:
            self._pictures.cleanup()
            self._pictures = None

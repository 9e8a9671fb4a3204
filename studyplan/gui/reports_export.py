"""统计 → 季度通报… / 年度报告…, and 文件 → 导出学习档案专卷…: the window's side of the reports
and the archive volume — which year, which file, the charts and the sign-in PDF drawn by Qt.

Both are saved as every other export is (gui/exporting.py): a report is a quick export
(`export_file`), the volume a `BackgroundExport` in a thread of its own with 取消, which a
closing window waits for or cancels (`close_while_exporting`). A refused write says why and
reopens the save dialog; success offers 打开文件 (for a folder volume 打开文件夹) and
打开所在文件夹.

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

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QProgressDialog,
    QWidget,
)

from studyplan.app.archive import Renderers, export_archive, is_zip
from studyplan.app.context import Context, open_database
from studyplan.app.reports import ChartRenderer, ReportService
from studyplan.app.signin import SignInSheet
from studyplan.gui.actions import run_action
from studyplan.gui.common import save_target
from studyplan.gui.exporting import BackgroundExport, ExportJob, SaveAs, export_file
from studyplan.model.clock import Clock
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
    written, or None when the user cancelled or it failed (its sentence shown). A refused
    write says why and asks for another place."""
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
    save_as = SaveAs(
        title=tr(REPORT_TITLE),
        suggested=f"{year}年{what}.docx",
        file_filter=tr("Word 文档 (*.docx)"),
        suffixes=(".docx",),
    )
    charts = chart_renderer() if quarter is None else None

    def write(path: Path) -> Path:
        # A moment's work in this thread (the charts are widgets): the cursor says so.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return service.export_report(
                year, quarter, path, folder=context.templates_folder, charts=charts
            )
        finally:
            QApplication.restoreOverrideCursor()

    written = export_file(
        parent, save_as, write, lambda path, _written: tr("已保存：{p}").format(p=path)
    )
    return None if written is None else written[0]


# -- 导出学习档案专卷… -----------------------------------------------------------------------
def write_archive_file(
    db_path: Path,
    archive_root: Path,
    clock: Clock,
    year: int,
    pictures: Mapping[str, Path],
    target: Path,
    job: ExportJob,
) -> Path:
    """The work of one volume, in the worker thread: a connection of its own, closed after;
    the charts drawn beforehand in the GUI thread, the sign-in PDFs painted here."""
    # The window's archive folder (attachments) and the database's templates folder.
    context = Context(open_database(db_path), archive_root, clock)
    try:
        return export_archive(
            context,
            year,
            target,
            renderers=Renderers(signin_pdf=_signin_pdf, charts=_drawn_beforehand(pictures)),
            progress=job.progress,
            cancel=job.cancelled,
        )
    finally:
        # Not `context.close()`: the window's database stays protected from exports.
        context.db.conn.close()


class _VolumeExport(BackgroundExport):
    """A BackgroundExport whose save dialog offers a .zip or a new folder (a name typed
    under the folder filter is taken as it is, with no suffix added)."""

    def ask(self, start: str | Path | None = None) -> Path | None:
        tr = self._parent.tr
        name, chosen_filter = QFileDialog.getSaveFileName(
            self._parent,
            self.save_as.title,
            str(start if start is not None else self.save_as.suggested),
            self.save_as.file_filter,
        )
        if not name:
            return None
        if chosen_filter.startswith(tr("压缩包")):
            return save_target(self._parent, name, (".zip",), ".zip")
        return Path(name)


class ArchiveExport(QObject):
    """The 文件 → 导出学习档案专卷… command of one window."""

    finished = Signal(object)  # the written Path, or None (failed or cancelled)

    def __init__(self, parent: QWidget, context: Context, db_path: Path) -> None:
        super().__init__(parent)
        self._parent = parent
        self._context = context
        self._db_path = db_path
        self._pictures: tempfile.TemporaryDirectory[str] | None = None
        self._drawn: dict[str, Path] = {}
        self._year: int | None = None
        self.export: BackgroundExport | None = None

    @property
    def running(self) -> bool:
        return self.export is not None and self.export.running

    @property
    def progress(self) -> QProgressDialog | None:
        return self.export.progress if self.export is not None else None

    @property
    def cancel(self) -> threading.Event:
        """The running volume's cancel flag (set by 取消)."""
        job = self.export.job if self.export is not None else None
        return job.cancelled if job is not None else threading.Event()

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
        self._prepare(year)
        assert self.export is not None
        path = self.export.ask()
        return None if path is None else (year, path)

    def _prepare(self, year: int) -> None:
        tr = self._parent.tr
        if self.export is not None:
            self.export.deleteLater()
        save_as = SaveAs(
            title=tr(ARCHIVE_TITLE),
            suggested=f"{year}年度学习档案专卷.zip",
            file_filter=tr("压缩包 (*.zip);;文件夹（输入新文件夹名） (*)"),
            suffixes=(".zip",),
        )
        db_path, root, clock = self._db_path, self._context.archive_root, self._context.clock
        drawn = self._drawn  # filled by start(), before the work begins

        def done(path: Path, _written: object) -> str:
            what = tr("压缩包") if is_zip(path) else tr("文件夹")
            return tr("学习档案专卷已保存为{w}：{p}").format(w=what, p=path)

        self.export = _VolumeExport(
            self._parent,
            save_as,
            lambda target, job: write_archive_file(db_path, root, clock, year, drawn, target, job),
            done,
            busy=tr("正在导出学习档案专卷…"),
        )
        self.export.finished.connect(self._finished)
        self._year = year

    def start(self, year: int, target: Path) -> None:
        """Draw the charts, then write the volume in the background; `finished` tells."""
        if self.running:
            return
        if self.export is None or year != self._year:
            self._prepare(year)
        assert self.export is not None
        tr = self._parent.tr
        statistics = ReportService(self._context.db, clock=self._context.clock)
        self._cleanup()
        self._pictures = tempfile.TemporaryDirectory(prefix="studyplan-charts-")
        folder = Path(self._pictures.name)
        pictures = run_action(
            self._parent,
            tr(ARCHIVE_TITLE),
            lambda: chart_renderer()(statistics.year_statistics(year), folder),
        )
        if pictures is None:
            self._cleanup()
            self.finished.emit(None)
            return
        self._drawn.clear()
        self._drawn.update(pictures)
        self.export.start(target)

    def _finished(self, written: object) -> None:
        self._cleanup()
        self.finished.emit(written)

    def _cleanup(self) -> None:
        self._drawn.clear()
        if self._pictures is not None:
            self._pictures.cleanup()
            self._pictures = None

"""Every file the window exports goes through here, so each behaves the same way.

The steps: ask where with a save dialog; write; when the write is refused (a read-only
folder, a file open in Excel or WPS, a full disk, a folder that is gone) say why in one
sentence and open the save dialog again on the same name, so the user can pick another
place; after a success say what was written and offer 打开文件 and 打开所在文件夹.

API (a new export — a Word notice, a report, an archive — uses one of the first two):

- ``export_file(parent, save_as, write, done) -> (path, result) | None`` — a quick export,
  written while the window waits. ``write(path) -> result`` writes the file (through
  ``io.files.atomic_write``), raising ExportFileError when the place refuses it (the dialog
  reopens) or another StudyplanError (said, and the export ends). ``done(path, result)`` is
  the sentence shown after success. None when the user cancelled or it failed.
- ``BackgroundExport(parent, save_as, work, done, busy=...)`` — a long export in a thread
  of its own, with a progress dialog whose 取消 stops it. ``work(path, job) -> result`` runs
  in that thread: it must open its own database connection and hand ``job.progress`` and
  ``job.cancelled.is_set`` down to app/ (plain callables, no Qt), which raise ExportCancelled
  between rows; no file is left behind. ``ask()`` shows the save dialog, ``start(path)``
  begins, ``cancel()`` asks it to stop, ``abort()`` cancels and joins the thread;
  ``running``, ``progress`` (the QProgressDialog) and ``finished(path or None)``.
- ``running_exports(widget)`` — the background exports under a window, which its
  closeEvent passes to ``close_while_exporting(window, jobs)``: wait (the window closes when
  they end) or cancel them (joined before the window goes).
- ``SaveAs(title, suggested, file_filter, suffixes)`` — what the save dialog asks; the
  first suffix is added to a name typed without one. ``ask_target(parent, save_as)`` shows
  it alone. ``tell_written(parent, title, sentence, path)`` is the message after success.

The save dialog is Qt's static ``QFileDialog.getSaveFileName`` without DontUseNativeDialog,
so the platform's own dialog is used where there is one: Windows and macOS always; on Linux
the GTK dialog on a GNOME-like desktop with GTK 3 installed (Qt's gtk3 platform theme), or
the desktop portal's when the app runs sandboxed or with QT_QPA_PLATFORMTHEME=
xdgdesktopportal and a portal answers on D-Bus. Elsewhere Qt shows its own widget dialog:
on the offscreen platform, on xcb without a desktop environment (Xvfb, a bare window
manager: Qt's generic theme has no native dialog), and — tried here — with the portal theme
but no D-Bus session or portal, or the gtk3 theme without GTK 3. That dialog is Chinese,
words and dates, because gui/app.py loads Qt's zh_CN catalogue and a zh_CN system locale.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QSettings,
    QStandardPaths,
    QThread,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from studyplan.gui.common import save_target
from studyplan.model.errors import ExportCancelled, ExportFileError, StudyplanError

T = TypeVar("T")

#: Titles of the messages, unless an export names its own (a backup says 备份…).
DONE_TITLE = "导出完成"
FAILED_TITLE = "导出失败"
UNEXPECTED = "导出时发生意外错误（{kind}），没有写入文件，请重试。"


@dataclass(frozen=True)
class SaveAs:
    """What the save dialog asks: its title, the name (or path) it suggests, its filter
    (``Excel 工作簿 (*.xlsx)``) and the suffixes a name may end in, the first added when
    none is typed. ``done_title``/``failed_title`` head the messages after it."""

    title: str
    suggested: str | Path
    file_filter: str
    suffixes: Sequence[str]
    done_title: str = DONE_TITLE
    failed_title: str = FAILED_TITLE
    #: 打开文件 is offered too (not for a database backup, which nothing should open).
    openable: bool = True


#: Where the folder of the last export is kept between runs (exports.ini beside window.ini).
_SETTINGS = ("studyplan", "exports")
_LAST_FOLDER = "lastFolder"


def _settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, *_SETTINGS)


def remember_folder(target: Path) -> None:
    """Keep the folder of a file just exported: the next save dialog opens there."""
    _settings().setValue(_LAST_FOLDER, str(Path(target).absolute().parent))


def start_folder() -> Path:
    """Where a save dialog opens: the folder of the last export, while it is still there;
    else the user's Documents folder (文档); else their home folder. Never the process's
    working directory, which for a started app is wherever the launcher was."""
    kept = _settings().value(_LAST_FOLDER, "")
    if isinstance(kept, str) and kept and Path(kept).is_dir():
        return Path(kept)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def suggested_path(save_as: SaveAs) -> Path:
    """The suggestion as the dialog shows it: a bare name is put in `start_folder()`; a
    suggestion with its folder (an export that keeps its own, a backup beside the database)
    stays as it is."""
    suggested = Path(save_as.suggested)
    if suggested.parent != Path("."):
        return suggested
    return start_folder() / suggested


def ask_target(parent: QWidget, save_as: SaveAs, start: str | Path | None = None) -> Path | None:
    """The file to write: the save dialog opened on `start` (default: the suggestion, in the
    folder of the last export), the suffix added where missing and an existing file asked
    about; None when cancelled."""
    name, _selected = QFileDialog.getSaveFileName(
        parent,
        save_as.title,
        str(start if start is not None else suggested_path(save_as)),
        save_as.file_filter,
    )
    if not name:
        return None
    return save_target(parent, name, save_as.suffixes, save_as.suffixes[0])


def explain_refusal(parent: QWidget, save_as: SaveAs, error: StudyplanError | str) -> None:
    """Say in one sentence why the file was not written."""
    QMessageBox.warning(parent, parent.tr(save_as.failed_title), str(error))


def tell_written(
    parent: QWidget | None, title: str, sentence: str, path: Path, *, openable: bool = True
) -> None:
    """Say what was written, with 打开文件 (unless not `openable`) and 打开所在文件夹 beside
    确定. (Looked up when called, so a test may put a plain stub in its place.)"""
    box = written_box(parent, title, sentence, path, openable=openable)
    box.exec()
    box.deleteLater()


def written_box(
    parent: QWidget | None, title: str, sentence: str, path: Path, *, openable: bool = True
) -> QMessageBox:
    """The message after an export; its buttons open the file (or, for a folder written,
    the folder) or the folder it is in as they are clicked (through the desktop,
    QDesktopServices)."""
    tr = parent.tr if parent is not None else (lambda text: text)
    box = QMessageBox(QMessageBox.Icon.Information, title, sentence, parent=parent)
    box.setObjectName("exportDone")
    if openable:
        # What was written may be a folder (学习档案专卷 as a folder): 打开文件夹 then.
        label = tr("打开文件夹") if path.is_dir() else tr("打开文件")
        open_file = box.addButton(label, QMessageBox.ButtonRole.ActionRole)
        open_file.clicked.connect(lambda: _open(parent, path, label))
    open_folder = box.addButton(tr("打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
    open_folder.clicked.connect(lambda: _open(parent, path.parent, tr("打开所在文件夹")))
    ok = box.addButton(QMessageBox.StandardButton.Ok)
    box.setDefaultButton(ok)
    box.setEscapeButton(ok)
    fit_buttons(box)
    return box


def fit_buttons(box: QMessageBox) -> None:
    """Make each of `box`'s buttons as wide as its words. With the window's style sheet
    (padding, min-width) QMessageBox gives every button the width of the shortest, which
    cut 打开所在文件夹 to 开所在文件."""
    box.ensurePolished()
    for button in box.buttons():
        button.ensurePolished()
        button.setMinimumWidth(button.sizeHint().width())


def _open(parent: QWidget | None, path: Path, title: str) -> None:
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        what = "文件夹" if path.is_dir() else "文件"
        QMessageBox.warning(parent, title, f"系统中没有能打开该{what}的程序：{path}")


def _tell_written(parent: QWidget, save_as: SaveAs, sentence: str, path: Path) -> None:
    tell_written(parent, parent.tr(save_as.done_title), sentence, path, openable=save_as.openable)


def export_file(
    parent: QWidget,
    save_as: SaveAs,
    write: Callable[[Path], T],
    done: Callable[[Path, T], str],
) -> tuple[Path, T] | None:
    """Ask where, write there (asking again after a refused write), and tell; the file and
    what `write` returned, or None when the user cancelled or the export failed."""
    start: str | Path | None = None
    while True:
        target = ask_target(parent, save_as, start)
        if target is None:
            return None
        try:
            result = write(target)
        except ExportFileError as error:
            explain_refusal(parent, save_as, error)
            start = target  # the same name, to be put elsewhere
            continue
        except StudyplanError as error:
            explain_refusal(parent, save_as, error)
            return None
        remember_folder(target)
        _tell_written(parent, save_as, done(target, result), target)
        return target, result


class ExportJob:
    """What a background export's work is handed: `progress(done, total)` to report and
    `cancelled` (a threading.Event; pass its `is_set` down) to stop between rows."""

    def __init__(self, report: Callable[[int, int], None]) -> None:
        self.cancelled = threading.Event()
        self._report = report

    def progress(self, done: int, total: int) -> None:
        self._report(done, total)


class _ExportThread(QThread):
    """Runs the work; its outcome comes back as one queued signal to the GUI thread."""

    progressed = Signal(int, int)
    ended = Signal(str, object)  # "ok" | "refused" | "failed" | "cancelled", and the payload

    def __init__(self, work: Callable[[Path, ExportJob], Any], target: Path) -> None:
        super().__init__()
        self.job = ExportJob(self.progressed.emit)
        self._work, self._target = work, target

    def run(self) -> None:
        try:
            result = self._work(self._target, self.job)
        except ExportCancelled:
            self.ended.emit("cancelled", None)
        except ExportFileError as error:
            self.ended.emit("refused", error)
        except StudyplanError as error:
            self.ended.emit("failed", str(error))
        except Exception as error:  # a sentence, never a crash of the window
            self.ended.emit("failed", UNEXPECTED.format(kind=type(error).__name__))
        else:
            if self.job.cancelled.is_set():
                self.ended.emit("cancelled", None)
            else:
                self.ended.emit("ok", result)


class BackgroundExport(QObject):
    """One long export of a window, run in a thread with a progress dialog (see the module's
    docstring). `finished` carries the written Path, or None (cancelled, refused and not
    retried, failed)."""

    finished = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        save_as: SaveAs,
        work: Callable[[Path, ExportJob], Any],
        done: Callable[[Path, Any], str],
        *,
        busy: str = "正在导出…",
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.save_as = save_as
        self._work, self._done, self._busy = work, done, busy
        self._thread: _ExportThread | None = None
        self._target: Path | None = None
        self.progress: QProgressDialog | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def job(self) -> ExportJob | None:
        """The running work's progress and cancel flag."""
        return self._thread.job if self._thread is not None else None

    def ask(self, start: str | Path | None = None) -> Path | None:
        return ask_target(self._parent, self.save_as, start)

    def start(self, target: Path) -> None:
        """Begin writing `target` in the background; `finished` tells when it is over."""
        if self.running:
            return
        tr = self._parent.tr
        self._target = target
        self.progress = QProgressDialog(tr(self._busy), tr("取消"), 0, 0, self._parent)
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle(tr(self.save_as.title))
        self.progress.setMinimumDuration(300)
        self.progress.setMinimumWidth(360)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        thread = _ExportThread(self._work, target)
        thread.progressed.connect(self._progressed)
        thread.ended.connect(self._ended)
        self._thread = thread
        app = QCoreApplication.instance()
        if app is not None:  # a quit that bypasses the window still joins the thread
            app.aboutToQuit.connect(self.abort)
        thread.start()

    def cancel(self) -> None:
        """Ask the work to stop; it does at the next row or sheet, leaving no file."""
        if self._thread is not None:
            self._thread.job.cancelled.set()
            if self.progress is not None:
                self.progress.setLabelText(self._parent.tr("正在取消…"))

    def abort(self) -> None:
        """Cancel and wait for the thread to end, now (the window is closing)."""
        thread = self._thread
        if thread is None:
            return
        thread.job.cancelled.set()
        thread.ended.disconnect(self._ended)
        thread.wait()
        self._stop()
        self.finished.emit(None)

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and not self.progress.wasCanceled():
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, total))

    def _ended(self, outcome: str, payload: object) -> None:
        if self._thread is None:  # aborted: already joined and answered
            return
        target = self._target
        self._stop()
        if outcome == "ok" and target is not None:
            remember_folder(target)
            _tell_written(self._parent, self.save_as, self._done(target, payload), target)
            self.finished.emit(target)
        elif outcome == "refused" and isinstance(payload, StudyplanError):
            explain_refusal(self._parent, self.save_as, payload)
            again = self.ask(target)
            if again is None:
                self.finished.emit(None)
            else:
                self.start(again)
        elif outcome == "failed":
            explain_refusal(self._parent, self.save_as, str(payload))
            self.finished.emit(None)
        else:  # cancelled: the user knows, nothing to say
            self.finished.emit(None)

    def _stop(self) -> None:
        """Join the thread and put the progress dialog away."""
        app = QCoreApplication.instance()
        if app is not None and self._thread is not None:
            app.aboutToQuit.disconnect(self.abort)
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if self._thread is not None:
            self._thread.wait()
            self._thread.deleteLater()
            self._thread = None


def running_exports(widget: QWidget) -> list[BackgroundExport]:
    """The background exports still running under `widget` (a window and its views)."""
    return [job for job in widget.findChildren(BackgroundExport) if job.running]


def close_while_exporting(window: QWidget, jobs: Sequence[BackgroundExport]) -> bool:
    """A window is closing while `jobs` run: ask whether to wait for them or cancel them.
    True when the window may close now (cancelled: every thread joined, no file left);
    False when it stays open and closes itself once they end. A hidden window (nobody to
    ask) cancels."""
    cancel = not window.isVisible() or ask_cancel_on_close(window, jobs[0].save_as.title)
    if cancel:
        for job in jobs:
            job.abort()
        return True
    for job in jobs:
        job.finished.connect(lambda _written, w=window: _close_when_idle(w))
    return False


def _close_when_idle(window: QWidget) -> None:
    if not running_exports(window):
        window.close()


def ask_cancel_on_close(parent: QWidget, what: str = "导出") -> bool:
    """等待导出完成 (False) or 取消导出 (True), for the export `what` (its title); Escape
    waits."""
    tr = parent.tr
    box = QMessageBox(
        QMessageBox.Icon.Question,
        tr("正在导出"),
        tr(
            "“{what}”还没有完成：等它完成后再关闭窗口，还是取消导出（不会留下不完整的文件）？"
        ).format(what=what),
        parent=parent,
    )
    box.setObjectName("closeWhileExporting")
    wait: QPushButton = box.addButton(tr("等待导出完成"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(tr("取消导出"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(wait)
    box.setEscapeButton(wait)
    fit_buttons(box)
    box.exec()
    chosen = box.clickedButton()
    box.deleteLater()
    return chosen is cancel

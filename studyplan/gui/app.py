"""The composition root: the QApplication, translations, font and style, the database, the window.

Nothing here is global: `run_gui` and `render_screenshot` each open the database, build the
services and hand them to one `MainWindow`. `run_gui` also keeps the data safe: one window per
database (a lock file), a warning for a database on a network share, a restore offered for a
damaged file, a backup once a day, and restoring a backup the window asked for (the
connection is closed, the file replaced, a new window opened on it).
"""

from __future__ import annotations

import datetime as dt
import locale
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import ClassVar

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QRect,
    QSettings,
    QSize,
    QTranslator,
)
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from studyplan.app.context import Context, Database, open_database
from studyplan.app.safety import (
    Restored,
    SafetyService,
    latest_backup,
    location_warnings,
    restore_backup,
)
from studyplan.gui.common import icon, icons_folder
from studyplan.gui.locking import GUI_BUSY_MESSAGE, gui_lock
from studyplan.gui.logbook import log_note, log_unexpected, unexpected_sentence
from studyplan.gui.main_window import MainWindow
from studyplan.gui.syslibs import input_method_fallback
from studyplan.model.clock import Clock, FixedClock, SystemClock
from studyplan.model.errors import DamagedDatabaseError, StudyplanError

APP_NAME = "studyplan"
PREFERRED_FONTS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC")
FONT_POINT_SIZE = 10
_CONFIGURED = "studyplan_configured"


def application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication (made if needed), set up once: names, translator, font, style."""
    app = QApplication.instance()
    if app is None:
        with _chinese_system_locale(os.environ), _input_method(os.environ):
            app = QApplication(argv if argv is not None else [APP_NAME])
    assert isinstance(app, QApplication)
    if app.property(_CONFIGURED):
        return app
    app.setProperty(_CONFIGURED, True)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    # Wayland docks match the window to the menu entry by this name (packaging/build.py
    # installs studyplan.desktop), for its icon and for grouping its windows.
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(icon("studyplan"))  # the title bar and the taskbar (resources/icons)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    _install_qt_translations(app)
    font = pick_font()
    if font is not None:
        app.setFont(font)
    app.setStyleSheet(load_style())
    return app


@contextmanager
def _input_method(environ: MutableMapping[str, str]) -> Iterator[None]:
    """Point Qt at a Chinese input method it can load (see gui/syslibs.py) while the
    QApplication is made, which is when Qt reads these variables; afterwards they are put
    back, so that programs started from the window (WPS, a PDF viewer) get the desktop's own.
    """
    extra = environ.get("QT_PLUGIN_PATH", "").split(os.pathsep)
    plugins = [QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath), *extra]
    changes = input_method_fallback(environ, plugins)
    saved = {name: environ.get(name) for name in changes}
    environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value


#: Locales whose dates and sizes are already written the mainland Chinese way.
_CHINESE = ("zh_CN", "zh_SG", "zh_Hans")


@contextmanager
def _chinese_system_locale(environ: MutableMapping[str, str]) -> Iterator[None]:
    """Qt's *system* locale zh_CN while the QApplication is made, where Qt reads it from the
    environment (Linux and other Unix; Windows and macOS ask the system, and use their own
    file dialogs anyway).

    Qt's own file dialog writes the dates and sizes of its list with the system locale, not
    `QLocale.setDefault`: under LANG=C they read "6 12 2026" and "0 bytes". Qt reads the
    locale once, when the application is made (or earlier: asking QLibraryInfo for a path
    reads it too, so this comes first), so LC_ALL is set for that moment only; then
    the environment is put back (programs started from the window get the desktop's own)
    and the C library's locale is set again from it, as Qt's start-up would have (it failed
    if zh_CN is not installed for the C library, which Qt itself does not need).
    """
    current = environ.get("LC_ALL") or environ.get("LC_MESSAGES") or environ.get("LANG", "")
    if sys.platform in ("win32", "darwin") or current.startswith(_CHINESE):
        yield
        return
    saved = environ.get("LC_ALL")
    environ["LC_ALL"] = "zh_CN.UTF-8"
    try:
        yield
    finally:
        if saved is None:
            environ.pop("LC_ALL", None)
        else:
            environ["LC_ALL"] = saved
        with suppress(locale.Error):
            locale.setlocale(locale.LC_ALL, "")


def window_settings() -> QSettings:
    """Where the window's size and place are kept between runs: a small INI file in the
    user's configuration folder (e.g. ~/.config/studyplan/window.ini, or %APPDATA%)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, "window")


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own zh_CN catalogue, so standard buttons read 确定/取消 and Qt's file dialog
    查找范围/文件类型; then the few words this Qt's catalogue has not caught up with."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
    app.installTranslator(QtWordsSupplement(app))  # asked first: installed last


class QtWordsSupplement(QTranslator):
    """Qt's words that its shipped zh_CN catalogue misses because their source text changed
    (Qt 6.11 added the shortcut letters of "&Look in:" and "Files of &type:"), so the file
    dialog would be half English; every other text falls through to qtbase_zh_CN."""

    WORDS: ClassVar[dict[tuple[str, str], str]] = {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
        ("QAbstractFileIconProvider", "Folder"): "文件夹",
        ("QAbstractFileIconProvider", "Drive"): "驱动器",
        ("QAbstractFileIconProvider", "File"): "文件",
    }

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return self.WORDS.get((context, source))  # None, not "": Qt asks the next catalogue

    def isEmpty(self) -> bool:
        return False


def pick_font() -> QFont | None:
    """The first CJK font present from PREFERRED_FONTS, at a readable size."""
    families = set(QFontDatabase.families())
    for family in PREFERRED_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(FONT_POINT_SIZE)
            return font
    return None


def load_style() -> str:
    """The application style sheet shipped as package data (empty if it is missing)."""
    try:
        text = resources.files("studyplan.resources").joinpath("style.qss").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return ""
    return text.replace("@ICONS@", icons_folder())


@contextmanager
def open_context(
    db_path: Path, db: Database | None = None, *, clock: Clock | None = None
) -> Iterator[Context]:
    """Open the database (or take `db`, already open on it), load the bundled plan on first
    use, and close it afterwards. Every view of the window asks `clock` (by default the
    machine's) what day it is."""
    clock = clock or SystemClock()
    if db is None:
        context = Context.open(db_path, clock=clock)
    else:
        context = Context.over(db, db_path, clock=clock)
    try:
        context.planning.ensure_bundled_plan()
        yield context
        context.planning.remember_holidays()
    finally:
        context.close()


def _restore(db_path: Path, source: Path, keep: int | None = None) -> Restored | None:
    """Replace the closed database with `source`; None (after saying why) if it failed, in
    which case the database is as it was."""
    try:
        return restore_backup(db_path, source, keep)
    except StudyplanError as error:
        QMessageBox.critical(None, "恢复失败", str(error))
        return None


def _open_database(db_path: Path) -> tuple[Database, Restored | None] | None:
    """Connect; for a damaged or foreign file offer the newest backup instead. None (after
    saying why) when no window can open; nothing is replaced without a Yes."""
    try:
        return open_database(db_path), None
    except DamagedDatabaseError as error:
        if error.detail:
            log_note(f"damaged database {db_path}: {error.detail}")
        latest = latest_backup(db_path)
        if latest is None:
            QMessageBox.critical(None, "无法打开数据库", str(error))
            return None
        which = (
            "这份备份"  # the sentence names it already
            if error.latest_backup
            else f"最近的备份（{latest.taken_at:%Y-%m-%d %H:%M}）"
        )
        answer = QMessageBox.question(
            None,
            "无法打开数据库",
            f"{error}\n\n是否用{which}恢复？当前文件会先另存一份，不会丢失。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        restored = _restore(db_path, latest.path)
        if restored is None:
            return None
        try:
            return open_database(db_path), restored
        except StudyplanError as again:
            QMessageBox.critical(None, "无法打开数据库", str(again))
            return None
    except StudyplanError as error:
        QMessageBox.critical(None, "无法打开数据库", str(error))
        return None


def first_size(available: QSize) -> QSize:
    """The window's size on its very first start (later starts reopen it as it was left):
    1280×800 where that fits, within a small screen such as a 1366×768 laptop's, and four
    fifths of a large one, so the month grid has room to show more."""
    width = max(1280, available.width() * 4 // 5)
    height = max(800, available.height() * 4 // 5)
    return QSize(min(width, available.width()), min(height, available.height()))


#: Room for the title bar and borders the window manager adds around the window, until it
#: says how much (on X11 only once the window is on screen).
FRAME_ALLOWANCE = QSize(16, 40)


def fit_to_screen(window: QWidget, available: QRect) -> None:
    """Shrink and move the window so that all of it, title bar and borders included, lies
    within the screen's `available` geometry (without the taskbar): a window of the screen's
    height plus its title bar put the status bar below a 1366×768 laptop's edge. For the
    first start and a restored size alike (a window left on a larger monitor)."""
    frame, inner = window.frameGeometry(), window.geometry()
    extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    if extra.height() <= 0:  # not framed yet: the usual title bar and borders
        extra = FRAME_ALLOWANCE
    width = min(inner.width(), available.width() - extra.width())
    height = min(inner.height(), available.height() - extra.height())
    if (width, height) != (inner.width(), inner.height()):
        window.resize(width, height)
    # move() places the frame's top-left corner.
    x = max(
        min(frame.x(), available.x() + available.width() - width - extra.width()), available.x()
    )
    y = max(
        min(frame.y(), available.y() + available.height() - height - extra.height()),
        available.y(),
    )
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def _daily_backup(safety: SafetyService, db_path: Path, window: QWidget | None = None) -> str:
    """Today's automatic backup (the first start of a day makes it): a sentence for the
    status bar, or a warning over the window when it failed (which stays open all the same)."""
    try:
        made = safety.daily_backup(db_path)
    except StudyplanError as error:
        QMessageBox.warning(window, "自动备份失败", f"今天的自动备份没有完成：{error}")
        return ""
    return f"已自动备份数据库：{made}" if made is not None else ""


def _run_window(
    app: QApplication, db: Database, db_path: Path, restored: Restored | None
) -> tuple[int, Path | None, int]:
    """One window on the open database until it closes: (exit code, the backup it asked to
    be restored, how many automatic backups to keep). Closes the database."""
    requested: list[Path] = []
    with open_context(db_path, db) as services:
        if restored is not None:
            services.safety.note_restore(restored.source, restored.saved)
        keep = services.safety.backups_to_keep()
        window = MainWindow(services, db_path=db_path)
        window.restartRequested.connect(lambda source: requested.append(Path(source)))
        window.restartRequested.connect(lambda _source: window.close())
        layout = window_settings()
        available = app.primaryScreen().availableGeometry()
        if window.restore_layout(layout):
            screen = app.screenAt(window.geometry().center()) or app.primaryScreen()
            available = screen.availableGeometry()
        else:
            window.resize(first_size(available.size() - FRAME_ALLOWANCE))
        fit_to_screen(window, available)
        if wizard_wanted(services):
            # Before the window shows: nothing of the bundled plan's unit (市科学技术局) is on
            # screen until the secretary has chosen it, or another plan, or skipped to it.
            window.run_wizard()
        window.show()
        app.processEvents()  # the window is on screen before today's backup is taken
        fit_to_screen(window, available)  # now with the frame the window manager gave it
        daily = _daily_backup(services.safety, db_path, window)
        if restored is not None:
            QMessageBox.information(window, "恢复完成", restored.sentence)
        elif daily:
            window.statusBar().showMessage(daily, 15000)
        try:
            code = app.exec()
        finally:
            from PySide6.QtCore import QEvent  # its many event types are not needed before

            window.save_layout(layout)
            window.close()
            window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code, (requested[-1] if requested else None), keep


#: Set (to anything) to keep the first-run wizard from opening by itself: for scripted runs
#: and tests of the start-up, which a modal wizard would hold up.
NO_WIZARD_ENV = "STUDYPLAN_NO_WIZARD"


def wizard_wanted(services: Context) -> bool:
    """Whether the first-run wizard opens over the window at start-up: on a database not
    begun yet (see app/first_run.py), unless NO_WIZARD_ENV is set."""
    from studyplan.app.first_run import wizard_due

    return not os.environ.get(NO_WIZARD_ENV) and wizard_due(services)


def run_gui(db_path: Path, argv: list[str]) -> int:
    """Start the desktop application; returns the exit code (2: no database was opened).

    The database's lock is held while a window is open: a second window on the same file
    says so (GUI_BUSY_MESSAGE) and leaves without touching anything.
    """
    app = application(argv)
    db_path = Path(db_path)
    lock = gui_lock(db_path)
    if lock is None:
        QMessageBox.warning(None, "数据库已打开", GUI_BUSY_MESSAGE)
        return 2
    try:
        for title, warning in location_warnings(db_path):
            QMessageBox.warning(None, title, warning)
        opened = _open_database(db_path)
        with unexpected_errors_shown():
            while opened is not None:
                db, restored = opened
                code, source, keep = _run_window(app, db, db_path, restored)
                if source is None:
                    return code
                restored = _restore(db_path, source, keep)
                opened = _open_database(db_path)
                if opened is not None and restored is not None:
                    opened = (opened[0], restored)
        return 2
    finally:
        lock.release()


@contextmanager
def unexpected_errors_shown(log_folder: Path | None = None) -> Iterator[None]:
    """While the window runs, an error nobody foresaw in a click's handler becomes a message
    box with one sentence, and its traceback goes to studyplan.log (never to a terminal the
    secretary does not have). Qt hands such errors to `sys.excepthook` and carries on."""

    def show(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        parent = QApplication.activeWindow()
        if isinstance(error, StudyplanError):  # foreseen, only not caught where it arose
            QMessageBox.warning(parent, "无法完成", str(error))
            return
        log = log_unexpected((kind, error, tb), log_folder)
        QMessageBox.critical(
            parent, "发生意外错误", f"{unexpected_sentence(log)}，这一操作没有完成。"
        )

    previous = sys.excepthook
    sys.excepthook = show
    try:
        yield
    finally:
        sys.excepthook = previous


def render_screenshot(
    db_path: Path,
    out: Path,
    view: str = "calendar",
    size: tuple[int, int] = (1280, 800),
    year: int | None = None,
    month: int | None = None,
    *,
    today: dt.date | None = None,
    saved: Callable[[Path], object] | None = None,
) -> None:
    """Start up as `run_gui` does (offscreen is up to the caller), show `view`, save a PNG;
    the window shows `today` as the current day (by default the machine's). `saved` is told
    the PNG's path as soon as it is written, before the window closes.

    Raises ValueError naming the known views for an unknown `view`.
    """
    app = application()
    clock: Clock = FixedClock.on(today) if today is not None else SystemClock()
    if year is not None and month is None:
        today = clock.today()
        month = today.month if year == today.year else 1
    with open_context(db_path, clock=clock) as services:
        window = MainWindow(services, db_path=db_path, year=year, month=month)
        try:
            window.resize(*size)
            window.show_view(view)
            window.show()
            app.processEvents()
            if not window.grab().save(str(out)):
                raise StudyplanError(f"无法保存截图：{out}")
            if saved is not None:
                saved(out)
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()

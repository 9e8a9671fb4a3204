"""The composition root: the QApplication, translations, font and style, the database, the window.

Nothing here is global: `run_gui` and `render_screenshot` each open the database, build the
services and hand them to one `MainWindow`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from studyplan.domain.planning import PlanningService
from studyplan.domain.records import archive_root_for
from studyplan.errors import StudyplanError
from studyplan.gui.common import icons_folder
from studyplan.gui.main_window import MainWindow
from studyplan.gui.services import Services
from studyplan.store.db import connect

APP_NAME = "studyplan"
PREFERRED_FONTS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC")
FONT_POINT_SIZE = 10
_CONFIGURED = "studyplan_configured"


def application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication (made if needed), set up once: names, translator, font, style."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [APP_NAME])
    assert isinstance(app, QApplication)
    if app.property(_CONFIGURED):
        return app
    app.setProperty(_CONFIGURED, True)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    _install_qt_translations(app)
    font = pick_font()
    if font is not None:
        app.setFont(font)
    app.setStyleSheet(load_style())
    return app


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own zh_CN catalogue, so standard buttons read 确定/取消."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)


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
def open_services(db_path: Path) -> Iterator[Services]:
    """Open the database, load the bundled plan on first use, and close it afterwards."""
    db = connect(db_path)
    try:
        planning = PlanningService(db)
        planning.ensure_bundled_plan()
        yield Services.for_database(planning, archive_root_for(db_path))
    finally:
        db.conn.close()


def run_gui(db_path: Path, argv: list[str]) -> int:
    """Start the desktop application; returns the exit code."""
    app = application(argv)
    try:
        with open_services(db_path) as services:
            window = MainWindow(services)
            window.resize(1280, 800)
            window.show()
            return app.exec()
    except StudyplanError as error:
        QMessageBox.critical(None, "无法打开数据库", str(error))
        return 2


def render_screenshot(
    db_path: Path,
    out: Path,
    view: str = "calendar",
    size: tuple[int, int] = (1280, 800),
    year: int | None = None,
    month: int | None = None,
    *,
    today: dt.date | None = None,
) -> None:
    """Start up as `run_gui` does (offscreen is up to the caller), show `view`, save a PNG.

    Raises ValueError naming the known views for an unknown `view`.
    """
    app = application()
    today = today or dt.date.today()
    if year is not None and month is None:
        month = today.month if year == today.year else 1
    with open_services(db_path) as services:
        window = MainWindow(services, today=today, year=year, month=month)
        try:
            window.resize(*size)
            window.show()
            window.show_view(view)
            app.processEvents()
            if not window.grab().save(str(out)):
                raise StudyplanError(f"无法保存截图：{out}")
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()

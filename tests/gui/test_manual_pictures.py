"""The manual (帮助 → 使用说明) shows every picture it names: each one is in the package, is
shipped by the package data, and is drawn smoothly shrunk to the dialog's width."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from studyplan.gui.help.manual import PICTURE_WIDTH, ManualDialog, manual_folder

ROOT = Path(__file__).resolve().parents[2]
IMAGE = QTextDocument.ResourceType.ImageResource.value
#: The views of the window's navigation, each shown in the manual by its own picture.
VIEWS = ("calendar", "members", "attendance", "leave", "records", "stats", "audit", "lists")


def _pictures() -> list[str]:
    """The src of every <img> in the manual as it is installed, as written (with any ?…)."""
    page = resources.files("studyplan.resources").joinpath("manual", "index.html")
    return re.findall(r'<img\s[^>]*src="([^"]+)"', page.read_text(encoding="utf-8"))


def _file(src: str) -> str:
    return QUrl(src).path()


def test_every_picture_the_manual_names_is_in_the_package() -> None:
    pictures = _pictures()
    assert pictures
    manual = resources.files("studyplan.resources").joinpath("manual")
    for src in pictures:
        picture = manual.joinpath(_file(src))
        assert picture.is_file(), src
        image = QImage()
        assert image.loadFromData(picture.read_bytes()), src
        assert image.width() > 0


def test_the_package_data_ships_every_picture_of_the_manual() -> None:
    """A picture in the source tree that the wheel left out would be missing once installed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["studyplan.resources"]
    for name in ["index.html", *(_file(src) for src in _pictures())]:
        path = f"manual/{name}"
        assert any(fnmatch.fnmatch(path, pattern) for pattern in patterns), path


def test_the_manual_shows_each_view_and_no_picture_is_left_unused() -> None:
    named = {_file(src) for src in _pictures()}
    assert {f"{view}.png" for view in VIEWS} <= named
    on_disk = {p.name for p in Path(manual_folder()).iterdir() if p.suffix == ".png"}
    assert on_disk == named


def test_the_browser_shrinks_screenshots_to_the_dialog_and_keeps_asked_widths(qtbot) -> None:
    dialog = ManualDialog(None)
    qtbot.addWidget(dialog)
    for src in _pictures():
        loaded = dialog.browser.loadResource(IMAGE, QUrl(src))
        assert isinstance(loaded, QImage) and not loaded.isNull(), src
        asked = QUrl(src).query().removeprefix("width=")
        assert loaded.width() <= (int(asked) if asked else PICTURE_WIDTH), src
    # A 1366×768 screenshot fits the dialog as it opens, without a horizontal scroll bar.
    calendar = dialog.browser.loadResource(IMAGE, QUrl("calendar.png"))
    assert calendar.width() == PICTURE_WIDTH
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.browser.horizontalScrollBar().maximum() == 0

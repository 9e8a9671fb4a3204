"""Where an export's save dialog opens: the folder of the last export (kept between runs),
else the user's Documents folder — never the working directory of the process; and a save
place that is a file is called what it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from studyplan.gui import exporting
from studyplan.gui.exporting import SaveAs, export_file
from studyplan.io.files import check_write_target
from studyplan.model.errors import ExportFileError


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "文档"
    folder.mkdir()
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda _where: str(folder))
    )
    exporting._settings().remove(exporting._LAST_FOLDER)
    return folder


SAVE_AS = SaveAs("导出", "学习安排.ics", "日历 (*.ics)", (".ics",))


def test_the_first_export_starts_in_documents_the_next_where_the_last_went(
    qtbot, documents, tmp_path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(exporting, "tell_written", lambda *a, **k: None)
    elsewhere = tmp_path / "台账存放"
    elsewhere.mkdir()
    asked: list[str] = []

    def save(_parent, _title, start, _filter):
        asked.append(start)
        return str(elsewhere / "学习安排.ics"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    write = lambda path: path.write_text("x", "utf-8")  # noqa: E731
    assert export_file(parent, SAVE_AS, write, lambda *_: "") is not None
    assert asked == [str(documents / "学习安排.ics")]
    # Kept between runs: a new QSettings reads it from the file.
    assert exporting.start_folder() == elsewhere
    export_file(
        parent, SaveAs("导出", "台账.xlsx", "Excel (*.xlsx)", (".xlsx",)), write, lambda *_: ""
    )
    assert asked[1] == str(elsewhere / "台账.xlsx")
    # A folder since removed is not offered.
    for child in elsewhere.iterdir():
        child.unlink()
    elsewhere.rmdir()
    assert exporting.start_folder() == documents


def test_the_ledger_dialog_opens_in_documents(window, documents, monkeypatch) -> None:
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("全部年度", True))
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _p, _t, start, _f: asked.append(start) or ("", "")
    )
    window.export_ledger()
    assert len(asked) == 1 and Path(asked[0]).parent == documents
    assert Path(asked[0]).name.endswith("学习台账.xlsx")


def test_a_save_place_that_is_a_file_is_called_so(tmp_path) -> None:
    a_file = tmp_path / "不是文件夹"
    a_file.write_text("x", "utf-8")
    with pytest.raises(ExportFileError, match=r"^保存位置不是文件夹："):
        check_write_target(a_file / "台账.xlsx")
    with pytest.raises(ExportFileError, match=r"^保存位置不存在："):
        check_write_target(tmp_path / "无" / "台账.xlsx")

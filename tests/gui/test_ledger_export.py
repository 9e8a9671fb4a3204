"""导出学习台账 from the window: asked, written in a worker thread, progress shown."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from studyplan.app.demo import build_demo
from tests.gui.conftest import TODAY


def test_ledger_is_exported_in_the_background(window, planning, qtbot, tmp_path, monkeypatch):
    build_demo(planning.db, year=2025, today=TODAY)
    target = tmp_path / "台账"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("2025 年", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    window.set_year(2025)
    window.export_ledger()
    exporter = window.ledger_export
    assert exporter is not None and exporter.running
    assert exporter.progress is not None  # shown if the export takes more than a moment
    with qtbot.waitSignal(exporter.finished, timeout=30_000) as blocker:
        pass
    written = blocker.args[0]
    assert written == target.with_suffix(".xlsx") and written.exists()
    assert not exporter.running
    assert said and str(written) in said[0]
    workbook = load_workbook(written, read_only=True)
    assert workbook.sheetnames[:2] == ["学习计划", "学习台账"]
    workbook.close()


def test_a_failed_export_says_why(window, qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("全部年度", True))
    missing = tmp_path / "没有这个文件夹" / "台账.xlsx"
    answers = iter([(str(missing), ""), ("", "")])  # the dialog reopens: cancelled then
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    window.export_ledger()
    with qtbot.waitSignal(window.ledger_export.finished, timeout=30_000) as blocker:
        pass
    assert blocker.args[0] is None
    assert warned and "不存在" in warned[0]
    assert not Path(missing).exists()


def test_a_dotted_ledger_file_name_is_kept(window, qtbot, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "导出"
    folder.mkdir()
    typed = folder / "2026.11.12台账"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("全部年度", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(typed), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window.export_ledger()
    with qtbot.waitSignal(window.ledger_export.finished, timeout=30_000) as blocker:
        pass
    assert blocker.args[0] == folder / "2026.11.12台账.xlsx"
    assert [p.name for p in folder.iterdir()] == ["2026.11.12台账.xlsx"]


def test_a_ledger_is_not_written_over_a_file_the_user_keeps(window, tmp_path, monkeypatch):
    existing = tmp_path / "台账.xlsx"
    existing.write_bytes(b"last year's ledger")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("全部年度", True))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "台账"), "")
    )
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    window.export_ledger()
    assert asked == ["文件 台账.xlsx 已存在，要替换它吗？"]
    assert not window.ledger_export.running
    assert existing.read_bytes() == b"last year's ledger"

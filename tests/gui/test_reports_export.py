"""统计 → 季度通报… / 年度报告…, and 文件 → 导出学习档案专卷… with its progress and 取消."""

from __future__ import annotations

import zipfile

from docx import Document
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from studyplan.app.demo import build_demo
from studyplan.gui.reports_export import export_report
from studyplan.gui.stats.chart_images import render_chart_images
from tests.gui.conftest import TODAY


def test_the_stats_view_asks_for_either_report(window, qtbot):
    window.show_view("stats")
    view = window.views["stats"]
    asked: list[tuple[int, bool]] = []
    window.export_report = lambda year, quarterly: asked.append((year, quarterly))
    view.report_requested.disconnect()
    view.report_requested.connect(window.export_report)
    view.quarter_button.click()
    view.annual_button.click()
    assert asked == [(view.year, True), (view.year, False)]


def test_a_quarterly_and_an_annual_report_from_the_window(window, planning, tmp_path, monkeypatch):
    build_demo(planning.db, year=2025, today=TODAY)
    targets = iter([tmp_path / "q3", tmp_path / "年度"])
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("2025年三季度", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(targets)), ""))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    context = window._services
    quarterly = export_report(window, context, 2025, quarterly=True)
    annual = export_report(window, context, 2025, quarterly=False)
    assert quarterly == tmp_path / "q3.docx" and annual == tmp_path / "年度.docx"
    assert "2025年三季度学习情况通报" in Document(str(quarterly)).paragraphs[0].text
    assert len(Document(str(annual)).inline_shapes) == 4
    assert len(said) == 2 and str(annual) in said[1]


def test_the_charts_as_pictures(qapp, planning, tmp_path):
    build_demo(planning.db, year=2025, today=TODAY)
    from studyplan.app.statistics import StatisticsService

    stats = StatisticsService(planning.db).year_statistics(2025, TODAY)
    pictures = render_chart_images(stats, tmp_path)
    assert set(pictures) == {"chart_attendance", "chart_months", "chart_topics", "chart_makeups"}
    for path in pictures.values():
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000


def _ask(monkeypatch, target):
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("2025 年", True))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "压缩包 (*.zip)")
    )


def test_the_volume_is_written_in_the_background(window, planning, qtbot, tmp_path, monkeypatch):
    build_demo(planning.db, year=2025, today=TODAY)
    _ask(monkeypatch, tmp_path / "专卷")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    window.export_archive()
    exporter = window.archive_export
    assert exporter is not None and exporter.running
    with qtbot.waitSignal(exporter.finished, timeout=60_000) as blocker:
        pass
    written = blocker.args[0]
    assert written == tmp_path / "专卷.zip"
    assert not exporter.running and said and "压缩包" in said[0]
    with zipfile.ZipFile(written) as archive:
        names = archive.namelist()
    assert any(n.endswith("学习签到表.pdf") for n in names)
    assert any(n.endswith("2025年度学习情况报告.docx") for n in names)


def test_cancel_stops_the_volume_and_leaves_nothing(window, planning, qtbot, tmp_path, monkeypatch):
    build_demo(planning.db, year=2025, today=TODAY)
    folder = tmp_path / "导出"
    folder.mkdir()
    _ask(monkeypatch, folder / "专卷.zip")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: warned.append(a[2]))
    window.export_archive()
    exporter = window.archive_export
    exporter.progress.canceled.emit()  # the 取消 button
    assert exporter.cancel.is_set()
    with qtbot.waitSignal(exporter.finished, timeout=60_000) as blocker:
        pass
    assert blocker.args[0] is None and not warned
    assert list(folder.iterdir()) == []


def test_the_units_own_template_is_used_from_the_window(window, planning, tmp_path, monkeypatch):
    build_demo(planning.db, year=2025, today=TODAY)
    context = window._services
    context.templates_folder.mkdir(parents=True, exist_ok=True)
    own = Document()
    own.add_paragraph("本单位红头 {{ period }}")
    own.save(str(context.templates_folder / "年度学习情况报告.docx"))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "年度"), "")
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    written = export_report(window, context, 2025, quarterly=False)
    assert Document(str(written)).paragraphs[0].text == "本单位红头 2025年度"

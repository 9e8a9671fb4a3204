"""统计 → 季度通报… / 年度报告…, and 文件 → 导出学习档案专卷… with its progress and 取消."""

from __future__ import annotations

import zipfile
from pathlib import Path

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


def test_a_refused_report_write_says_why_and_reopens_the_save_dialog(
    window, planning, tmp_path, monkeypatch
):
    import os

    from studyplan.io import files

    build_demo(planning.db, year=2025, today=TODAY)
    locked, elsewhere = tmp_path / "只读", tmp_path / "别处"
    locked.mkdir()
    elsewhere.mkdir()
    replace = os.replace

    def refuse_in_locked(source, target):  # as a file open in WPS, even for root
        if Path(target).parent == locked:
            raise PermissionError(13, "Permission denied")
        replace(source, target)

    monkeypatch.setattr(files.os, "replace", refuse_in_locked)
    asked: list[str] = []
    answers = iter([locked / "年度", elsewhere / "年度"])

    def save_dialog(parent, title, start, file_filter):
        asked.append(start)
        return str(next(answers)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    warned: list[str] = []
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    written = export_report(window, window._services, 2025, quarterly=False)
    assert written == elsewhere / "年度.docx" and written.is_file()
    assert len(warned) == 1 and str(locked / "年度.docx") in warned[0]
    # The dialog first offers the suggested name (in the last export's folder), then the
    # refused place again.
    assert [Path(asked[0]).name, asked[1]] == [
        "2025年年度学习情况报告.docx",
        str(locked / "年度.docx"),
    ]
    assert list(locked.iterdir()) == []
    assert said == [f"已保存：{written}"]


def test_a_refused_volume_says_why_and_reopens_the_save_dialog(
    window, planning, qtbot, tmp_path, monkeypatch
):
    build_demo(planning.db, year=2025, today=TODAY)
    taken = tmp_path / "已有内容"
    taken.mkdir()
    (taken / "别的文件.txt").write_text("x", "utf-8")
    answers = iter([(str(taken), "文件夹（输入新文件夹名） (*)"), (str(tmp_path / "专卷"), "")])
    asked: list[str] = []

    def save_dialog(parent, title, start, file_filter):
        asked.append(start)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("2025 年", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    warned: list[str] = []
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    window.export_archive()
    exporter = window.archive_export
    with qtbot.waitSignal(exporter.finished, timeout=60_000) as blocker:
        pass
    assert blocker.args[0] == tmp_path / "专卷"
    assert warned == [f"文件夹不是空的，请选择新文件夹或空文件夹：{taken}"]
    assert asked[1] == str(taken)  # reopened on the refused name
    assert (tmp_path / "专卷" / "SHA256SUMS.txt").is_file()
    assert [p.name for p in taken.iterdir()] == ["别的文件.txt"]
    assert said == [f"学习档案专卷已保存为文件夹：{tmp_path / '专卷'}"]


def test_a_folder_volume_offers_to_open_the_folder(window, planning, qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    from studyplan.gui import exporting

    build_demo(planning.db, year=2025, today=TODAY)
    target = tmp_path / "专卷"
    folder_filter = "文件夹（输入新文件夹名） (*)"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("2025 年", True))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), folder_filter)
    )
    told: list[tuple[str, Path]] = []
    monkeypatch.setattr(
        exporting, "tell_written", lambda p, t, sentence, path, **k: told.append((sentence, path))
    )
    window.export_archive()
    with qtbot.waitSignal(window.archive_export.finished, timeout=60_000):
        pass
    assert told == [(f"学习档案专卷已保存为文件夹：{target}", target)]
    # The message shown for it: 打开文件夹 (the volume itself) beside 打开所在文件夹
    box = exporting.written_box(window, "导出完成", told[0][0], target)
    texts = {b.text() for b in box.buttons()}
    assert {"打开文件夹", "打开所在文件夹"} <= texts and "打开文件" not in texts
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    next(b for b in box.buttons() if b.text() == "打开文件夹").click()
    assert [Path(u.toLocalFile()) for u in urls] == [target]


def test_closing_the_window_during_a_volume_cancels_it_and_leaves_nothing(
    window, planning, qtbot, tmp_path, monkeypatch
):
    from studyplan.gui import exporting

    build_demo(planning.db, year=2025, today=TODAY)
    folder = tmp_path / "导出"
    folder.mkdir()
    _ask(monkeypatch, folder / "专卷.zip")
    asked: list[str] = []
    monkeypatch.setattr(
        exporting, "ask_cancel_on_close", lambda parent, what: asked.append(what) or True
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    window.show()
    window.export_archive()
    assert exporting.running_exports(window)
    window.close()
    assert asked == ["导出学习档案专卷"]
    assert not window.archive_export.running and not window.isVisible()
    assert list(folder.iterdir()) == []

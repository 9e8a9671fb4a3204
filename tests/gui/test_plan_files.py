"""The 文件 menu: importing a plan and exporting the calendar, with the file dialogs stubbed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from studyplan.gui.plan_files import guess_year, title_year
from studyplan.model.plan import Session


def test_title_year() -> None:
    assert title_year("市科学技术局2026年理论学习中心组专题学习计划") == 2026
    assert title_year("2027 年学习安排") == 2027
    assert title_year("理论学习中心组学习计划") is None


def test_year_is_guessed_from_the_file_name() -> None:
    assert guess_year(Path("市科技局2027年理论学习中心组学习计划.docx"), 2026) == 2027
    assert guess_year(Path("学习计划.txt"), 2026) == 2026


def test_import_plan_from_the_menu(window, planning, seed_plan, monkeypatch) -> None:
    original = seed_plan.read_bytes()
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(seed_plan), "学习计划 (*.txt)")
    )
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (2027, True))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, title, text: told.append(text))
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda p, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    window.act_import.trigger()

    assert asked[0].startswith("文件标题“")
    assert "写的是 2026 年，将作为 2027 年的计划导入。" in asked[0]
    assert 2027 in planning.plan_years()
    assert "14 个专题" in told[0]
    assert window.year == 2027
    assert window.calendar.topics.model.rowCount() == 14
    assert 2027 in [window.year_combo.itemData(i) for i in range(window.year_combo.count())]
    assert seed_plan.read_bytes() == original


def test_a_file_that_is_no_plan_is_refused_before_the_year_is_asked(
    window, planning, tmp_path: Path, monkeypatch
) -> None:
    picture = tmp_path / "2027年学习计划.docx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(picture), ""))
    asked: list[object] = []
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: asked.append(a) or (2027, True))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, title, text: warned.append(text))
    window.act_import.trigger()
    assert asked == []
    assert len(warned) == 1 and "2027年学习计划.docx" in warned[0]
    assert 2027 not in planning.plan_years()


def test_the_year_offered_is_the_one_the_plan_title_names(
    window, planning, tmp_path: Path, monkeypatch
) -> None:
    renamed = tmp_path / "学习计划.txt"  # no year in the file name; the window shows 2026
    renamed.write_text(
        "市科学技术局2027年理论学习中心组学习计划\n1.第一个专题\n说明一\n2.第二个专题\n说明二\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(renamed), ""))
    offered: list[int] = []
    monkeypatch.setattr(
        QInputDialog,
        "getInt",
        lambda p, title, label, value, *a: offered.append(value) or (0, False),
    )
    assert window.year == 2026
    window.act_import.trigger()
    assert offered == [2027]


def test_replacing_a_plan_names_the_sessions_that_lose_topics_first(
    window, planning, tmp_path: Path, monkeypatch, replies
) -> None:
    keeps = planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )
    loses = planning.save_session(
        Session(date=dt.date(2026, 4, 9), start=dt.time(15), end=dt.time(17), topic_numbers=(7,))
    )
    smaller = tmp_path / "2026年学习计划（修订）.txt"
    smaller.write_text("1.第一个专题\n说明一\n2.第二个专题\n说明二\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(smaller), ""))
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (2026, True))
    asked = replies(QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    window.act_import.trigger()
    assert "新计划中没有 4月9日（专题7）学习场次所关联的专题" in asked[0]
    assert len(planning.topics(2026)) == 14 and planning.session(loses).topic_numbers == (7,)

    window.act_import.trigger()
    assert [t.number for t in planning.topics(2026)] == [1, 2]
    assert planning.session(keeps).topic_numbers == (1,)
    assert planning.session(loses).topic_numbers == ()


def test_export_ics_from_the_menu(window, planning, tmp_path: Path, monkeypatch) -> None:
    planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )
    target = tmp_path / "学习安排"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    window.act_export_ics.trigger()

    written = target.with_suffix(".ics").read_text("utf-8")
    assert "BEGIN:VEVENT" in written and "专题1" in written


def test_a_dotted_calendar_file_name_is_kept_and_an_existing_file_asked_about(
    window, planning, tmp_path: Path, monkeypatch
) -> None:
    planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )
    folder = tmp_path / "导出"
    folder.mkdir()
    typed = folder / "学习安排 v1.2"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(typed), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    window.act_export_ics.trigger()
    written = folder / "学习安排 v1.2.ics"
    assert [p.name for p in folder.iterdir()] == [written.name]
    assert "BEGIN:VEVENT" in written.read_text("utf-8") and asked == []

    written.write_text("kept", "utf-8")
    window.act_export_ics.trigger()
    assert asked == ["文件 学习安排 v1.2.ics 已存在，要替换它吗？"]
    assert written.read_text("utf-8") == "kept" and len(told) == 1

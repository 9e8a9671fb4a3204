"""The 操作记录 view: the audit trail, newest first, filtered and exported as CSV."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studyplan.app.safety import SafetyService
from studyplan.gui.audit.audit_view import AuditModel, AuditView
from studyplan.model.errors import ExportFileError
from studyplan.model.plan import Session

DAY = dt.date(2026, 3, 12)


def _new_session(planning, location: str = "局机关三楼会议室") -> int:
    return planning.save_session(
        Session(date=DAY, start=dt.time(15), end=dt.time(17), location=location),
        allow_same_day=True,
    )


def _rows(view: AuditView) -> list[tuple[str, str]]:
    model = view.model
    return [
        (
            model.data(model.index(row, AuditModel.COL_ACTION)),
            model.data(model.index(row, AuditModel.COL_DETAIL)),
        )
        for row in range(model.rowCount())
    ]


def test_the_audit_view_lists_a_session_added_in_another_view(window, planning) -> None:
    view = window.views["audit"]
    assert isinstance(view, AuditView)
    assert window.views["audit"] is window.audit
    _new_session(planning)
    window.data_changed({"sessions"})  # as after saving a session
    window.show_view("audit")
    assert _rows(view)[0] == ("新增场次", "2026-03-12 15:00 局机关三楼会议室")
    at = view.model.data(view.model.index(0, AuditModel.COL_AT))
    assert at.startswith(dt.date.today().isoformat())
    assert view.summary_label.text().startswith(f"共 {view.model.rowCount()} 条")


def test_a_shown_audit_view_follows_changes_at_once(window, planning) -> None:
    window.show_view("audit")
    before = window.audit.model.rowCount()
    _new_session(planning, "党员活动室")
    window.data_changed({"sessions"})
    assert window.audit.model.rowCount() == before + 1
    assert _rows(window.audit)[0][1].endswith("党员活动室")


def test_a_hidden_audit_view_waits_until_it_is_shown(window, planning) -> None:
    window.show_view("audit")
    window.show_view("calendar")
    before = window.audit.model.rowCount()
    _new_session(planning)
    window.data_changed({"sessions"})
    assert window.audit.model.rowCount() == before
    window.show_view("audit")
    assert window.audit.model.rowCount() == before + 1


def test_filter_by_action_and_date(qtbot, db, planning) -> None:
    view = AuditView(SafetyService(db))
    qtbot.addWidget(view)
    session_id = _new_session(planning)
    planning.delete_session(session_id)
    view.reload()
    actions = [a for a, _ in _rows(view)]
    assert actions[:2] == ["删除场次", "新增场次"]
    combo = [view.action_combo.itemText(i) for i in range(view.action_combo.count())]
    assert combo[0] == "全部操作" and {"新增场次", "删除场次"} <= set(combo)

    view.set_action("删除场次")
    assert [a for a, _ in _rows(view)] == ["删除场次"]
    view.set_action(None)
    assert len(_rows(view)) == len(actions)

    today = dt.date.today()
    view.set_range(today - dt.timedelta(days=10), today - dt.timedelta(days=1))
    assert _rows(view) == []
    assert view.summary_label.text() == "所选时间内没有操作记录"
    assert not view.export_button.isEnabled()
    view.set_range(today, today)
    assert len(_rows(view)) == len(actions)


def test_a_reversed_range_lists_nothing(qtbot, db, planning) -> None:
    view = AuditView(SafetyService(db))
    qtbot.addWidget(view)
    _new_session(planning)
    view.reload()
    listed = view.model.rowCount()
    today = dt.date.today()
    view.until_edit.setDate(view.since_edit.date().addDays(-1))
    assert view.model.rowCount() == 0
    assert view.summary_label.text() == "起始日期晚于结束日期"
    view.until_edit.setDate(view.until_edit.date().addYears(1))
    assert view.model.rowCount() == listed > 0
    assert view.until() > today


def test_export_csv_writes_the_entries_listed(qtbot, db, planning, tmp_path, monkeypatch):
    view = AuditView(SafetyService(db))
    qtbot.addWidget(view)
    _new_session(planning)
    planning.delete_session(_new_session(planning, "=SUM(A1)"))
    view.reload()
    view.set_action("新增场次")
    target = tmp_path / "操作记录"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    written = view.export_csv()
    assert written == target.with_suffix(".csv")
    with written.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["时间", "操作", "内容"]
    assert [r[1] for r in rows[1:]] == ["新增场次", "新增场次"]
    assert rows[1][2] == "2026-03-12 15:00 =SUM(A1)"
    assert told == [f"已导出 2 条操作记录：{written}"]
    view.set_action(None)
    assert _rows(view)[0][0] == "导出操作记录"


def test_export_cancelled_writes_nothing(qtbot, db, planning, tmp_path, monkeypatch) -> None:
    view = AuditView(SafetyService(db))
    qtbot.addWidget(view)
    _new_session(planning)
    view.reload()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert view.export_csv() is None
    assert list(tmp_path.glob("*.csv")) == []


def test_export_failure_is_one_sentence(qtbot, db, planning, tmp_path, monkeypatch) -> None:
    view = AuditView(SafetyService(db))
    qtbot.addWidget(view)
    _new_session(planning)
    view.reload()
    missing = tmp_path / "没有这个文件夹" / "操作记录.csv"
    answers = iter([(str(missing), ""), ("", "")])  # the dialog reopens: cancelled then
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    assert view.export_csv() is None
    assert len(warned) == 1 and "\n" not in warned[0]


@pytest.mark.parametrize("count", [0, 3])
def test_audit_model_passes_the_model_tester(qtmodeltester, db, planning, count) -> None:
    for _ in range(count):
        _new_session(planning)
    model = AuditModel()
    model.set_entries(SafetyService(db).audit_entries())
    qtmodeltester.check(model)
    assert model.rowCount() == count + 1  # and the bundled plan's import


def test_choosing_the_database_file_exports_beside_it_not_over_it(
    qtbot, db, db_path, planning, tmp_path, monkeypatch
) -> None:
    view = AuditView(SafetyService(db))
    qtbot.addWidget(view)
    _new_session(planning)
    view.reload()
    before = db_path.read_bytes()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(db_path), "所有文件 (*)")
    )
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: told.append(a[2]))
    written = view.export_csv()
    assert written == tmp_path / "studyplan.db.csv"
    assert written.read_text("utf-8-sig").startswith("时间,操作,内容")
    assert told == [f"已导出 2 条操作记录：{written}"]
    assert db_path.read_bytes()[:16] == before[:16] == b"SQLite format 3\x00"
    assert _rows(view)[0][0] == "导出操作记录"  # the database is still the one in use


def test_an_existing_csv_the_suffix_leads_to_is_kept_after_no(
    qtbot, db, planning, tmp_path, monkeypatch
) -> None:
    view = AuditView(SafetyService(db))
    qtbot.addWidget(view)
    _new_session(planning)
    view.reload()
    folder = tmp_path / "导出"
    folder.mkdir()
    existing = folder / "操作记录 2026.03.csv"
    existing.write_text("上次导出", "utf-8")
    typed = folder / "操作记录 2026.03"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(typed), ""))
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    assert view.export_csv() is None
    assert asked == ["文件 操作记录 2026.03.csv 已存在，要替换它吗？"] and told == []
    assert existing.read_text("utf-8") == "上次导出"
    assert [p.name for p in folder.iterdir()] == ["操作记录 2026.03.csv"]


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
def test_the_service_refuses_to_export_onto_the_database_file(db, db_path, planning, link):
    _new_session(planning)
    target = db_path.with_name("操作记录.csv")
    if link == "same":
        target = db_path
    elif link == "symlink":
        target.symlink_to(db_path)
    else:
        target.hardlink_to(db_path)
    before = db_path.read_bytes()
    service = SafetyService(db)
    noted = len(service.audit_entries())
    with pytest.raises(ExportFileError) as refused:
        service.export_audit(target)
    assert str(refused.value) == "不能把操作记录导出到正在使用的数据库文件本身。"
    assert db_path.read_bytes() == before
    assert len(service.audit_entries()) == noted

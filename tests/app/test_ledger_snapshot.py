"""The ledger is one state of the record: a member renamed in another connection while the
export reads has one name on every sheet (issue 13, item 5)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from studyplan.app.attendance import AttendanceService
from studyplan.app.demo import build_demo
from studyplan.app.ledger import export_ledger
from studyplan.store import attendance as attendance_store
from studyplan.store import reports

TODAY = dt.date(2026, 11, 26)
#: The sheets that list members by name.
NAMED_SHEETS = ("考勤表", "请假登记", "补学登记", "统计分析")


def texts(ws) -> set[str]:
    return {v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}


@pytest.mark.parametrize("year", [2025, None])
def test_a_rename_during_the_export_leaves_one_name_on_every_sheet(
    db, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, year: int | None
) -> None:
    build_demo(db, year=2025, today=TODAY)
    service = AttendanceService(db)
    leave = {entry.member.id for entry in service.leave_requests(2025)}
    makeups = {entry.makeup.member_id for entry in service.makeups(today=TODAY, year=2025)}
    member = next(m for m in service.list_members() if m.id in leave & makeups)
    assert member.id is not None

    # Between the export's reads, another connection (as the window would) renames the
    # member; it gives up at once when the file is locked, and says which names it wrote.
    other = sqlite3.connect(str(db_path), timeout=0, isolation_level=None)
    written: list[str] = []
    refused: list[str] = []

    def rename_between(read):
        def wrapped(*args, **kwargs):
            name = f"改名{len(written) + len(refused) + 1}号"
            try:
                other.execute("UPDATE members SET name = ? WHERE id = ?", [name, member.id])
            except sqlite3.OperationalError as error:
                assert "locked" in str(error)
                refused.append(name)
            else:
                written.append(name)
            return read(*args, **kwargs)

        return wrapped

    for module, name in [
        (reports, "marks_between"),
        (attendance_store, "status_counts_between"),
        (reports, "minutes_between"),
        (reports, "speeches_between"),
    ]:
        monkeypatch.setattr(module, name, rename_between(getattr(module, name)))

    out = export_ledger(db, tmp_path / "台账.xlsx", year, today=TODAY)

    wb = load_workbook(out)
    names = [member.name, *written, *refused]
    for sheet in NAMED_SHEETS:
        shown = [n for n in names if n in texts(wb[sheet])]
        assert shown == [member.name], (sheet, shown)
    assert refused and not written  # every rename waited for the reading to end

    # Once the export has read, the change goes through.
    other.execute("UPDATE members SET name = ? WHERE id = ?", ["改名后", member.id])
    other.close()
    assert any(m.name == "改名后" for m in service.list_members())

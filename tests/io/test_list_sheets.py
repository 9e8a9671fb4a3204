"""三张清单 in the ledger and alone, and the 个人学习档案: what was entered is there, the
member file's numbers are the ledger's, and LibreOffice prints the sheets to A4."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from studyplan.app.attendance import AttendanceService
from studyplan.app.demo import build_demo
from studyplan.app.ledger import export_ledger
from studyplan.app.lists import ListsService, export_lists, export_member_file
from studyplan.app.planning import PlanningService
from studyplan.io.ledger.list_sheets import LIST_SHEET_NAMES
from studyplan.model.duties import DUTIES, StudyResult

TODAY = dt.date(2026, 1, 10)


@pytest.fixture
def demo(db):
    build_demo(db, year=2025, today=TODAY)
    return db


def _texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def _rows(ws, first: str = "序号") -> tuple[list[str], list[list[object]]]:
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    top = next(i for i, r in enumerate(rows) if r and r[0] == first)
    body = []
    for row in rows[top + 1 :]:
        if not isinstance(row[0], int):
            break
        body.append(row)
    return [str(v) for v in rows[top]], body


def test_the_ledger_sheets_hold_what_was_entered(demo, tmp_path):
    lists = ListsService(demo)
    session = PlanningService(demo).sessions(2025)[3]
    member = AttendanceService(demo).list_members()[1]
    lists.add_planned_speaker(member.id, "以学促干的体会", session_id=session.id)
    lists.set_session_department(session.id, "政策法规科")
    lists.add_result(
        StudyResult(
            name="科技成果转化十条",
            kind="政策举措",
            member_id=member.id,
            due=dt.date(2025, 12, 1),
            effect="已印发",
            attachments=("/档案/十条.pdf",),
            session_id=session.id,
        )
    )
    wb = load_workbook(export_ledger(demo, tmp_path / "台账.xlsx", 2025, today=TODAY))
    assert wb.sheetnames[-4:] == list(LIST_SHEET_NAMES)
    duty = _texts(wb["学习责任清单"])
    assert any("以学促干的体会" in t for t in duty) and "政策法规科" in duty
    assert any(f"{member.name} 未发言" in t for t in duty)
    _, rows = _rows(wb["成果转化清单"])
    [row] = [r for r in rows if r[2] == "科技成果转化十条"]
    assert row[3:7] == ["政策举措", member.name, "2025-12-01", "已逾期"]
    assert row[8] == "十条.pdf"
    checked = _texts(wb["成员履职情况"])
    assert any(t.startswith("2025 年清单检查") for t in checked)
    assert any(f"{member.name} 没有发言记录" in t for t in checked)
    assert any("年度学习任务未完成" in t for t in checked)  # the year has ended
    tasks = _texts(wb["学习任务清单"])
    assert "专题形式" not in tasks and any(t == "集中学习" for t in tasks)


def test_the_member_file_shows_the_ledgers_numbers_for_every_member(demo, tmp_path):
    wb = load_workbook(export_ledger(demo, tmp_path / "台账.xlsx", 2025, today=TODAY))
    _, stats = _rows(wb["统计分析"])
    _, duties = _rows(wb["成员履职情况"])
    doc = Document(str(export_member_file(demo, tmp_path / "档案.docx", 2025, today=TODAY)))
    tables = doc.tables
    assert len(tables) == 3 * len(duties) == 3 * len(stats)
    for n, (stat, duty) in enumerate(zip(stats, duties, strict=True)):
        basic, attendance, tasks = tables[3 * n : 3 * n + 3]
        assert basic.cell(1, 0).text == stat[1] == duty[1]
        assert attendance.cell(1, 0).text == str(stat[3]) == str(duty[3])  # 应到
        assert int(attendance.cell(1, 1).text) == stat[4] + stat[5] + stat[6] == duty[4]
        assert attendance.cell(1, 2).text == str(stat[7])  # 请假
        assert attendance.cell(1, 3).text == str(stat[8])  # 缺席
        for row in range(1, len(DUTIES) + 1):
            done, required = str(duty[6 + row - 1]).split("/")
            assert tasks.cell(row, 1).text == required and tasks.cell(row, 2).text == done
        assert tasks.cell(len(DUTIES) + 1, 2).text == str(duty[6 + len(DUTIES)])
    breaks = [
        p.paragraph_format.page_break_before for p in doc.paragraphs if p.text == "个人学习档案"
    ]
    assert breaks == [False] + [True] * (len(duties) - 1)
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_lists_to_a4_with_nothing_cut_off(demo, tmp_path):
    out = export_lists(demo, tmp_path / "lists.xlsx", 2025, today=TODAY)
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        timeout=180,
        capture_output=True,
        env=env,
    )
    pdf = tmp_path / "lists.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdfinfo") and shutil.which("pdftotext"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        size = next(line for line in info.splitlines() if line.startswith("Page size"))
        assert "(A4)" in size and size.index("841") < size.index("595")  # landscape
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
        ).stdout.replace(" ", "")
        # The last column of every sheet, and the last member, are on the pages.
        for last in ("发言落实", "完成情况", "附件", "已逾期"):
            assert last in text
        last_member = ListsService(demo).member_years(2025, TODAY)[-1].member.name
        assert last_member in text


def _after_table(ws) -> list[str]:
    """The text of the lines under a sheet's table (the 清单检查 of 成员履职情况)."""
    _header, body = _rows(ws)
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == len(body))
    return [
        str(ws.cell(r, 1).value) for r in range(last + 1, ws.max_row + 1) if ws.cell(r, 1).value
    ]


def test_the_duties_check_does_not_repeat_the_state_column(db, tmp_path):
    """In a year under way 完成情况 says 进行中：…; the lines under the table do not again."""
    build_demo(db, year=2026, today=dt.date(2026, 6, 30))
    out = export_lists(db, tmp_path / "清单.xlsx", 2026, today=dt.date(2026, 6, 30))
    ws = load_workbook(out)["成员履职情况"]
    header, body = _rows(ws)
    states = [str(row[header.index("完成情况")]) for row in body]
    assert any(s.startswith("进行中：") for s in states)
    lines = _after_table(ws)
    assert lines and "清单检查" in lines[0]
    assert not any(line.startswith("进行中") for line in lines)


def test_the_lines_under_a_table_stay_with_its_last_rows(demo, tmp_path):
    """A page break never falls between a table's last rows and the lines under it, which
    on a page of their own printed under the repeated header, a table heading nothing."""
    from studyplan.io.ledger.list_sheets import TABLE_ROWS_KEPT

    out = export_lists(demo, tmp_path / "清单.xlsx", 2025, today=TODAY)
    for name in ("成员履职情况", "学习责任清单"):
        ws = load_workbook(out)[name]
        _, body = _rows(ws)
        last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == len(body))
        kept = range(last - TABLE_ROWS_KEPT + 1, ws.max_row + 1)
        assert ws.row_breaks.brk, name  # the sheet is paginated, not left to the viewer
        assert not [b.id for b in ws.row_breaks.brk if b.id in kept], name


def test_a_column_measured_to_its_text_holds_it_on_one_line(demo, tmp_path):
    """学习任务清单's 学习场次 ("2025-07-10 已举行") and the like: a row whose texts each fit
    their column is one line tall, not two (topic 9 of the demo lists no reading)."""
    from openpyxl.utils import get_column_letter

    from studyplan.io.ledger.layout import MIN_ROW_HEIGHT
    from studyplan.io.ledger.measure import lines_needed, text_width

    out = export_lists(demo, tmp_path / "清单.xlsx", 2025, today=TODAY)
    wb = load_workbook(out)
    for sheet, column in (("学习任务清单", "学习场次"), ("成员履职情况", "职务")):
        ws = wb[sheet]
        header, body = _rows(ws)
        col = header.index(column) + 1
        width = ws.column_dimensions[get_column_letter(col)].width
        widest = max((str(row[col - 1]) for row in body), key=text_width)
        assert lines_needed(widest, width) == 1, (sheet, column, widest, width)
    ws = wb["学习任务清单"]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value).startswith("专题9 "))
    assert ws.cell(row, 3).value is None
    assert ws.row_dimensions[row].height == MIN_ROW_HEIGHT

"""The 个人学习档案 prints as a form: its columns keep their widths in LibreOffice, WPS and
Word, the headings stand apart from the tables, and its pages are numbered."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from docx.oxml.ns import qn

from studyplan.app.demo import build_demo
from studyplan.app.lists import export_member_file

TODAY = dt.date(2026, 1, 10)


@pytest.fixture
def member_file(db, tmp_path):
    build_demo(db, year=2025, today=TODAY)
    return Document(str(export_member_file(db, tmp_path / "档案.docx", 2025, today=TODAY)))


def test_the_tables_keep_their_column_widths(member_file) -> None:
    basic, _attendance, tasks = member_file.tables[:3]
    for table, widths in ((basic, [30, 80, 45]), (tasks, [55, 25, 25, 50])):
        assert table.autofit is False
        grid = [round(c.width.mm) for c in table.columns]  # what LibreOffice reads
        assert grid == widths
        assert [round(c.width.mm) for c in table.rows[1].cells] == widths  # and Word


def test_headings_stand_apart_from_the_table_above(member_file) -> None:
    headings = [p for p in member_file.paragraphs if p.text[:2] in ("二、", "三、")]
    assert len(headings) >= 2
    for paragraph in headings:
        assert paragraph.paragraph_format.space_before.pt >= 12
        assert paragraph.paragraph_format.keep_with_next


def test_the_pages_are_numbered_and_figures_are_in_times(member_file) -> None:
    footer = member_file.sections[0].footer.paragraphs[0]
    codes = [e.text for e in footer._p.iter(qn("w:instrText"))]
    assert codes == [" PAGE "] and footer.text == "—  —"
    first_cell = member_file.tables[1].cell(1, 0).paragraphs[0].runs[-1]
    assert first_cell.font.name == "Times New Roman"
    assert first_cell._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_a_title_typed_in_book_marks_is_not_marked_twice(db, tmp_path) -> None:
    from studyplan.app.attendance import AttendanceService
    from studyplan.app.lists import ListsService

    member = AttendanceService(db).add_member("王建国", "局长", "组长", "局领导")
    ListsService(db).add_paper(member.id, "调研报告", "《企业研发投入调研》", dt.date(2025, 3, 8))
    out = export_member_file(db, tmp_path / "档案.docx", 2025, today=TODAY, member_id=member.id)
    lines = [p.text for p in Document(str(out)).paragraphs]
    assert "调研报告：《企业研发投入调研》（2025-03-08）" in lines

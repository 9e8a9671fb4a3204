"""The 个人学习档案 prints as a form: its columns keep their widths in LibreOffice, WPS and
Word, the headings stand apart from the tables, and its pages are numbered."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from docx.oxml.ns import qn

from studyplan.app.demo import build_demo
from studyplan.app.lists import export_member_file
from studyplan.io.member_file import absence_line

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


def test_speeches_reflections_and_absences_are_listed_as_many_as_counted(db, tmp_path) -> None:
    """A cadre assessment reads each speech, reflection and missed session, with the reason
    and the make-up; the lists are as long as the numbers the ledger counts."""
    from studyplan.app.lists import ListsService

    build_demo(db, year=2025, today=TODAY)
    years = ListsService(db).member_years(2025, TODAY)
    assert any(e.absences for e in years) and any(e.speeches for e in years)
    for entry in years:
        a = entry.attendance
        assert len(entry.speeches) == entry.counts.speeches
        assert len(entry.reflections) == entry.counts.reflections
        assert len(entry.absences) == a.leave + a.absent
        assert [x.status for x in entry.absences].count("缺席") == a.absent
    entry = max(years, key=lambda e: (len(e.absences), len(e.speeches)))
    out = export_member_file(
        db, tmp_path / "一人.docx", 2025, today=TODAY, member_id=entry.member.id
    )
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert len(Document(str(out)).tables) == 3  # the three forms; the items are lines
    first = texts.index(
        f"请假 {entry.attendance.leave} 次、缺席 {entry.attendance.absent} 次及补学"
    )
    missed = texts[first + 1 : first + 1 + len(entry.absences)]
    assert missed == [absence_line(x) for x in entry.absences]
    for line, absence in zip(missed, entry.absences, strict=True):
        assert line.startswith(f"{absence.day:%Y-%m-%d}　{absence.status}")
        assert ("补学：" + absence.makeup) in line if absence.makeup else "未安排补学" in line
    said = texts.index(f"交流发言（{entry.counts.speeches} 次）")
    assert texts[said + 1 : said + 1 + len(entry.speeches)] == [
        f"{s.day:%Y-%m-%d}　{s.title}" for s in entry.speeches
    ]
    assert f"心得体会（{entry.counts.reflections} 篇）" in texts


def test_a_leave_reads_with_its_kind_and_reason_and_its_makeup(db, tmp_path) -> None:
    from studyplan.model.attendance import LeaveRequest, Makeup
    from studyplan.model.duties import leave_reason, makeup_text

    request = LeaveRequest(1, 1, "赴省厅汇报", dt.datetime(2025, 3, 1, 9), kind="因公")
    assert leave_reason(request) == "因公：赴省厅汇报"
    assert leave_reason(None) == "请假"
    makeup = Makeup(1, 1, due=dt.date(2025, 3, 20))
    assert makeup_text(makeup, dt.date(2025, 3, 10)) == "待完成，截止 2025-03-20"
    assert makeup_text(makeup, dt.date(2025, 3, 21)) == "已逾期，截止 2025-03-20"
    done = Makeup(1, 1, due=dt.date(2025, 3, 20), completed=dt.date(2025, 3, 18))
    assert makeup_text(done, dt.date(2025, 4, 1)) == "已完成 2025-03-18"
    assert makeup_text(None, dt.date(2025, 4, 1)) == ""
    from studyplan.model.duties import Absence

    line = absence_line(
        Absence(dt.date(2025, 3, 13), "请假", "因公：赴省厅汇报", "已完成 2025-03-18")
    )
    assert line == "2025-03-13　请假（因公：赴省厅汇报）　补学：已完成 2025-03-18"
    assert absence_line(Absence(dt.date(2025, 3, 13), "缺席", "缺席")) == (
        "2025-03-13　缺席　未安排补学"
    )

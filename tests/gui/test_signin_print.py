"""The sign-in sheet as a PDF: A4 pages of whole, signable rows, Chinese text embedded."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.signin import build_signin_sheet
from studyplan.gui.signin_print import (
    LAYOUT_DPI,
    _spoils_text,
    a4_layout,
    cjk_font_families,
    export_signin,
    page_breaks,
    pdf_font_families,
    render_signin,
    signin_document,
    write_signin_pdf,
)
from studyplan.io.signin import SignInRow, SignInSheet, signin_html
from studyplan.model.errors import ExportFileError, NotFoundError, ValidationError
from studyplan.model.plan import Session

POSITIONS = ("党组书记、局长", "党组成员、副局长", "办公室主任", "高新技术发展及产业化处处长")
MIN_ROW_PX = 9 / 25.4 * LAYOUT_DPI  # 9 mm


@pytest.fixture
def signin_services(db):
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    return planning, AttendanceService(db)


def _session(services, members: int) -> int:
    planning, attendance = services
    sid = planning.save_session(
        Session(
            date=dt.date(2026, 3, 12),
            start=dt.time(15, 0),
            end=dt.time(17, 0),
            location="局机关三楼会议室",
            topic_numbers=(1, 2),
            host="王建国",
        )
    )
    added = [
        attendance.add_member(f"成员{i:02d}", POSITIONS[i % len(POSITIONS)])
        for i in range(1, members + 1)
    ]
    if added:
        request = attendance.file_leave(
            added[0].id,
            sid,
            "赴省厅开会",
            dt.datetime(2026, 3, 10, 9),
            now=dt.datetime(2026, 3, 10, 9),
        )
        attendance.approve_leave(request.id, "王建国", dt.datetime(2026, 3, 10, 10))
    return sid


def _pdf(path: Path) -> QPdfDocument:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    return document


def _page_text(document: QPdfDocument, page: int) -> str:
    """A page's text as copy and search see it: exactly, with no radical (⼼) for 心."""
    return document.getAllText(page).text()


def _text(document: QPdfDocument) -> str:
    return "".join(_page_text(document, p) for p in range(document.pageCount()))


def test_a_chinese_font_is_found(qapp) -> None:
    assert cjk_font_families(), "no CJK font installed (fonts-wqy-microhei)"


def test_pdf_fonts_that_spoil_copy_and_search_come_last(qapp, tmp_path: Path) -> None:
    """With Noto CJK (installed by .ci/run beside WenQuanYi) 心 would be copied as ⼼,
    车 as ⻋ and 户 as ⼾."""
    text = "市科学技术局理论学习中心组学习签到表 主持人 日期 郑子涵 民见车户贝"
    families = pdf_font_families(text)
    assert sorted(families) == sorted(cjk_font_families())
    spoiled = [_spoils_text(family, text) for family in families]
    assert spoiled == sorted(spoiled)  # every exact font before every spoiling one
    assert not spoiled[0], "no CJK font keeps the text exact (fonts-wqy-microhei)"
    assert pdf_font_families("签到 2026") == cjk_font_families()  # nothing to spoil
    pdf = _pdf(write_signin_pdf(f"<p>{text}</p>", tmp_path / "t.pdf"))
    assert _page_text(pdf, 0).split() == text.split()


@pytest.mark.parametrize(("members", "pages"), [(14, 1), (30, 2)])
def test_pdf_pages(qapp, signin_services, tmp_path: Path, members: int, pages: int) -> None:
    sid = _session(signin_services, members)
    path = export_signin(*signin_services, sid, tmp_path / "签到表.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    pdf = _pdf(path)
    assert pdf.pageCount() == pages
    size = pdf.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (595, 842)  # A4 portrait
    text = _text(pdf)
    assert "市科学技术局理论学习中心组学习签到表" in text
    assert "2026年3月12日" in text and "星期四" in text
    assert "成员01" in text and f"成员{members:02d}" in text
    assert "请假" in text and "赴省厅开会" in text
    assert "记录人" in text
    assert not [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_thirty_members_break_between_rows_with_the_header_repeated(
    qapp, signin_services, tmp_path: Path
) -> None:
    sid = _session(signin_services, 30)
    sheet = build_signin_sheet(*signin_services, sid)
    breaks = page_breaks(sheet, families=pdf_font_families(signin_html(sheet, [])))
    assert len(breaks) == 1 and 12 <= breaks[0] < 30
    pdf = _pdf(write_signin_pdf(sheet, tmp_path / "a.pdf"))
    second = _page_text(pdf, 1)
    assert "序号" in second and "签名" in second  # the header again
    assert f"成员{breaks[0] + 1:02d}" in second and "成员30" in second
    assert f"成员{breaks[0]:02d}" not in second
    assert "应到 30 人" in re.sub(r"\s+", " ", second)


def test_rows_are_tall_enough_to_sign(qapp, signin_services) -> None:
    sid = _session(signin_services, 14)
    sheet = build_signin_sheet(*signin_services, sid)
    document = signin_document(sheet)
    assert document.pageCount() == 1
    layout = document.documentLayout()
    tops = {}
    block = document.begin()
    while block.isValid():
        if re.fullmatch(r"成员\d\d", block.text()):
            tops[block.text()] = layout.blockBoundingRect(block).top()
        block = block.next()
    assert len(tops) == 14
    values = [tops[f"成员{i:02d}"] for i in range(1, 15)]
    pitches = [b - a for a, b in itertools.pairwise(values)]
    assert min(pitches) >= MIN_ROW_PX


def test_page_count_follows_the_page_layout(qapp, signin_services) -> None:
    sid = _session(signin_services, 30)
    sheet = build_signin_sheet(*signin_services, sid)
    assert signin_document(sheet, a4_layout()).pageCount() == 2
    assert signin_document(sheet, a4_layout(margin_mm=60)).pageCount() >= 3


def test_printer_gets_the_same_pages(qapp, signin_services, tmp_path: Path) -> None:
    sid = _session(signin_services, 30)
    sheet = build_signin_sheet(*signin_services, sid)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageLayout(a4_layout())
    assert render_signin(sheet, printer) == 2
    del printer
    printed = _pdf(tmp_path / "printed.pdf")
    assert printed.pageCount() == 2
    assert "市科学技术局理论学习中心组学习签到表" in _page_text(printed, 0)  # 心, not ⼼


def test_empty_roster_still_prints(qapp, signin_services, tmp_path: Path) -> None:
    sid = _session(signin_services, 0)
    pdf = _pdf(export_signin(*signin_services, sid, tmp_path / "empty.pdf"))
    assert pdf.pageCount() == 1
    assert "没有应到成员" in _text(pdf)


def test_html_can_be_written_as_it_is(qapp, signin_services, tmp_path: Path) -> None:
    sid = _session(signin_services, 3)
    html = signin_html(build_signin_sheet(*signin_services, sid))
    assert _pdf(write_signin_pdf(html, tmp_path / "b.pdf")).pageCount() == 1


def test_xlsx_is_chosen_by_suffix(qapp, signin_services, tmp_path: Path) -> None:
    sid = _session(signin_services, 3)
    path = export_signin(*signin_services, sid, tmp_path / "签到表.XLSX")
    assert path.read_bytes().startswith(b"PK")


def test_other_suffixes_are_refused(qapp, signin_services, tmp_path: Path) -> None:
    sid = _session(signin_services, 3)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ValidationError, match=r"\.pdf 或 \.xlsx"):
        export_signin(*signin_services, sid, folder / "签到表.docx")
    assert list(folder.iterdir()) == []


def test_missing_folder_and_unknown_session(qapp, signin_services, tmp_path: Path) -> None:
    sid = _session(signin_services, 3)
    with pytest.raises(ExportFileError):
        export_signin(*signin_services, sid, tmp_path / "missing" / "签到表.pdf")
    with pytest.raises(NotFoundError):
        export_signin(*signin_services, 999, tmp_path / "签到表.pdf")


def test_an_existing_file_survives_a_failed_export(qapp, signin_services, tmp_path) -> None:
    target = tmp_path / "签到表.pdf"
    target.write_bytes(b"old")
    with pytest.raises(NotFoundError):
        export_signin(*signin_services, 999, target)
    assert target.read_bytes() == b"old"


def test_pdf_without_an_application(signin_services, db_path: Path, tmp_path: Path) -> None:
    """The CLI's path: no Qt application yet, no display; one is created offscreen."""
    sid = _session(signin_services, 5)
    out = tmp_path / "cli.pdf"
    script = textwrap.dedent(
        f"""
        import os
        os.environ.pop("DISPLAY", None)
        os.environ.pop("WAYLAND_DISPLAY", None)
        os.environ.pop("QT_QPA_PLATFORM", None)
        from studyplan.app.attendance import AttendanceService
        from studyplan.app.planning import PlanningService
        from studyplan.gui.signin_print import ensure_gui_app, export_signin
        from studyplan.store.opening import connect
        db = connect({str(db_path)!r})
        app = ensure_gui_app()
        assert ensure_gui_app() is app
        assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
        export_signin(PlanningService(db), AttendanceService(db), {sid}, {str(out)!r})
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("members", [0, 1, *range(14, 24), 45])
def test_every_page_is_planned(qapp, members: int) -> None:
    """Whatever the roster, each page holds what page_breaks planned, no page spills."""
    sheet = SignInSheet(
        title="市科学技术局理论学习中心组学习签到表",
        org="市科学技术局",
        session_id=1,
        date=dt.date(2026, 3, 12),
        time_text="15:00–17:00",
        topic_lines=["专题1 深入学习领会习近平新时代中国特色社会主义思想的科学体系和核心要义"],
        rows=[SignInRow(i, f"成员{i:02d}", POSITIONS[i % 4]) for i in range(1, members + 1)],
    )
    breaks = page_breaks(sheet)
    assert breaks == sorted(breaks)
    assert signin_document(sheet).pageCount() == len(breaks) + 1
    if members:
        assert breaks == [] or breaks[-1] < members  # the counts never stand alone


@pytest.mark.parametrize("long_every", [0, 2, 3, 4, 5])
@pytest.mark.parametrize("topics", [1, 2, 3])
def test_pages_are_filled_without_blank_ones(qapp, tmp_path: Path, long_every, topics) -> None:
    """A page filled to within the room a page break needs once gave a blank page and then
    one member per page; every page but the last now holds a page's worth of rows."""
    long = "二级调研员（主持日常工作）兼办公室主任"
    rows = [
        SignInRow(i, f"成员{i:02d}", long if long_every and i % long_every == 0 else "副局长")
        for i in range(1, 31)
    ]
    sheet = SignInSheet(
        "市科学技术局理论学习中心组学习签到表",
        "市科学技术局",
        1,
        dt.date(2026, 3, 12),
        "15:00–17:00",
        "机关三楼会议室",
        "集中学习",
        [f"专题{k}：学习贯彻习近平新时代中国特色社会主义思想" for k in range(1, topics + 1)],
        "张三",
        "李四",
        rows,
    )
    pdf = _pdf(write_signin_pdf(sheet, tmp_path / "签到表.pdf"))
    per_page = [_page_text(pdf, page).count("成员") for page in range(pdf.pageCount())]
    assert sum(per_page) == 30
    assert pdf.pageCount() == 2 and min(per_page) >= 10, per_page


def test_a_row_taller_than_a_page_does_not_scatter_the_others(qapp, tmp_path: Path) -> None:
    """A very long leave reason overflows its page; the rows around it stay together."""
    rows = [
        SignInRow(
            i,
            f"成员{i:02d}",
            "副局长",
            on_leave=i == 15,
            leave_reason="因公出差。" * 200 if i == 15 else "",
        )
        for i in range(1, 21)
    ]
    sheet = SignInSheet(
        "学习签到表", "市科学技术局", 1, dt.date(2026, 3, 12), "15:00–17:00", rows=rows
    )
    families = pdf_font_families(signin_html(sheet, []))
    breaks = page_breaks(sheet, families=families)
    assert breaks[0] >= 12 and breaks[-1] == 15 and len(breaks) == 2, breaks
    pdf = _pdf(write_signin_pdf(sheet, tmp_path / "签到表.pdf"))
    last = _page_text(pdf, pdf.pageCount() - 1)
    assert all(f"成员{i:02d}" in last for i in range(16, 21)) and "应到 20 人" in last

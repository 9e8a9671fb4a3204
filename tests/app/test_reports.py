"""The quarterly and annual reports: their numbers are the ledger's for the same span."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest

from studyplan.app.demo import build_demo
from studyplan.app.ledger import collect
from studyplan.app.reports import ReportService
from studyplan.model.attendance import LeaveDecision, done_late, leave_counts
from studyplan.model.errors import ValidationError
from studyplan.model.plan import SessionStatus
from studyplan.model.study_report import CHARTS, PLACEHOLDERS, ReportPeriod
from tests.documents_demo import title_text

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def demo(db):
    build_demo(db, year=2025, years=2, members=14, today=TODAY)
    return db


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_quarter_numbers_equal_the_ledgers(demo, quarter):
    ledger = collect(demo, 2025, TODAY)
    report = ReportService(demo).report(2025, quarter, TODAY)
    first, last = report.period.first, report.period.last
    held = [s for s in ledger.held if first <= s.date <= last]
    assert held, "the demo holds a session every quarter"

    count = ledger.stats.per_quarter[(2025, quarter)]
    assert (report.sessions_held, report.sessions_planned) == (count.held, count.planned)
    assert [r.date for r in report.held] == [s.date for s in held]
    assert report.expected == sum(ledger.counts[s.id].expected for s in held)
    assert report.attended == sum(ledger.counts[s.id].attended for s in held)
    for row, session in zip(report.held, held, strict=True):
        counts = ledger.counts[session.id]
        assert (row.attended, row.expected) == (counts.attended, counts.expected)

    # Per member: the ledger's 考勤表 marks of the quarter's sessions, tallied.
    by_name = {row.name: row for row in report.members}
    for tally in ledger.stats.members:
        member = tally.member
        marks = [ledger.marks.get((s.id, member.id)) for s in held if member.expected_on(s.date)]
        row = by_name[member.name]
        assert row.expected == len(marks)
        for field in ("present", "late", "left_early", "leave", "absent"):
            assert getattr(row, field) == sum(1 for m in marks if m and m.value == field)

    # Make-ups: the ledger's tasks of the quarter's sessions, by state.
    tasks = [e for e in ledger.makeups if first <= e.session.date <= last]
    for label in ("已完成", "待完成", "已逾期"):
        assert report.makeups[label] == sum(1 for e in tasks if e.status.label == label)
    assert len(report.leave) == sum(1 for e in ledger.leave if first <= e.session.date <= last)

    # Leave by category (因公/因私, per session) and make-ups done late: the ledger's rows.
    by_kind: dict[str, int] = {}
    for entry in ledger.leave:
        for request, on in zip(entry.requests, entry.sessions, strict=True):
            if request.decision is LeaveDecision.APPROVED and first <= on.date <= last:
                by_kind[request.kind] = by_kind.get(request.kind, 0) + 1
    assert report.leave_counts == leave_counts(by_kind)
    assert report.makeups_done_late == sum(1 for e in tasks if done_late(e.makeup))
    values = report.context()
    assert values["leave_official"] == report.leave_counts["因公"]
    assert values["leave_private"] == report.leave_counts["因私"]
    assert values["makeups_on_time"] + values["makeups_done_late"] == values["makeups_done"]


def test_the_annual_report_is_the_ledgers_year(demo):
    ledger = collect(demo, 2025, TODAY)
    report = ReportService(demo).report(2025, None, TODAY)
    stats = ledger.stats
    assert (report.sessions_held, report.sessions_planned) == (
        stats.sessions_held,
        stats.sessions_planned,
    )
    assert (report.expected, report.attended, report.rate) == (
        stats.expected,
        stats.attended,
        stats.rate,
    )
    assert [(r.name, r.expected, r.attended, r.rate) for r in report.members] == [
        (m.member.name, m.expected, m.attended, m.rate) for m in stats.members
    ]
    assert report.compliance_summary == ledger.compliance[0].summary
    assert len(report.findings) == len(ledger.compliance[0].problems)
    assert set(report.charts) == set(CHARTS)
    assert report.leave_counts == ledger.leave_counts
    assert report.makeups_done_late == sum(1 for e in ledger.makeups if done_late(e.makeup))


def test_the_report_lists_speeches_missed_sessions_and_the_next_quarter(demo):
    report = ReportService(demo).report(2026, 3, TODAY)
    assert report.contributions and any(c.speeches for c in report.contributions)
    assert any(c.reflections for c in report.contributions)
    assert {m.makeup for m in report.missed} <= {"已完成", "待完成", "已逾期", "未安排"}
    missed = sum(m.leave + m.absent for m in report.members)
    assert len(report.missed) == missed
    # Q4 2026 still has sessions ahead of TODAY (2026-11-26) in the demo
    assert report.period.next_label == "2026年四季度"
    assert report.next_sessions
    assert all(s.status != SessionStatus.CANCELLED.label for s in report.next_sessions)
    fourth = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert all(fourth[0] <= s.date <= fourth[1] for s in report.next_sessions)


def test_context_names_are_the_documented_ones(demo):
    report = ReportService(demo).report(2025, 2, TODAY)
    context = report.context()
    assert set(context) == set(PLACEHOLDERS)
    assert context["period"] == "2025年二季度"
    assert "学习情况通报" in context["title"]
    assert context["members"][0]["number"] == 1


def test_a_bad_quarter_or_year_is_one_sentence(demo):
    with pytest.raises(ValidationError, match="季度"):
        ReportService(demo).report(2025, 5, TODAY)
    with pytest.raises(ValidationError, match="年份"):
        ReportService(demo).report(1800, None, TODAY)
    assert ReportPeriod(2025, 4).next_quarter == (2026, 1)


# -- the Word documents ------------------------------------------------------------------
def _all_text(path) -> str:
    from docx import Document

    document = Document(str(path))
    # The title is one paragraph printed on balanced lines: read it whole, as a reader does.
    parts = [title_text(p) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_quarterly_report_reads_back(demo, tmp_path):
    out = ReportService(demo).export_report(2025, 2, tmp_path / "q2.docx", today=TODAY)
    text = _all_text(out)
    report = ReportService(demo).report(2025, 2, TODAY)
    assert report.title in text
    assert "{{" not in text and "{%" not in text
    assert f"共举行集中学习{report.sessions_held}次" in text
    for row in report.members:
        assert row.name in text
    for row in report.held:
        assert row.host in text and f"{row.date.month}月{row.date.day}日" in text
    assert report.compliance_summary in text
    assert "2025年三季度学习安排" in text


def _pictures(names):
    """A chart renderer that writes small PNGs (the real one is Qt's, in gui/)."""
    import struct
    import zlib

    def png() -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
        pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b"")
        )

    def render(stats, folder):
        assert stats.year == 2025
        written = {}
        for name in names:
            (folder / f"{name}.png").write_bytes(png())
            written[name] = folder / f"{name}.png"
        return written

    return render


def test_the_annual_report_carries_the_charts(demo, tmp_path):
    from docx import Document

    service = ReportService(demo)
    out = service.export_report(
        2025, None, tmp_path / "y.docx", charts=_pictures(CHARTS), today=TODAY
    )
    text = _all_text(out)
    assert "2025年度学习情况报告" in text and "七、统计图表" in text
    assert "图1 成员出勤率" in text and "2026年一季度学习安排" in text
    assert len(Document(str(out)).inline_shapes) == len(CHARTS)

    bare = service.export_report(2025, None, tmp_path / "bare.docx", today=TODAY)
    assert len(Document(str(bare)).inline_shapes) == 0
    assert "统计图表见学习台账" in _all_text(bare)


def test_the_units_own_template_is_used_and_a_broken_one_refused(demo, tmp_path):
    from docx import Document

    from studyplan.io.documents.render import TemplateError

    own = tmp_path / "own.docx"
    document = Document()
    document.add_paragraph("××局红头 {{ period }} 出勤率 {{ rate }}")
    document.save(str(own))
    out = ReportService(demo).export_report(
        2025, 1, tmp_path / "q1.docx", template=own, today=TODAY
    )
    assert _all_text(out).startswith("××局红头 2025年一季度 出勤率 ")

    document = Document()
    document.add_paragraph("{{ no_such_name }}")
    document.save(str(own))
    with pytest.raises(TemplateError, match="no_such_name"):
        ReportService(demo).export_report(2025, 1, tmp_path / "bad.docx", template=own)
    assert not (tmp_path / "bad.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_both_reports_to_a4_pdf(demo, tmp_path):
    service = ReportService(demo)
    outs = [
        service.export_report(2025, 3, tmp_path / "q3.docx", today=TODAY),
        service.export_report(
            2025, None, tmp_path / "year.docx", charts=_pictures(CHARTS), today=TODAY
        ),
    ]
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, outs),
        ],
        check=True,
        timeout=180,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    for out in outs:
        pdf = out.with_suffix(".pdf").read_bytes()
        assert pdf[:5] == b"%PDF-"
        # Every page A4 (595 × 842 points)
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        assert boxes and all(
            abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes
        )


def test_the_report_shows_leave_types_and_late_makeups_apart(demo, tmp_path):
    report = ReportService(demo).report(2025, None, TODAY)
    out = ReportService(demo).export_report(2025, None, tmp_path / "y.docx", today=TODAY)
    text = _all_text(out)
    counts = report.leave_counts
    assert f"因公{counts['因公']}人次、因私{counts['因私']}人次" in text
    if report.makeups_done_late:
        assert f"逾期完成{report.makeups_done_late}项" in text
    late = [row for row in report.missed if row.done_late]
    assert all(row.state == "逾期完成" for row in late)
    assert {row["makeup"] for row in report.context()["missed"]} <= {
        "已完成",
        "逾期完成",
        "待完成",
        "已逾期",
        "未安排",
    }

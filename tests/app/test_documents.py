"""学习通知、学习记录、学习简报 of a demo session, read back with python-docx."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.shared import RGBColor

from studyplan.app.documents import SESSION_KINDS
from studyplan.io.documents.render import TemplateError
from studyplan.io.documents.templates import bundled_template
from studyplan.model.attendance import AttendanceStatus, LeaveDecision
from studyplan.model.documents import chinese_number, date_text, short_date, templates_folder_for
from studyplan.model.errors import NotFoundError, ValidationError
from studyplan.model.unit import UnitDetails
from tests.documents_demo import (
    all_text,
    build,
    first_session_with_leave_and_absence,
    open_copy,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def context(built, tmp_path):
    context = open_copy(built, tmp_path / "data")
    yield context
    context.close()


@pytest.fixture
def session(context):
    return first_session_with_leave_and_absence(context)


def absent_with_reasons(context, session) -> dict[str, str]:
    reasons = {
        e.request.member_id: e.request.reason
        for e in context.attendance.leave_requests(session_id=session.id)
        if e.request.decision is LeaveDecision.APPROVED
    }
    found = {}
    for member, mark in context.attendance.attendance(session.id):
        if mark and mark.status is AttendanceStatus.LEAVE:
            found[member.name] = reasons[member.id]
        elif mark and mark.status is AttendanceStatus.ABSENT:
            found[member.name] = "缺席"
    return found


@pytest.mark.parametrize("kind", SESSION_KINDS)
def test_each_document_carries_the_session(context, session, tmp_path, kind):
    out = context.documents.export(kind, session.id, tmp_path / f"{kind}.docx")
    text = all_text(out)
    assert "{{" not in text and "{%" not in text
    assert f"{session.date.month}月{session.date.day}日" in text
    topics = {t.number: t.title for t in context.planning.topics(session.year)}
    assert topics[session.topic_numbers[0]] in text
    assert session.host in text
    if kind == "record":
        for name, reason in absent_with_reasons(context, session).items():
            assert name in text and reason in text
    if kind in ("record", "brief"):
        for speech in context.records.speeches(session.id):
            assert speech.speaker in text and speech.title in text
    if kind == "notice":
        for member in context.attendance.expected_members(session):
            assert member.name in text
        assert "按时参加" in text
    with zipfile.ZipFile(out) as package:
        xml = package.read("word/document.xml").decode()
    assert "{{" not in xml and "{%" not in xml


def test_the_record_has_the_minutes_counts_and_makeups(context, session, tmp_path):
    out = context.documents.export("record", session.id, tmp_path / "r.docx")
    text = all_text(out)
    record = context.records.record(session.id)
    for line in record.minutes.splitlines():
        if line.strip():
            assert line.strip() in text
    counts = context.attendance.counts(session.id)
    cells = [c.text for row in Document(str(out)).tables[0].rows for c in row.cells]
    assert str(counts.expected) in cells and str(counts.attended) in cells
    for entry in context.attendance.makeups(year=2025):
        if entry.session.id == session.id:
            assert entry.member.name in text and short_date(entry.makeup.due) in text
    assert "记 录 人" in text  # recorder is not kept: a line to write on
    assert "＿" in text


def test_the_notice_and_brief_use_the_units_details(context, session, tmp_path):
    context.unit.save(UnitDetails("市科学技术局", "党组理论学习中心组", "李敏", "0551-6000000"))
    notice = all_text(context.documents.export("notice", session.id, tmp_path / "n.docx"))
    assert "市科学技术局" in notice and "李敏" in notice and "0551-6000000" in notice
    assert date_text(context.clock.today()) in notice  # the 落款 date
    ordinal = [s.id for s in context.planning.sessions(2025)].index(session.id) + 1
    assert f"第{chinese_number(ordinal)}次" in notice


def test_a_brief_takes_the_next_number_which_then_advances(context, session, tmp_path):
    context.unit.set_next_brief_number(7)
    first = all_text(context.documents.export("brief", session.id, tmp_path / "1.docx"))
    assert "第7期" in first
    assert context.unit.next_brief_number() == 8
    # The next session's brief takes the next number (a session's own keeps its number:
    # see the test below).
    other = next(s for s in context.planning.sessions(2025) if s.id != session.id)
    second = all_text(context.documents.export("brief", other.id, tmp_path / "2.docx"))
    assert "第8期" in second


def test_a_brief_exported_again_keeps_the_number_it_was_issued_with(context, session, tmp_path):
    context.unit.set_next_brief_number(7)
    context.documents.export("brief", session.id, tmp_path / "1.docx")
    assert context.documents.issued_brief_number(session.id) == 7
    again = all_text(context.documents.export("brief", session.id, tmp_path / "2.docx"))
    assert "第7期" in again and "第8期" not in again
    assert context.unit.next_brief_number() == 8
    assert context.documents.brief_number(session.id) == 7
    # The next number set lower by hand does not change an issued brief, nor go back on it
    context.unit.set_next_brief_number(3)
    assert "第7期" in all_text(context.documents.export("brief", session.id, tmp_path / "3.docx"))
    audit = context.db.execute(
        "SELECT detail FROM audit_log WHERE action = '印发学习简报'"
    ).fetchall()
    assert audit == [(f"{session.date:%Y-%m-%d} 学习 第7期",)]


def test_a_failed_brief_keeps_its_number(context, session, tmp_path):
    context.unit.set_next_brief_number(3)
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        context.documents.export("brief", session.id, tmp_path / "none" / "b.docx")
    assert context.unit.next_brief_number() == 3


def test_a_session_not_yet_held_leaves_lines_to_write_on(context, tmp_path):
    import datetime as dt

    from studyplan.model.plan import Session

    planned = Session(dt.date(2026, 12, 10), dt.time(15), dt.time(17), topic_numbers=(1,))
    session_id = context.planning.save_session(planned, allow_day_off=True)
    text = all_text(context.documents.export("record", session_id, tmp_path / "r.docx"))
    assert "{{" not in text
    assert "主 持 人\n＿＿＿＿＿＿" in text  # no host, no place, no one marked: lines
    assert "学习地点\n＿＿＿＿＿＿" in text
    notice = all_text(context.documents.export("notice", session_id, tmp_path / "n.docx"))
    assert "领学/辅导：＿＿＿＿＿＿" in notice


def test_an_unknown_session_is_refused(context, tmp_path):
    with pytest.raises(NotFoundError):
        context.documents.export("notice", 999999, tmp_path / "n.docx")
    assert not (tmp_path / "n.docx").exists()


def red_header_template(path):
    """The bundled notice with the unit's red header on top, as a unit would make it."""
    document = Document(str(bundled_template("notice")))
    first = document.paragraphs[0]
    header = first.insert_paragraph_before()
    run = header.add_run("市科学技术局文件")
    run.font.color.rgb = RGBColor(0xFF, 0, 0)
    document.save(str(path))
    return path


def test_the_units_own_template_is_used(context, session, tmp_path):
    folder = context.templates_folder
    assert folder == templates_folder_for(context.db_path)
    folder.mkdir()
    red_header_template(folder / "学习通知.docx")
    out = context.documents.export("notice", session.id, tmp_path / "n.docx")
    first = Document(str(out)).paragraphs[0]
    assert first.text == "市科学技术局文件"
    assert first.runs[0].font.color.rgb == RGBColor(0xFF, 0, 0)
    assert [t.own for t in context.documents.templates() if t.kind.key == "notice"] == [True]
    context.documents.restore_default("notice")
    out = context.documents.export("notice", session.id, tmp_path / "n2.docx")
    assert Document(str(out)).paragraphs[0].text != "市科学技术局文件"


@pytest.mark.parametrize(
    ("paragraph", "words"),
    [("{{ ''.__class__.__mro__ }}", "程序内部"), ("主送：{{ recipients }}", "recipients")],
)
def test_a_bad_template_is_refused_with_nothing_written(
    context, session, tmp_path, paragraph, words
):
    template = tmp_path / "单位通知.docx"
    document = Document(str(bundled_template("notice")))
    document.add_paragraph(paragraph)
    document.save(str(template))
    out = tmp_path / "n.docx"
    with pytest.raises(TemplateError) as caught:
        context.documents.export("notice", session.id, out, template=template)
    assert "单位通知.docx" in str(caught.value) and words in str(caught.value)
    assert not out.exists()


@pytest.mark.parametrize("kind", ["record", "brief"])
def test_a_speech_titled_with_braces_is_printed_not_refused(context, session, tmp_path, kind):
    speaker = context.records.speeches(session.id)[0].speaker
    context.records.add_speech(session.id, speaker, "{{测试}}与{%学习%}心得")
    out = context.documents.export(kind, session.id, tmp_path / f"{kind}.docx")
    assert "{{测试}}与{%学习%}心得" in all_text(out)


def test_a_placeholder_the_template_leaves_is_still_refused(context, session, tmp_path):
    template = tmp_path / "单位记录.docx"
    document = Document(str(bundled_template("record")))
    document.add_paragraph("{_{ host }_}")  # docxtpl's way of printing a literal "{{"
    document.save(str(template))
    context.records.add_speech(session.id, "张三", "{{测试}}")
    out = tmp_path / "r.docx"
    with pytest.raises(TemplateError, match="未能套用"):
        context.documents.export("record", session.id, out, template=template)
    assert not out.exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_each_to_a4_pdf(context, session, tmp_path):
    outs = [
        context.documents.export(kind, session.id, tmp_path / f"{kind}.docx")
        for kind in SESSION_KINDS
    ]
    profile = tmp_path / "lo-profile"
    env = {**os.environ, "HOME": str(tmp_path)}
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
        capture_output=True,
        timeout=240,
        env=env,
    )
    for out in outs:
        pdf = out.with_suffix(".pdf").read_bytes()
        assert pdf.startswith(b"%PDF")
        # every page is A4 (595 × 842 pt)
        boxes = [box for box in pdf.split(b"/MediaBox")[1:]]
        assert boxes
        for box in boxes:
            numbers = box.split(b"]")[0].strip(b" [").split()
            assert [round(float(n)) for n in numbers[2:4]] == [595, 842]


@pytest.mark.parametrize("kind", SESSION_KINDS)
def test_every_placeholder_the_readme_lists_is_given(context, session, kind):
    from studyplan.io.documents.templates import KINDS

    given = context.documents.context(kind, session.id)
    assert set(KINDS[kind].placeholders) == set(given)


def _speaker_without_speech(context, session):
    spoke = {s.speaker for s in context.records.speeches(session.id)}
    member = next(m for m in context.attendance.expected_members(session) if m.name not in spoke)
    context.lists.add_planned_speaker(member.id, "推进科技创新的体会", session_id=session.id)
    return member


def test_the_notice_lists_guests_planned_speakers_and_the_office(context, session, tmp_path):
    context.attendance.add_guest(session.id, "周列席", "市委党校教授")
    member = _speaker_without_speech(context, session)
    context.lists.set_session_department(session.id, "科技创新处")
    text = all_text(context.documents.export("notice", session.id, tmp_path / "n.docx"))
    assert "列席人员：周列席（市委党校教授）" in text
    assert f"{member.name}：推进科技创新的体会" in text
    assert "责任处室：科技创新处" in text
    brief = context.documents.context("brief", session.id)
    assert "周列席（市委党校教授）列席会议。" in str(brief["summary"])
    # the 列席 person is not among the members who attend
    attendees = context.documents.context("notice", session.id)["attendees"]
    assert "周列席" not in attendees


def test_the_record_keeps_guests_apart_and_names_leave_types(context, session, tmp_path):
    context.attendance.add_guest(session.id, "周列席", "市委党校教授")
    member = _speaker_without_speech(context, session)
    values = context.documents.context("record", session.id)
    counts = context.attendance.counts(session.id)
    assert (values["expected"], values["guests_text"]) == (
        counts.expected,
        "周列席（市委党校教授）",
    )
    assert "周列席" not in values["present_text"]
    out = context.documents.export("record", session.id, tmp_path / "r.docx")
    text = all_text(out)
    cells = [c.text for row in Document(str(out)).tables[0].rows for c in row.cells]
    assert "列席人员" in cells and "周列席（市委党校教授）" in cells
    assert str(counts.expected) in cells  # 应到 unchanged by the guest
    for entry in context.attendance.leave_requests(session_id=session.id):
        request = next(r for r in entry.requests if r.session_id == session.id)
        if request.decision is LeaveDecision.APPROVED and request.kind_label:
            assert f"{entry.member.name}（请假（{request.kind_label}）：{request.reason}）" in text
    assert f"已安排重点发言而本次未发言：{member.name}（推进科技创新的体会）。" in text


def test_a_planned_speaker_who_spoke_is_not_pointed_out(context, session):
    speech = context.records.speeches(session.id)[0]
    member = next(m for m in context.attendance.list_members() if m.name == speech.speaker)
    with contextlib.suppress(ValidationError):  # the demo may have planned them already
        context.lists.add_planned_speaker(member.id, "", session_id=session.id)
    values = context.documents.context("record", session.id)
    assert member.name not in [p["name"] for p in values["unspoken"]]
    brief = context.documents.context("brief", session.id)
    assert member.name in brief["speakers_text"]


def test_long_titles_break_where_they_read_naturally(context, session, tmp_path):
    out = context.documents.export("brief", session.id, tmp_path / "b.docx")
    title = next(p for p in Document(str(out)).paragraphs if "集体学习" in p.text)
    lines = title.text.split("\n")
    assert lines == ["党组理论学习中心组开展", "2025年第一次集体学习"]


def test_the_archive_files_a_brief_with_the_number_it_was_issued_with(context, tmp_path):
    from studyplan.app.archive import export_archive
    from studyplan.io.archive import CATALOGUE_STEM

    held = [s for s in context.planning.sessions(2025) if s.status.value == "held"]
    context.unit.set_next_brief_number(5)
    context.documents.export("brief", held[1].id, tmp_path / "b.docx")
    assert context.unit.next_brief_number() == 6
    out = export_archive(context, 2025, tmp_path / "专卷", today=context.clock.today())
    issued = next(out.glob(f"*{held[1].date:%Y-%m-%d} 学习简报第5期.docx"))
    assert "第5期" in all_text(issued)
    unissued = next(out.glob(f"*{held[0].date:%Y-%m-%d} 学习简报.docx"))
    text = all_text(unissued)
    assert "第6期" not in text and "第＿＿＿＿＿＿期" in text
    catalogue = Document(str(out / f"{CATALOGUE_STEM}.docx")).tables[0]
    notes = {row.cells[1].text: row.cells[4].text for row in catalogue.rows}
    assert notes[f"{held[0].date:%Y-%m-%d} 学习简报"] == "未印发，期号空缺"
    assert notes[f"{held[1].date:%Y-%m-%d} 学习简报第5期"] == ""
    assert context.unit.next_brief_number() == 6


def test_a_brief_waits_until_its_session_is_held(context, tmp_path):
    import datetime as dt

    from studyplan.model.errors import ValidationError
    from studyplan.model.plan import Session

    planned = Session(dt.date(2026, 12, 10), dt.time(15), dt.time(17), topic_numbers=(1,))
    session_id = context.planning.save_session(planned, allow_day_off=True)
    number = context.unit.next_brief_number()
    with pytest.raises(ValidationError, match="尚未举行"):
        context.documents.export("brief", session_id, tmp_path / "b.docx")
    assert not (tmp_path / "b.docx").exists()
    assert context.unit.next_brief_number() == number  # no 期号 used up


def test_a_brief_tells_what_the_meeting_required_from_its_minutes(context, session, tmp_path):
    """The brief's closing part is the session's minutes, not the plan's standing rules
    (those are the notice's); without minutes, a line to write on."""
    context.records.save_minutes(session.id, "会议指出，要学以致用。\n会议要求，各处室抓好落实。")
    text = all_text(context.documents.export("brief", session.id, tmp_path / "b.docx"))
    assert "会议指出，要学以致用。\n会议要求，各处室抓好落实。" in text
    assert "请参学人员按时参加" not in text
    context.records.save_minutes(session.id, "")
    text = all_text(context.documents.export("brief", session.id, tmp_path / "c.docx"))
    assert "会议要求：＿＿＿＿＿＿" in text

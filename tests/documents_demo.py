"""A demo year for the document tests: built once, copied for each test that writes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from docx import Document

from studyplan.app.context import Context
from studyplan.app.demo import build_demo
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.clock import FixedClock

TODAY = dt.date(2026, 11, 26)
DB_NAME = "学习台账.db"


def build(folder: Path) -> Path:
    path = folder / DB_NAME
    context = Context.open(path, clock=FixedClock.on(TODAY))
    build_demo(context.db, year=2025, today=TODAY)
    context.close()
    return path


def copy_of(built: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / DB_NAME
    shutil.copyfile(built, target)
    return target


def open_copy(built: Path, folder: Path) -> Context:
    return Context.open(copy_of(built, folder), clock=FixedClock.on(TODAY))


def first_session_with_leave_and_absence(context: Context):
    """The demo's first session shows every kind of leave; the first with both 请假 and 缺席
    and with speeches is the one every document is checked on."""
    for session in context.planning.sessions(2025):
        statuses = {m.status for _, m in context.attendance.attendance(session.id) if m}
        if {AttendanceStatus.LEAVE, AttendanceStatus.ABSENT} <= statuses and (
            context.records.speeches(session.id)
        ):
            return session
    raise AssertionError("the demo has no session with leave, an absence and speeches")


def title_text(paragraph) -> str:
    """A paragraph's text; a title (公文标题), printed on lines broken where it reads
    naturally, is read as the one title it is."""
    if paragraph.style is not None and paragraph.style.name == "公文标题":
        return paragraph.text.replace("\n", "")
    return paragraph.text


def all_text(path: Path) -> str:
    """Every paragraph of the document, table cells, header and footer included."""
    document = Document(str(path))
    lines = [title_text(p) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    for section in document.sections:
        lines.extend(p.text for p in section.header.paragraphs)
    return "\n".join(lines)

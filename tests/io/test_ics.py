"""The .ics export: what phone and desktop calendars need, and nothing they reject."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from studyplan.io.ics import build_calendar, export_ics, session_uid
from studyplan.model.errors import ExportFileError
from studyplan.model.plan import Session, SessionStatus, Topic

TOPICS = {
    (2026, 1): Topic(2026, 1, "深入学习领会习近平新时代中国特色社会主义思想的科学体系和核心要义"),
    (2026, 2): Topic(2026, 2, "深入学习领会习近平总书记关于科技创新的重要论述"),
}


def _sessions() -> list[Session]:
    return [
        Session(
            id=7,
            date=dt.date(2026, 3, 12),
            start=dt.time(9, 0),
            end=dt.time(11, 30),
            location="局机关三楼会议室",
            topic_numbers=(1, 2),
            host="王建国",
        ),
        Session(
            id=8,
            date=dt.date(2026, 4, 9),
            start=dt.time(15, 0),
            end=dt.time(17, 0),
            status=SessionStatus.CANCELLED,
        ),
    ]


def test_calendar_is_rfc5545_shaped() -> None:
    data = build_calendar(_sessions(), TOPICS, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    assert all(b"\n" not in line for line in data.split(b"\r\n"))
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    text = data.decode("utf-8")
    assert "BEGIN:VTIMEZONE" in text and "TZID:Asia/Shanghai" in text
    assert "DTSTART;TZID=Asia/Shanghai:20260312T090000" in text
    for unwanted in ("REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        assert unwanted not in text


def test_events_round_trip_with_chinese_text() -> None:
    cal = Calendar.from_ical(build_calendar(_sessions(), TOPICS))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    first = events[0]
    assert str(first["uid"]) == "session-7@studyplan"
    assert first.decoded("dtstart") == dt.datetime(
        2026, 3, 12, 9, 0, tzinfo=first.decoded("dtstart").tzinfo
    )
    assert first.decoded("dtstart").utcoffset() == dt.timedelta(hours=8)
    assert "专题1、专题2" in str(first["summary"])
    assert "科学体系和核心要义" in str(first["description"])
    assert str(first["location"]) == "局机关三楼会议室"
    assert str(events[1]["status"]) == "CANCELLED"


def test_uids_are_stable_across_exports() -> None:
    first = Calendar.from_ical(build_calendar(_sessions(), TOPICS))
    second = Calendar.from_ical(build_calendar(list(reversed(_sessions())), TOPICS))
    assert {str(e["uid"]) for e in first.walk("VEVENT")} == {
        str(e["uid"]) for e in second.walk("VEVENT")
    }


def test_export_writes_file_atomically(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    out.write_text("old")
    export_ics(_sessions(), TOPICS, out)
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


def test_export_into_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportFileError, match="保存位置不存在"):
        export_ics(_sessions(), TOPICS, tmp_path / "missing" / "plan.ics")


def test_exported_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    import os

    out = tmp_path / "plan.ics"
    export_ics(_sessions(), TOPICS, out)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


# -- reminders and ids of one database -----------------------------------------------------


def _events(data: bytes):
    from icalendar import Calendar

    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_each_session_reminds_the_days_set_before_it_but_a_cancelled_one() -> None:
    held = Session(id=1, date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17))
    cancelled = Session(
        id=2,
        date=dt.date(2026, 4, 9),
        start=dt.time(15),
        end=dt.time(17),
        status=SessionStatus.CANCELLED,
    )
    events = _events(build_calendar([held, cancelled], {}, reminder_days=2))
    alarms = events[0].walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0]["action"] == "DISPLAY"
    assert alarms[0].decoded("trigger") == dt.timedelta(days=-2)
    assert events[1].walk("VALARM") == []
    assert all(e.walk("VALARM") == [] for e in _events(build_calendar([held], {})))


def test_uids_differ_between_databases_and_stay_within_one() -> None:
    session = Session(id=7, date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17))
    ours = session_uid(session, "a" * 32)
    assert ours == session_uid(session, "a" * 32)
    assert ours != session_uid(session, "b" * 32)


def test_the_exported_calendar_carries_the_databases_own_id_and_reminder(db, tmp_path) -> None:
    from studyplan.app.planning import PlanningService
    from studyplan.model.settings import DATABASE_ID
    from studyplan.store import settings

    planning = PlanningService(db)
    planning.save_session(Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17)))
    database_id = settings.text(db, DATABASE_ID)
    assert database_id and len(database_id) == 32
    first = tmp_path / "a.ics"
    planning.export_ics(first, 2026)
    planning.export_ics(tmp_path / "b.ics", 2026)
    (event,) = _events(first.read_bytes())
    (again,) = _events((tmp_path / "b.ics").read_bytes())
    assert str(event["uid"]).endswith(f"@{database_id}.studyplan")
    assert event["uid"] == again["uid"]
    assert event.walk("VALARM")[0].decoded("trigger") == dt.timedelta(days=-1)

"""Sessions as an iCalendar (.ics) file for phone and desktop calendars.

Kept minimal on purpose: VERSION, PRODID, one VEVENT per session with a UID that stays the
same across exports of one database and differs between databases, local times with
TZID=Asia/Shanghai and a VTIMEZONE, a reminder (VALARM) some days before, UTF-8 without
BOM. Phone calendars reject whole files over optional extensions, so none are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from studyplan.io.files import atomic_write
from studyplan.model.plan import Session, SessionStatus, Topic

TIMEZONE = "Asia/Shanghai"
UID_DOMAIN = "studyplan"


def session_uid(session: Session, database_id: str = "") -> str:
    """The same session keeps its UID across exports, so a calendar updates, not duplicates;
    the database's id keeps two units' sessions of the same number apart."""
    own = f"{database_id}.{UID_DOMAIN}" if database_id else UID_DOMAIN
    return f"session-{session.id}@{own}"


def _summary(session: Session, topics: Mapping[int, Topic]) -> str:
    labels = "、".join(f"专题{n}" for n in session.topic_numbers)
    head = f"理论学习中心组{session.form}"
    return f"{head}（{labels}）" if labels else head


def _description(session: Session, topics: Mapping[int, Topic]) -> str:
    lines = [
        f"专题{n}：{topics[n].title}" if n in topics else f"专题{n}" for n in session.topic_numbers
    ]
    if session.host:
        lines.append(f"主持人：{session.host}")
    if session.lecturer:
        lines.append(f"领学/辅导人：{session.lecturer}")
    if session.notes:
        lines.append(f"备注：{session.notes}")
    return "\n".join(lines)


def build_calendar(
    sessions: Sequence[Session],
    topics: Mapping[tuple[int, int], Topic],
    *,
    name: str = "理论学习中心组学习安排",
    now: dt.datetime | None = None,
    database_id: str = "",
    reminder_days: int = 0,
) -> bytes:
    """The .ics bytes. `topics` maps (year, number) -> Topic; `reminder_days` before each
    session (not a cancelled one) the calendar reminds of it, none when 0."""
    from icalendar import Alarm, Calendar, Event

    zone = ZoneInfo(TIMEZONE)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//studyplan//理论学习中心组//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for session in sessions:
        year_topics = {n: t for (y, n), t in topics.items() if y == session.year}
        event = Event()
        event.add("uid", session_uid(session, database_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.combine(session.date, session.start, zone))
        event.add("dtend", dt.datetime.combine(session.date, session.end, zone))
        event.add("summary", _summary(session, year_topics))
        if session.location:
            event.add("location", session.location)
        description = _description(session, year_topics)
        if description:
            event.add("description", description)
        cancelled = session.status is SessionStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if reminder_days and not cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _summary(session, year_topics))
            alarm.add("trigger", dt.timedelta(days=-reminder_days))
            event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def export_ics(
    sessions: Sequence[Session],
    topics: Mapping[tuple[int, int], Topic],
    path: str | Path,
    *,
    name: str = "理论学习中心组学习安排",
    database_id: str = "",
    reminder_days: int = 0,
) -> Path:
    """Write the sessions to `path` atomically; returns the path written."""
    data = build_calendar(
        sessions, topics, name=name, database_id=database_id, reminder_days=reminder_days
    )
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))

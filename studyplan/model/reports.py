"""Rows the reports read from the record: per-member tallies, topic sessions, marks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class MemberTally:
    """One member's numbers over the held sessions of a range."""

    member_id: int
    expected: int
    present: int
    late: int
    left_early: int
    leave: int
    absent: int


@dataclass(frozen=True)
class TopicSession:
    """A session linked to a topic: (topic year, topic number, session date, status code)."""

    year: int
    number: int
    date: dt.date
    status: str


@dataclass(frozen=True)
class MarkRow:
    """An attendance mark with the session's date (for lists of problems)."""

    session_id: int
    date: dt.date
    member_id: int
    status: str


@dataclass(frozen=True)
class OverdueRow:
    makeup_id: int
    session_id: int
    date: dt.date
    member_id: int
    due: dt.date


@dataclass(frozen=True)
class Speech:
    speaker: str
    title: str

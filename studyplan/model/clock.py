"""The clock every rule about "now" asks: overdue make-ups, late leave, what is past.

Use cases take it from their context instead of reading the machine's time, so a test (or a
demo built for another day) runs the same on any date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...

    def today(self) -> dt.date: ...


class SystemClock:
    """The machine's local time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now()

    def today(self) -> dt.date:
        return dt.date.today()


@dataclass(frozen=True)
class FixedClock:
    """A clock that stands still at `moment`."""

    moment: dt.datetime

    @classmethod
    def on(cls, day: dt.date, at: dt.time = dt.time(9, 0)) -> FixedClock:
        return cls(dt.datetime.combine(day, at))

    def now(self) -> dt.datetime:
        return self.moment

    def today(self) -> dt.date:
        return self.moment.date()


SYSTEM_CLOCK: Clock = SystemClock()

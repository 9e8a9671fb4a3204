"""Local working-day overrides entered from the State Council's notice, and the
snapshot of python-holidays' answers that spares a start-up from loading it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from studyplan.model.errors import DatabaseError
from studyplan.model.plan import CalendarOverride
from studyplan.model.settings import HOLIDAY_SNAPSHOT
from studyplan.model.workdays import HolidaySnapshot, HolidayYear
from studyplan.store import settings
from studyplan.store.db import Database


def overrides(db: Database) -> list[CalendarOverride]:
    return [
        CalendarOverride(dt.date.fromisoformat(day), bool(work), name)
        for day, work, name in db.execute(
            "SELECT date, is_workday, name FROM calendar_overrides ORDER BY date"
        )
    ]


def set_override(db: Database, override: CalendarOverride) -> None:
    db.execute(
        "INSERT INTO calendar_overrides (date, is_workday, name) VALUES (?, ?, ?) "
        "ON CONFLICT(date) DO UPDATE SET is_workday=excluded.is_workday, name=excluded.name",
        [override.date.isoformat(), int(override.is_workday), override.name],
    )


def remove_override(db: Database, day: dt.date) -> None:
    db.execute("DELETE FROM calendar_overrides WHERE date = ?", [day.isoformat()])


def holiday_snapshot(db: Database, key: str | None) -> HolidaySnapshot | None:
    """The snapshot written for the python-holidays named by `key`; None if there is none,
    it was written for another release, or it cannot be read."""
    text = settings.text(db, HOLIDAY_SNAPSHOT)
    if key is None or not text:
        return None
    try:
        data = json.loads(text)
        if data["library"] != key:
            return None
        years = {}
        for year_text, entry in data["years"].items():
            year = int(year_text)
            years[year] = HolidayYear(
                year=year,
                names={dt.date.fromisoformat(d): str(n) for d, n in entry["names"].items()},
                weekend_workdays=frozenset(
                    dt.date.fromisoformat(d) for d in entry["weekend_workdays"]
                ),
            )
        return HolidaySnapshot(key, int(data["last_official_year"]), years)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def save_holiday_snapshot(db: Database, snapshot: HolidaySnapshot) -> bool:
    """Keep `snapshot` for the next start; False (and nothing changed) if it cannot be written,
    e.g. on a read-only file, which only means python-holidays is loaded again next time."""
    data = {
        "library": snapshot.key,
        "last_official_year": snapshot.last_official_year,
        "years": {
            str(year): {
                "names": {d.isoformat(): n for d, n in sorted(entry.names.items())},
                "weekend_workdays": sorted(d.isoformat() for d in entry.weekend_workdays),
            }
            for year, entry in sorted(snapshot.years.items())
        },
    }
    try:
        settings.set_text(db, HOLIDAY_SNAPSHOT, json.dumps(data, ensure_ascii=False))
    except (sqlite3.DatabaseError, DatabaseError):  # a read-only file: next time, then
        return False
    return True

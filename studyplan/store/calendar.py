"""Local working-day overrides entered from the State Council's notice, and settings."""

from __future__ import annotations

import datetime as dt

from studyplan.domain.models import CalendarOverride
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


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        [key, value],
    )

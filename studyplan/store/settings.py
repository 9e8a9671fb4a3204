"""The `settings` table: every setting is read and written here.

Keys, defaults and ranges: model/settings.py.
"""

from __future__ import annotations

import sqlite3

from studyplan.model.errors import DatabaseError
from studyplan.model.settings import Count
from studyplan.store.db import Database


def text(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def value_in_query(key_parameter: str) -> str:
    """A setting's stored value (or NULL) as a column of another query, for a use case that
    reads it with the rows it applies to; `Count.parse` reads it as `count` does."""
    return f"(SELECT value FROM settings WHERE key = {key_parameter})"


def set_text(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def count(db: Database, setting: Count) -> int:
    """The setting's value, or its default where the database cannot say (no such table in
    a file being restored, a value edited by hand)."""
    try:
        return setting.parse(text(db, setting.key))
    except (sqlite3.DatabaseError, DatabaseError):
        return setting.default


def set_count(db: Database, setting: Count, value: int) -> bool:
    """Store a checked value; False (nothing written, nothing noted in 操作记录) when it is
    the value already in force."""
    setting.check(value)
    if value == count(db, setting):
        return False
    set_text(db, setting.key, str(value))
    return True

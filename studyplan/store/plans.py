"""Plans and their topics, one plan per year."""

from __future__ import annotations

import datetime as dt
import json

from studyplan.model.plan import Plan, Topic
from studyplan.store.db import Database


def _topic(row: dict) -> Topic:
    return Topic(
        id=row["id"],
        year=row["year"],
        number=row["number"],
        title=row["title"],
        description=row["description"],
        readings=tuple(json.loads(row["readings"])),
    )


def save_plan(db: Database, plan: Plan) -> None:
    """Write `plan` as its year's plan, keeping the ids (and session links) of topics whose
    number stays, so re-importing a corrected plan does not detach scheduled sessions.

    The caller owns the transaction.
    """
    now = dt.datetime.now().isoformat(timespec="seconds")
    db.execute(
        "INSERT INTO plans (year, title, source, imported_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(year) DO UPDATE SET title=excluded.title, source=excluded.source, "
        "imported_at=excluded.imported_at",
        [plan.year, plan.title, plan.source, now],
    )
    numbers = [t.number for t in plan.topics]
    placeholders = ",".join("?" * len(numbers))
    db.execute(
        f"DELETE FROM topics WHERE year = ? AND number NOT IN ({placeholders})",
        [plan.year, *numbers],
    )
    for topic in plan.topics:
        db.execute(
            "INSERT INTO topics (year, number, title, description, readings) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(year, number) DO UPDATE SET "
            "title=excluded.title, description=excluded.description, "
            "readings=excluded.readings",
            [
                plan.year,
                topic.number,
                topic.title,
                topic.description,
                json.dumps(list(topic.readings), ensure_ascii=False),
            ],
        )


def has_plan(db: Database, year: int) -> bool:
    return db.execute("SELECT 1 FROM plans WHERE year = ?", [year]).fetchone() is not None


def plan_years(db: Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT year FROM plans ORDER BY year")]


def plan_title(db: Database, year: int) -> str | None:
    row = db.execute("SELECT title FROM plans WHERE year = ?", [year]).fetchone()
    return row[0] if row else None


def topics(db: Database, year: int) -> list[Topic]:
    """The year's topics in plan order."""
    return [
        _topic(row)
        for row in db.query("SELECT * FROM topics WHERE year = ? ORDER BY number", [year])
    ]


def topic_ids(db: Database, year: int) -> dict[int, int]:
    """Topic number -> row id for the year, for linking sessions to topics."""
    return {
        number: topic_id
        for topic_id, number in db.execute("SELECT id, number FROM topics WHERE year = ?", [year])
    }


def sessions_losing_topics(db: Database, year: int, kept: set[int]) -> dict[int, list[int]]:
    """Session id -> the topic numbers it covers that are not in `kept`: what replacing the
    year's plan by one with only `kept` topics would take from each session."""
    lost: dict[int, list[int]] = {}
    for session_id, number in db.execute(
        "SELECT st.session_id, t.number FROM topics t "
        "JOIN session_topics st ON st.topic_id = t.id "
        "JOIN sessions s ON s.id = st.session_id "
        "WHERE t.year = ? ORDER BY s.date, s.start, s.id, t.number",
        [year],
    ):
        if number not in kept:
            lost.setdefault(session_id, []).append(number)
    return lost

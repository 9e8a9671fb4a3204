"""Plans and their topics, one plan per year."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

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
        form=row.get("form") or "",
        month=row.get("planned_month"),
        quarter=row.get("planned_quarter"),
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
        # A plan file says nothing of a topic's form or planned month: those typed in the
        # app stay (and their columns are left to their defaults for a new topic).
        db.execute(
            "INSERT INTO topics (year, number, title, description, readings) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(year, number) DO UPDATE SET "
            "title=excluded.title, description=excluded.description, "
            "readings=excluded.readings",
            [plan.year, topic.number, *_contents(topic)[:3]],
        )


def _contents(topic: Topic) -> list[object]:
    """The columns a topic's text fills, in the order `_CONTENT_COLUMNS` names them."""
    return [
        topic.title,
        topic.description,
        json.dumps(list(topic.readings), ensure_ascii=False),
        topic.form,
        topic.month,
        topic.quarter,
    ]


_CONTENT_COLUMNS = (
    "title",
    "description",
    "readings",
    "form",
    "planned_month",
    "planned_quarter",
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


def plan_source(db: Database, year: int) -> str | None:
    row = db.execute("SELECT source FROM plans WHERE year = ?", [year]).fetchone()
    return row[0] if row else None


def create_plan(db: Database, year: int, title: str, source: str = "") -> None:
    """An empty plan for `year` (its topics are added one by one); the caller owns the
    transaction and checked that the year has none."""
    now = dt.datetime.now().isoformat(timespec="seconds")
    db.execute(
        "INSERT INTO plans (year, title, source, imported_at) VALUES (?, ?, ?, ?)",
        [year, title, source, now],
    )


def set_plan_title(db: Database, year: int, title: str) -> None:
    db.execute("UPDATE plans SET title = ? WHERE year = ?", [title, year])


def delete_plan(db: Database, year: int) -> None:
    """Remove `year`'s plan and its topics (their session links go with them)."""
    db.execute("DELETE FROM plans WHERE year = ?", [year])


def topic(db: Database, topic_id: int) -> Topic | None:
    found = list(db.query("SELECT * FROM topics WHERE id = ?", [topic_id]))
    return _topic(found[0]) if found else None


def update_topic(db: Database, topic: Topic) -> None:
    """Write a topic's text, form and planned month or quarter (not its place)."""
    sets = ", ".join(f"{column} = ?" for column in _CONTENT_COLUMNS)
    db.execute(f"UPDATE topics SET {sets} WHERE id = ?", [*_contents(topic), topic.id])


def topic_sessions(db: Database, topic_id: int) -> list[int]:
    """The ids of the sessions that cover the topic, in date order."""
    return [
        row[0]
        for row in db.execute(
            "SELECT s.id FROM session_topics st JOIN sessions s ON s.id = st.session_id "
            "WHERE st.topic_id = ? ORDER BY s.date, s.start, s.id",
            [topic_id],
        )
    ]


def arrange(db: Database, year: int, ordered: list[Topic]) -> None:
    """Make `ordered` the year's topics, numbered 1, 2, … in that order: a topic with an id
    is one of the year's (its sessions follow it), one without is new; a topic of the year
    left out is removed, with its session links. The caller owns the transaction.

    A number stays with its row and the contents move between rows: the numbers are unique
    within the year, and 撤销 writes rows back one by one, which a cycle of renumbered rows
    could not pass. Only the links whose pair really changes are rewritten, for the same
    reason.
    """
    current = topics(db, year)
    row_at = {t.number: t.id for t in current}
    new_row: dict[int, int] = {}  # the id a topic's contents had -> the row holding them now
    for number, wanted in enumerate(ordered, start=1):
        target = row_at.get(number)
        if target is None:
            cursor = db.execute(
                "INSERT INTO topics (year, number, title, description, readings, form, "
                "planned_month, planned_quarter) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [year, number, *_contents(wanted)],
            )
            target = int(cursor.lastrowid or 0)
        else:
            now = next(t for t in current if t.id == target)
            if _contents(now) != _contents(wanted):
                update_topic(db, replace(wanted, id=target))
        if wanted.id is not None:
            new_row[wanted.id] = target
    ids = [t.id for t in current if t.id is not None]
    marks = ",".join("?" * len(ids))
    old_links = (
        {
            (session_id, topic_id)
            for session_id, topic_id in db.execute(
                f"SELECT session_id, topic_id FROM session_topics WHERE topic_id IN ({marks})",
                ids,
            )
        }
        if ids
        else set()
    )
    new_links = {(s, new_row[t]) for s, t in old_links if t in new_row}
    for session_id, topic_id in sorted(old_links - new_links):
        db.execute(
            "DELETE FROM session_topics WHERE session_id = ? AND topic_id = ?",
            [session_id, topic_id],
        )
    for session_id, topic_id in sorted(new_links - old_links):
        db.execute(
            "INSERT INTO session_topics (session_id, topic_id) VALUES (?, ?)",
            [session_id, topic_id],
        )
    db.execute("DELETE FROM topics WHERE year = ? AND number > ?", [year, len(ordered)])

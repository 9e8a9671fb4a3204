"""The members table: the roster, one row per person and period in the group."""

from __future__ import annotations

import datetime as dt

from studyplan.model import roster
from studyplan.model.errors import NotFoundError
from studyplan.store.db import Database


def in_group_during(first: str, last: str) -> str:
    """SQL condition "member m's period in the group touches the days from `first` to
    `last`" (both SQL expressions: a parameter such as ":day" or a column such as "s.date";
    ISO text dates compare correctly as strings). Every query of membership is built here,
    so every count agrees with `Member.expected_on`."""
    return (
        f"(m.active_from IS NULL OR m.active_from <= {last}) "
        f"AND (m.active_to IS NULL OR m.active_to >= {first})"
    )


def in_group_on(day: str) -> str:
    """SQL condition "member m belonged to the group on `day`" (`Member.expected_on`)."""
    return in_group_during(day, day)


#: The member (m) was in the group on the session's (s) day.
IN_GROUP_THAT_DAY = in_group_on("s.date")


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def member_from_row(row: dict) -> roster.Member:
    return roster.Member(
        id=row["id"],
        name=row["name"],
        position=row["position"],
        role=row["role"],
        department=row["department"],
        rank=row["rank"],
        active_from=_date(row["active_from"]),
        active_to=_date(row["active_to"]),
    )


def _row(member: roster.Member) -> dict:
    return {
        "name": member.name,
        "position": member.position,
        "role": member.role,
        "department": member.department,
        "rank": member.rank,
        "active_from": _iso(member.active_from),
        "active_to": _iso(member.active_to),
    }


def get(db: Database, member_id: int) -> roster.Member:
    rows = list(db.query("SELECT * FROM members WHERE id = ?", [member_id]))
    if not rows:
        raise NotFoundError(f"找不到编号为 {member_id} 的成员。")
    return member_from_row(rows[0])


def all_members(db: Database, active_on: dt.date | None = None) -> list[roster.Member]:
    """Members in roster order (rank, then id); only those in the group on `active_on` if set."""
    if active_on is None:
        rows = db.query("SELECT * FROM members m ORDER BY m.rank, m.id")
    else:
        rows = db.query(
            "SELECT * FROM members m WHERE " + in_group_on(":day") + " ORDER BY m.rank, m.id",
            {"day": active_on.isoformat()},
        )
    return [member_from_row(row) for row in rows]


def by_ids(db: Database, member_ids: list[int]) -> dict[int, roster.Member]:
    if not member_ids:
        return {}
    placeholders = ",".join("?" * len(member_ids))
    return {
        row["id"]: member_from_row(row)
        for row in db.query(f"SELECT * FROM members WHERE id IN ({placeholders})", member_ids)
    }


def by_name(db: Database, name: str) -> list[roster.Member]:
    return [
        member_from_row(row)
        for row in db.query("SELECT * FROM members WHERE name = ? ORDER BY rank, id", [name])
    ]


#: The member :id (first) and every other member of the same name.
WITH_NAMESAKES = (
    "SELECT * FROM members WHERE name = (SELECT name FROM members WHERE id = :id) "
    "ORDER BY id = :id DESC, rank, id"
)


def with_namesakes(db: Database, member_id: int) -> list[roster.Member]:
    """The member (first) and every other member of the same name, in one query."""
    rows = list(db.query(WITH_NAMESAKES, {"id": member_id}))
    if not rows:
        raise NotFoundError(f"找不到编号为 {member_id} 的成员。")
    return [member_from_row(row) for row in rows]


def is_expected(db: Database, member_id: int, day: dt.date) -> bool:
    """Whether the member belonged to the group on `day`."""
    return (
        db.execute(
            "SELECT 1 FROM members m WHERE m.id = :id AND " + in_group_on(":day"),
            {"id": member_id, "day": day.isoformat()},
        ).fetchone()
        is not None
    )


def max_rank(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(rank), 0) FROM members").fetchone()[0])


def count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM members").fetchone()[0])


def insert(db: Database, member: roster.Member) -> int:
    cursor = db.execute(
        "INSERT INTO members (name, position, role, department, rank, active_from, active_to) "
        "VALUES (:name, :position, :role, :department, :rank, :active_from, :active_to)",
        _row(member),
    )
    assert cursor.lastrowid is not None  # an INSERT sets it
    return int(cursor.lastrowid)


def update(db: Database, member: roster.Member) -> None:
    cursor = db.execute(
        "UPDATE members SET name=:name, position=:position, role=:role, "
        "department=:department, rank=:rank, active_from=:active_from, active_to=:active_to "
        "WHERE id=:id",
        {**_row(member), "id": member.id},
    )
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {member.id} 的成员。")


def set_active_to(db: Database, member_id: int, day: dt.date | None) -> None:
    cursor = db.execute("UPDATE members SET active_to = ? WHERE id = ?", [_iso(day), member_id])
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {member_id} 的成员。")


def set_rank(db: Database, member_id: int, rank: int) -> None:
    cursor = db.execute("UPDATE members SET rank = ? WHERE id = ?", [rank, member_id])
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {member_id} 的成员。")


def days_recorded_after(db: Database, member_id: int, day: dt.date) -> list[dt.date]:
    """Dates of sessions after `day` with an attendance mark, leave request or make-up task
    of the member, by date."""
    sql = (
        "SELECT DISTINCT s.date FROM sessions s WHERE s.date > :day AND ("
        "EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.member_id = :m) "
        "OR EXISTS (SELECT 1 FROM leave_requests r WHERE r.session_id = s.id "
        "AND r.member_id = :m) "
        "OR EXISTS (SELECT 1 FROM makeups k WHERE k.session_id = s.id AND k.member_id = :m)"
        ") ORDER BY s.date"
    )
    return [
        dt.date.fromisoformat(row[0])
        for row in db.execute(sql, {"day": day.isoformat(), "m": member_id})
    ]

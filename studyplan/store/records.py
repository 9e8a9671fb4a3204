"""Study records of a session: minutes and materials, speeches, reflections, attachments.

The caller owns the transaction for every write.
"""

from __future__ import annotations

import datetime as dt
import json

from studyplan.model import records as model
from studyplan.model.errors import NotFoundError
from studyplan.store.db import Database


def _now_text(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")


# -- minutes and materials ----------------------------------------------------------------
def get_record(db: Database, session_id: int) -> tuple[str, list[str], dt.datetime | None] | None:
    """(minutes, materials, updated_at) of a session, or None if nothing was saved yet."""
    row = db.execute(
        "SELECT minutes, materials, updated_at FROM study_records WHERE session_id = ?",
        [session_id],
    ).fetchone()
    if row is None:
        return None
    minutes, materials, updated_at = row
    listed = json.loads(materials or "[]")
    return (
        minutes,
        [str(item) for item in listed] if isinstance(listed, list) else [],
        dt.datetime.fromisoformat(updated_at) if updated_at else None,
    )


def create_record(db: Database, session_id: int, materials: list[str], now: dt.datetime) -> None:
    """Start a session's record with `materials` unless it has one already."""
    db.execute(
        "INSERT INTO study_records (session_id, minutes, materials, updated_at) "
        "VALUES (?, '', ?, ?) ON CONFLICT(session_id) DO NOTHING",
        [session_id, json.dumps(materials, ensure_ascii=False), _now_text(now)],
    )


def set_minutes(db: Database, session_id: int, minutes: str, now: dt.datetime) -> None:
    db.execute(
        "UPDATE study_records SET minutes = ?, updated_at = ? WHERE session_id = ?",
        [minutes, _now_text(now), session_id],
    )


def set_materials(db: Database, session_id: int, materials: list[str], now: dt.datetime) -> None:
    db.execute(
        "UPDATE study_records SET materials = ?, updated_at = ? WHERE session_id = ?",
        [json.dumps(materials, ensure_ascii=False), _now_text(now), session_id],
    )


# -- speeches -----------------------------------------------------------------------------
def _speech(row: dict) -> model.Speech:
    return model.Speech(
        speaker=row["speaker"], title=row["title"], member_id=row["member_id"], id=row["id"]
    )


def speeches(db: Database, session_id: int) -> list[model.Speech]:
    """A session's speeches in speaking order."""
    return [
        _speech(row)
        for row in db.query(
            "SELECT * FROM speeches WHERE session_id = ? ORDER BY position, id", [session_id]
        )
    ]


def speeches_by_session(
    db: Database, first: dt.date, last: dt.date
) -> dict[int, list[model.Speech]]:
    """Session id -> its speeches in speaking order (as `speeches`), for every session dated
    first..last, read at once."""
    sql = (
        "SELECT p.* FROM speeches p JOIN sessions s ON s.id = p.session_id "
        "WHERE s.date BETWEEN ? AND ? ORDER BY p.session_id, p.position, p.id"
    )
    result: dict[int, list[model.Speech]] = {}
    for row in db.query(sql, [first.isoformat(), last.isoformat()]):
        result.setdefault(row["session_id"], []).append(_speech(row))
    return result


def get_speech(db: Database, speech_id: int) -> tuple[int, model.Speech]:
    """(session id, speech)."""
    rows = list(db.query("SELECT * FROM speeches WHERE id = ?", [speech_id]))
    if not rows:
        raise NotFoundError(f"找不到编号为 {speech_id} 的研讨发言。")
    return rows[0]["session_id"], _speech(rows[0])


def insert_speech(db: Database, session_id: int, speech: model.Speech) -> int:
    """Add a speech after the session's last one."""
    cursor = db.execute(
        "INSERT INTO speeches (session_id, member_id, speaker, title, position) "
        "VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM speeches "
        "WHERE session_id = ?))",
        [session_id, speech.member_id, speech.speaker, speech.title, session_id],
    )
    assert cursor.lastrowid is not None  # an INSERT sets it
    return int(cursor.lastrowid)


def update_speech(db: Database, speech: model.Speech) -> None:
    cursor = db.execute(
        "UPDATE speeches SET member_id = ?, speaker = ?, title = ? WHERE id = ?",
        [speech.member_id, speech.speaker, speech.title, speech.id],
    )
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {speech.id} 的研讨发言。")


def delete_speech(db: Database, speech_id: int) -> None:
    cursor = db.execute("DELETE FROM speeches WHERE id = ?", [speech_id])
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {speech_id} 的研讨发言。")


def set_speech_order(db: Database, speech_ids: list[int]) -> None:
    """Number the speeches 1, 2, … in the order given."""
    for position, speech_id in enumerate(speech_ids, start=1):
        db.execute("UPDATE speeches SET position = ? WHERE id = ?", [position, speech_id])


# -- reflections --------------------------------------------------------------------------
def _reflection(row: dict) -> model.Reflection:
    return model.Reflection(
        member_id=row["member_id"],
        submitted_on=dt.date.fromisoformat(row["submitted_on"]),
        title=row["title"],
        note=row["note"],
        id=row["id"],
    )


def reflections(db: Database, session_id: int) -> list[model.Reflection]:
    """A session's reflections in roster order."""
    return [
        _reflection(row)
        for row in db.query(
            "SELECT r.* FROM reflections r JOIN members m ON m.id = r.member_id "
            "WHERE r.session_id = ? ORDER BY m.rank, m.id",
            [session_id],
        )
    ]


def reflections_by_session(
    db: Database, first: dt.date, last: dt.date
) -> dict[int, list[model.Reflection]]:
    """Session id -> its reflections in roster order (as `reflections`), for every session
    dated first..last, read at once."""
    sql = (
        "SELECT r.* FROM reflections r JOIN sessions s ON s.id = r.session_id "
        "JOIN members m ON m.id = r.member_id "
        "WHERE s.date BETWEEN ? AND ? ORDER BY r.session_id, m.rank, m.id"
    )
    result: dict[int, list[model.Reflection]] = {}
    for row in db.query(sql, [first.isoformat(), last.isoformat()]):
        result.setdefault(row["session_id"], []).append(_reflection(row))
    return result


def get_reflection(db: Database, reflection_id: int) -> tuple[int, model.Reflection]:
    """(session id, reflection)."""
    rows = list(db.query("SELECT * FROM reflections WHERE id = ?", [reflection_id]))
    if not rows:
        raise NotFoundError(f"找不到编号为 {reflection_id} 的心得体会记录。")
    return rows[0]["session_id"], _reflection(rows[0])


def upsert_reflection(db: Database, session_id: int, reflection: model.Reflection) -> int:
    """Record a member's reflection for a session, replacing an earlier entry; returns its id."""
    db.execute(
        "INSERT INTO reflections (session_id, member_id, submitted_on, title, note) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(session_id, member_id) DO UPDATE SET "
        "submitted_on = excluded.submitted_on, title = excluded.title, note = excluded.note",
        [
            session_id,
            reflection.member_id,
            reflection.submitted_on.isoformat(),
            reflection.title,
            reflection.note,
        ],
    )
    row = db.execute(
        "SELECT id FROM reflections WHERE session_id = ? AND member_id = ?",
        [session_id, reflection.member_id],
    ).fetchone()
    return int(row[0])


def delete_reflection(db: Database, reflection_id: int) -> None:
    cursor = db.execute("DELETE FROM reflections WHERE id = ?", [reflection_id])
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {reflection_id} 的心得体会记录。")


# -- attachments --------------------------------------------------------------------------
def _attachment(row: dict) -> model.Attachment:
    return model.Attachment(
        id=row["id"],
        session_id=row["session_id"],
        file_name=row["file_name"],
        stored_name=row["stored_name"],
        sha256=row["sha256"],
        size=row["size"],
        added_at=dt.datetime.fromisoformat(row["added_at"]),
    )


def attachments(db: Database, session_id: int) -> list[model.Attachment]:
    """A session's attachments in the order they were added."""
    return [
        _attachment(row)
        for row in db.query(
            "SELECT * FROM attachments WHERE session_id = ? ORDER BY added_at, id", [session_id]
        )
    ]


def get_attachment(db: Database, attachment_id: int) -> model.Attachment:
    rows = list(db.query("SELECT * FROM attachments WHERE id = ?", [attachment_id]))
    if not rows:
        raise NotFoundError(f"找不到编号为 {attachment_id} 的附件。")
    return _attachment(rows[0])


def stored_name_taken(db: Database, stored_name: str) -> bool:
    return (
        db.execute("SELECT 1 FROM attachments WHERE stored_name = ?", [stored_name]).fetchone()
        is not None
    )


def insert_attachment(
    db: Database,
    session_id: int,
    file_name: str,
    stored_name: str,
    sha256: str,
    size: int,
    added_at: dt.datetime,
) -> int:
    cursor = db.execute(
        "INSERT INTO attachments (session_id, file_name, stored_name, sha256, size, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [session_id, file_name, stored_name, sha256, size, _now_text(added_at)],
    )
    assert cursor.lastrowid is not None  # an INSERT sets it
    return int(cursor.lastrowid)


def delete_attachment(db: Database, attachment_id: int) -> None:
    cursor = db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {attachment_id} 的附件。")

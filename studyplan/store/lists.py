"""三张清单 and the members' years: topic and session arrangements, planned speakers,
results (成果), papers, self-study plans and note checks. The caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import json

from studyplan.model.duties import (
    Arrangement,
    DutyCounts,
    NoteCheck,
    Paper,
    PlannedSpeaker,
    Progress,
    SelfStudyPlan,
    StudyResult,
)
from studyplan.model.errors import NotFoundError
from studyplan.store.db import Database


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _span(first: dt.date, last: dt.date) -> list[str]:
    return [first.isoformat(), last.isoformat()]


def available(db: Database) -> bool:
    """Whether the file has these tables (a database still at an older schema has not)."""
    row = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'study_results'"
    ).fetchone()
    return row is not None


# -- arrangements --------------------------------------------------------------------------
def topic_arrangements(db: Database, year: int) -> dict[int, Arrangement]:
    """Topic id -> its arrangement, for the year's topics that have one."""
    return {
        row["topic_id"]: Arrangement(
            row["host"], row["lecturer"], row["department"], row["form"], row["month"]
        )
        for row in db.query(
            "SELECT a.* FROM topic_arrangements a JOIN topics t ON t.id = a.topic_id "
            "WHERE t.year = ?",
            [year],
        )
    }


def set_topic_arrangement(db: Database, topic_id: int, arrangement: Arrangement) -> None:
    db.execute(
        "INSERT INTO topic_arrangements (topic_id, host, lecturer, department, form, month) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(topic_id) DO UPDATE SET host = excluded.host, "
        "lecturer = excluded.lecturer, department = excluded.department, "
        "form = excluded.form, month = excluded.month",
        [
            topic_id,
            arrangement.host,
            arrangement.lecturer,
            arrangement.department,
            arrangement.form,
            arrangement.month,
        ],
    )


def session_departments(db: Database, first: dt.date, last: dt.date) -> dict[int, str]:
    """Session id -> its 责任处室, for sessions dated first..last that have one."""
    return dict(
        db.execute(
            "SELECT a.session_id, a.department FROM session_arrangements a "
            "JOIN sessions s ON s.id = a.session_id WHERE s.date BETWEEN ? AND ?",
            _span(first, last),
        ).fetchall()
    )


def set_session_department(db: Database, session_id: int, department: str) -> None:
    db.execute(
        "INSERT INTO session_arrangements (session_id, department) VALUES (?, ?) "
        "ON CONFLICT(session_id) DO UPDATE SET department = excluded.department",
        [session_id, department],
    )


# -- planned speakers ----------------------------------------------------------------------
def _speaker(row: dict) -> PlannedSpeaker:
    return PlannedSpeaker(
        member_id=row["member_id"],
        subject=row["subject"],
        topic_id=row["topic_id"],
        session_id=row["session_id"],
        id=row["id"],
    )


def planned_speakers(db: Database, year: int) -> list[PlannedSpeaker]:
    """The speakers planned for the year's topics and for its sessions, in the order added."""
    return [
        _speaker(row)
        for row in db.query(
            "SELECT p.* FROM planned_speakers p "
            "LEFT JOIN topics t ON t.id = p.topic_id "
            "LEFT JOIN sessions s ON s.id = p.session_id "
            "WHERE t.year = :year OR s.date BETWEEN :first AND :last ORDER BY p.id",
            {"year": year, "first": f"{year:04d}-01-01", "last": f"{year:04d}-12-31"},
        )
    ]


def get_speaker(db: Database, speaker_id: int) -> PlannedSpeaker:
    for row in db.query("SELECT * FROM planned_speakers WHERE id = ?", [speaker_id]):
        return _speaker(row)
    raise NotFoundError("该重点发言安排不存在（可能已被删除）。")


def speaker_planned(db: Database, speaker: PlannedSpeaker) -> bool:
    row = db.execute(
        "SELECT 1 FROM planned_speakers WHERE member_id = ? AND topic_id IS ? AND session_id IS ?",
        [speaker.member_id, speaker.topic_id, speaker.session_id],
    ).fetchone()
    return row is not None


def insert_speaker(db: Database, speaker: PlannedSpeaker) -> int:
    cursor = db.execute(
        "INSERT INTO planned_speakers (topic_id, session_id, member_id, subject) "
        "VALUES (?, ?, ?, ?)",
        [speaker.topic_id, speaker.session_id, speaker.member_id, speaker.subject],
    )
    return int(cursor.lastrowid or 0)


def delete_speaker(db: Database, speaker_id: int) -> None:
    db.execute("DELETE FROM planned_speakers WHERE id = ?", [speaker_id])


def spoke_at(db: Database, first: dt.date, last: dt.date) -> dict[int, set[int]]:
    """Member id -> the sessions dated first..last where a speech of theirs is recorded."""
    result: dict[int, set[int]] = {}
    for member_id, session_id in db.execute(
        "SELECT p.member_id, p.session_id FROM speeches p JOIN sessions s ON s.id = p.session_id "
        "WHERE p.member_id IS NOT NULL AND s.date BETWEEN ? AND ?",
        _span(first, last),
    ):
        result.setdefault(member_id, set()).add(session_id)
    return result


# -- results -------------------------------------------------------------------------------
def _result(row: dict) -> StudyResult:
    return StudyResult(
        name=row["name"],
        kind=row["kind"],
        member_id=row["member_id"],
        due=_date(row["due"]),
        progress=Progress(row["progress"]),
        effect=row["effect"],
        attachments=tuple(json.loads(row["attachments"] or "[]")),
        topic_id=row["topic_id"],
        session_id=row["session_id"],
        id=row["id"],
    )


def results(db: Database, year: int) -> list[StudyResult]:
    """The year's results, by 完成时限 (those without one last), then as added."""
    return [
        _result(row)
        for row in db.query(
            "SELECT * FROM study_results WHERE year = ? ORDER BY due IS NULL, due, id",
            [year],
        )
    ]


def get_result(db: Database, result_id: int) -> StudyResult:
    for row in db.query("SELECT * FROM study_results WHERE id = ?", [result_id]):
        return _result(row)
    raise NotFoundError("该学习成果不存在（可能已被删除）。")


def _result_values(result: StudyResult) -> list[object]:
    return [
        result.topic_id,
        result.session_id,
        result.name,
        result.kind,
        result.member_id,
        _iso(result.due),
        result.progress.value,
        result.effect,
        json.dumps(list(result.attachments), ensure_ascii=False),
    ]


def insert_result(db: Database, year: int, result: StudyResult) -> int:
    cursor = db.execute(
        "INSERT INTO study_results (year, topic_id, session_id, name, kind, member_id, due, "
        "progress, effect, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [year, *_result_values(result)],
    )
    return int(cursor.lastrowid or 0)


def update_result(db: Database, result: StudyResult) -> None:
    db.execute(
        "UPDATE study_results SET topic_id = ?, session_id = ?, name = ?, kind = ?, "
        "member_id = ?, due = ?, progress = ?, effect = ?, attachments = ? WHERE id = ?",
        [*_result_values(result), result.id],
    )


def delete_result(db: Database, result_id: int) -> None:
    db.execute("DELETE FROM study_results WHERE id = ?", [result_id])


# -- a member's year -----------------------------------------------------------------------
def papers(db: Database, first: dt.date, last: dt.date) -> list[Paper]:
    """Papers written first..last, by date."""
    return [
        Paper(
            row["member_id"],
            row["kind"],
            row["title"],
            dt.date.fromisoformat(row["written_on"]),
            row["file"],
            row["id"],
        )
        for row in db.query(
            "SELECT * FROM member_papers WHERE written_on BETWEEN ? AND ? ORDER BY written_on, id",
            _span(first, last),
        )
    ]


def insert_paper(db: Database, paper: Paper) -> int:
    cursor = db.execute(
        "INSERT INTO member_papers (member_id, kind, title, written_on, file) "
        "VALUES (?, ?, ?, ?, ?)",
        [paper.member_id, paper.kind, paper.title, paper.written_on.isoformat(), paper.file],
    )
    return int(cursor.lastrowid or 0)


def delete_paper(db: Database, paper_id: int) -> None:
    if not db.execute("DELETE FROM member_papers WHERE id = ?", [paper_id]).rowcount:
        raise NotFoundError("该调研报告或理论文章不存在（可能已被删除）。")


def self_plans(db: Database, year: int) -> dict[int, SelfStudyPlan]:
    return {
        row["member_id"]: SelfStudyPlan(
            row["member_id"], row["year"], _date(row["submitted_on"]), row["file"]
        )
        for row in db.query("SELECT * FROM self_study_plans WHERE year = ?", [year])
    }


def set_self_plan(db: Database, plan: SelfStudyPlan) -> None:
    db.execute(
        "INSERT INTO self_study_plans (member_id, year, submitted_on, file) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(member_id, year) DO UPDATE SET submitted_on = excluded.submitted_on, "
        "file = excluded.file",
        [plan.member_id, plan.year, _iso(plan.submitted_on), plan.file],
    )


def note_checks(db: Database, first: dt.date, last: dt.date) -> list[NoteCheck]:
    return [
        NoteCheck(
            row["member_id"],
            dt.date.fromisoformat(row["checked_on"]),
            row["checked_by"],
            row["remark"],
            row["id"],
        )
        for row in db.query(
            "SELECT * FROM note_checks WHERE checked_on BETWEEN ? AND ? ORDER BY checked_on, id",
            _span(first, last),
        )
    ]


def insert_note_check(db: Database, check: NoteCheck) -> int:
    cursor = db.execute(
        "INSERT INTO note_checks (member_id, checked_on, checked_by, remark) VALUES (?, ?, ?, ?)",
        [check.member_id, check.checked_on.isoformat(), check.checked_by, check.remark],
    )
    return int(cursor.lastrowid or 0)


def delete_note_check(db: Database, check_id: int) -> None:
    if not db.execute("DELETE FROM note_checks WHERE id = ?", [check_id]).rowcount:
        raise NotFoundError("该学习笔记检查记录不存在（可能已被删除）。")


def duty_counts(db: Database, year: int) -> dict[int, DutyCounts]:
    """Member id -> what they did of each duty in `year`: speeches and reflections at the
    year's HELD sessions, papers written in the year, a self-study plan handed in for it,
    note checks made in it. The one count behind the ledger, the member file and the CLI."""
    span = {"first": f"{year:04d}-01-01", "last": f"{year:04d}-12-31", "year": year}
    found: dict[int, dict[str, int]] = {}
    queries = {
        "speeches": "SELECT p.member_id, count(*) FROM speeches p "
        "JOIN sessions s ON s.id = p.session_id WHERE p.member_id IS NOT NULL "
        "AND s.status = 'held' AND s.date BETWEEN :first AND :last GROUP BY p.member_id",
        "reflections": "SELECT r.member_id, count(*) FROM reflections r "
        "JOIN sessions s ON s.id = r.session_id "
        "WHERE s.status = 'held' AND s.date BETWEEN :first AND :last GROUP BY r.member_id",
        "papers": "SELECT member_id, count(*) FROM member_papers "
        "WHERE written_on BETWEEN :first AND :last GROUP BY member_id",
        "self_plan": "SELECT member_id, count(*) FROM self_study_plans "
        "WHERE year = :year AND submitted_on IS NOT NULL GROUP BY member_id",
        "note_checks": "SELECT member_id, count(*) FROM note_checks "
        "WHERE checked_on BETWEEN :first AND :last GROUP BY member_id",
    }
    for name, sql in queries.items():
        for member_id, number in db.execute(sql, span):
            found.setdefault(member_id, {})[name] = number
    return {member_id: DutyCounts(**numbers) for member_id, numbers in found.items()}

"""The audit trail's triggers of the later migrations (0011 onwards; 0012's are in
store/schema_lists.py beside its tables): leave types and spans, 列席人员, a topic's details, a
brief's issued number. One migration function each, registered in store/migrations.py; the
helpers they share are in store/schema_audit.py.

Never edit one that has shipped: a database that had it would not get the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studyplan.store.schema_audit import (
    _DECISION_LABELS,
    _audit_trigger,
    _changed,
    _if_changed,
    _label,
    _session_day,
    _session_exists,
    _who_when,
)

if TYPE_CHECKING:
    from sqlite_utils import Database


def m0011_leave_types_spans_and_guests(db: Database) -> None:
    """Leave types and date ranges, refusals' reasons and 列席人员 (the tables:
    `schema_tables.m0011_leave_spans_and_guests`), with their 操作记录: a leave's type and
    range, a refusal's reason, and 列席人员 added to or removed from a session."""
    from studyplan.store.schema_tables import m0011_leave_spans_and_guests

    m0011_leave_spans_and_guests(db)
    db.execute("DROP TRIGGER IF EXISTS audit_leave_requests_insert")
    db.execute("DROP TRIGGER IF EXISTS audit_leave_requests_update")
    span = (
        "CASE WHEN NEW.first_day IS NOT NULL AND NEW.first_day <> NEW.last_day "
        "THEN '（' || NEW.first_day || '至' || NEW.last_day || '）' ELSE '' END"
    )
    _audit_trigger(
        db,
        "leave_requests",
        "INSERT",
        "'新增请假'",
        f"{_who_when('NEW')} || {span}"
        " || CASE WHEN NEW.kind <> '' THEN ' ' || NEW.kind ELSE '' END"
        " || CASE WHEN NEW.reason <> '' THEN ' ' || NEW.reason ELSE '' END",
    )
    _audit_trigger(
        db,
        "leave_requests",
        "UPDATE",
        "(CASE WHEN OLD.decision IS NOT NEW.decision THEN '审批请假' ELSE '修改请假' END)",
        f"{_who_when('NEW')} || ' ' || "
        + " || ".join(
            [
                f"{_label('NEW.decision', _DECISION_LABELS)}",
                "CASE WHEN NEW.approver <> '' THEN '（审批人：' || NEW.approver || '）' "
                "ELSE '' END",
                "CASE WHEN NEW.decision = 'rejected' AND NEW.refusal <> '' "
                "THEN ' 理由：' || NEW.refusal ELSE '' END",
                _if_changed("reason", "事由"),
                _if_changed("kind", "类别"),
                _if_changed("last_day", "截止日期"),
            ]
        ),
        _changed(
            "decision",
            "approver",
            "reason",
            "filed_at",
            "decided_at",
            "kind",
            "refusal",
            "last_day",
        ),
    )
    guest = "{r}.name || CASE WHEN {r}.unit <> '' THEN '（' || {r}.unit || '）' ELSE '' END"
    _audit_trigger(
        db,
        "session_guests",
        "INSERT",
        "'新增列席人员'",
        f"{_session_day('NEW')} || ' ' || " + guest.format(r="NEW"),
    )
    _audit_trigger(
        db,
        "session_guests",
        "UPDATE",
        "'修改列席人员'",
        f"{_session_day('NEW')} || ' ' || " + guest.format(r="NEW"),
        _changed("name", "unit"),
    )
    _audit_trigger(
        db,
        "session_guests",
        "DELETE",
        "'删除列席人员'",
        f"{_session_day('OLD')} || ' ' || " + guest.format(r="OLD"),
        _session_exists("OLD"),
    )


def m0013_topic_details(db: Database) -> None:
    """A topic's form and planned month or quarter (typed in the app; a plan file says
    neither), and 操作记录 of each topic changed or removed, now that topics are edited one
    by one in the app and not only replaced by an import. A topic added is noted by the use
    case that adds it (app/topics.py): a trigger could not tell it from the topics an import
    writes, which the import's own line (导入学习计划) stands for."""
    db.execute("ALTER TABLE topics ADD COLUMN form TEXT NOT NULL DEFAULT ''")
    db.execute(
        "ALTER TABLE topics ADD COLUMN planned_month INTEGER "
        "CHECK (planned_month IS NULL OR planned_month BETWEEN 1 AND 12)"
    )
    db.execute(
        "ALTER TABLE topics ADD COLUMN planned_quarter INTEGER "
        "CHECK (planned_quarter IS NULL OR planned_quarter BETWEEN 1 AND 4)"
    )

    def named(row: str) -> str:
        return f"{row}.year || '年 专题' || {row}.number || ' ' || {row}.title"

    _audit_trigger(
        db,
        "topics",
        "UPDATE",
        "'修改专题'",
        named("NEW"),
        _changed(
            "number",
            "title",
            "description",
            "readings",
            "form",
            "planned_month",
            "planned_quarter",
        ),
    )
    _audit_trigger(
        db,
        "topics",
        "DELETE",
        "'删除专题'",
        named("OLD"),
        "EXISTS (SELECT 1 FROM plans WHERE year = OLD.year)",
    )


def m0014_issued_briefs(db: Database) -> None:
    """The number each session's 学习简报 was issued with, so a brief exported again, and
    the archive volume, show its own number rather than the next one; 操作记录 notes each
    brief issued (a number is taken once, when a session's brief is first exported)."""
    db.execute(
        """
        CREATE TABLE issued_briefs (
            session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 9999),
            issued_on TEXT NOT NULL
        )"""
    )
    _audit_trigger(
        db,
        "issued_briefs",
        "INSERT",
        "'印发学习简报'",
        f"{_session_day('NEW')} || ' 学习 第' || NEW.number || '期'",
    )
    _audit_trigger(
        db,
        "issued_briefs",
        "UPDATE",
        "'修改简报期号'",
        f"{_session_day('NEW')} || ' 学习 第' || OLD.number || '期→第' || NEW.number || '期'",
        _changed("number"),
    )

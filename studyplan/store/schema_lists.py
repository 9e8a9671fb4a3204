"""Migration 0012: the tables of 三张清单 and of each member's year, with their 操作记录.

Never edit it once shipped: a database that had it would not get the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studyplan.store.schema_audit import (
    _USER_SETTINGS_0010,
    _audit_trigger,
    _changed,
    _member,
    _settings_triggers,
)

if TYPE_CHECKING:
    from sqlite_utils import Database


_PROGRESS = {"not_started": "未开始", "under_way": "推进中", "done": "已完成"}


def _target(row: str) -> str:
    """SQL naming what a row is for: 专题N (of its year) or the session's day."""
    return (
        f"coalesce((SELECT year || '年专题' || number FROM topics WHERE id = {row}.topic_id), "
        f"(SELECT date FROM sessions WHERE id = {row}.session_id), '')"
    )


def _tables(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE topic_arrangements (
            topic_id INTEGER PRIMARY KEY REFERENCES topics(id) ON DELETE CASCADE,
            host TEXT NOT NULL DEFAULT '',
            lecturer TEXT NOT NULL DEFAULT '',
            department TEXT NOT NULL DEFAULT '',
            form TEXT NOT NULL DEFAULT '',
            month INTEGER CHECK (month BETWEEN 1 AND 12)
        )"""
    )
    db.execute(
        """
        CREATE TABLE session_arrangements (
            session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            department TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """
        CREATE TABLE planned_speakers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            topic_id INTEGER REFERENCES topics(id) ON DELETE CASCADE,
            session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            subject TEXT NOT NULL DEFAULT '',
            CHECK ((topic_id IS NULL) <> (session_id IS NULL)),
            UNIQUE (topic_id, session_id, member_id)
        )"""
    )
    db.execute("CREATE INDEX planned_speakers_session ON planned_speakers(session_id)")
    db.execute("CREATE INDEX planned_speakers_topic ON planned_speakers(topic_id)")
    db.execute(
        """
        CREATE TABLE study_results (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            year INTEGER NOT NULL,
            topic_id INTEGER REFERENCES topics(id) ON DELETE CASCADE,
            session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            member_id INTEGER REFERENCES members(id) ON DELETE CASCADE,
            due TEXT,
            progress TEXT NOT NULL DEFAULT 'not_started'
                CHECK (progress IN ('not_started', 'under_way', 'done')),
            effect TEXT NOT NULL DEFAULT '',
            attachments TEXT NOT NULL DEFAULT '[]',
            CHECK ((topic_id IS NULL) <> (session_id IS NULL))
        )"""
    )
    db.execute("CREATE INDEX study_results_year ON study_results(year)")
    db.execute(
        """
        CREATE TABLE member_papers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            written_on TEXT NOT NULL,
            file TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX member_papers_member ON member_papers(member_id)")
    db.execute(
        """
        CREATE TABLE self_study_plans (
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            submitted_on TEXT,
            file TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (member_id, year)
        )"""
    )
    db.execute(
        """
        CREATE TABLE note_checks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            checked_on TEXT NOT NULL,
            checked_by TEXT NOT NULL DEFAULT '',
            remark TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX note_checks_member ON note_checks(member_id)")


def _member_exists(row: str) -> str:
    return f"EXISTS (SELECT 1 FROM members WHERE id = {row}.member_id)"


def _target_exists(row: str) -> str:
    return (
        f"(EXISTS (SELECT 1 FROM topics WHERE id = {row}.topic_id) "
        f"OR EXISTS (SELECT 1 FROM sessions WHERE id = {row}.session_id))"
    )


def _triggers(db: Database) -> None:
    # 学习责任清单、学习任务清单（专题）
    topic = "coalesce((SELECT year || '年专题' || number FROM topics WHERE id = {r}.topic_id), '')"
    columns = ("host", "lecturer", "department", "form", "month")
    detail = (
        topic.format(r="NEW")
        + " || ' 主持：' || NEW.host || ' 领学：' || NEW.lecturer || ' 责任处室：' || "
        "NEW.department || ' 形式：' || NEW.form || ' 计划月份：' || coalesce(NEW.month, '')"
    )
    _audit_trigger(db, "topic_arrangements", "INSERT", "'修改专题安排'", detail)
    _audit_trigger(db, "topic_arrangements", "UPDATE", "'修改专题安排'", detail, _changed(*columns))
    session = "coalesce((SELECT date FROM sessions WHERE id = {r}.session_id), '')"
    _audit_trigger(
        db,
        "session_arrangements",
        "INSERT",
        "'修改责任处室'",
        session.format(r="NEW") + " || ' ' || NEW.department",
    )
    _audit_trigger(
        db,
        "session_arrangements",
        "UPDATE",
        "'修改责任处室'",
        session.format(r="NEW") + " || ' ' || OLD.department || '→' || NEW.department",
        _changed("department"),
    )

    # 重点发言人
    speaker = (
        "{t} || ' ' || {m} || CASE WHEN {r}.subject <> '' THEN '：' || {r}.subject ELSE '' END"
    )
    _audit_trigger(
        db,
        "planned_speakers",
        "INSERT",
        "'安排重点发言'",
        speaker.format(t=_target("NEW"), m=_member("NEW"), r="NEW"),
    )
    _audit_trigger(
        db,
        "planned_speakers",
        "UPDATE",
        "'修改重点发言'",
        speaker.format(t=_target("NEW"), m=_member("NEW"), r="NEW"),
        _changed("member_id", "subject"),
    )
    _audit_trigger(
        db,
        "planned_speakers",
        "DELETE",
        "'取消重点发言'",
        speaker.format(t=_target("OLD"), m=_member("OLD"), r="OLD"),
        f"{_member_exists('OLD')} AND {_target_exists('OLD')}",
    )

    # 成果转化清单
    result = "{t} || ' ' || {r}.name"
    progress = (
        " || ' ' || (CASE NEW.progress "
        + " ".join(f"WHEN '{code}' THEN '{text}'" for code, text in _PROGRESS.items())
        + " ELSE NEW.progress END)"
    )
    _audit_trigger(
        db, "study_results", "INSERT", "'新增学习成果'", result.format(t=_target("NEW"), r="NEW")
    )
    _audit_trigger(
        db,
        "study_results",
        "UPDATE",
        "'修改学习成果'",
        result.format(t=_target("NEW"), r="NEW") + progress,
        _changed("name", "kind", "member_id", "due", "progress", "effect", "attachments"),
    )
    _audit_trigger(
        db,
        "study_results",
        "DELETE",
        "'删除学习成果'",
        result.format(t=_target("OLD"), r="OLD"),
        _target_exists("OLD"),
    )

    # 调研报告、理论文章；个人自学计划；学习笔记检查
    paper = "{m} || ' ' || {r}.kind || '《' || {r}.title || '》 ' || {r}.written_on"
    _audit_trigger(
        db,
        "member_papers",
        "INSERT",
        "'登记调研报告或理论文章'",
        paper.format(m=_member("NEW"), r="NEW"),
    )
    _audit_trigger(
        db,
        "member_papers",
        "UPDATE",
        "'修改调研报告或理论文章'",
        paper.format(m=_member("NEW"), r="NEW"),
        _changed("kind", "title", "written_on", "file"),
    )
    _audit_trigger(
        db,
        "member_papers",
        "DELETE",
        "'删除调研报告或理论文章'",
        paper.format(m=_member("OLD"), r="OLD"),
        _member_exists("OLD"),
    )
    plan = "{m} || ' ' || {r}.year || '年 ' || coalesce({r}.submitted_on, '未提交')"
    _audit_trigger(
        db,
        "self_study_plans",
        "INSERT",
        "'登记个人自学计划'",
        plan.format(m=_member("NEW"), r="NEW"),
    )
    _audit_trigger(
        db,
        "self_study_plans",
        "UPDATE",
        "'修改个人自学计划'",
        plan.format(m=_member("NEW"), r="NEW"),
        _changed("submitted_on", "file"),
    )
    _audit_trigger(
        db,
        "self_study_plans",
        "DELETE",
        "'删除个人自学计划'",
        plan.format(m=_member("OLD"), r="OLD"),
        _member_exists("OLD"),
    )
    check = (
        "{m} || ' ' || {r}.checked_on || CASE WHEN {r}.checked_by <> '' "
        "THEN ' 检查人：' || {r}.checked_by ELSE '' END"
    )
    _audit_trigger(
        db, "note_checks", "INSERT", "'登记学习笔记检查'", check.format(m=_member("NEW"), r="NEW")
    )
    _audit_trigger(
        db,
        "note_checks",
        "UPDATE",
        "'修改学习笔记检查'",
        check.format(m=_member("NEW"), r="NEW"),
        _changed("checked_on", "checked_by", "remark"),
    )
    _audit_trigger(
        db,
        "note_checks",
        "DELETE",
        "'删除学习笔记检查'",
        check.format(m=_member("OLD"), r="OLD"),
        _member_exists("OLD"),
    )


def _user_settings_0012() -> dict[str, tuple[str, str]]:
    """0012 adds the yearly duties and the two extendable lists to the settings of 设置.

    Read when the step runs: every start imports the migrations to learn the schema's
    version, and the duties' rules are not needed for that.
    """
    from studyplan.model.duties import AUDITED_SETTINGS

    return {**_USER_SETTINGS_0010, **AUDITED_SETTINGS}


def m0012_lists_and_duties(db: Database) -> None:
    """三张清单 (责任、任务、成果转化) and each member's year (调研报告/理论文章, 个人自学计划,
    学习笔记检查), noted in 操作记录 like every record; the yearly duties and the lists the
    secretary extends are settings of 设置, noted as the others."""
    _tables(db)
    _triggers(db)
    db.execute("DROP TRIGGER IF EXISTS audit_settings_insert")
    db.execute("DROP TRIGGER IF EXISTS audit_settings_update")
    _settings_triggers(db, _user_settings_0012())

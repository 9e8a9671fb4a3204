"""The audit trail's triggers (操作记录), one migration function each (registered in
store/migrations.py): every change to the records the secretary keeps writes one line.

Never edit one that has shipped: a database that had it would not get the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


_AUDIT_NOW = "strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')"


_ATTENDANCE_LABELS = {
    "present": "出席",
    "late": "迟到",
    "left_early": "早退",
    "leave": "请假",
    "absent": "缺席",
}


_SESSION_LABELS = {"planned": "计划", "held": "已举行", "cancelled": "已取消"}


_DECISION_LABELS = {"pending": "待审批", "approved": "已批准", "rejected": "未批准"}


def _label(value: str, labels: dict[str, str]) -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{text}'" for code, text in labels.items())
    return f"(CASE {value} {cases} ELSE {value} END)"


def _changed(*columns: str) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _if_changed(column: str, title: str, labels: dict[str, str] | None = None) -> str:
    """SQL for ' 标题：旧→新' when `column` changed, else ''."""
    old, new = f"OLD.{column}", f"NEW.{column}"
    if labels:
        old, new = _label(old, labels), _label(new, labels)
    return (
        f"(CASE WHEN OLD.{column} IS NOT NEW.{column} "
        f"THEN ' {title}：' || coalesce({old}, '无') || '→' || coalesce({new}, '无') "
        "ELSE '' END)"
    )


def _member(row: str) -> str:
    return f"coalesce((SELECT name FROM members WHERE id = {row}.member_id), '')"


def _session_day(row: str) -> str:
    return f"coalesce((SELECT date FROM sessions WHERE id = {row}.session_id), '')"


def _who_when(row: str) -> str:
    return f"{_member(row)} || ' ' || {_session_day(row)}"


def _parents_exist(row: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM sessions WHERE id = {row}.session_id) "
        f"AND EXISTS (SELECT 1 FROM members WHERE id = {row}.member_id)"
    )


def _audit_trigger(
    db: Database, table: str, event: str, action: str, detail: str, when: str = ""
) -> None:
    db.execute(
        f"CREATE TRIGGER audit_{table}_{event.lower()} AFTER {event} ON {table} "
        + (f"WHEN {when} " if when else "")
        + "BEGIN INSERT INTO audit_log (at, action, detail) "
        + f"VALUES ({_AUDIT_NOW}, {action}, {detail}); END"
    )


def m0006_audit_triggers(db: Database) -> None:
    """操作记录: each change to the records the secretary keeps writes one line to audit_log.

    Every body is one INSERT with primary-key lookups for names and dates, so marking a
    whole group present or building years of demo data stays quick. Rows removed together
    with their session or member (ON DELETE CASCADE) are not listed one by one: the
    parent's deletion is the record. Updates that change nothing are not recorded.
    """
    # 场次
    summary = "NEW.date || ' ' || NEW.start || ' ' || NEW.location"
    _audit_trigger(db, "sessions", "INSERT", "'新增场次'", summary)
    moved = _changed("date", "start", "end")
    other = _changed("location", "form", "host", "lecturer", "notes")
    _audit_trigger(
        db,
        "sessions",
        "UPDATE",
        "(CASE WHEN OLD.status IS NOT NEW.status AND NEW.status = 'cancelled' THEN '取消场次' "
        f"WHEN OLD.status IS NOT NEW.status AND NOT ({moved} OR {other}) THEN '更改场次状态' "
        "ELSE '修改场次' END)",
        f"(CASE WHEN {moved} THEN OLD.date || ' ' || OLD.start || '–' || OLD.end || ' → ' "
        "|| NEW.date || ' ' || NEW.start || '–' || NEW.end "
        f"ELSE {summary} END)"
        + " || "
        + " || ".join(
            [
                _if_changed("location", "地点"),
                _if_changed("form", "形式"),
                _if_changed("host", "主持"),
                _if_changed("lecturer", "领学"),
                _if_changed("status", "状态", _SESSION_LABELS),
            ]
        ),
        f"{moved} OR {other} OR OLD.status IS NOT NEW.status",
    )
    _audit_trigger(
        db,
        "sessions",
        "DELETE",
        "'删除场次'",
        "OLD.date || ' ' || OLD.start || ' ' || OLD.location",
    )

    # 成员
    _audit_trigger(
        db,
        "members",
        "INSERT",
        "'新增成员'",
        "NEW.name || CASE WHEN NEW.position <> '' THEN '（' || NEW.position || '）' ELSE '' END",
    )
    _audit_trigger(
        db,
        "members",
        "UPDATE",
        "(CASE WHEN OLD.active_to IS NULL AND NEW.active_to IS NOT NULL THEN '成员离任' "
        "WHEN OLD.active_to IS NOT NULL AND NEW.active_to IS NULL THEN '恢复在册' "
        "ELSE '修改成员' END)",
        "NEW.name || "
        + " || ".join(
            [
                _if_changed("name", "原姓名"),
                _if_changed("position", "职务"),
                _if_changed("role", "角色"),
                _if_changed("department", "部门"),
                _if_changed("active_from", "加入日期"),
                _if_changed("active_to", "离任日期"),
            ]
        ),
        _changed("name", "position", "role", "department", "active_from", "active_to"),
    )
    _audit_trigger(db, "members", "DELETE", "'删除成员'", "OLD.name")

    # 考勤
    _audit_trigger(
        db,
        "attendance",
        "INSERT",
        "'登记考勤'",
        f"{_who_when('NEW')} || ' ' || {_label('NEW.status', _ATTENDANCE_LABELS)}"
        " || CASE WHEN NEW.time IS NOT NULL THEN ' ' || NEW.time ELSE '' END",
    )
    _audit_trigger(
        db,
        "attendance",
        "UPDATE",
        "'修改考勤'",
        f"{_who_when('NEW')} || ' ' || {_label('OLD.status', _ATTENDANCE_LABELS)} || '→' || "
        f"{_label('NEW.status', _ATTENDANCE_LABELS)}"
        " || CASE WHEN NEW.time IS NOT NULL THEN ' ' || NEW.time ELSE '' END"
        " || CASE WHEN NEW.note <> '' THEN '（' || NEW.note || '）' ELSE '' END",
        _changed("status", "time", "note"),
    )
    _audit_trigger(
        db,
        "attendance",
        "DELETE",
        "'撤销考勤'",
        f"{_who_when('OLD')} || ' ' || {_label('OLD.status', _ATTENDANCE_LABELS)}",
        _parents_exist("OLD"),
    )

    # 请假
    _audit_trigger(
        db,
        "leave_requests",
        "INSERT",
        "'新增请假'",
        f"{_who_when('NEW')} || CASE WHEN NEW.reason <> '' THEN ' ' || NEW.reason ELSE '' END",
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
                _if_changed("reason", "事由"),
            ]
        ),
        _changed("decision", "approver", "reason", "filed_at", "decided_at"),
    )
    _audit_trigger(
        db,
        "leave_requests",
        "DELETE",
        "'删除请假'",
        f"{_who_when('OLD')} || ' ' || {_label('OLD.decision', _DECISION_LABELS)}",
        _parents_exist("OLD"),
    )

    # 补学
    _audit_trigger(
        db, "makeups", "INSERT", "'新增补学'", f"{_who_when('NEW')} || ' 截止 ' || NEW.due"
    )
    _audit_trigger(
        db,
        "makeups",
        "UPDATE",
        "(CASE WHEN OLD.completed IS NULL AND NEW.completed IS NOT NULL THEN '完成补学' "
        "WHEN OLD.completed IS NOT NULL AND NEW.completed IS NULL THEN '撤销补学完成' "
        "ELSE '修改补学' END)",
        f"{_who_when('NEW')} || "
        "CASE WHEN NEW.completed IS NOT NULL THEN ' 完成于 ' || NEW.completed "
        "|| CASE WHEN NEW.method <> '' THEN ' ' || NEW.method ELSE '' END "
        "ELSE ' 截止 ' || NEW.due END",
        _changed("due", "completed", "method", "evidence"),
    )
    _audit_trigger(
        db,
        "makeups",
        "DELETE",
        "'删除补学'",
        f"{_who_when('OLD')} || ' 截止 ' || OLD.due",
        _parents_exist("OLD"),
    )

    # 学习计划
    _audit_trigger(db, "plans", "INSERT", "'导入学习计划'", "NEW.year || '年 ' || NEW.title")
    _audit_trigger(
        db,
        "plans",
        "UPDATE",
        "'更新学习计划'",
        "NEW.year || '年 ' || NEW.title",
        _changed("year", "title", "source", "imported_at"),
    )
    _audit_trigger(db, "plans", "DELETE", "'删除学习计划'", "OLD.year || '年 ' || OLD.title")

    # 调休
    def day_kind(row: str) -> str:
        return (
            f"{row}.date || CASE {row}.is_workday WHEN 1 THEN ' 调为工作日' "
            f"ELSE ' 调为休息日' END || CASE WHEN {row}.name <> '' "
            f"THEN '（' || {row}.name || '）' ELSE '' END"
        )

    _audit_trigger(db, "calendar_overrides", "INSERT", "'设置调休'", day_kind("NEW"))
    _audit_trigger(
        db,
        "calendar_overrides",
        "UPDATE",
        "'修改调休'",
        day_kind("NEW"),
        _changed("date", "is_workday", "name"),
    )
    _audit_trigger(db, "calendar_overrides", "DELETE", "'取消调休'", day_kind("OLD"))


def _session_exists(row: str) -> str:
    return f"EXISTS (SELECT 1 FROM sessions WHERE id = {row}.session_id)"


#: The settings a secretary changes in 设置 (the holiday snapshot is derived data, not one).
_USER_SETTINGS = {"makeup_due_days": ("补学期限", "天"), "backup_keep": ("自动备份保留", "份")}


def m0008_audit_study_records(db: Database) -> None:
    """操作记录 for the learning archive too: minutes and materials, speeches, reflections,
    attachments, and the settings of 设置. The same rules as 0006: one INSERT per change,
    rows going with their session not listed, updates that change nothing not recorded."""
    day = _session_day
    # 学习记录（会议记录、学习资料）
    parts = (
        "(CASE WHEN {o}minutes IS NOT NEW.minutes THEN ' 会议记录' ELSE '' END) || "
        "(CASE WHEN {o}materials IS NOT NEW.materials THEN ' 学习资料' ELSE '' END)"
    )
    # The store makes the row (materials planned from the topics' readings) just before a
    # first save, in the same transaction: the save that follows is the user's change.
    _audit_trigger(
        db,
        "study_records",
        "INSERT",
        "'填写学习记录'",
        f"{day('NEW')} || ' 会议记录'",
        "NEW.minutes <> ''",
    )
    _audit_trigger(
        db,
        "study_records",
        "UPDATE",
        "(CASE WHEN OLD.minutes = '' AND NEW.minutes <> '' THEN '填写学习记录' "
        "ELSE '修改学习记录' END)",
        f"{day('NEW')} || " + parts.format(o="OLD."),
        _changed("minutes", "materials"),
    )
    _audit_trigger(
        db, "study_records", "DELETE", "'删除学习记录'", day("OLD"), _session_exists("OLD")
    )

    # 研讨发言
    speech = "{r}.speaker || CASE WHEN {r}.title <> '' THEN '：' || {r}.title ELSE '' END"
    _audit_trigger(
        db,
        "speeches",
        "INSERT",
        "'新增研讨发言'",
        f"{day('NEW')} || ' ' || " + speech.format(r="NEW"),
    )
    _audit_trigger(
        db,
        "speeches",
        "UPDATE",
        "'修改研讨发言'",
        f"{day('NEW')} || ' ' || " + speech.format(r="NEW"),
        _changed("speaker", "title", "member_id"),
    )
    _audit_trigger(
        db,
        "speeches",
        "DELETE",
        "'删除研讨发言'",
        f"{day('OLD')} || ' ' || " + speech.format(r="OLD"),
        _session_exists("OLD"),
    )

    # 心得体会
    _audit_trigger(
        db,
        "reflections",
        "INSERT",
        "'登记心得体会'",
        f"{_who_when('NEW')} || ' 提交于 ' || NEW.submitted_on"
        " || CASE WHEN NEW.title <> '' THEN ' ' || NEW.title ELSE '' END",
    )
    _audit_trigger(
        db,
        "reflections",
        "UPDATE",
        "'修改心得体会'",
        f"{_who_when('NEW')} || ' 提交于 ' || NEW.submitted_on"
        " || CASE WHEN NEW.title <> '' THEN ' ' || NEW.title ELSE '' END",
        _changed("submitted_on", "title", "note"),
    )
    _audit_trigger(
        db, "reflections", "DELETE", "'删除心得体会'", _who_when("OLD"), _parents_exist("OLD")
    )

    # 附件
    _audit_trigger(
        db, "attachments", "INSERT", "'添加附件'", f"{day('NEW')} || ' ' || NEW.file_name"
    )
    _audit_trigger(
        db,
        "attachments",
        "DELETE",
        "'移除附件'",
        f"{day('OLD')} || ' ' || OLD.file_name",
        _session_exists("OLD"),
    )

    # 设置
    _settings_triggers(db, _USER_SETTINGS)


def _settings_triggers(db: Database, user_settings: dict[str, tuple[str, str]]) -> None:
    """操作记录 of a change to one of `user_settings` (key -> (title, unit))."""
    keys = ", ".join(f"'{key}'" for key in user_settings)
    names = " ".join(
        f"WHEN '{key}' THEN '{title}'" for key, (title, _unit) in user_settings.items()
    )
    units = " ".join(f"WHEN '{key}' THEN '{unit}'" for key, (_title, unit) in user_settings.items())
    name = f"(CASE NEW.key {names} ELSE NEW.key END)"
    unit = f"(CASE NEW.key {units} ELSE '' END)"
    _audit_trigger(
        db,
        "settings",
        "INSERT",
        "'修改设置'",
        f"{name} || ' ' || NEW.value || ' ' || {unit}",
        f"NEW.key IN ({keys})",
    )
    _audit_trigger(
        db,
        "settings",
        "UPDATE",
        "'修改设置'",
        f"{name} || ' ' || OLD.value || '→' || NEW.value || ' ' || {unit}",
        f"NEW.key IN ({keys}) AND OLD.value IS NOT NEW.value",
    )


#: 0009 adds the calendar reminder to the settings of 设置.
_USER_SETTINGS_0009 = {**_USER_SETTINGS, "calendar_reminder_days": ("日历提醒（会前）", "天")}


def m0009_database_id_and_reminder(db: Database) -> None:
    """Each database gets an id of its own (calendar events of two units' databases must
    not take each other's place), and the calendar reminder is noted like the other
    settings of 设置."""
    db.execute(
        "INSERT OR IGNORE INTO settings (key, value) "
        "VALUES ('database_id', lower(hex(randomblob(16))))"
    )
    db.execute("DROP TRIGGER IF EXISTS audit_settings_insert")
    db.execute("DROP TRIGGER IF EXISTS audit_settings_update")
    _settings_triggers(db, _USER_SETTINGS_0009)


#: 0010 adds the unit's details and the next brief's number to the settings of 设置.
_USER_SETTINGS_0010 = {
    **_USER_SETTINGS_0009,
    "unit_name": ("单位名称", ""),
    "unit_group": ("中心组名称", ""),
    "unit_secretary": ("学习秘书", ""),
    "unit_phone": ("联系电话", ""),
    "brief_next_number": ("简报期号", ""),
}


def m0010_audit_unit_details(db: Database) -> None:
    """操作记录 of the unit's details (单位名称、中心组名称、学习秘书、联系电话) and the next
    简报 number, like the other settings of 设置."""
    db.execute("DROP TRIGGER IF EXISTS audit_settings_insert")
    db.execute("DROP TRIGGER IF EXISTS audit_settings_update")
    _settings_triggers(db, _USER_SETTINGS_0010)


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

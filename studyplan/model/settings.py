"""What the secretary can set, with each setting's key, default and allowed range.

The values live in the database (store/settings.py reads and writes them); the rules of what
a value may be live here, once, for the settings dialog, the services and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass

from studyplan.model.errors import ValidationError


@dataclass(frozen=True)
class Count:
    """A whole-number setting: its key in the database, its default, and its range."""

    key: str
    default: int
    low: int
    high: int
    #: The sentence for a value outside the range.
    refusal: str

    def check(self, value: int) -> int:
        """`value` if allowed; ValidationError with the setting's sentence if not."""
        if not self.low <= value <= self.high:
            raise ValidationError(self.refusal)
        return value

    def parse(self, text: str | None) -> int:
        """A stored value as a number; the default for one missing, unreadable or outside
        the range (a value edited by hand must not stop the program)."""
        try:
            value = int(text) if text is not None else self.default
        except ValueError:
            return self.default
        return value if self.low <= value <= self.high else self.default


#: Days after a session (or after a late leave's approval) by which a make-up is due.
MAKEUP_DUE_DAYS = Count("makeup_due_days", 14, 1, 366, "补学期限应在 1 到 366 天之间。")
#: How many automatic backups are kept beside the database.
BACKUPS_KEPT = Count("backup_keep", 30, 1, 1000, "保留的自动备份份数应在 1 到 1000 之间。")
#: Days before a session that its calendar event (.ics) reminds of it; 0: no reminder.
CALENDAR_REMINDER_DAYS = Count(
    "calendar_reminder_days", 1, 0, 30, "日历提醒应为会前 0 到 30 天（0 表示不提醒）。"
)
#: The number the next 学习简报 gets (第N期).
NEXT_BRIEF_NUMBER = Count("brief_next_number", 1, 1, 9999, "简报期号应在 1 到 9999 之间。")
#: The unit's details (model/unit.py UnitDetails), one setting each.
UNIT_NAME = "unit_name"
UNIT_GROUP = "unit_group"
UNIT_SECRETARY = "unit_secretary"
UNIT_PHONE = "unit_phone"
#: This database's own id (set once when the database is made): calendar events carry it,
#: so two units' calendars on one phone never take each other's place.
DATABASE_ID = "database_id"
#: Set once the first-run wizard was finished or skipped on this database ("1").
FIRST_RUN_DONE = "first_run_done"
#: The holiday snapshot: derived data, rebuilt whenever it is missing or stale.
HOLIDAY_SNAPSHOT = "holiday_snapshot"

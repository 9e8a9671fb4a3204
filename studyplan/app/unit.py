"""The unit's details (设置 → 单位信息) and the one place a document learns the unit's name."""

from __future__ import annotations

from studyplan.model import settings as keys
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.unit import DEFAULT_GROUP_NAME, UnitDetails, unit_from_plan_title
from studyplan.store import plans as plan_store
from studyplan.store import settings
from studyplan.store.db import Database, transaction


class UnitService:
    """Reads and saves the unit's details; names the unit for every output."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.clock = clock

    def details(self) -> UnitDetails:
        return UnitDetails(
            name=settings.text(self.db, keys.UNIT_NAME) or "",
            group=settings.text(self.db, keys.UNIT_GROUP) or DEFAULT_GROUP_NAME,
            secretary=settings.text(self.db, keys.UNIT_SECRETARY) or "",
            phone=settings.text(self.db, keys.UNIT_PHONE) or "",
        )

    def save(self, details: UnitDetails) -> UnitDetails:
        """Store the details (trimmed and checked); only the ones that changed are written,
        so 操作记录 notes just those."""
        cleaned = details.check()
        before = self.details()
        with transaction(self.db):
            for key, old, new in (
                (keys.UNIT_NAME, before.name, cleaned.name),
                (keys.UNIT_GROUP, before.group, cleaned.group),
                (keys.UNIT_SECRETARY, before.secretary, cleaned.secretary),
                (keys.UNIT_PHONE, before.phone, cleaned.phone),
            ):
                if new != old:
                    settings.set_text(self.db, key, new)
        return cleaned

    def next_brief_number(self) -> int:
        return settings.count(self.db, keys.NEXT_BRIEF_NUMBER)

    def check_brief_number(self, number: int) -> int:
        """`number` if it can be the next brief's; ValidationError with a sentence if not."""
        return keys.NEXT_BRIEF_NUMBER.check(number)

    def set_next_brief_number(self, number: int) -> None:
        with transaction(self.db):
            settings.set_count(self.db, keys.NEXT_BRIEF_NUMBER, number)

    def unit_name(self, year: int | None = None) -> str:
        """The unit's name as set in 设置; until it is set, the one the plan of `year` names
        in its title, else the newest plan that names one ("" when none does)."""
        own = settings.text(self.db, keys.UNIT_NAME)
        if own:
            return own
        years = sorted(plan_store.plan_years(self.db), reverse=True)
        if year is not None:
            years = [year, *(y for y in years if y != year)]
        for each in years:
            found = unit_from_plan_title(plan_store.plan_title(self.db, each))
            if found:
                return found
        return ""

    def is_set(self) -> bool:
        """Whether the secretary has given the unit's name (the first export asks if not)."""
        return bool(settings.text(self.db, keys.UNIT_NAME))

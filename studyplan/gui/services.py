"""The domain services a window is handed by the composition root (`gui/app.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.app.safety import SafetyService

if TYPE_CHECKING:
    from studyplan.app.compliance import ComplianceService
    from studyplan.app.statistics import StatisticsService


@dataclass(frozen=True)
class Services:
    """Everything the GUI may call; each view takes only the services it needs from here.

    The statistics and compliance services serve only the 统计 view, so they (and their
    modules) are made the first time they are asked for, over the planning service's
    database.
    """

    planning: PlanningService
    attendance: AttendanceService
    records: RecordsService
    safety: SafetyService

    @cached_property
    def statistics(self) -> StatisticsService:
        from studyplan.app.statistics import StatisticsService

        return StatisticsService(self.planning.db)

    @cached_property
    def compliance(self) -> ComplianceService:
        from studyplan.app.compliance import ComplianceService

        return ComplianceService(self.planning.db)

    @classmethod
    def for_database(cls, planning: PlanningService, archive_root: Path) -> Services:
        """All services over the planning service's database; attachments go to archive_root."""
        db = planning.db
        return cls(
            planning=planning,
            attendance=AttendanceService(db),
            records=RecordsService(db, archive_root),
            safety=SafetyService(db),
        )

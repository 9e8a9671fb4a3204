"""The domain services a window is handed by the composition root (`gui/app.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studyplan.domain.attendance import AttendanceService
from studyplan.domain.compliance import ComplianceService
from studyplan.domain.planning import PlanningService
from studyplan.domain.records import RecordsService
from studyplan.domain.safety import SafetyService
from studyplan.domain.statistics import StatisticsService


@dataclass(frozen=True)
class Services:
    """Everything the GUI may call; each view takes only the services it needs from here."""

    planning: PlanningService
    attendance: AttendanceService
    records: RecordsService
    statistics: StatisticsService
    compliance: ComplianceService
    safety: SafetyService

    @classmethod
    def for_database(cls, planning: PlanningService, archive_root: Path) -> Services:
        """All services over the planning service's database; attachments go to archive_root."""
        db = planning.db
        return cls(
            planning=planning,
            attendance=AttendanceService(db),
            records=RecordsService(db, archive_root),
            statistics=StatisticsService(db),
            compliance=ComplianceService(db),
            safety=SafetyService(db),
        )

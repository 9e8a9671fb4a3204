"""The domain services a window is handed by the composition root (`gui/app.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from studyplan.domain.attendance import AttendanceService
from studyplan.domain.planning import PlanningService


@dataclass(frozen=True)
class Services:
    """Everything the GUI may call; each view takes only the services it needs from here."""

    planning: PlanningService
    attendance: AttendanceService

"""GUI fixtures: a planning service with the bundled 2026 plan, and a window on a fixed day."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.domain.planning import PlanningService
from studyplan.gui.main_window import MainWindow
from studyplan.gui.services import Services

#: A Tuesday in March 2026, so tests do not depend on the day they run.
TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db)
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def window(qtbot, planning: PlanningService, tmp_path) -> MainWindow:
    services = Services.for_database(planning, tmp_path / "archive")
    main = MainWindow(services, today=TODAY)
    qtbot.addWidget(main)
    return main

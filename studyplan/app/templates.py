"""The blank plan and roster a new secretary downloads, fills in and imports back."""

from __future__ import annotations

from pathlib import Path


def save_plan_template(path: str | Path, year: int, unit: str = "") -> Path:
    """Write the plan template (.docx) for `year`, its title naming `unit`."""
    from studyplan.io.templates import write_plan_template

    return write_plan_template(path, year, unit)


def save_roster_template(path: str | Path) -> Path:
    """Write the roster template (.xlsx): the headers the importer reads, one example row."""
    from studyplan.io.templates import write_roster_template

    return write_roster_template(path)

"""The plans shipped inside the app, so a fresh install already knows this year's 专题."""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable

from studyplan.io.plan_import import plan_from_dict
from studyplan.model.errors import NotFoundError
from studyplan.model.plan import Plan


def _plans_dir() -> Traversable:
    return resources.files("studyplan.resources") / "plans"


def bundled_years() -> list[int]:
    """The years that have a plan shipped with the app, oldest first, to offer in a list."""
    folder = _plans_dir()
    if not folder.is_dir():
        return []
    years = []
    for entry in folder.iterdir():
        stem, dot, ext = entry.name.partition(".")
        if dot and ext == "json" and stem.isdigit():
            years.append(int(stem))
    return sorted(years)


def load_bundled_plan(year: int = 2026) -> Plan:
    """The shipped plan for `year`, read from resources/plans/<year>.json."""
    resource = _plans_dir() / f"{year}.json"
    if not resource.is_file():
        raise NotFoundError(f"没有内置 {year} 年的学习计划，请从文件导入该年的计划。")
    return plan_from_dict(json.loads(resource.read_text(encoding="utf-8")))

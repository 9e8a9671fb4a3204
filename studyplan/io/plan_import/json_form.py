"""A plan as JSON: the form the bundled plans are shipped in, and the command that makes them."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studyplan.io.plan_import.reading import read_plan
from studyplan.model.plan import Plan, Topic


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """A plan as plain JSON data, the form the bundled plans are shipped in."""
    return {
        "year": plan.year,
        "title": plan.title,
        "source": plan.source,
        "topics": [
            {
                "number": topic.number,
                "title": topic.title,
                "description": topic.description,
                "readings": list(topic.readings),
            }
            for topic in plan.topics
        ],
    }


def plan_from_dict(data: dict[str, Any]) -> Plan:
    """The inverse of `plan_to_dict`, so a shipped plan loads without re-parsing documents."""
    year = int(data["year"])
    return Plan(
        year=year,
        title=str(data["title"]),
        source=str(data.get("source", "")),
        topics=tuple(
            Topic(
                year=year,
                number=int(item["number"]),
                title=str(item["title"]),
                description=str(item.get("description", "")),
                readings=tuple(str(r) for r in item.get("readings", ())),
            )
            for item in data["topics"]
        ),
    )


def write_plan_json(plan: Plan, path: str | Path) -> None:
    """Save a plan as readable UTF-8 JSON; this is how resources/plans/<year>.json is made."""
    text = json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2)
    Path(path).write_text(text + "\n", encoding="utf-8")


def build_bundled_plan(seed: str | Path, out: str | Path, year: int) -> Plan:
    """Parse a plan document and write it as the bundled JSON for that year."""
    plan = read_plan(seed, year)
    write_plan_json(plan, out)
    return plan


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m studyplan.io.plan_import SEED OUT.json YEAR` regenerates a bundled plan."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3:
        print("用法: python -m studyplan.io.plan_import 计划文件 输出.json 年份")
        return 2
    plan = build_bundled_plan(args[0], args[1], int(args[2]))
    print(f"{plan.title}: {len(plan.topics)} 个专题 → {args[1]}")
    return 0

"""The first start of a new secretary: when the first-run wizard is due, and what it does
once they finished it (the unit, the year's plan, the roster), each step by the use case the
window itself uses.

The wizard is due on a database the secretary has not begun: no unit name, no member, no
session, and the wizard neither finished nor skipped there. That is a new file (which holds
only the bundled plan loaded on first open) — and not a database of a user who upgraded,
whose records show they are set up already.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from studyplan.app.context import Context
from studyplan.app.topics import TopicFields
from studyplan.model.errors import ValidationError
from studyplan.model.settings import FIRST_RUN_DONE, UNIT_NAME
from studyplan.model.unit import UnitDetails
from studyplan.store import members as member_store
from studyplan.store import sessions as session_store
from studyplan.store import settings
from studyplan.store.db import transaction

#: The bundled plan the wizard offers, by year, and the source its plan row records.
BUNDLED_YEAR = 2026
BUNDLED_NAME = "市科学技术局2026年理论学习中心组专题学习计划"


class PlanChoice(StrEnum):
    BUNDLED = "bundled"
    FILE = "file"
    EMPTY = "empty"


class RosterChoice(StrEnum):
    FILE = "file"
    TYPED = "typed"
    LATER = "later"


@dataclass(frozen=True)
class FirstRunAnswers:
    """What the secretary chose on the wizard's pages."""

    unit: UnitDetails
    plan: PlanChoice = PlanChoice.BUNDLED
    year: int = BUNDLED_YEAR
    plan_file: Path | None = None
    topics: tuple[str, ...] = ()
    roster: RosterChoice = RosterChoice.LATER
    roster_file: Path | None = None
    #: (name, position) of each member typed in.
    members: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def wizard_due(context: Context) -> bool:
    """Whether the first-run wizard should open on this database (see the module's note)."""
    db = context.db
    if settings.text(db, FIRST_RUN_DONE) or settings.text(db, UNIT_NAME):
        return False
    return member_store.count(db) == 0 and not session_store.years(db)


def mark_done(context: Context) -> None:
    """The wizard was finished or skipped here: it does not open by itself again."""
    with transaction(context.db):
        settings.set_text(context.db, FIRST_RUN_DONE, "1")


def bundled_source() -> str:
    """The source the bundled plan's row records, to tell it from a plan the user gave."""
    from studyplan.io.bundled import load_bundled_plan

    return load_bundled_plan(BUNDLED_YEAR).source


def apply_answers(context: Context, answers: FirstRunAnswers) -> list[str]:
    """Do what the wizard was told, step by step; one sentence per step done. A step that
    fails raises its sentence (the steps before it stay done; doing them again is harmless)."""
    done: list[str] = []
    saved = context.unit.save(answers.unit)
    done.append(f"单位名称：{saved.name}" if saved.name else "单位名称未填写，可在“设置”中补填")
    done.append(_plan(context, answers))
    roster = _roster(context, answers)
    if roster:
        done.append(roster)
    mark_done(context)
    return done


def _plan(context: Context, answers: FirstRunAnswers) -> str:
    planning = context.planning
    if answers.plan is PlanChoice.BUNDLED:
        context.topics.load_bundled_plan(BUNDLED_YEAR)
        if planning.plan_title(BUNDLED_YEAR) != BUNDLED_NAME:
            # The wizard again, on a year with a plan of the unit's own: it stays.
            return f"学习计划：{BUNDLED_YEAR} 年已有学习计划，保持不变"
        return f"学习计划：{BUNDLED_NAME}（内置）"
    year = answers.year
    if answers.plan is PlanChoice.FILE:
        if answers.plan_file is None:
            raise ValidationError("请选择本单位的学习计划文件。")
        plan = planning.import_plan(answers.plan_file, year)
        _drop_bundled(context)
        return f"学习计划：已导入 {year} 年计划，{len(plan.topics)} 个专题"
    topics = context.topics
    _drop_bundled(context)
    topics.start_empty_plan(year)
    titles = [t for t in (" ".join(line.split()) for line in answers.topics) if t]
    for title in titles:
        topics.add_topic(year, TopicFields(title))
    return f"学习计划：{year} 年计划，已录入 {len(titles)} 个专题"


def _drop_bundled(context: Context) -> None:
    """The bundled plan loaded on first open goes when the secretary chose their own: no
    other unit's name is left to appear in their records."""
    context.topics.drop_untouched_plan(BUNDLED_YEAR, bundled_source())


def _roster(context: Context, answers: FirstRunAnswers) -> str:
    members = context.attendance
    if answers.roster is RosterChoice.FILE:
        if answers.roster_file is None:
            raise ValidationError("请选择成员名单文件。")
        return members.import_roster(answers.roster_file, today=context.clock.today()).summary
    if answers.roster is RosterChoice.TYPED:
        added = _typed_members(context, answers.members)
        return f"成员：已录入 {added} 人"
    return ""


def _typed_members(context: Context, typed: Sequence[tuple[str, str]]) -> int:
    added = 0
    for name, position in typed:
        if name.strip():
            context.attendance.add_member(name.strip(), position.strip())
            added += 1
    return added

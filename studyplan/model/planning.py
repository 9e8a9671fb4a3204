"""The plan calendar's use cases: plans and topics, sessions, auto-scheduling, overrides.

The GUI and the CLI call these; they validate, run multi-step writes in one transaction, and
leave the SQL to `studyplan.store`.
"""

from __future__ import annotations

from dataclasses import dataclass

from studyplan.model.errors import ValidationError
from studyplan.model.plan import (
    Plan,
    Session,
    SessionStatus,
    Topic,
    TopicState,
)


class NeedsConfirmation(ValidationError):
    """A rule the user may set aside for one session by answering yes: `title` heads the
    question, and saving again with `permission` (a keyword of `save_session`) set to True
    gets past it."""

    title = ""
    permission = ""


class SameDayConflict(NeedsConfirmation):
    """Another session already stands on that day; the user may confirm a second one."""

    title = "同一天已有场次"
    permission = "allow_same_day"


class DayOffConflict(NeedsConfirmation):
    """The day is a holiday or a weekend; the user may confirm a session there all the same
    (a weekend study day happens, but a slip of the date picker is likelier)."""

    title = "不是工作日"
    permission = "allow_day_off"


@dataclass(frozen=True)
class TopicOverview:
    """A topic with its progress, as the topic panel lists it."""

    topic: Topic
    state: TopicState
    scheduled: int  # sessions not cancelled that cover it
    held: int


@dataclass(frozen=True)
class QuarterCoverage:
    quarter: int
    held: int
    planned: int

    @property
    def mark(self) -> str:
        """✓ a session was held, ○ only planned ones, – none yet."""
        if self.held:
            return "✓"
        return "○" if self.planned else "–"


@dataclass(frozen=True)
class PlanReplacement:
    """A plan read from a file, and what making it its year's plan would do: `replaces` an
    existing plan, and takes from each session in `losing` the topic numbers given."""

    plan: Plan
    replaces: bool
    losing: tuple[tuple[Session, tuple[int, ...]], ...] = ()

    def refuse_held(self) -> None:
        """Raise ValidationError when a held session would lose a topic: the record of what
        was studied must not change with a new plan file."""
        numbers = sorted(
            {n for s, lost in self.losing if s.status is SessionStatus.HELD for n in lost}
        )
        if numbers:
            listed = "、".join(str(n) for n in numbers)
            raise ValidationError(
                f"新计划中没有专题 {listed}，而这些专题已有已举行的学习场次；"
                "为保留学习记录，未导入。请检查计划文件的专题编号。"
            )

    @property
    def losing_sentence(self) -> str:
        """Which sessions would lose which topics, in one sentence (empty if none)."""
        if not self.losing:
            return ""
        shown = [
            f"{s.date.month}月{s.date.day}日（专题{'、'.join(map(str, numbers))}）"
            for s, numbers in self.losing[:5]
        ]
        more = f"等 {len(self.losing)} 场" if len(self.losing) > 5 else ""
        return (
            f"新计划中没有 {'、'.join(shown)}{more}学习场次所关联的专题，"
            "导入后这些场次将不再关联它们"
        )

"""The year-end compliance check (合规检查) of the study secretary's records.

Nine checks, each a list of problems in one Chinese line a secretary can act on:
every topic of the plan studied at least once, every finished quarter with a session,
every absence excused or named as 无故缺席 (and every 请假 mark backed by an approved
request), every missed session made up, every past session with its attendance recorded,
every session on a working day, and the three lists' checks (model/duties.py: planned
speakers, results, members' yearly duties). Beside them, notes (提示) of what is not a
problem yet: a member still on the way to a yearly duty while the year runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from studyplan.model.plan import Topic

TOPICS = "topics"


QUARTERS = "quarters"


ABSENCES = "absences"


MAKEUPS = "makeups"


ATTENDANCE = "attendance"


REST_DAYS = "rest_days"


TITLES: dict[str, str] = {
    TOPICS: "每个专题至少集中学习一次",
    QUARTERS: "每季度至少集中学习一次",
    ABSENCES: "缺席须有批准的请假",
    MAKEUPS: "请假、缺席须按期补学",
    ATTENDANCE: "已过日期的学习须登记考勤",
    REST_DAYS: "集中学习安排在工作日",
}


NO_PLAN = "该年度没有学习计划"


_MARK_LABELS = {"leave": "请假", "absent": "缺席"}


@dataclass(frozen=True)
class Problem:
    """One thing to put right: the code of the check that found it, and one line saying what."""

    check: str
    message: str


@dataclass(frozen=True)
class CheckResult:
    code: str
    title: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ComplianceReport:
    year: int
    today: dt.date
    results: list[CheckResult]
    #: Things to look at that break no rule yet (a member on the way to a yearly duty
    #: while the year runs): shown as 提示, never failing the check.
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.results for p in r.problems]

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if not r.passed]

    @property
    def summary(self) -> str:
        head = f"{self.year} 年合规检查：{len(self.results)} 项检查，"
        if self.ok:
            return head + "全部通过"
        return head + f"{len(self.failed)} 项未通过，共 {len(self.problems)} 个问题"


def topic_label(topic: Topic) -> str:
    return f"专题{topic.number}「{topic.title}」"

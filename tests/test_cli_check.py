"""One compliance check (issues 17 and 18): the 三张清单's checks and sessions on a rest day
are checks of `ComplianceService.check()` like the first five, so `studyplan check`, 统计,
the ledger and the documents show them all; members on their way to a duty stay a note
while the year runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studyplan.app.context import Context
from studyplan.cli import main
from studyplan.model.clock import FixedClock
from studyplan.model.compliance import REST_DAYS, TITLES
from studyplan.model.duties import (
    DUTIES_CHECK,
    LIST_CHECK_TITLES,
    RESULTS_CHECK,
    SPEAKERS_CHECK,
    Progress,
    StudyResult,
)
from studyplan.model.plan import CalendarOverride, Plan, Session, SessionStatus, Topic
from studyplan.store import plans
from studyplan.store.db import transaction

RUNNING = dt.date(2026, 4, 1)
ENDED = dt.date(2027, 1, 5)
TOPIC_ONE = "专题1「学习党的创新理论」"
REST_DAY = "2026-03-14（周六）的学习安排在休息日；如为调休上班日，请核实后在工作日历中设为工作日"
SPEAKER = "2026-03-12 学习安排的重点发言人 王建国（办公室） 没有发言记录"
OVERDUE = "成果“调研成果转化”（责任人 李红梅）已逾期（时限 2026-03-31，推进中）"
ON_THE_WAY = (
    "王建国（局领导）：交流发言 0/1、心得体会 0/2、调研报告或理论文章 0/1、个人自学计划 0/1"
)


def _context(path: Path, today: dt.date = RUNNING) -> Context:
    return Context.open(path, clock=FixedClock.on(today))


def _plan(context: Context, topics: int = 2) -> None:
    titles = ["学习党的创新理论", "学习科技创新论述"]
    with transaction(context.db):
        plans.save_plan(
            context.db,
            Plan(
                2026,
                "2026年理论学习中心组专题学习计划",
                tuple(Topic(2026, n, titles[n - 1]) for n in range(1, topics + 1)),
            ),
        )


def _held(context: Context, day: dt.date, topic: int = 1, **kwargs) -> int:
    session_id = context.planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=(topic,)), **kwargs
    )
    context.attendance.mark_all_present(session_id)
    return session_id


@pytest.fixture
def scene(tmp_path: Path) -> Path:
    """2026: two topics, a held session on Thursday 03-12 (专题1) with a planned speaker who
    did not speak, one on Saturday 03-14 (专题2), a result overdue since 03-31, and two
    members named 王建国 told apart by department."""
    path = tmp_path / "check.db"
    context = _context(path)
    _plan(context)
    wang = context.attendance.add_member("王建国", "局长", "组长", "局领导")
    namesake = context.attendance.add_member("王建国", "科员", "成员", "办公室")
    li = context.attendance.add_member("李红梅", "副局长", "副组长", "局领导")
    assert wang.id and namesake.id and li.id
    thursday = _held(context, dt.date(2026, 3, 12))
    _held(context, dt.date(2026, 3, 14), topic=2, allow_day_off=True)
    lists = context.lists
    lists.add_planned_speaker(namesake.id, "谈理论学习", session_id=thursday)
    topic_two = context.planning.topics(2026)[1]
    lists.add_result(
        StudyResult(
            name="调研成果转化",
            kind="工作部署",
            member_id=li.id,
            due=dt.date(2026, 3, 31),
            progress=Progress.UNDER_WAY,
            topic_id=topic_two.id,
        )
    )
    context.close()
    return path


def _messages(report, code: str) -> list[str]:
    return [p.message for p in next(r for r in report.results if r.code == code).problems]


def test_check_holds_the_lists_and_rest_days_as_checks_of_their_own(scene: Path) -> None:
    context = _context(scene)
    report = context.compliance.check(2026, RUNNING)
    titles = {r.code: r.title for r in report.results}
    assert len(report.results) == 9
    assert titles[REST_DAYS] == TITLES[REST_DAYS] == "集中学习安排在工作日"
    assert titles[SPEAKERS_CHECK] == LIST_CHECK_TITLES[SPEAKERS_CHECK]
    assert _messages(report, REST_DAYS) == [REST_DAY]
    assert _messages(report, SPEAKERS_CHECK) == [SPEAKER]
    # While the year runs a held topic without a result is not yet a problem; overdue is.
    assert _messages(report, RESULTS_CHECK) == [OVERDUE]
    # Members short of a duty are on their way: notes, not problems.
    assert next(r for r in report.results if r.code == DUTIES_CHECK).passed
    notes = [n.message for n in report.notes]
    assert f"{ON_THE_WAY}，年度学习任务尚在进行中" in notes
    assert len(notes) == 3 and all(n.check == DUTIES_CHECK for n in report.notes)
    assert report.summary == "2026 年合规检查：9 项检查，3 项未通过，共 3 个问题"
    context.close()


def test_once_the_year_ended_results_and_duties_are_problems(scene: Path) -> None:
    context = _context(scene, ENDED)
    report = context.compliance.check(2026, ENDED)
    assert _messages(report, RESULTS_CHECK) == [f"{TOPIC_ONE}已学习，但没有成果转化", OVERDUE]
    duties = _messages(report, DUTIES_CHECK)
    assert f"{ON_THE_WAY}，年度学习任务未完成" in duties and len(duties) == 3
    assert report.notes == []
    context.close()


def test_a_rest_day_the_calendar_makes_a_working_day_is_no_problem(scene: Path) -> None:
    context = _context(scene)
    context.planning.set_overrides(2026, [CalendarOverride(dt.date(2026, 3, 14), True, "调休上班")])
    report = context.compliance.check(2026, RUNNING)
    assert next(r for r in report.results if r.code == REST_DAYS).passed
    assert not any("休息日" in p.message for p in report.problems)
    context.close()


def test_a_cancelled_session_on_a_rest_day_is_no_problem(tmp_path: Path) -> None:
    context = _context(tmp_path / "c.db")
    _plan(context, topics=1)
    context.planning.save_session(
        Session(
            date=dt.date(2026, 3, 15),
            start=dt.time(9),
            end=dt.time(11),
            topic_numbers=(1,),
            status=SessionStatus.CANCELLED,
        ),
        allow_day_off=True,
    )
    assert context.compliance.check(2026, RUNNING).results[5].passed
    context.close()


def run(capsys, *args: str, today: dt.date) -> tuple[int, str, str]:
    code = main(list(args), today=today)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_check_prints_every_check_s_lines_and_exits_1(capsys, scene: Path) -> None:
    code, out, err = run(capsys, "--db", str(scene), "check", "--year", "2026", today=RUNNING)
    lines = out.strip().splitlines()
    assert code == 1 and err == ""
    assert REST_DAY in lines and SPEAKER in lines and OVERDUE in lines
    assert f"提示：{ON_THE_WAY}，年度学习任务尚在进行中" in lines
    assert lines[-1] == "2026 年合规检查：9 项检查，3 项未通过，共 3 个问题"
    code, out, _ = run(capsys, "--db", str(scene), "check", "--year", "2026", today=ENDED)
    lines = out.strip().splitlines()
    assert code == 1
    assert f"{ON_THE_WAY}，年度学习任务未完成" in lines
    assert f"{TOPIC_ONE}已学习，但没有成果转化" in lines
    assert not any(line.startswith("提示：") for line in lines)


def test_cli_check_passes_with_notes_only(capsys, tmp_path: Path) -> None:
    """A year whose only findings are members on their way to a duty passes (exit 0)."""
    path = tmp_path / "ok.db"
    context = _context(path)
    _plan(context, topics=1)
    context.attendance.add_member("李红梅", "副局长", "副组长", "局领导")
    _held(context, dt.date(2026, 3, 12))
    context.close()
    code, out, err = run(capsys, "--db", str(path), "check", "--year", "2026", today=RUNNING)
    lines = out.strip().splitlines()
    assert code == 0 and err == ""
    assert lines == [
        "提示：李红梅：交流发言 0/1、心得体会 0/2、调研报告或理论文章 0/1、个人自学计划 0/1，"
        "年度学习任务尚在进行中",
        "2026 年合规检查：9 项检查，全部通过",
    ]

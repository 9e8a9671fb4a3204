"""Planning use cases: bundled plan, sessions with validation, auto-schedule, overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studyplan.app.planning import PlanningService
from studyplan.model.errors import NotFoundError, StudyplanError, ValidationError
from studyplan.model.plan import (
    CalendarOverride,
    ScheduleRequest,
    Session,
    SessionStatus,
    TopicState,
)
from studyplan.model.planning import SameDayConflict


@pytest.fixture
def service(db) -> PlanningService:
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    return planning


def _session(day: dt.date, *topics: int, start=dt.time(15), end=dt.time(17), **changes) -> Session:
    return Session(date=day, start=start, end=end, topic_numbers=topics, **changes)


def test_bundled_plan_loads_once(db) -> None:
    service = PlanningService(db)
    assert service.ensure_bundled_plan() is True
    assert service.ensure_bundled_plan() is False
    topics = service.topics(2026)
    assert [t.number for t in topics] == list(range(1, 15))
    assert db.execute("SELECT count(*) FROM topics").fetchone()[0] == 14


def test_session_round_trip_and_topic_states(service: PlanningService) -> None:
    held = service.save_session(_session(dt.date(2026, 3, 12), 1, 2, status=SessionStatus.HELD))
    service.save_session(_session(dt.date(2026, 4, 9), 3))
    states = {o.topic.number: o.state for o in service.topic_overview(2026)}
    assert states[1] is TopicState.STUDIED and states[2] is TopicState.STUDIED
    assert states[3] is TopicState.SCHEDULED
    assert states[4] is TopicState.UNSCHEDULED
    stored = service.session(held)
    assert stored.topic_numbers == (1, 2) and stored.status is SessionStatus.HELD


@pytest.mark.parametrize(
    ("session", "message"),
    [
        (
            _session(dt.date(2026, 3, 12), 1, start=dt.time(17), end=dt.time(15)),
            "结束时间必须晚于开始时间",
        ),
        (_session(dt.date(2026, 3, 12), 15), "没有专题 15"),
        (_session(dt.date(99, 3, 12), 1), "超出支持范围"),
    ],
)
def test_invalid_sessions_are_refused_unchanged(service, session, message) -> None:
    with pytest.raises(ValidationError, match=message):
        service.save_session(session)
    assert service.sessions() == []


def test_second_session_on_a_day_needs_confirmation(service: PlanningService) -> None:
    service.save_session(_session(dt.date(2026, 3, 12), 1))
    with pytest.raises(SameDayConflict):
        service.save_session(_session(dt.date(2026, 3, 12), 2))
    service.save_session(_session(dt.date(2026, 3, 12), 2), allow_same_day=True)
    assert len(service.sessions(2026)) == 2


def test_editing_a_session_keeps_its_own_day(service: PlanningService) -> None:
    session_id = service.save_session(_session(dt.date(2026, 3, 12), 1))
    session = service.session(session_id)
    session.location = "党员活动室"
    service.save_session(session)
    assert service.session(session_id).location == "党员活动室"


def test_delete_returns_what_was_removed(service: PlanningService) -> None:
    session_id = service.save_session(_session(dt.date(2026, 3, 12), 1))
    removed = service.delete_session(session_id)
    assert removed.topic_numbers == (1,)
    with pytest.raises(NotFoundError):
        service.session(session_id)


def test_auto_schedule_covers_topics_and_quarters(service: PlanningService) -> None:
    proposal = service.propose_schedule(ScheduleRequest(year=2026))
    assert service.sessions(2026) == []  # a proposal writes nothing
    service.apply_schedule(proposal)
    sessions = service.sessions(2026)
    covered = {n for s in sessions for n in s.topic_numbers}
    assert covered == set(range(1, 15))
    assert {s.quarter for s in sessions} == {1, 2, 3, 4}
    assert len({s.date for s in sessions}) == len(sessions)
    assert all(service.calendar.is_workday(s.date) for s in sessions)
    assert service.coverage_line(2026) == "一季度 ○ 二季度 ○ 三季度 ○ 四季度 ○"


def test_apply_schedule_is_all_or_nothing(service: PlanningService, monkeypatch) -> None:
    proposal = service.propose_schedule(ScheduleRequest(year=2026))
    from studyplan.store import sessions as session_store

    real_add = session_store.add
    calls = []

    def flaky(db, session):
        calls.append(session)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_add(db, session)

    monkeypatch.setattr(session_store, "add", flaky)
    with pytest.raises(RuntimeError):
        service.apply_schedule(proposal)
    assert service.sessions(2026) == []


def test_import_plan_for_another_year(service: PlanningService, tmp_path) -> None:
    plan_file = tmp_path / "plan.txt"
    plan_file.write_text(
        "2030年学习计划\n一、专题内容\n1.第一个专题\n说明一\n2.第二个专题\n说明二\n",
        encoding="utf-8",
    )
    plan = service.import_plan(plan_file, 2030)
    assert [t.title for t in plan.topics] == ["第一个专题", "第二个专题"]
    assert service.plan_years() == [2026, 2030]
    assert len(service.topics(2026)) == 14


def test_failed_import_writes_nothing(service: PlanningService, tmp_path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("没有任何专题的文字。", encoding="utf-8")
    with pytest.raises(StudyplanError):
        service.import_plan(bad, 2030)
    assert service.plan_years() == [2026]


def _three_topic_plan(tmp_path) -> Path:
    plan_file = tmp_path / "三个专题.txt"
    plan_file.write_text(
        "2026年学习计划\n1.第一个专题\n说明一\n2.第二个专题\n说明二\n3.第三个专题\n说明三\n",
        encoding="utf-8",
    )
    return plan_file


def test_a_plan_that_would_take_topics_from_planned_sessions_is_shown_first(
    service: PlanningService, tmp_path
) -> None:
    keeps = service.save_session(_session(dt.date(2026, 3, 12), 1, 2))
    loses = service.save_session(_session(dt.date(2026, 4, 9), 3, 4))
    gone = service.save_session(_session(dt.date(2026, 5, 14), 9))
    before = service.topics(2026)
    found = service.read_plan_file(_three_topic_plan(tmp_path), 2026)
    assert found.replaces
    assert [(s.id, numbers) for s, numbers in found.losing] == [(loses, (4,)), (gone, (9,))]
    assert found.losing_sentence.startswith("新计划中没有 4月9日（专题4）、5月14日（专题9）")

    with pytest.raises(ValidationError, match=r"4月9日（专题4）.*未导入"):
        service.import_plan(_three_topic_plan(tmp_path), 2026)
    assert service.topics(2026) == before

    service.import_plan(_three_topic_plan(tmp_path), 2026, detach=True)
    assert [t.number for t in service.topics(2026)] == [1, 2, 3]
    assert service.session(keeps).topic_numbers == (1, 2)
    assert service.session(loses).topic_numbers == (3,)
    assert service.session(gone).topic_numbers == ()


def test_a_plan_without_a_held_sessions_topic_is_refused_even_when_confirmed(
    service: PlanningService, tmp_path
) -> None:
    service.save_session(_session(dt.date(2026, 4, 9), 5, status=SessionStatus.HELD))
    with pytest.raises(ValidationError, match="专题 5，而这些专题已有已举行的学习场次"):
        service.import_plan(_three_topic_plan(tmp_path), 2026, detach=True)
    assert len(service.topics(2026)) == 14


def test_overrides_win_and_are_replaced_per_year(service: PlanningService) -> None:
    saturday = dt.date(2027, 2, 6)
    assert not service.calendar.is_workday(saturday)
    service.set_overrides(2027, [CalendarOverride(saturday, True, "春节调休上班")])
    assert service.calendar.is_workday(saturday)
    assert service.overrides() == [CalendarOverride(saturday, True, "春节调休上班")]
    service.set_overrides(2027, [])
    assert not service.calendar.is_workday(saturday)
    with pytest.raises(ValidationError):
        service.set_overrides(2027, [CalendarOverride(dt.date(2028, 1, 3), False, "x")])


def test_a_saved_change_undone_and_redone_only_over_what_it_left(service) -> None:
    from dataclasses import replace

    from studyplan.app.changes import do
    from studyplan.model.errors import UndoError

    first = do(service.save_session, _session(dt.date(2026, 4, 9), 1, location="三楼"))
    first_after = service.session(first.result)
    assert first.log.added("sessions") == (first.result,) and first_after.location == "三楼"
    edit = do(service.save_session, replace(first_after, location="五楼", topic_numbers=(2,)))
    assert first.result == edit.result and edit.log.updated("sessions") == (edit.result,)

    edit.undo()
    assert service.session(first.result) == first_after
    service.save_session(replace(first_after, notes="又改了"))
    with pytest.raises(UndoError, match="无法重做"):
        edit.redo()
    assert service.session(first.result).notes == "又改了"

    with pytest.raises(UndoError, match="无法撤销"):
        first.undo()  # the session is no longer as first saved
    edit = do(service.save_session, replace(service.session(first.result), location="六楼"))
    service.delete_session(first.result)
    with pytest.raises(UndoError, match="已被删除"):
        edit.undo()


def test_a_weekday_made_a_day_off_is_named_as_one(service: PlanningService) -> None:
    from studyplan.model.planning import DayOffConflict

    wednesday = dt.date(2026, 3, 11)
    service.set_overrides(2026, [CalendarOverride(wednesday, False)])
    with pytest.raises(DayOffConflict, match=r"2026-03-11（休息日）不是工作日"):
        service.save_session(_session(wednesday, 1))
    with pytest.raises(DayOffConflict, match=r"2026-03-14（周六）不是工作日"):
        service.save_session(_session(dt.date(2026, 3, 14), 1))

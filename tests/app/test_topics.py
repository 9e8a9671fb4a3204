"""Topics edited one by one (app/topics.py): each change stored, noted in 操作记录 and undone."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app.changes import do
from studyplan.app.planning import PlanningService
from studyplan.app.topics import (
    TopicFields,
    TopicHasSessions,
    TopicService,
    title_for_year,
    title_with_unit,
)
from studyplan.model.clock import FixedClock
from studyplan.model.errors import NotFoundError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.store import audit

CLOCK = FixedClock(dt.datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db, clock=CLOCK)
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def topics(db, planning) -> TopicService:
    return TopicService(db, clock=CLOCK)


def _titles(planning: PlanningService, year: int = 2026) -> list[str]:
    return [t.title for t in planning.topics(year)]


def _session(planning: PlanningService, day: dt.date, *numbers: int, held: bool = False) -> int:
    status = SessionStatus.HELD if held else SessionStatus.PLANNED
    return planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=numbers, status=status)
    )


def test_adding_a_topic_at_the_end_and_undoing_it(planning, topics, db) -> None:
    before = _titles(planning)
    change = do(
        topics.add_topic,
        2026,
        TopicFields("学习新修订的保密法", "结合本单位实际。", ("《保密法》",), "辅导讲座", 5),
    )
    added = change.result
    assert added.number == len(before) + 1
    stored = planning.topics(2026)[-1]
    assert (stored.title, stored.form, stored.month, stored.readings) == (
        "学习新修订的保密法",
        "辅导讲座",
        5,
        ("《保密法》",),
    )
    assert stored.planned_label == "5月"
    assert "新增专题" in audit.actions(db)
    change.undo()
    assert _titles(planning) == before
    change.redo()
    assert _titles(planning)[-1] == "学习新修订的保密法"


def test_adding_at_a_place_moves_the_others_with_their_sessions(planning, topics) -> None:
    before = _titles(planning)
    session_id = _session(planning, dt.date(2026, 4, 9), 2)
    change = do(topics.add_topic, 2026, TopicFields("新专题", quarter=2), 1)
    assert _titles(planning)[:3] == ["新专题", before[0], before[1]]
    # The session still covers the same topic, now numbered 3.
    assert planning.session(session_id).topic_numbers == (3,)
    change.undo()
    assert _titles(planning) == before
    assert planning.session(session_id).topic_numbers == (2,)


def test_editing_a_topic_and_undoing_it(planning, topics, db) -> None:
    old = planning.topics(2026)[2]
    change = do(
        topics.edit_topic, 2026, 3, TopicFields("改过的标题", "说明", ("篇目一", " "), "", None, 4)
    )
    now = planning.topics(2026)[2]
    assert (now.title, now.description, now.readings, now.quarter) == (
        "改过的标题",
        "说明",
        ("篇目一",),
        4,
    )
    assert now.planned_label == "四季度"
    assert "修改专题" in audit.actions(db)
    change.undo()
    assert planning.topics(2026)[2] == old


def test_moving_a_topic_keeps_its_sessions_and_undoes(planning, topics) -> None:
    before = _titles(planning)
    first = _session(planning, dt.date(2026, 4, 9), 1, 4)
    held = _session(planning, dt.date(2026, 3, 12), 4, held=True)
    change = do(topics.move_topic, 2026, 4, 1)
    assert _titles(planning)[:4] == [before[3], before[0], before[1], before[2]]
    assert planning.session(first).topic_numbers == (1, 2)
    assert planning.session(held).topic_numbers == (1,)
    change.undo()
    assert _titles(planning) == before
    assert planning.session(first).topic_numbers == (1, 4)
    change.redo()
    assert _titles(planning)[0] == before[3]


def test_deleting_asks_about_planned_sessions_and_refuses_held_ones(planning, topics) -> None:
    before = _titles(planning)
    planned = _session(planning, dt.date(2026, 4, 9), 2, 5)
    with pytest.raises(TopicHasSessions, match="4月9日"):
        topics.delete_topic(2026, 2)
    change = do(topics.delete_topic, 2026, 2, detach=True)
    assert _titles(planning) == [before[0], *before[2:]]
    assert planning.session(planned).topic_numbers == (4,)  # topic 5 is now the 4th
    change.undo()
    assert _titles(planning) == before
    assert planning.session(planned).topic_numbers == (2, 5)
    _session(planning, dt.date(2026, 3, 12), 7, held=True)
    with pytest.raises(ValidationError, match="不能删除"):
        topics.delete_topic(2026, 7, detach=True)


def test_undoing_an_added_topic_is_refused_once_a_session_covers_it(planning, topics) -> None:
    change = do(topics.add_topic, 2026, TopicFields("新专题"))
    _session(planning, dt.date(2026, 4, 9), change.result.number)
    with pytest.raises(Exception, match="已安排学习场次"):
        change.undo()


def test_wrong_input_is_one_sentence(topics) -> None:
    with pytest.raises(ValidationError, match="专题名称"):
        topics.add_topic(2026, TopicFields("  "))
    with pytest.raises(ValidationError, match="月份或季度"):
        topics.add_topic(2026, TopicFields("题", month=3, quarter=1))
    with pytest.raises(NotFoundError, match="没有专题 99"):
        topics.edit_topic(2026, 99, TopicFields("题"))
    with pytest.raises(ValidationError, match="位置"):
        topics.move_topic(2026, 1, 40)


def test_copying_a_plan_makes_next_years_draft_without_sessions(planning, topics, db) -> None:
    _session(planning, dt.date(2026, 4, 9), 1, held=True)
    change = do(topics.copy_plan, 2026, 2027)
    plan = change.result
    assert plan.title == "市科学技术局2027年理论学习中心组专题学习计划"
    assert _titles(planning, 2027) == _titles(planning, 2026)
    assert planning.sessions(2027) == []
    with pytest.raises(ValidationError, match="已有学习计划"):
        topics.copy_plan(2026, 2027)
    change.undo()
    assert planning.topics(2027) == []
    assert planning.plan_title(2027) is None
    with pytest.raises(NotFoundError):
        topics.copy_plan(2030, 2031)


def test_plan_title_edited_and_shown_with_the_units_name(planning, topics, db) -> None:
    change = do(topics.set_plan_title, 2026, "  新的 标题 ")
    assert planning.plan_title(2026) == "新的 标题"
    change.undo()
    assert planning.plan_title(2026) == "市科学技术局2026年理论学习中心组专题学习计划"
    from studyplan.app.unit import UnitService
    from studyplan.model.unit import UnitDetails

    UnitService(db).save(UnitDetails(name="市生态环境局"))
    assert topics.plan_title(2026) == "市生态环境局2026年理论学习中心组专题学习计划"


def test_a_plan_begun_in_the_app(topics, planning) -> None:
    topics.add_topic(2028, TopicFields("第一个专题"))
    assert planning.plan_title(2028) == "2028年理论学习中心组学习计划"
    assert _titles(planning, 2028) == ["第一个专题"]


def test_title_rules() -> None:
    assert title_for_year("某局2026年学习计划", 2026, 2027) == "某局2027年学习计划"
    assert title_for_year("学习计划", 2026, 2027) == "学习计划（2027年）"
    assert title_with_unit("某局2026年理论学习中心组学习计划", "") == (
        "某局2026年理论学习中心组学习计划"
    )


def test_an_empty_plan_never_throws_a_plan_away(topics, planning) -> None:
    with pytest.raises(ValidationError, match="已有学习计划"):
        topics.start_empty_plan(2026)
    assert len(planning.topics(2026)) == 14
    topics.start_empty_plan(2029)
    assert planning.plan_title(2029) == "2029年理论学习中心组学习计划"
    assert planning.topics(2029) == []

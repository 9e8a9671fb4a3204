"""The plan's topics and title, and the three lists and a member's year, refuse text the CJK
fonts cannot print, naming the character, and keep nothing of the refused change: the
ledger and the lists print every one of them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.lists import ListsService
from studyplan.app.planning import PlanningService
from studyplan.app.topics import TopicFields, TopicService
from studyplan.model.duties import Progress, StudyResult
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session
from studyplan.store import plans as plan_store


@pytest.fixture
def setup(db):
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    member = AttendanceService(db).add_member("王建国", "局长", "组长", "局领导")
    topic = planning.topics(2026)[0]
    session_id = planning.save_session(
        Session(dt.date(2026, 3, 13), dt.time(15), dt.time(17), topic_numbers=(topic.number,))
    )
    return SimpleNamespace(db=db, member=member, topic=topic, session_id=session_id)


def test_topics_and_the_plan_title_are_refused(setup) -> None:
    topics = TopicService(setup.db)
    with pytest.raises(ValidationError, match=r"^专题名称中的“😀”无法打印，请删去。$"):
        topics.add_topic(2026, TopicFields("学习😀"))
    with pytest.raises(ValidationError, match=r"^专题说明中的“✅”无法打印，请删去。$"):
        topics.edit_topic(2026, 1, TopicFields("学习", description="说明✅"))
    with pytest.raises(ValidationError, match=r"^学习篇目中的“📘”无法打印，请删去。$"):
        topics.add_topic(2026, TopicFields("学习", readings=("党章", "📘读本")))
    with pytest.raises(ValidationError, match=r"^计划标题中的“\ue000”无法打印，请删去。$"):
        topics.set_plan_title(2026, "计划\ue000")
    assert plan_store.plan_title(setup.db, 2026) != "计划\ue000"
    assert setup.topic.title == topics.topic(2026, 1).title


def test_copying_a_plan_kept_with_such_a_title_is_refused(setup) -> None:
    plan_store.set_plan_title(setup.db, 2026, "2026年计划🎉")  # kept before the rule
    with pytest.raises(ValidationError, match="标题中的“🎉”无法打印"):
        TopicService(setup.db).copy_plan(2026, 2027)
    assert plan_store.topics(setup.db, 2027) == []


def test_the_lists_and_a_members_year_are_refused(setup) -> None:
    lists = ListsService(setup.db)
    with pytest.raises(ValidationError, match=r"^主持人中的“😀”无法打印，请删去。$"):
        lists.set_topic_arrangement(setup.topic.id, host="王😀")
    with pytest.raises(ValidationError, match=r"^责任处室中的“🏢”"):
        lists.set_session_department(setup.session_id, "🏢办公室")
    with pytest.raises(ValidationError, match=r"^发言题目中的“✨”"):
        lists.add_planned_speaker(setup.member.id, "创新✨", session_id=setup.session_id)
    result = StudyResult(
        name="调研报告🔥",
        kind=lists.result_types()[0],
        member_id=setup.member.id,
        due=dt.date(2026, 6, 1),
        progress=next(iter(Progress)),
        topic_id=setup.topic.id,
    )
    with pytest.raises(ValidationError, match=r"^成果名称中的“🔥”"):
        lists.add_result(result)
    with pytest.raises(ValidationError, match=r"^题目中的“📄”"):
        lists.add_paper(setup.member.id, "理论文章", "论📄", dt.date(2026, 4, 1))
    with pytest.raises(ValidationError, match=r"^检查意见中的“👍”"):
        lists.add_note_check(setup.member.id, dt.date(2026, 4, 1), "李", "认真👍")
    with pytest.raises(ValidationError, match=r"^学习形式中的“🎤”"):
        lists.set_study_forms(["演讲🎤"])
    with pytest.raises(ValidationError, match=r"^成果类型中的“⭐”"):
        lists.set_result_types(["星级⭐"])
    assert lists.results(2026) == [] and "演讲🎤" not in lists.study_forms()
    assert lists.topic_arrangement(setup.topic.id).host == ""

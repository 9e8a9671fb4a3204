"""三张清单 and the members' years (issue 18): speakers checked against speeches, results
flagged when overdue, duties against the settings, undo, and the numbers everywhere alike."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.app.compliance import ComplianceService
from studyplan.app.demo import build_demo
from studyplan.app.lists import ListsService
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.model.duties import (
    DUTIES_CHECK,
    RESULTS_CHECK,
    SPEAKERS_CHECK,
    DutyState,
    Progress,
    SpeakerState,
    StudyResult,
    duty_state,
)
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session
from studyplan.store import lists as lists_store

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def setup(db, tmp_path):
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    attendance = AttendanceService(db)
    a = attendance.add_member("王建国", "局长", "组长", "局领导")
    b = attendance.add_member("李红梅", "副局长", "成员", "局领导")
    topic = planning.topics(2026)[0]
    session_id = planning.save_session(
        Session(
            date=dt.date(2026, 3, 13),
            start=dt.time(15),
            end=dt.time(17),
            topic_numbers=(topic.number,),
        )
    )
    session = planning.session(session_id)
    return SimpleNamespace(
        db=db,
        planning=planning,
        attendance=attendance,
        records=RecordsService(db, tmp_path / "archive"),
        a=a,
        b=b,
        session=session,
    )


def _check(db, code, today=TODAY):
    report = ComplianceService(db).lists_check(2026, today).report
    return next(r for r in report.results if r.code == code)


def test_a_planned_speaker_is_met_by_a_speech_and_one_without_is_pointed_out(setup):
    lists = ListsService(setup.db)
    lists.add_planned_speaker(setup.a.id, "谈科技创新", session_id=setup.session.id)
    lists.add_planned_speaker(setup.b.id, "谈成果转化", session_id=setup.session.id)
    with pytest.raises(ValidationError, match="已安排"):
        lists.add_planned_speaker(setup.b.id, session_id=setup.session.id)
    [line] = lists.lists(2026, TODAY).sessions
    assert [s.state for s in line.speakers] == [SpeakerState.WAITING] * 2

    setup.attendance.mark_all_present(setup.session.id)  # held
    setup.records.add_speech(setup.session.id, setup.a.name, "谈科技创新", member_id=setup.a.id)
    data = lists.lists(2026, TODAY)
    assert [(s.name, s.state) for s in data.sessions[0].speakers] == [
        ("王建国", SpeakerState.MET),
        ("李红梅", SpeakerState.MISSING),
    ]
    [problem] = _check(setup.db, SPEAKERS_CHECK).problems
    assert "李红梅" in problem.message and "没有发言记录" in problem.message


def test_a_topic_speaker_is_met_at_any_held_session_of_the_topic(setup):
    lists = ListsService(setup.db)
    topic = setup.planning.topics(2026)[0]
    lists.add_planned_speaker(setup.b.id, "专题发言", topic_id=topic.id)
    setup.attendance.mark_all_present(setup.session.id)
    assert lists.lists(2026, TODAY).topics[0].speakers[0].state is SpeakerState.MISSING
    setup.records.add_speech(setup.session.id, setup.b.name, member_id=setup.b.id)
    assert lists.lists(2026, TODAY).topics[0].speakers[0].state is SpeakerState.MET


def test_a_result_past_its_deadline_is_flagged_until_done(setup):
    lists = ListsService(setup.db)
    result = lists.add_result(
        StudyResult(
            name="成果转化办法",
            kind="制度机制",
            member_id=setup.a.id,
            due=dt.date(2026, 5, 31),
            session_id=setup.session.id,
        )
    )
    [line] = lists.lists(2026, TODAY).results
    assert line.overdue and line.owner == "王建国"
    assert "已逾期" in _check(setup.db, RESULTS_CHECK).problems[0].message
    lists.update_result(StudyResult(**{**result.__dict__, "progress": Progress.DONE}))
    assert not lists.lists(2026, TODAY).results[0].overdue
    assert _check(setup.db, RESULTS_CHECK).passed


def test_result_types_are_extendable_and_checked(setup):
    lists = ListsService(setup.db)
    bad = StudyResult(
        name="案例", kind="典型案例", member_id=setup.a.id, session_id=setup.session.id
    )
    with pytest.raises(ValidationError, match="不在可选项"):
        lists.add_result(bad)
    assert lists.set_result_types(["典型案例"])[-1] == "典型案例"
    assert lists.add_result(bad).id
    assert "参观见学" in lists.study_forms()


def test_held_topics_without_a_result_are_named_once_the_year_has_ended(setup):
    setup.attendance.mark_all_present(setup.session.id)
    assert _check(setup.db, RESULTS_CHECK).passed  # the year still runs
    [problem] = _check(setup.db, RESULTS_CHECK, dt.date(2027, 1, 5)).problems
    assert "专题1" in problem.message and "没有成果转化" in problem.message


def test_duties_are_settings_with_defaults_and_audited(setup):
    lists = ListsService(setup.db)
    assert lists.required() == {"speeches": 1, "reflections": 2, "papers": 1, "self_plan": 1}
    assert lists.set_required("reflections", 3)
    assert not lists.set_required("reflections", 3)
    with pytest.raises(ValidationError):
        lists.set_required("self_plan", 2)
    actions = setup.db.execute("SELECT action, detail FROM audit_log").fetchall()
    assert ("修改设置", "每年心得体会 3 篇") in actions


def test_members_short_of_a_duty_are_on_their_way_then_named(setup):
    lists = ListsService(setup.db)
    setup.attendance.mark_all_present(setup.session.id)
    setup.records.add_speech(setup.session.id, setup.a.name, member_id=setup.a.id)
    lists.add_paper(setup.a.id, "理论文章", "学习体会", dt.date(2026, 4, 1), "/tmp/文章.docx")
    lists.set_self_plan(setup.a.id, 2026, dt.date(2026, 1, 15))
    lists.add_note_check(setup.a.id, dt.date(2026, 6, 20), "王建国", "认真")
    running = ComplianceService(setup.db).lists_check(2026, TODAY)
    assert running.report.results[2].passed
    assert any(line.startswith("王建国：心得体会 0/2") for line in running.on_the_way)
    ended = _check(setup.db, DUTIES_CHECK, dt.date(2027, 1, 5))
    assert [p.message.split("：")[0] for p in ended.problems] == ["王建国", "李红梅"]
    year = lists.member_year(setup.a.id, 2026, TODAY)
    assert year.as_dict()["speeches"] == 1 and year.counts.papers == 1
    assert year.counts.self_plan == 1 and year.counts.note_checks == 1
    assert duty_state(0, 1, year_over=False) is DutyState.ON_THE_WAY


def test_adding_a_result_can_be_undone_and_is_recorded(setup):
    lists = ListsService(setup.db)
    change = do(
        lists.add_result,
        StudyResult(
            name="调研报告", kind="调研报告", member_id=setup.b.id, session_id=setup.session.id
        ),
    )
    assert change.text == "新增学习成果（调研报告）" and change.touches({"study_results"})
    change.undo()
    assert lists_store.results(setup.db, 2026) == []
    change.redo()
    assert [r.name for r in lists_store.results(setup.db, 2026)] == ["调研报告"]
    actions = [row[0] for row in setup.db.execute("SELECT action FROM audit_log")]
    assert actions.count("新增学习成果") == 2 and "删除学习成果" in actions


def test_demo_fills_the_lists(db):
    build_demo(db, year=2026, today=dt.date(2027, 1, 10))
    data = ListsService(db).lists(2026, dt.date(2027, 1, 10))
    assert all(line.arrangement.form for line in data.topics)
    assert data.results and any(line.overdue for line in data.results)
    assert any(s.state is SpeakerState.MET for line in data.sessions for s in line.speakers)
    assert len(data.missing_speakers) == 1
    assert any(m.papers for m in data.members) and any(m.note_checks for m in data.members)


def test_the_notice_lists_the_speakers_of_the_session_and_of_its_topics(setup):
    lists = ListsService(setup.db)
    topic = setup.planning.topics(2026)[0]
    lists.add_planned_speaker(setup.b.id, "专题发言", topic_id=topic.id)
    lists.add_planned_speaker(setup.a.id, "谈科技创新", session_id=setup.session.id)
    assert lists.speakers_for_session(setup.session.id) == [
        ("李红梅", "专题发言"),
        ("王建国", "谈科技创新"),
    ]


def test_files_chosen_are_copied_into_the_archive(setup, tmp_path):
    archive = tmp_path / "档案"
    lists = ListsService(setup.db, archive)
    source = tmp_path / "办法.pdf"
    source.write_bytes(b"%PDF-1.4 scan")
    first = lists.add_result(
        StudyResult(
            name="办法",
            kind="制度机制",
            member_id=setup.a.id,
            attachments=(str(source), "纸质件存办公室"),
            session_id=setup.session.id,
        )
    )
    assert first.attachments == ("2026/清单/办法.pdf", "纸质件存办公室")
    assert (archive / "2026" / "清单" / "办法.pdf").read_bytes() == b"%PDF-1.4 scan"
    paper = lists.add_paper(setup.a.id, "调研报告", "调研", dt.date(2026, 4, 1), str(source))
    assert paper.file == "2026/清单/办法(2).pdf"  # never over another file
    assert lists.file_path(paper.file) == (archive / "2026" / "清单" / "办法(2).pdf").resolve()
    assert lists.file_path("纸质件存办公室") is None


def test_the_lists_of_several_years_read_at_once_are_each_year_s_own(db):
    """`collect_lists_of` (the all-years ledger's) reads the roster and the record of the
    years once: each year's lists and members' years are those read for it alone."""
    from studyplan.app.lists_data import collect_lists, collect_lists_of, member_years
    from studyplan.store import reports
    from studyplan.store.db import reading

    build_demo(db, year=2023, years=4, members=10, today=TODAY)
    years = [2023, 2025, 2026]  # not every year, and not one after another
    with reading(db):
        alone = [collect_lists(db, year, TODAY) for year in years]
        assert collect_lists_of(db, years, TODAY) == alone
        every_mark = reports.marks_between(db, dt.date(2023, 1, 1), dt.date(2026, 12, 31))
        assert collect_lists_of(db, years, TODAY, marks=every_mark) == alone
        assert [lists.members for lists in alone] == [member_years(db, y, TODAY) for y in years]
        assert collect_lists_of(db, [], TODAY) == []
    assert any(entry.absences for entry in alone[0].members)
    assert any(entry.reflections for entry in alone[1].members)

from __future__ import annotations

import itertools
import time
from datetime import date
from datetime import time as clock

import pytest

from studyplan.model.errors import ValidationError
from studyplan.model.plan import ScheduleRequest, Session, SessionStatus, Topic
from studyplan.model.scheduler import propose_schedule, rule_dates, session_end_time
from studyplan.model.workdays import WorkCalendar

TOPICS = [Topic(2026, n, f"专题{n}") for n in range(1, 15)]
ALL_NUMBERS = set(range(1, 15))


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def session(day: date, status: SessionStatus, topics: tuple[int, ...] = ()) -> Session:
    return Session(day, clock(9), clock(11), topic_numbers=topics, status=status)


def covered(sessions: list[Session]) -> set[int]:
    return {n for s in sessions for n in s.topic_numbers}


def check_sane(sessions: list[Session], cal: WorkCalendar) -> None:
    dates = [s.date for s in sessions]
    assert dates == sorted(dates)
    assert len(set(dates)) == len(dates)
    assert all(cal.is_workday(d) for d in dates)


def test_default_request_for_2026(cal: WorkCalendar) -> None:
    request = ScheduleRequest(2026)
    proposal = propose_schedule(request, TOPICS, [], cal)
    new = proposal.new_sessions
    check_sane(new, cal)
    assert covered(new) == ALL_NUMBERS
    assert {s.quarter for s in new} == {1, 2, 3, 4}
    assert proposal.removed_sessions == []
    # Twelve second Thursdays for fourteen topics: two sessions carry two topics.
    assert len(new) == 12
    assert [len(s.topic_numbers) for s in new] == [2, 2] + [1] * 10
    assert [n for s in new for n in s.topic_numbers] == list(range(1, 15))
    first = new[0]
    assert first.date == date(2026, 1, 8)
    assert (first.start, first.end) == (clock(15), clock(17))
    assert first.location == request.location
    assert first.form == request.form
    assert all(s.status is SessionStatus.PLANNED and s.id is None for s in new)
    assert proposal.warnings


def test_same_input_same_output(cal: WorkCalendar) -> None:
    request = ScheduleRequest(2026, rule="FREQ=WEEKLY;BYDAY=TH")
    existing = [session(date(2026, 3, 5), SessionStatus.HELD, (2,))]
    first = propose_schedule(request, TOPICS, existing, cal)
    second = propose_schedule(request, TOPICS, existing, WorkCalendar())
    assert first == second


def test_holiday_slot_moves_within_its_week(cal: WorkCalendar) -> None:
    national_day = date(2026, 10, 1)
    assert not cal.is_workday(national_day)
    expected = cal.nearest_workday_in_week(national_day, set())
    assert expected == date(2026, 9, 30)

    request = ScheduleRequest(2026, rule="FREQ=WEEKLY;BYDAY=TH", start_date=date(2026, 9, 25))
    proposal = propose_schedule(request, TOPICS, [], cal)
    dates = [s.date for s in proposal.new_sessions]
    check_sane(proposal.new_sessions, cal)
    assert dates[0] == expected
    assert national_day not in dates
    assert date(2026, 10, 8) in dates


def test_slot_with_no_working_day_in_week_is_dropped(cal: WorkCalendar) -> None:
    # 2026-02-19 is in the Spring Festival week, which has no working day. The weekly rule
    # names 45 Thursdays for 14 topics, so losing one costs nothing and is not worth a word.
    request = ScheduleRequest(2026, rule="FREQ=WEEKLY;BYDAY=TH", start_date=date(2026, 2, 19))
    proposal = propose_schedule(request, TOPICS, [], cal)
    assert len(proposal.new_sessions) == 14
    assert all(s.date > date(2026, 2, 22) for s in proposal.new_sessions)
    assert not any("2026年2月19日" in w for w in proposal.warnings)


def test_a_dropped_slot_that_was_needed_is_named(cal: WorkCalendar) -> None:
    # The 19th of each month: twelve dates for fourteen topics, so every one counts.
    request = ScheduleRequest(2026, rule="FREQ=MONTHLY;BYMONTHDAY=19")
    proposal = propose_schedule(request, TOPICS, [], cal)
    assert date(2026, 2, 19) not in [s.date for s in proposal.new_sessions]
    dropped = [w for w in proposal.warnings if "已跳过" in w]
    assert dropped == ["2026年2月19日当天是春节，同一周内没有工作日，已跳过。"]


def test_a_daily_rule_warns_about_no_weekend(cal: WorkCalendar) -> None:
    # FREQ=DAILY names every Saturday and Sunday; none of them is needed, so none is named
    # (there were 114 "同一周内没有可调整的工作日" lines, one per day off).
    proposal = propose_schedule(ScheduleRequest(2026, rule="FREQ=DAILY"), TOPICS, [], cal)
    check_sane(proposal.new_sessions, cal)
    assert len(proposal.new_sessions) == 14
    assert proposal.warnings == []


def test_a_dropped_weekend_whose_week_is_full_says_so(cal: WorkCalendar) -> None:
    # Daily from Monday 21 December: nine working days for fourteen topics. The weekend's
    # week has working days, but the rule's own dates fill them all.
    request = ScheduleRequest(2026, rule="FREQ=DAILY", start_date=date(2026, 12, 21))
    proposal = propose_schedule(request, TOPICS, [], cal)
    assert len(proposal.new_sessions) == 9
    assert [w for w in proposal.warnings if "已跳过" in w] == [
        "2026年12月26日当天是休息日，同一周的工作日都已安排了学习，已跳过。",
        "2026年12月27日当天是休息日，同一周的工作日都已安排了学习，已跳过。",
    ]
    # From Saturday 26 December the weekend's working days lie before the start date.
    request = ScheduleRequest(2026, rule="FREQ=DAILY", start_date=date(2026, 12, 26))
    proposal = propose_schedule(request, TOPICS, [], cal)
    assert "2026年12月26日当天是休息日，同一周在排期范围内没有工作日，已跳过。" in (
        proposal.warnings
    )


def test_a_quarter_whose_only_slot_is_dropped_is_named(cal: WorkCalendar) -> None:
    # Every topic is covered, so only the quarters count: the first quarter's single rule
    # date falls in the Spring Festival week, and a fallback day replaces it.
    held = session(date(2026, 4, 10), SessionStatus.HELD, tuple(range(1, 15)))
    rule = "FREQ=YEARLY;BYMONTH=2,5,8,11;BYMONTHDAY=19"
    proposal = propose_schedule(ScheduleRequest(2026, rule=rule), TOPICS, [held], cal)
    check_sane(proposal.new_sessions, cal)
    assert {s.quarter for s in proposal.new_sessions} == {1, 3, 4}
    assert "2026年2月19日当天是春节，同一周内没有工作日，已跳过。" in proposal.warnings
    assert any(w.startswith("排期规则在第1季度的学习日都无法安排") for w in proposal.warnings)


@pytest.mark.parametrize("form", ["", "   "])
def test_an_empty_form_is_refused(cal: WorkCalendar, form: str) -> None:
    with pytest.raises(ValidationError, match="学习形式"):
        propose_schedule(ScheduleRequest(2026, form=form), TOPICS, [], cal)


def test_kept_session_pushes_slot_to_another_day(cal: WorkCalendar) -> None:
    held = session(date(2026, 1, 8), SessionStatus.HELD, (1,))
    proposal = propose_schedule(ScheduleRequest(2026), TOPICS, [held], cal)
    dates = [s.date for s in proposal.new_sessions]
    check_sane(proposal.new_sessions, cal)
    assert date(2026, 1, 8) not in dates
    # Wednesday and Friday are equally close; the earlier wins.
    assert date(2026, 1, 7) in dates
    assert 1 not in covered(proposal.new_sessions)
    assert covered(proposal.new_sessions) == ALL_NUMBERS - {1}


def test_held_sessions_never_moved_or_removed(cal: WorkCalendar) -> None:
    held = session(date(2026, 8, 13), SessionStatus.HELD, (9,))
    request = ScheduleRequest(2026, replace_planned=True)
    proposal = propose_schedule(request, TOPICS, [held], cal)
    assert proposal.removed_sessions == []
    assert held.date not in [s.date for s in proposal.new_sessions]
    assert held.date == date(2026, 8, 13)
    assert 9 not in covered(proposal.new_sessions)


def test_planned_sessions_kept_unless_replaced(cal: WorkCalendar) -> None:
    planned = session(date(2026, 3, 20), SessionStatus.PLANNED, (3,))
    kept = propose_schedule(ScheduleRequest(2026), TOPICS, [planned], cal)
    assert kept.removed_sessions == []
    assert 3 not in covered(kept.new_sessions)
    assert planned.date not in [s.date for s in kept.new_sessions]

    replaced = propose_schedule(ScheduleRequest(2026, replace_planned=True), TOPICS, [planned], cal)
    assert replaced.removed_sessions == [planned]
    assert covered(replaced.new_sessions) == ALL_NUMBERS


def test_replace_planned_only_from_start_date(cal: WorkCalendar) -> None:
    early = session(date(2026, 3, 12), SessionStatus.PLANNED, (1,))
    late = session(date(2026, 9, 10), SessionStatus.PLANNED, (2,))
    held = session(date(2026, 8, 13), SessionStatus.HELD, (3,))
    cancelled = session(date(2026, 10, 8), SessionStatus.CANCELLED, (4,))
    request = ScheduleRequest(2026, start_date=date(2026, 7, 1), replace_planned=True)
    proposal = propose_schedule(request, TOPICS, [early, late, held, cancelled], cal)
    assert proposal.removed_sessions == [late]
    new = proposal.new_sessions
    check_sane(new, cal)
    assert all(s.date >= date(2026, 7, 1) for s in new)
    assert covered(new) == ALL_NUMBERS - {1, 3}
    # A cancelled session neither covers its topic nor blocks its day.
    assert 4 in covered(new)
    assert date(2026, 10, 8) in [s.date for s in new]
    assert date(2026, 8, 13) not in [s.date for s in new]


def test_mid_year_start_covers_remaining_quarters(cal: WorkCalendar) -> None:
    request = ScheduleRequest(2026, start_date=date(2026, 7, 1))
    proposal = propose_schedule(request, TOPICS, [], cal)
    new = proposal.new_sessions
    check_sane(new, cal)
    assert all(s.date >= date(2026, 7, 1) for s in new)
    assert {s.quarter for s in new} == {3, 4}
    assert covered(new) == ALL_NUMBERS
    assert [len(s.topic_numbers) for s in new] == [3, 3, 2, 2, 2, 2]


def test_every_three_weeks(cal: WorkCalendar) -> None:
    """Counted from the first Tuesday on or after the plan's start, not from its week."""
    request = ScheduleRequest(2026, rule="FREQ=WEEKLY;INTERVAL=3;BYDAY=TU")
    slots = rule_dates(request.rule, date(2026, 1, 1), date(2026, 12, 31))
    # The first Tuesday from the plan's start (Thu 1 January) on, then every third week.
    assert slots[:3] == [date(2026, 1, 6), date(2026, 1, 27), date(2026, 2, 17)]
    assert all((b - a).days == 21 for a, b in itertools.pairwise(slots))

    proposal = propose_schedule(request, TOPICS, [], cal)
    new = proposal.new_sessions
    check_sane(new, cal)
    assert len(new) == 14
    assert all(len(s.topic_numbers) == 1 for s in new)
    assert covered(new) == ALL_NUMBERS
    assert {s.quarter for s in new} == {1, 2, 3, 4}
    # 2026-10-06 (Tue) lies in the National Day holiday; its slot moves to Thursday the
    # 8th, the nearest working day of that week.
    dates = [s.date for s in new]
    assert date(2026, 10, 8) in dates and date(2026, 10, 6) not in dates


def test_more_slots_than_topics_spreads_evenly(cal: WorkCalendar) -> None:
    request = ScheduleRequest(2026, rule="FREQ=WEEKLY;BYDAY=TH")
    new = propose_schedule(request, TOPICS, [], cal).new_sessions
    assert len(new) == 14
    assert {s.quarter for s in new} == {1, 2, 3, 4}
    gaps = [(b.date - a.date).days for a, b in itertools.pairwise(new)]
    assert min(gaps) >= 14
    assert max(gaps) <= 42


def test_quarter_without_slot_gets_a_session(cal: WorkCalendar) -> None:
    request = ScheduleRequest(2026, rule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=10")
    proposal = propose_schedule(request, TOPICS, [], cal)
    new = proposal.new_sessions
    check_sane(new, cal)
    assert [s.date for s in new] == [
        date(2026, 3, 10),
        date(2026, 5, 15),
        date(2026, 8, 17),  # the 15th is a Saturday
        date(2026, 11, 16),  # the 15th is a Sunday
    ]
    assert [s.topic_numbers for s in new] == [
        (1, 2, 3, 4),
        (5, 6, 7, 8),
        (9, 10, 11),
        (12, 13, 14),
    ]
    assert sum("季度" in w for w in proposal.warnings) == 3


def test_covered_topics_still_get_every_quarter(cal: WorkCalendar) -> None:
    held = session(date(2026, 2, 10), SessionStatus.HELD, tuple(range(1, 15)))
    request = ScheduleRequest(2026, rule="FREQ=WEEKLY;BYDAY=TH")
    new = propose_schedule(request, TOPICS, [held], cal).new_sessions
    check_sane(new, cal)
    assert {s.quarter for s in new} == {2, 3, 4}
    assert [s.topic_numbers for s in new] == [(1,), (2,), (3,)]


def test_nothing_to_do(cal: WorkCalendar) -> None:
    held = [
        session(date(2026, m, 10), SessionStatus.HELD, tuple(range(1, 15))) for m in (2, 5, 8, 11)
    ]
    proposal = propose_schedule(ScheduleRequest(2026), TOPICS, held, cal)
    assert proposal.new_sessions == []


def test_sessions_of_other_years_are_ignored(cal: WorkCalendar) -> None:
    other = session(date(2025, 3, 12), SessionStatus.PLANNED, (1,))
    proposal = propose_schedule(ScheduleRequest(2026, replace_planned=True), TOPICS, [other], cal)
    assert proposal.removed_sessions == []
    assert covered(proposal.new_sessions) == ALL_NUMBERS


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "BLAH",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=HOURLY",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;UNTIL=20270105",
        "FREQ=MONTHLY;UNTIL=20251231",
        "DTSTART:20250101T000000\nRRULE:FREQ=MONTHLY",
        "RRULE:FREQ=WEEKLY\nEXDATE:20260108T000000",
    ],
)
def test_invalid_rule(cal: WorkCalendar, rule: str) -> None:
    with pytest.raises(ValidationError, match=r"^排期规则无法识别："):
        propose_schedule(ScheduleRequest(2026, rule=rule), TOPICS, [], cal)


def test_impossible_rule_fails_fast(cal: WorkCalendar) -> None:
    begin = time.perf_counter()
    with pytest.raises(ValidationError):
        propose_schedule(
            ScheduleRequest(2026, rule="FREQ=DAILY;BYMONTHDAY=31;BYMONTH=4"), [], [], cal
        )
    assert time.perf_counter() - begin < 0.1


def test_rule_with_own_period_inside_the_year(cal: WorkCalendar) -> None:
    rule = "DTSTART:20260301T000000\nRRULE:FREQ=MONTHLY;BYDAY=+2TH;UNTIL=20260630T235959"
    assert rule_dates(rule, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 3, 12),
        date(2026, 4, 9),
        date(2026, 5, 14),
        date(2026, 6, 11),
    ]


@pytest.mark.parametrize(
    ("start", "minutes"),
    [(clock(15), 10), (clock(15), 601), (clock(23), 120), (clock(14), 600)],
)
def test_invalid_duration(cal: WorkCalendar, start: clock, minutes: int) -> None:
    # 14:00 plus 600 minutes would end at midnight, on the next day.
    request = ScheduleRequest(2026, start_time=start, duration_minutes=minutes)
    with pytest.raises(ValidationError):
        propose_schedule(request, TOPICS, [], cal)


def test_duration_edges() -> None:
    assert session_end_time(clock(8, 30), 15) == clock(8, 45)
    assert session_end_time(clock(8), 600) == clock(18)
    assert session_end_time(clock(21, 59), 120) == clock(23, 59)


@pytest.mark.parametrize("year", [1949, 2101])
def test_year_out_of_range(cal: WorkCalendar, year: int) -> None:
    with pytest.raises(ValidationError, match="年份超出支持范围"):
        propose_schedule(ScheduleRequest(year), [], [], cal)


def test_start_date_outside_year(cal: WorkCalendar) -> None:
    with pytest.raises(ValidationError):
        propose_schedule(ScheduleRequest(2026, start_date=date(2027, 1, 5)), TOPICS, [], cal)


def test_scheduling_a_year_is_fast(cal: WorkCalendar) -> None:
    propose_schedule(ScheduleRequest(2026), TOPICS, [], cal)
    begin = time.perf_counter()
    for rule in ("FREQ=MONTHLY;BYDAY=+2TH", "FREQ=WEEKLY;BYDAY=TH", "FREQ=DAILY"):
        propose_schedule(ScheduleRequest(2026, rule=rule), TOPICS, [], cal)
    assert (time.perf_counter() - begin) / 3 < 0.05


def test_a_start_date_after_the_last_slot_says_what_to_do(cal: WorkCalendar) -> None:
    request = ScheduleRequest(year=2026, start_date=date(2026, 12, 20))
    with pytest.raises(ValidationError, match="没有可用的学习日，请提前起始日期或换一个频次"):
        propose_schedule(request, TOPICS, [], cal)


def test_a_rule_with_its_own_start_keeps_it() -> None:
    slots = rule_dates(
        "DTSTART:20260113T000000\nRRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=TU",
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert slots[:2] == [date(2026, 1, 13), date(2026, 2, 3)]


def test_every_other_week_from_a_mid_year_start() -> None:
    slots = rule_dates("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", date(2026, 7, 3), date(2026, 12, 31))
    assert slots[:2] == [date(2026, 7, 8), date(2026, 7, 22)]


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYDAY=+9TH", "FREQ=MONTHLY;BYDAY=-7MO"])
def test_a_weekday_number_no_month_has_is_one_sentence(rule: str) -> None:
    with pytest.raises(ValidationError, match=r"无法展开为具体日期|没有(任何|可用的)学习日"):
        rule_dates(rule, date(2026, 1, 1), date(2026, 12, 31))

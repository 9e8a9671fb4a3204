"""Proposes a year's study sessions from a cadence rule, the plan's topics and what exists.

The proposal is only a suggestion the secretary reviews: nothing here writes anywhere, and
the same input always gives the same output so a preview and the applied plan agree.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Sequence

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from studyplan.model.errors import ValidationError
from studyplan.model.plan import ScheduleProposal, ScheduleRequest, Session, SessionStatus, Topic
from studyplan.model.workdays import WorkCalendar
from studyplan.model.years import check_year, quarter_end, quarter_of

MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 600

_SUPPORTED_FREQUENCIES = (YEARLY, MONTHLY, WEEKLY, DAILY)


def _fmt(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def session_end_time(start: dt.time, duration_minutes: int) -> dt.time:
    """The end of a session, refusing durations the bureau would never book.

    A session shorter than a quarter hour or longer than ten hours is a typing mistake,
    and one running past midnight cannot be shown on a single calendar day.
    """
    if not MIN_DURATION_MINUTES <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            f"学习时长须在{MIN_DURATION_MINUTES}至{MAX_DURATION_MINUTES}分钟之间，"
            f"当前为{duration_minutes}分钟。"
        )
    begin = dt.datetime.combine(dt.date(2000, 1, 1), start)
    finish = begin + dt.timedelta(minutes=duration_minutes)
    if finish.date() != begin.date():
        raise ValidationError(
            f"从{start:%H:%M}开始学习{duration_minutes}分钟会跨过午夜，请调整开始时间或时长。"
        )
    return finish.time()


def _rule_error(reason: str) -> ValidationError:
    return ValidationError(f"排期规则无法识别：{reason}")


def _could_match(rule: rrule, day: dt.date) -> bool:
    """A necessary condition for `rule` to produce `day`, checked without iterating the rule.

    dateutil walks period after period until it finds a date, up to the year 9999, so a rule
    that can never produce one (say the 30th of February) would stall for seconds. Checking
    the BYxxx filters against the plan's own days first turns that into an immediate error.
    """
    bymonth = rule._bymonth
    if bymonth and day.month not in bymonth:
        return False
    bymonthday, bynmonthday = rule._bymonthday, rule._bynmonthday
    if bymonthday or bynmonthday:
        month_len = _calendar.monthrange(day.year, day.month)[1]
        if day.day not in bymonthday and day.day - month_len - 1 not in bynmonthday:
            return False
    byyearday = rule._byyearday
    if byyearday:
        yday = day.timetuple().tm_yday
        year_len = 366 if _calendar.isleap(day.year) else 365
        if yday not in byyearday and yday - year_len - 1 not in byyearday:
            return False
    byweekday = rule._byweekday
    if byweekday and day.weekday() not in byweekday:
        return False
    bynweekday = rule._bynweekday
    return not bynweekday or day.weekday() in {weekday for weekday, _ in bynweekday}


def rule_dates(rule_text: str, first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates an RRULE body names between `first` and `last`, both included.

    Unless the rule carries its own DTSTART, it starts on the first day from `first` on
    that it can name, so "every 3 weeks on Tuesday" from Thursday 1 January begins on
    Tuesday 6 January (RFC 5545 would count the weeks from 1 January's week, whose Tuesday
    has passed, and begin on the 20th). A rule carrying its own DTSTART or UNTIL outside the
    plan's year, or naming no date in the period, is refused with a sentence the secretary
    can act on.
    """
    text = (rule_text or "").strip()
    if not text:
        raise _rule_error("规则为空。")
    dtstart = dt.datetime.combine(first, dt.time())
    try:
        rule = rrulestr(text, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise _rule_error(
            f"“{text}”不是有效的重复规则（例如 FREQ=MONTHLY;BYDAY=+2TH 表示每月第二个星期四）。"
        ) from exc
    if not isinstance(rule, rrule):
        raise _rule_error("只支持一条重复规则（RRULE），不支持附加日期或排除日期。")
    if rule._freq not in _SUPPORTED_FREQUENCIES:
        raise _rule_error("重复频率须为按日、按周、按月或按年。")
    if rule._interval < 1:
        raise _rule_error("重复间隔（INTERVAL）须为正整数。")
    own_start = rule._dtstart
    if own_start is not None and own_start.tzinfo is not None:
        raise _rule_error("规则不能带时区。")
    year = first.year
    if own_start is not None and own_start.year != year:
        raise _rule_error(f"规则的开始日期{_fmt(own_start.date())}不在{year}年内。")
    until = rule._until
    if until is not None and until.year != year:
        raise _rule_error(f"规则的截止日期{_fmt(until.date())}不在{year}年内。")

    window_start = max(first, own_start.date()) if own_start is not None else first
    window_end = min(last, until.date()) if until is not None else last
    day, one = window_start, dt.timedelta(days=1)
    while day <= window_end and not _could_match(rule, day):
        day += one
    if day > window_end:
        raise _rule_error(f"按此规则，{_fmt(first)}至{_fmt(last)}之间没有任何学习日。")
    if (own_start is None or own_start == dtstart) and day > first:
        rule = rule.replace(dtstart=dt.datetime.combine(day, dt.time()))

    end_stamp = dt.datetime.combine(last, dt.time.max)
    dates: list[dt.date] = []
    try:
        for stamp in rule:
            if stamp > end_stamp:
                break
            d = stamp.date()
            if d >= first and (not dates or dates[-1] != d):
                dates.append(d)
    except (ValueError, TypeError, OverflowError, IndexError, KeyError) as exc:
        # dateutil reads BYDAY=+9TH, but fails on it only while it lays the dates out.
        raise _rule_error(f"“{text}”无法展开为具体日期。") from exc
    if not dates:
        raise ValidationError(
            f"按此排期规则，{_fmt(first)}至{_fmt(last)}之间没有可用的学习日，"
            "请提前起始日期或换一个频次。"
        )
    return dates


def _spread(count: int, size: int) -> list[int]:
    """`size` indexes spread evenly over range(count), each in the middle of its share."""
    return [((2 * i + 1) * count) // (2 * size) for i in range(size)]


def _chunks(items: Sequence[int], parts: int) -> list[tuple[int, ...]]:
    """Split items in order into `parts` runs whose sizes differ by at most one, larger first."""
    base, extra = divmod(len(items), parts)
    out: list[tuple[int, ...]] = []
    pos = 0
    for i in range(parts):
        size = base + (1 if i < extra else 0)
        out.append(tuple(items[pos : pos + size]))
        pos += size
    return out


def _pick_slots(slots: list[dt.date], size: int, needed_quarters: set[int]) -> list[dt.date]:
    """An evenly spread choice of `size` slots that still touches every needed quarter."""
    if size >= len(slots):
        return list(slots)
    picked = set(_spread(len(slots), size))
    by_quarter: dict[int, list[int]] = {}
    for index, slot in enumerate(slots):
        by_quarter.setdefault(quarter_of(slot.month), []).append(index)
    for quarter in sorted(needed_quarters):
        candidates = by_quarter.get(quarter)
        if not candidates or any(i in picked for i in candidates):
            continue
        # Give up a pick where it is least missed: a quarter covered by an existing
        # session, else the quarter with the most picks, taking the pick closest to here.
        counts: dict[int, int] = {}
        for i in picked:
            q = quarter_of(slots[i].month)
            counts[q] = counts.get(q, 0) + 1
        donors = [q for q in counts if q not in needed_quarters]
        if not donors:
            donors = [q for q, n in counts.items() if n > 1]
        if not donors:
            continue
        target = candidates[len(candidates) // 2]
        donor_quarter = min(donors, key=lambda q: (-counts[q], abs(q - quarter), q))
        donor = min(
            (i for i in picked if quarter_of(slots[i].month) == donor_quarter),
            key=lambda i: (abs(i - target), i),
        )
        picked.discard(donor)
        picked.add(target)
    return [slots[i] for i in sorted(picked)]


def _fallback_day(
    calendar: WorkCalendar,
    year: int,
    quarter: int,
    first: dt.date,
    taken: set[dt.date],
) -> dt.date | None:
    """The first free working day on or after the 15th of the quarter's middle month."""
    day = max(dt.date(year, quarter * 3 - 1, 15), first)
    end = quarter_end(year, quarter)
    one = dt.timedelta(days=1)
    while day <= end:
        if day not in taken and calendar.is_workday(day):
            return day
        day += one
    return None


def _topic_assignments(
    uncovered: list[int], coverage: dict[int, int], sessions: int
) -> list[tuple[int, ...]]:
    """Topic numbers for each new session in date order.

    Every uncovered topic gets a session, in order; with fewer sessions than topics they
    share. Sessions left over (kept for quarter coverage) revisit the topics studied least
    so far, lowest number first, so no meeting is without a subject.
    """
    if sessions == 0:
        return []
    if len(uncovered) >= sessions:
        return _chunks(uncovered, sessions)
    counts = dict(coverage)
    for number in uncovered:
        counts[number] += 1
    assignments: list[tuple[int, ...]] = [(n,) for n in uncovered]
    while len(assignments) < sessions:
        if not counts:
            assignments.append(())
            continue
        number = min(counts, key=lambda n: (counts[n], n))
        counts[number] += 1
        assignments.append((number,))
    return assignments


def _skipped_warning(
    calendar: WorkCalendar, raw: dt.date, taken: set[dt.date], first: dt.date, last: dt.date
) -> str:
    """Why a rule date could not be placed, in words the secretary can check on a calendar.

    Either the working days of its week already hold a study session (another rule date's
    or an existing one), or the week has no working day inside the period being planned.
    """
    if raw in taken:
        reason = "当天已有学习安排"
    else:
        reason = f"当天是{calendar.day(raw).holiday_name or '休息日'}"
    monday = raw - dt.timedelta(days=raw.weekday())
    week = [monday + dt.timedelta(days=i) for i in range(7)]
    in_period = [d for d in week if first <= d <= last]
    if any(calendar.is_workday(d) for d in in_period):
        where = "同一周的工作日都已安排了学习"
    elif len(in_period) < len(week):
        where = "同一周在排期范围内没有工作日"
    else:
        where = "同一周内没有工作日"
    return f"{_fmt(raw)}{reason}，{where}，已跳过。"


def propose_schedule(
    request: ScheduleRequest,
    topics: Sequence[Topic],
    existing: Sequence[Session],
    calendar: WorkCalendar,
    *,
    today: dt.date | None = None,
) -> ScheduleProposal:
    """Suggest the sessions that give every topic a session and every quarter a meeting.

    Held sessions are history and stay; planned ones stay unless the request replaces
    them from its start date on. Slots from the cadence rule that land on a day off move
    to the nearest free working day of the same week. `today` is accepted for callers
    but does not change the result, so a proposal can be reproduced later.
    """
    del today
    year = request.year
    check_year(year)
    start_time = request.start_time
    end_time = session_end_time(start_time, request.duration_minutes)
    if not request.form.strip():
        # Sessions without a form could be written but never edited again (the session
        # form refuses an empty 学习形式), so the request is refused before anything is made.
        raise ValidationError("请填写学习形式，例如“集中学习”。")
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = year_start
    if request.start_date is not None:
        start_date = request.start_date
        if isinstance(start_date, dt.datetime):
            start_date = start_date.date()
        if start_date.year != year:
            raise ValidationError(f"开始日期{_fmt(start_date)}不在{year}年内。")
        first = max(year_start, start_date)

    raw_slots = rule_dates(request.rule, first, year_end)
    proposal = ScheduleProposal()
    warnings = proposal.warnings

    kept: list[Session] = []
    for session in existing:
        if session.date.year != year or session.status is SessionStatus.CANCELLED:
            continue
        if (
            request.replace_planned
            and session.status is SessionStatus.PLANNED
            and session.date >= first
        ):
            proposal.removed_sessions.append(session)
        else:
            kept.append(session)
    proposal.removed_sessions.sort(key=lambda s: (s.date, s.start, s.id or 0))

    topic_numbers = sorted({t.number for t in topics})
    coverage = dict.fromkeys(topic_numbers, 0)
    taken: set[dt.date] = set()
    covered_quarters: set[int] = set()
    for session in kept:
        taken.add(session.date)
        covered_quarters.add(session.quarter)
        for number in session.topic_numbers:
            if number in coverage:
                coverage[number] += 1

    # Place each rule slot on its own day if free, else elsewhere in the same week, but
    # never on a day another slot or an existing session holds.
    occupied = taken | set(raw_slots)
    slots: list[dt.date] = []
    skipped: list[dt.date] = []
    for raw in raw_slots:
        if raw not in taken and calendar.is_workday(raw):
            slots.append(raw)
            continue
        day = calendar.nearest_workday_in_week(raw, occupied, earliest=first, latest=year_end)
        if day is None:
            skipped.append(raw)
            continue
        occupied.add(day)
        slots.append(day)
    slots.sort()

    remaining_quarters = [q for q in range(1, 5) if quarter_end(year, q) >= first]
    needed_quarters = set(remaining_quarters) - covered_quarters
    uncovered = [n for n in topic_numbers if coverage[n] == 0]
    quarters_with_slots = {quarter_of(s.month) for s in slots}
    wanted = max(len(uncovered), len(needed_quarters & quarters_with_slots))
    chosen = _pick_slots(slots, wanted, needed_quarters)

    # A skipped rule date is worth a word only when it was needed: every placed slot is used
    # and still falls short, or its quarter needs a meeting and has no other slot. A rule
    # naming more dates than needed (FREQ=DAILY names every weekend) loses nothing.
    short = len(slots) < wanted
    for raw in skipped:
        quarter = quarter_of(raw.month)
        if short or (quarter in needed_quarters and quarter not in quarters_with_slots):
            warnings.append(_skipped_warning(calendar, raw, taken, first, year_end))

    new_days = list(chosen)
    busy = taken | set(chosen)
    raw_quarters = {quarter_of(d.month) for d in raw_slots}
    reached = covered_quarters | {quarter_of(d.month) for d in chosen}
    for quarter in remaining_quarters:
        if quarter in reached:
            continue
        day = _fallback_day(calendar, year, quarter, first, busy)
        if day is None:
            warnings.append(f"第{quarter}季度没有可用的工作日，本季度未能安排集中学习。")
            continue
        busy.add(day)
        new_days.append(day)
        if quarter in raw_quarters:
            why = f"排期规则在第{quarter}季度的学习日都无法安排"
        else:
            why = f"排期规则在第{quarter}季度没有学习日"
        warnings.append(f"{why}，已在{_fmt(day)}补排一次集中学习，确保每季度至少学习一次。")
    new_days.sort()

    if uncovered and not new_days:
        warnings.append(f"没有可用的学习日，{len(uncovered)}个专题未能安排。")
    elif len(uncovered) > len(new_days):
        warnings.append(
            f"可用学习日只有{len(new_days)}个，少于待安排的{len(uncovered)}个专题，"
            "部分学习日安排了多个专题。"
        )

    for day, numbers in zip(
        new_days, _topic_assignments(uncovered, coverage, len(new_days)), strict=True
    ):
        proposal.new_sessions.append(
            Session(
                date=day,
                start=start_time,
                end=end_time,
                location=request.location,
                form=request.form,
                topic_numbers=numbers,
                status=SessionStatus.PLANNED,
            )
        )
    return proposal

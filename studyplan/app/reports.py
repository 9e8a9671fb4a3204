"""学习情况通报 and 年度学习情况报告: a quarter's or a year's record gathered for a Word report.

The numbers are the statistics' and the ledger's own (`StatisticsService` over the span of
the quarter, the per-session counts of `store.attendance`), never counted again here, so the
report of a quarter says what the ledger of its year says of that quarter.

The annual report carries the statistics charts as pictures. The charts are drawn by Qt
(`gui/stats`), which nothing below `gui/` may import; the caller hands in a `ChartRenderer`
that writes them as PNG files (the window and the command line pass `gui`'s), and without
one the report is written without pictures.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from studyplan.app.attendance import AttendanceService
from studyplan.app.compliance import ComplianceService
from studyplan.app.planning import PlanningService
from studyplan.app.statistics import StatisticsService
from studyplan.app.unit import UnitService
from studyplan.model.attendance import (
    AttendanceCounts,
    AttendanceStatus,
    LeaveDecision,
    done_late,
)
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.plan import Session, SessionStatus, Topic
from studyplan.model.statistics import TopicCoverage, YearStatistics
from studyplan.model.study_report import (
    CHART_WIDTHS,
    CHARTS,
    ContributionRow,
    FindingRow,
    LeaveRow,
    MemberRow,
    MissedRow,
    ReportPeriod,
    SessionRow,
    StudyReport,
    TopicRow,
)
from studyplan.model.years import quarter_end, quarter_start
from studyplan.store import attendance as attendance_store
from studyplan.store import members as members_store
from studyplan.store import reports
from studyplan.store.db import Database, reading

#: Draws the statistics charts of a year into a folder as PNG files; returns the files by
#: placeholder name (the keys of `model.study_report.CHARTS`).
ChartRenderer = Callable[[YearStatistics, Path], Mapping[str, Path]]


@dataclass(frozen=True)
class ReportJob:
    """A report read from the record, ready to be rendered from its template."""

    template: Path
    values: dict[str, object]
    images: dict[str, Path | tuple[Path, float]]

    def render(self, out: Path) -> None:
        from studyplan.io.documents.render import render_docx

        render_docx(self.template, self.values, out, images=self.images or None)


class ReportService:
    """Gathers the quarterly and annual reports; writes them from their templates."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.clock = clock

    def report(
        self, year: int, quarter: int | None = None, today: dt.date | None = None
    ) -> StudyReport:
        """The report of a quarter (1–4) or, without one, of the year; `today` decides what
        is overdue and what the compliance check finds. One read of the record."""
        period = ReportPeriod(year, quarter)
        with reading(self.db):
            return self._gather(period, today or self.clock.today())

    def year_statistics(self, year: int, today: dt.date | None = None) -> YearStatistics:
        """The statistics the annual report's charts show."""
        return StatisticsService(self.db, clock=self.clock).year_statistics(year, today)

    def export_report(
        self,
        year: int,
        quarter: int | None,
        out: str | Path,
        *,
        template: str | Path | None = None,
        folder: Path | None = None,
        charts: ChartRenderer | None = None,
        today: dt.date | None = None,
    ) -> Path:
        """Write the report as .docx from `template`, else the unit's own in the templates
        `folder`, else the bundled one; TemplateError with a sentence, nothing written, if the
        template cannot be used."""
        with tempfile.TemporaryDirectory(prefix="studyplan-charts-") as pictures:
            job = self.prepare(
                year,
                quarter,
                Path(pictures),
                template=template,
                folder=folder,
                charts=charts,
                today=today,
            )
            job.render(Path(out))
        return Path(out)

    def prepare(
        self,
        year: int,
        quarter: int | None,
        pictures: Path,
        *,
        template: str | Path | None = None,
        folder: Path | None = None,
        charts: ChartRenderer | None = None,
        today: dt.date | None = None,
    ) -> ReportJob:
        """What needs the database and the chart renderer (the charts drawn into the folder
        `pictures`, which must outlast the job); the job then renders in any thread."""
        from studyplan.io.documents.templates import template_for

        report = self.report(year, quarter, today)
        chosen = Path(template) if template else template_for(report.kind, folder)
        images: dict[str, Path | tuple[Path, float]] = {}
        if charts is not None and report.charts:
            drawn = charts(self.year_statistics(year, report.today), pictures)
            images = {
                name: (Path(path), CHART_WIDTHS[name]) if name in CHART_WIDTHS else Path(path)
                for name, path in drawn.items()
                if name in report.charts
            }
        return ReportJob(chosen, report.context(has_charts=bool(images)), images)

    # -- gathering -------------------------------------------------------------------------
    def _gather(self, period: ReportPeriod, today: dt.date) -> StudyReport:
        year, first, last = period.year, period.first, period.last
        statistics = StatisticsService(self.db, clock=self.clock)
        stats = statistics.period_statistics(year, first, last, today)
        to_date = statistics.period_statistics(year, dt.date(year, 1, 1), last, today)
        # Where an open topic stands: its sessions later in the year (held since, or planned).
        whole_year = {
            (c.topic.year, c.topic.number): c
            for c in statistics.period_statistics(
                year, dt.date(year, 1, 1), dt.date(year, 12, 31), today
            ).topics
        }
        planning = PlanningService(self.db, clock=self.clock)
        attendance = AttendanceService(self.db, clock=self.clock)
        unit = UnitService(self.db, clock=self.clock)
        details = unit.details()

        sessions = planning.sessions_between(first, last)
        held = [s for s in sessions if s.status is SessionStatus.HELD]
        topics = {t.number: t for t in planning.topics(year)}
        per_session = attendance_store.status_counts_between(self.db, first, last)
        counts = {s.id: AttendanceCounts.of(*per_session.get(s.id, (0, {}))) for s in held if s.id}
        speeches = reports.speeches_between(self.db, first, last)
        reflections = reports.reflections_between(self.db, first, last)
        names = {m.id: m.name for m in members_store.all_members(self.db)}
        spoken: dict[str, list[str]] = {}
        handed_in: dict[str, list[dt.date]] = {}
        for session in held:
            for speech in speeches.get(session.id or 0, []):
                line = f"{session.date:%m-%d} {speech.title}".rstrip()
                spoken.setdefault(speech.speaker, []).append(line)
            for member_id in reflections.get(session.id or 0, []):
                name = names.get(member_id, f"（成员 {member_id}）")
                handed_in.setdefault(name, []).append(session.date)

        members = [
            MemberRow(
                name=m.member.name,
                position=m.member.position,
                expected=m.expected,
                present=m.present,
                late=m.late,
                left_early=m.left_early,
                leave=m.leave,
                absent=m.absent,
                rate=m.rate,
                speeches=len(spoken.get(m.member.name, [])),
                reflections=len(handed_in.get(m.member.name, [])),
            )
            for m in stats.members
        ]
        order = [m.name for m in members]
        guests = sorted(set(spoken) - set(order))
        contributions = [
            ContributionRow(name, spoken.get(name, []), handed_in.get(name, []))
            for name in [*order, *guests]
            if name in spoken or name in handed_in
        ]

        compliance = ComplianceService(self.db, clock=self.clock).check(year, today)
        titles = {r.code: r.title for r in compliance.results}
        next_year, next_quarter = period.next_quarter
        upcoming = [
            s
            for s in planning.sessions_between(
                quarter_start(next_year, next_quarter), quarter_end(next_year, next_quarter)
            )
            if s.status is not SessionStatus.CANCELLED
        ]
        next_topics = (
            topics if next_year == year else {t.number: t for t in planning.topics(next_year)}
        )
        return StudyReport(
            period=period,
            today=today,
            unit=unit.unit_name(year),
            group=details.group,
            secretary=details.secretary,
            phone=details.phone,
            sessions_held=stats.sessions_held,
            sessions_planned=stats.sessions_planned,
            sessions_cancelled=sum(1 for s in sessions if s.status is SessionStatus.CANCELLED),
            expected=stats.expected,
            attended=stats.attended,
            rate=stats.rate,
            held=[_session_row(s, topics, counts.get(s.id or 0)) for s in held],
            members=members,
            topics_covered=[_covered(c) for c in stats.topics if c.held_dates],
            topics_open=[
                _open(c, whole_year.get((c.topic.year, c.topic.number)), last)
                for c in to_date.topics
                if not c.held_dates
            ],
            leave=self._leave(attendance, period),
            missed=self._missed(attendance, period, held, today),
            makeups={status.label: count for status, count in stats.makeups.items()},
            contributions=contributions,
            compliance_summary=compliance.summary,
            findings=[
                FindingRow(titles.get(p.check, p.check), p.message) for p in compliance.problems
            ],
            next_sessions=[_session_row(s, next_topics, None) for s in upcoming],
            charts=dict(CHARTS) if period.quarter is None else {},
            leave_counts=dict(stats.leave_counts),
            makeups_done_late=stats.makeups_done_late,
        )

    def _leave(self, attendance: AttendanceService, period: ReportPeriod) -> list[LeaveRow]:
        return [
            LeaveRow(
                e.member.name,
                e.session.date,
                e.request.reason,
                e.request.decision.label,
                e.request.kind_label,
            )
            for e in attendance.leave_requests(period.year)
            if period.first <= e.session.date <= period.last
        ]

    def _missed(
        self,
        attendance: AttendanceService,
        period: ReportPeriod,
        held: list[Session],
        today: dt.date,
    ) -> list[MissedRow]:
        """Each 请假 or 缺席 at a held session of the period, with its make-up's state."""
        marks = reports.marks_between(self.db, period.first, period.last)
        tasks = {
            (e.makeup.session_id, e.makeup.member_id): e
            for e in attendance.makeups(today=today, year=period.year)
        }
        members = {m.id: m for m in members_store.all_members(self.db)}
        # The type of each approved leave, by (session, member): a span's every session.
        kinds = {
            (r.session_id, r.member_id): r.kind_label
            for e in attendance.leave_requests(period.year)
            for r in e.requests
            if r.decision is LeaveDecision.APPROVED
        }
        rows: list[tuple[dt.date, int, int, MissedRow]] = []
        for session in held:
            for member_id, member in members.items():
                code = marks.get((session.id or 0, member_id or 0))
                if code not in (AttendanceStatus.LEAVE.value, AttendanceStatus.ABSENT.value):
                    continue
                task = tasks.get((session.id or 0, member_id or 0))
                state = task.status.label if task else "未安排"
                rows.append(
                    (
                        session.date,
                        member.rank,
                        member_id or 0,
                        MissedRow(
                            name=member.name,
                            date=session.date,
                            kind=AttendanceStatus(code).label,
                            makeup=state,
                            due=task.makeup.due if task else None,
                            completed=task.makeup.completed if task else None,
                            leave_kind=kinds.get((session.id or 0, member_id or 0), "")
                            if code == AttendanceStatus.LEAVE.value
                            else "",
                            done_late=task is not None and done_late(task.makeup),
                        ),
                    )
                )
        rows.sort(key=lambda item: item[:3])
        return [row[3] for row in rows]


def _session_row(
    session: Session, topics: Mapping[int, Topic], counts: AttendanceCounts | None
) -> SessionRow:
    labels = [
        f"专题{n} {topics[n].title}" if n in topics else f"专题{n}" for n in session.topic_numbers
    ]
    return SessionRow(
        date=session.date,
        time=session.time_range,
        topics="；".join(labels) or "未指定专题",
        form=session.form,
        location=session.location,
        host=session.host,
        status=session.status.label,
        attended=counts.attended if counts else 0,
        expected=counts.expected if counts else 0,
    )


def _covered(coverage: TopicCoverage) -> TopicRow:
    days = "、".join(f"{d:%m-%d}" for d in coverage.held_dates)
    return TopicRow(coverage.topic.number, coverage.topic.title, days)


def _open(coverage: TopicCoverage, year: TopicCoverage | None, last: dt.date) -> TopicRow:
    """A topic not studied by the period's end, with the days set for it after that."""
    later = sorted(
        d for d in [*(year or coverage).planned_dates, *(year or coverage).held_dates] if d > last
    )
    where = "已安排 " + "、".join(f"{d:%m-%d}" for d in later) if later else "未安排"
    return TopicRow(coverage.topic.number, coverage.topic.title, where)

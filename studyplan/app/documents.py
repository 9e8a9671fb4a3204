"""学习通知、学习记录、学习简报: a session's documents, gathered from the record and rendered
from the unit's template (or the bundled one) by io/documents.

Each document is gathered in one read of the database, as the ledger is; where the record
holds nothing (no 记录人 is kept, a 领学 not yet named) the document prints a line to write
on by hand rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studyplan.app.attendance import AttendanceService
from studyplan.app.lists import ListsService
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.app.unit import UnitService
from studyplan.io.documents.render import TemplateError, render_docx
from studyplan.io.documents.templates import (
    KINDS,
    DocumentKind,
    kind_of,
    prepare_folder,
    restore_default,
    template_for,
)
from studyplan.model import documents as words
from studyplan.model.attendance import AttendanceStatus, LeaveDecision, LeaveRequest
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.store import briefs as briefs_store
from studyplan.store import lists as lists_store
from studyplan.store.db import Database, reading, transaction

#: The documents made for one session, in the order a secretary makes them.
SESSION_KINDS = ("notice", "record", "brief")

__all__ = ["SESSION_KINDS", "DocumentService", "TemplateError", "TemplateInfo"]


@dataclass(frozen=True)
class TemplateInfo:
    """A template as 设置 → 文书模板 lists it: which is in use and where."""

    kind: DocumentKind
    path: Path
    own: bool  # the unit's own copy (else the bundled one)


def _blank(text: str) -> str:
    return text.strip() or words.BLANK


class DocumentService:
    """The session documents of one database; `folder` holds the unit's own templates."""

    def __init__(
        self, db: Database, archive_root: Path, folder: Path, *, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.db = db
        self.folder = Path(folder)
        self.clock = clock
        self._planning = PlanningService(db, clock=clock)
        self._attendance = AttendanceService(db, clock=clock)
        self._records = RecordsService(db, archive_root, clock=clock)
        self._unit = UnitService(db, clock=clock)
        self._lists = ListsService(db, clock=clock)

    # -- templates -------------------------------------------------------------------------
    def templates(self) -> list[TemplateInfo]:
        """Every kind of document with the template it is made from now."""
        listed = []
        for kind in KINDS.values():
            own = (self.folder / kind.file_name).is_file()
            try:
                path = template_for(kind, self.folder)
            except TemplateError:
                continue  # a report whose template is not shipped yet
            listed.append(TemplateInfo(kind, path, own))
        return listed

    def prepare_folder(self) -> Path:
        """The templates folder, made ready to open (README, copies of the defaults)."""
        return prepare_folder(self.folder)

    def restore_default(self, kind: str) -> Path | None:
        """Use the bundled template for `kind` again; where the unit's copy was moved."""
        return restore_default(kind, self.folder)

    # -- the data --------------------------------------------------------------------------
    def context(self, kind: str, session_id: int, *, filing: bool = False) -> dict[str, object]:
        """What the template of `kind` is filled with for a session (NotFoundError if there
        is no such session), read as one state of the record. A brief carries the number
        it was issued with, else the next one (the number `export` issues it with); when
        `filing` it into the archive, a brief never issued carries none (a line)."""
        kind_of(kind)
        with reading(self.db):
            common = self._common(self._planning.session(session_id))
            if kind == "notice":
                return self._notice(common)
            if kind == "record":
                return self._record(common)
            if kind == "brief":
                return self._brief(common, filing=filing)
        raise TemplateError(f"“{kind_of(kind).label}”不是某次学习的文书。")

    def _ordinal(self, session: Session) -> int:
        held = [
            s
            for s in self._planning.sessions(session.year)
            if s.status is not SessionStatus.CANCELLED or s.id == session.id
        ]
        held.sort(key=lambda s: (s.date, s.start, s.id or 0))
        return next(i for i, s in enumerate(held, start=1) if s.id == session.id)

    def _common(self, session: Session) -> dict[str, Any]:
        details = self._unit.details()
        topics = {t.number: t for t in self._planning.topics(session.year)}
        chosen = [topics[n] for n in session.topic_numbers if n in topics]
        record = self._records.record(session.id or 0)
        ordinal = self._ordinal(session)
        readings = record.materials
        duty = self._responsibility(session, chosen)
        guests = self._attendance.guests(session.id or 0)
        planned = [
            {"name": name, "subject": subject, "line": f"{name}（{subject}）" if subject else name}
            for name, subject in self._lists.speakers_for_session(session.id or 0)
        ]
        return {
            "session": session,
            "record": record,
            "unit": self._unit.unit_name(session.year) or words.BLANK,
            "group": details.group,
            "secretary": _blank(details.secretary),
            "phone": _blank(details.phone),
            "year": session.year,
            "ordinal": ordinal,
            "ordinal_cn": words.chinese_number(ordinal),
            "date": words.date_with_weekday(session.date),
            "time": words.time_text(session.start, session.end),
            "place": _blank(session.location),
            "form": _blank(session.form),
            "host": _blank(session.host or duty["host"]),
            "lead": _blank(session.lecturer or duty["lecturer"]),
            "department": _blank(duty["department"]),
            "guests": [{"name": g.name, "unit": g.unit, "label": g.label} for g in guests],
            "guests_text": words.joined([g.label for g in guests]),
            "planned_speakers": planned,
            "planned_speakers_text": words.joined([str(p["line"]) for p in planned]),
            "topic": "；".join(t.title for t in chosen) or words.BLANK,
            "topics": [
                {"number": t.number, "title": t.title, "readings": list(t.readings)} for t in chosen
            ],
            "readings": list(readings),
            "readings_text": words.joined(list(readings)),
            "requirements": words.requirements(self._attendance.makeup_due_days()),
            "sign_date": words.date_text(self.clock.today()),
            "blank": words.BLANK,
        }

    def _responsibility(self, session: Session, topics: list[Any]) -> dict[str, str]:
        """What the 学习责任清单 records for a session: its own 责任处室, else its topics';
        the topics' 主持人 and 领学/辅导人 where the session names none of its own."""
        department = lists_store.session_departments(self.db, session.date, session.date).get(
            session.id or 0, ""
        )
        arrangements = lists_store.topic_arrangements(self.db, session.year)
        found = {"host": "", "lecturer": "", "department": department}
        for topic in topics:
            arrangement = arrangements.get(topic.id or 0)
            if arrangement is None:
                continue
            for key in found:
                if not found[key]:
                    found[key] = getattr(arrangement, key)
        return found

    @staticmethod
    def _public(common: dict[str, Any], **more: object) -> dict[str, object]:
        values = {k: v for k, v in common.items() if k not in ("session", "record")}
        values.update(more)
        return values

    def _notice(self, common: dict[str, Any]) -> dict[str, object]:
        session: Session = common["session"]
        names = [m.name for m in self._attendance.expected_members(session)]
        title = f"关于召开{common['group']}{session.year}年第{common['ordinal_cn']}次集体学习的通知"
        return self._public(
            common,
            title=title,
            title_lines=words.title_lines(title),
            attendees=names,
            attendees_text=words.joined(names, words.BLANK),
        )

    def _attendance_facts(self, session: Session) -> dict[str, Any]:
        """Who came, who did not and why, who came late or left early."""
        marks = self._attendance.attendance(session.id or 0)
        requests: dict[int, LeaveRequest] = {}
        for entry in self._attendance.leave_requests(session_id=session.id):
            # The request for this session (a span's entry holds all of its sessions').
            request = next((r for r in entry.requests if r.session_id == session.id), entry.request)
            # An approved request's reason wins over one still pending or refused.
            if request.member_id not in requests or request.decision is LeaveDecision.APPROVED:
                requests[request.member_id] = request
        present, absent, timing, unmarked = [], [], [], []
        for member, mark in marks:
            if mark is None:
                unmarked.append(member.name)
                continue
            status = mark.status
            if status.attended:
                present.append(member.name)
            if status is AttendanceStatus.LATE:
                at = f"，{mark.time:%H:%M} 到会" if mark.time else ""
                timing.append(f"{member.name}（迟到{at}）")
            elif status is AttendanceStatus.LEFT_EARLY:
                at = f"，{mark.time:%H:%M} 离会" if mark.time else ""
                timing.append(f"{member.name}（早退{at}）")
            elif status is AttendanceStatus.LEAVE:
                leave = requests.get(member.id or 0)
                reason = (leave.reason if leave else "") or mark.note
                kind = leave.kind_label if leave else ""
                said = f"请假（{kind}）" if kind else "请假"
                absent.append(
                    {
                        "name": member.name,
                        "kind": "请假",
                        "leave_kind": kind,
                        "reason": f"{said}：{reason}" if reason else said,
                    }
                )
            elif status is AttendanceStatus.ABSENT:
                absent.append(
                    {"name": member.name, "kind": "缺席", "leave_kind": "", "reason": "缺席"}
                )
        counts = self._attendance.counts(session.id or 0)
        present_text = words.joined(present, words.BLANK)
        if unmarked and present:
            present_text += f"（未登记：{words.joined(unmarked)}）"
        return {
            "expected": counts.expected,
            "attended": counts.attended
            if marks and not all(m is None for _, m in marks)
            else words.BLANK,
            "counts_text": counts.summary,
            "present": present,
            "present_text": present_text,
            "absent": absent,
            "absent_text": words.joined([f"{a['name']}（{a['reason']}）" for a in absent]),
            "late_text": words.joined(timing),
        }

    def _makeups(self, session: Session, absent: list[dict[str, str]]) -> list[dict[str, str]]:
        today = self.clock.today()
        why = {a["name"]: a["reason"] for a in absent}
        rows = []
        for entry in self._attendance.makeups(today=today, year=session.year):
            if entry.session.id != session.id:
                continue
            task = entry.makeup
            done = f" {words.short_date(task.completed)}" if task.completed else ""
            rows.append(
                {
                    "name": entry.member.name,
                    "reason": why.get(entry.member.name, ""),
                    "method": task.method or words.BLANK,
                    "due": words.short_date(task.due),
                    "state": entry.status.label + done,
                }
            )
        return rows

    def _speeches(self, common: dict[str, Any]) -> list[dict[str, object]]:
        speeches = []
        for order, speech in enumerate(common["record"].speeches, start=1):
            on = f"围绕“{speech.title}”" if speech.title else ""
            speeches.append(
                {
                    "order": order,
                    "speaker": speech.speaker,
                    "title": speech.title,
                    "line": f"{speech.speaker}同志{on}作了交流发言。",
                }
            )
        return speeches

    def _unspoken(self, session: Session, common: dict[str, Any]) -> list[dict[str, object]]:
        """The planned speakers (as the notice listed them) with no speech recorded at this
        session, once it is held: what the 学习责任清单 planned and the record lacks."""
        if session.status is not SessionStatus.HELD:
            return []
        spoke = {speech.speaker for speech in common["record"].speeches}
        return [p for p in common["planned_speakers"] if p["name"] not in spoke]

    def _record(self, common: dict[str, Any]) -> dict[str, object]:
        session: Session = common["session"]
        record = common["record"]
        facts = self._attendance_facts(session)
        names = {m.id: m.name for m in self._attendance.list_members()}
        handed = [names.get(r.member_id, "") for r in record.reflections]
        unspoken = self._unspoken(session, common)
        title = f"{common['group']}学习记录"
        return self._public(
            common,
            **facts,
            title=title,
            title_lines=words.title_lines(title),
            unspoken=unspoken,
            unspoken_text=words.joined([str(p["line"]) for p in unspoken]),
            recorder=words.BLANK,
            materials=list(record.materials),
            speeches=self._speeches(common),
            minutes=self._minutes(common),
            reflections_text=words.joined(handed),
            makeups=self._makeups(session, facts["absent"]),
        )

    @staticmethod
    def _minutes(common: dict[str, Any]) -> list[str]:
        """The session's minutes (会议记录) as paragraphs: the record prints them, and the
        brief takes from them what the meeting required."""
        return [line.strip() for line in common["record"].minutes.splitlines() if line.strip()]

    def issued_brief_number(self, session_id: int) -> int | None:
        """The number the session's brief was issued with; None when it never was."""
        return briefs_store.issued_number(self.db, session_id)

    def brief_number(self, session_id: int) -> int:
        """The number the session's brief shows when exported: the one it was issued with,
        else the next one."""
        with reading(self.db):
            issued = self.issued_brief_number(session_id)
            return issued if issued is not None else self._unit.next_brief_number()

    def _brief(self, common: dict[str, Any], *, filing: bool = False) -> dict[str, object]:
        session: Session = common["session"]
        facts = self._attendance_facts(session)
        speeches = self._speeches(common)
        unit = self._unit.unit_name(session.year)
        when = f"{session.date.month}月{session.date.day}日{words.part_of_day(session.start)}"
        where = f"在{session.location}" if session.location.strip() else ""
        parts = [
            f"{when}，{unit}{common['group']}{where}召开{session.year}年第"
            f"{common['ordinal_cn']}次集体学习"
        ]
        if session.host.strip():
            parts.append(f"{session.host}主持会议")
        sentence = "，".join(parts) + "。"
        if common["topics"]:
            quoted = "".join(f"“{t['title']}”" for t in common["topics"])
            sentence += f"会议围绕{quoted}专题"
            sentence += (
                f"，学习了{common['readings_text']}。" if common["readings"] else "开展学习。"
            )
        if session.lecturer.strip():
            sentence += f"{session.lecturer}同志作领学辅导。"
        if facts["counts_text"] and facts["attended"] != words.BLANK:
            sentence += facts["counts_text"].replace(" ", "")
        if common["guests"]:
            sentence += f"{common['guests_text']}列席会议。"
        issued = self.issued_brief_number(session.id or 0)
        number: int | str = issued if issued is not None else self._unit.next_brief_number()
        if filing and issued is None:
            number = words.BLANK
        title = f"{common['group']}开展{session.year}年第{common['ordinal_cn']}次集体学习"
        return self._public(
            common,
            number=number,
            title=title,
            title_lines=words.title_lines(title),
            summary=sentence,
            counts_text=facts["counts_text"],
            speeches=speeches,
            speakers_text=words.joined([str(s["speaker"]) for s in speeches]),
            editor=f"{unit}{common['group']}办公室",
            minutes=self._minutes(common),
            blank=words.BLANK,
        )

    # -- the export ------------------------------------------------------------------------
    def export(
        self, kind: str, session_id: int, out: Path | str, template: Path | str | None = None
    ) -> Path:
        """Write the document of `kind` for a session to `out`; `template` replaces the
        unit's (or the bundled) one. A brief is issued with the next number the first time
        (the number is kept for the session, and the next one advances); exported again, it
        shows the number it was issued with. TemplateError or ExportFileError with a
        sentence; nothing written (nor any number taken) then. A brief of a session not
        held yet is refused (ValidationError), as the window's menus grey it."""
        refused = self._planning.session(session_id).document_refusal(kind)
        if refused:
            raise ValidationError(refused)
        values = self.context(kind, session_id)
        source = Path(template) if template else template_for(kind, self.folder)
        out = Path(out)
        render_docx(source, values, out)
        if kind == "brief":
            number = values["number"]
            assert isinstance(number, int)
            with transaction(self.db):
                if briefs_store.issued_number(self.db, session_id) is None:
                    briefs_store.record_issued(self.db, session_id, number, self.clock.today())
                    self._unit.set_next_brief_number(
                        max(self._unit.next_brief_number(), min(number + 1, 9999))
                    )
        return out

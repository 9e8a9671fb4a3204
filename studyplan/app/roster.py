"""The central group's members: who belongs, in what order, and from when to when.

A member is never deleted when they leave: `active_to` closes their period, so the attendance
of past sessions keeps the people who were expected then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from studyplan.app.changes import Rules, undoable
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session
from studyplan.model.roster import (
    DEFAULT_ROLE,
    MAX_NAME_LENGTH,
    NAME_NOT_TEXT,
    SAME_NAME_NOTE,
    ImportLine,
    ImportReport,
    Member,
    _clean,
    _parse_rank,
    display_name,
    display_names,
    normalize_name,
    normalize_text,
)
from studyplan.model.text import printable_text, printing_problem
from studyplan.store import members as members_store
from studyplan.store.db import Database, transaction
from studyplan.store.rowlog import Refusals


class RosterService:
    """The roster use cases: keeping members, and importing the list from a spreadsheet."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.clock = clock

    # -- members ---------------------------------------------------------------------------

    def member(self, member_id: int) -> Member:
        return members_store.get(self.db, member_id)

    def display_name(self, member: Member) -> str:
        """The member's name as shown everywhere, told apart from a namesake
        (`model.roster.display_name`)."""
        return display_name(member, members_store.by_name(self.db, member.name))

    def display_name_of(self, member_id: int) -> str:
        """`display_name` of the member with this id (one query)."""
        member, *others = members_store.with_namesakes(self.db, member_id)
        return display_name(member, others)

    def display_names(self) -> dict[int, str]:
        """Member id -> the name shown, for every member (past ones too)."""
        return display_names(members_store.all_members(self.db))

    def find_member(self, text: str) -> Member:
        """The member `text` names: a number (编号), a name borne by one member, or a name
        as shown with its department or position; one sentence when it names nobody or
        more than one (give the number then)."""
        text = normalize_text(text)
        if text.isdigit():
            return members_store.get(self.db, int(text))
        members = members_store.all_members(self.db)
        shown = display_names(members)
        exact = [m for m in members if m.id is not None and shown[m.id] == text]
        if len(exact) == 1:
            return exact[0]
        named = [m for m in members if m.name == normalize_name(text)]
        if len(named) == 1:
            return named[0]
        if named:
            choices = "、".join(f"{shown[m.id]} 编号 {m.id}" for m in named if m.id is not None)
            raise ValidationError(
                f"有 {len(named)} 位成员名叫{named[0].name}（{choices}），请用编号指明。"
            )
        raise ValidationError(f"成员名单中没有“{text}”。")

    def list_members(self, active_only: bool = False, today: dt.date | None = None) -> list[Member]:
        """The roster in rank order; `active_only` leaves out those who have left by `today`."""
        members = members_store.all_members(self.db)
        if not active_only:
            return members
        today = today or self.clock.today()
        return [m for m in members if m.on_roster(today)]

    def add_member(
        self,
        name: str,
        position: str = "",
        role: str = DEFAULT_ROLE,
        department: str = "",
        *,
        rank: int | None = None,
        active_from: dt.date | None = None,
    ) -> Member:
        """Add one person; without a rank they go to the end of the list.

        Leave `active_from` empty to expect them at past sessions too (setting up the roster);
        set it to the day they joined so past sessions keep their turnout.
        """
        member = _clean(
            Member(
                name=printable_text(name),
                position=printable_text(position),
                role=printable_text(role),
                department=printable_text(department),
                rank=rank or 0,
                active_from=active_from,
            )
        )
        with transaction(self.db):
            if any(
                m.position == member.position and m.department == member.department
                for m in members_store.by_name(self.db, member.name)
                if m.on_roster(self.clock.today())
            ):
                raise ValidationError(
                    f"名单中已有{member.name}（{member.position or '无职务'}，"
                    f"{member.department or '无部门'}），请勿重复添加。"
                )
            if rank is None:
                member = replace(member, rank=members_store.max_rank(self.db) + 1)
            member_id = members_store.insert(self.db, member)
        return replace(member, id=member_id)

    def update_member(self, member: Member) -> Member:
        """Save changed details of a stored member (name, position, role, order, period)."""
        if member.id is None:
            raise ValidationError("只能修改已保存的成员。")
        member = _clean(
            replace(
                member,
                name=printable_text(member.name),
                position=printable_text(member.position),
                role=printable_text(member.role),
                department=printable_text(member.department),
            )
        )
        assert member.id is not None  # _clean keeps it
        with transaction(self.db):
            members_store.get(self.db, member.id)
            members_store.update(self.db, member)
        return member

    def deactivate_member(self, member_id: int, on_date: dt.date) -> Member:
        """Mark a member as having left; `on_date` is their last day in the group.

        Their attendance, leave and make-up history stays; sessions after `on_date` no longer
        expect them.
        """
        with transaction(self.db):
            member = members_store.get(self.db, member_id)
            if member.active_from is not None and on_date < member.active_from:
                raise ValidationError(
                    f"{member.name} 的离组日期不能早于加入日期"
                    f"（{member.active_from:%Y年%m月%d日}）。"
                )
            # Sessions after the last day no longer expect them, so their make-up tasks there
            # leave every list (store/makeups.py); kept, they return with `reactivate_member`.
            members_store.set_active_to(self.db, member_id, on_date)
        return replace(member, active_to=on_date)

    def days_recorded_after(self, member_id: int, last_day: dt.date) -> list[dt.date]:
        """Days of sessions after `last_day` that hold the member's attendance, leave or
        make-ups: a departure dated before them takes those records out of every count (they
        stay stored, and return with `reactivate_member`), which the secretary should see
        before choosing that day."""
        return members_store.days_recorded_after(self.db, member_id, last_day)

    def reactivate_member(self, member_id: int) -> Member:
        """Undo a departure entered by mistake."""
        with transaction(self.db):
            member = members_store.get(self.db, member_id)
            members_store.set_active_to(self.db, member_id, None)
        return replace(member, active_to=None)

    def reorder_members(self, member_ids: list[int]) -> None:
        """Put members in the given order (rank 1, 2, …), as dragged in the roster view."""
        with transaction(self.db):
            for rank, member_id in enumerate(member_ids, start=1):
                members_store.set_rank(self.db, member_id, rank)

    def expected_members(self, session: Session | dt.date) -> list[Member]:
        """Who was expected at a session (or on a day): members of the group on that date,
        in roster order."""
        day = session.date if isinstance(session, Session) else session
        return members_store.all_members(self.db, active_on=day)

    # -- import ----------------------------------------------------------------------------

    @undoable(
        lambda _service, report, _log: Rules(
            f"导入名单（新增 {len(report.added)} 人，更新 {len(report.updated)} 人）",
            Refusals(
                {},
                dependents="导入时新增的成员已有考勤、请假或学习记录，不能{doing}导入。",
                lenient={"members"},
            ),
        )
    )
    def import_roster(self, path: str | Path, *, today: dt.date | None = None) -> ImportReport:
        """Bring the roster spreadsheet in: add new people, update the ones already listed.

        A row matches a current member with the same name and the same position or department;
        two people may share a name. The file is read completely before anything is written,
        and all changes are made in one transaction, so a bad file changes nothing.

        New members count from `today` (default: the real date), except on the first import
        into an empty roster, when they are expected at every session so far (setting up).
        """
        from studyplan.io.roster_import import read_roster

        today = today or self.clock.today()
        sheet = read_roster(path)
        report = ImportReport(source=str(path), sheet=sheet.sheet_name)
        added: list[int] = []
        with transaction(self.db):
            existing = members_store.all_members(self.db)
            first_import = not existing
            current = [m for m in existing if m.on_roster(today)]
            matched: set[int] = set()
            seen: dict[tuple[str, str, str], int] = {}
            for order, row in enumerate(sheet.rows, start=1):
                name = normalize_name(row.name)
                position = normalize_text(row.position)
                department = normalize_text(row.department)
                role = normalize_text(row.role)
                if row.name_kind:
                    reason = NAME_NOT_TEXT.get(row.name_kind, "姓名不是文字")
                    report.skipped.append(ImportLine(row.row, row.name, reason))
                    continue
                if not name:
                    report.skipped.append(ImportLine(row.row, "", "姓名为空"))
                    continue
                if len(name) > MAX_NAME_LENGTH:
                    report.skipped.append(ImportLine(row.row, name[:20], "姓名过长"))
                    continue
                unprintable = _unprintable_cell(name, position, role, department)
                if unprintable:
                    report.skipped.append(ImportLine(row.row, name, unprintable))
                    continue
                key = (name, position, department)
                if key in seen:
                    report.skipped.append(ImportLine(row.row, name, f"与第{seen[key]}行重复"))
                    continue
                seen[key] = row.row
                rank = _parse_rank(row.number) if sheet.has_number else None
                if rank is None:
                    rank = order
                target = _best_match(current, matched, name, position, department)
                if target is None:
                    member = _clean(
                        Member(
                            name=name,
                            position=position,
                            role=role or DEFAULT_ROLE,
                            department=department,
                            rank=rank,
                            active_from=None if first_import else today,
                        )
                    )
                    member_id = members_store.insert(self.db, member)
                    matched.add(member_id)
                    added.append(member_id)
                    report.added.append(ImportLine(row.row, name, _describe(member)))
                    continue
                assert target.id is not None
                matched.add(target.id)
                changed = replace(
                    target,
                    position=position or target.position,
                    department=department or target.department,
                    role=role or target.role,
                    rank=rank,
                )
                changes = _changes(target, changed)
                if changes:
                    members_store.update(self.db, changed)
                    report.updated.append(ImportLine(row.row, name, "；".join(changes)))
                else:
                    report.unchanged.append(ImportLine(row.row, name, "信息无变化"))
            report.not_in_file = [m for m in current if m.id not in matched]
            _note_namesakes(report, [members_store.get(self.db, i) for i in added])
            _note_same_names(report, sheet.rows, added, members_store.all_members(self.db))
            self._after_the_file(existing, matched)
        return report

    def _after_the_file(self, existing: list[Member], listed: set[int]) -> list[int]:
        """Give the members the file does not list the places after those it does, in their
        old order, so that no two share a 序号 (caller's transaction); their ids."""
        ranks = [m.rank for m in members_store.all_members(self.db) if m.id in listed]
        rank = max(ranks, default=0)
        moved = []
        for member in sorted(existing, key=lambda m: (m.rank, m.id or 0)):
            if member.id is None or member.id in listed:
                continue
            rank += 1
            if member.rank != rank:
                members_store.set_rank(self.db, member.id, rank)
                moved.append(member.id)
        return moved


def _unprintable_cell(name: str, position: str, role: str, department: str) -> str | None:
    """Why a roster row cannot be taken as it is: a character the record cannot print (the
    row is skipped and reported, as a row with no name is; the others are imported)."""
    problem = printing_problem(
        {"姓名": name, "职务": position, "组内角色": role, "部门": department}
    )
    return problem.removesuffix("。") if problem else None


def _best_match(
    current: list[Member], matched: set[int], name: str, position: str, department: str
) -> Member | None:
    """The current member a row stands for, or None for a new person."""
    best: Member | None = None
    best_score = 0
    for member in current:
        if member.id in matched or member.name != name:
            continue
        same_position = bool(position) and member.position == position
        same_department = bool(department) and member.department == department
        score = 2 * same_position + 2 * same_department
        if not position and not department:
            score = 1
        if score > best_score:
            best, best_score = member, score
    return best


def _note_namesakes(report: ImportReport, added: list[Member]) -> None:
    """Say of each new member (`added`, in the order of `report.added`) that a current
    member the file left out has the same name, and what told them apart.

    Position or department tell namesakes apart; when they changed this may be one person
    moved and promoted, which the secretary must see."""
    for index, (line, member) in enumerate(zip(report.added, added, strict=True)):
        namesakes = [m for m in report.not_in_file if m.name == member.name]
        if not namesakes:
            continue
        fields = [
            label
            for label, attr in (("职务", "position"), ("部门", "department"))
            if getattr(member, attr)
            and any(getattr(m, attr) != getattr(member, attr) for m in namesakes)
        ]
        others = "、".join(f"{m.name}（{_describe(m) or '无职务'}）" for m in namesakes)
        note = SAME_NAME_NOTE.format(others=others, fields="、".join(fields) or "其他信息")
        reason = f"{line.reason}；{note}" if line.reason else note
        report.added[index] = replace(line, reason=reason, namesake=True)


def _note_same_names(
    report: ImportReport, rows: list, added: list[int], roster: list[Member]
) -> None:
    """Say when the file has two rows of one name, or adds a name a member already has:
    two people of one name are kept apart by department or post wherever they are named."""
    shown = display_names(roster)
    rows_of: dict[str, list[int]] = {}
    for row in rows:
        name = normalize_name(row.name) if not row.name_kind else ""
        if name:
            rows_of.setdefault(name, []).append(row.row)
    said: set[str] = set()
    new_rows = {line.row for line in report.added}
    for name, numbers in rows_of.items():
        if len(numbers) > 1 and new_rows & set(numbers):
            listed = "、".join(str(n) for n in numbers)
            report.same_names.append(
                f"文件中第 {listed} 行都是{name}，已按不同的人登记（重复的行除外），"
                "名单中以部门或职务区分。"
            )
            said.add(name)
    flagged = {line.name for line in report.added if line.namesake}
    for member in roster:
        if member.id not in added or member.name in said | flagged:
            continue
        others = [m for m in roster if m.name == member.name and m.id != member.id]
        if others:
            report.same_names.append(
                f"新增的{shown.get(member.id or 0, member.name)}与已有成员"
                f"{'、'.join(shown.get(m.id or 0, m.name) for m in others)}同名，"
                "名单中以部门或职务区分。"
            )
            said.add(member.name)


def _describe(member: Member) -> str:
    details = [d for d in (member.position, member.department, member.role) if d]
    return "，".join(details)


def _changes(old: Member, new: Member) -> list[str]:
    changes = []
    for label, attr in (("职务", "position"), ("部门", "department"), ("角色", "role")):
        before, after = getattr(old, attr), getattr(new, attr)
        if before != after:
            changes.append(f"{label}：{before or '（空）'}→{after}")
    if old.rank != new.rank:
        changes.append(f"排序：{old.rank}→{new.rank}")
    return changes

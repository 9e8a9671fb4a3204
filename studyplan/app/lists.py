"""三张清单 and each member's year: the use cases of 学习责任清单, 学习任务清单, 成果转化清单,
and of the duties a member keeps (调研报告/理论文章, 个人自学计划, 学习笔记检查).

A member's attendance comes from the statistics the ledger shows (`StatisticsService`), and
the duties from one count (`store.lists.duty_counts`), so the ledger, the member file, the
member page and the command line give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

from studyplan.app.changes import Rules, undoable
from studyplan.app.lists_data import (
    collect_lists,
    export_lists,
    export_member_file,
    member_years,
)
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.duties import (
    DEFAULT_RESULT_TYPES,
    DEFAULT_STUDY_FORMS,
    DUTIES,
    PAPER_KINDS,
    RESULT_TYPES_KEY,
    STUDY_FORMS_KEY,
    Arrangement,
    ListsData,
    MemberYear,
    NoteCheck,
    Paper,
    PlannedSpeaker,
    Progress,
    SelfStudyPlan,
    StudyResult,
    check_month,
    check_text,
    clean_choices,
)
from studyplan.model.errors import ExportFileError, ValidationError
from studyplan.model.plan import SessionStatus, Topic
from studyplan.model.records import (
    _MAX_COPIES,
    MAX_ATTACHMENT_BYTES,
    _numbered,
    check_file_name,
    format_size,
)
from studyplan.model.roster import normalize_name
from studyplan.model.text import refuse_unprintable
from studyplan.model.years import check_year
from studyplan.store import lists as lists_store
from studyplan.store import members as members_store
from studyplan.store import plans as plans_store
from studyplan.store import sessions as sessions_store
from studyplan.store import settings as settings_store
from studyplan.store.db import FOLDER_MODE, Database, reading, transaction
from studyplan.store.rowlog import Refusals

#: The gathering and the exports (app/lists_data.py) are named here too.
__all__ = [
    "LISTS_FOLDER",
    "ListsService",
    "collect_lists",
    "export_lists",
    "export_member_file",
    "member_years",
]

_LENIENT = Refusals({}, lenient={"planned_speakers", "study_results"})


#: Where files of the lists (成果附件, 调研报告, 自学计划) are kept: <archive>/<year>/清单/.
LISTS_FOLDER = "清单"


class ListsService:
    """Use cases of the three lists and of the members' years; files chosen for them are
    copied into `archive_root` (the database's archive folder) when it is given."""

    def __init__(
        self, db: Database, archive_root: Path | str | None = None, *, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.db = db
        self.archive_root = Path(archive_root) if archive_root is not None else None
        self.clock = clock

    def _archived(self, text: str, year: int) -> str:
        """A file chosen on this computer, copied into the archive (`<year>/清单/`, never
        over another file), as its place there; a text naming no file here, or a file in the
        archive already, is kept as it is."""
        root = self.archive_root
        source = Path(text) if text else None
        if root is None or source is None or not source.is_absolute() or not source.is_file():
            return text
        root = root.resolve()
        if source.resolve().is_relative_to(root):
            return source.resolve().relative_to(root).as_posix()
        name = check_file_name(source.name)
        if source.stat().st_size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(f"文件“{name}”超过附件上限 {format_size(MAX_ATTACHMENT_BYTES)}。")
        folder = root / str(year) / LISTS_FOLDER
        try:
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportFileError(
                f"无法在档案文件夹中建立目录（{exc.strerror or exc}）：{folder}"
            ) from exc
        for number in range(1, _MAX_COPIES + 1):
            candidate = _numbered(name, number)
            try:
                with source.open("rb") as reader, (folder / candidate).open("xb") as writer:
                    shutil.copyfileobj(reader, writer)
            except FileExistsError:
                continue
            except OSError as exc:
                raise ExportFileError(
                    f"无法把“{name}”复制到档案文件夹（{exc.strerror or exc}）。"
                ) from exc
            return f"{year}/{LISTS_FOLDER}/{candidate}"
        raise ValidationError(f"档案中同名文件“{name}”过多，请改名后再添加。")

    def file_path(self, stored: str) -> Path | None:
        """Where a file kept for the lists is, None when the text names no archived file."""
        if self.archive_root is None or not stored or Path(stored).is_absolute():
            return None
        path = (self.archive_root / stored).resolve()
        root = self.archive_root.resolve()
        return path if path.is_relative_to(root) and path.is_file() else None

    # -- the lists the secretary extends, and the duties -----------------------------------
    def _choices(self, key: str, defaults: tuple[str, ...]) -> list[str]:
        try:
            stored = json.loads(settings_store.text(self.db, key) or "[]")
        except ValueError:
            stored = []
        if not isinstance(stored, list):
            stored = []
        try:
            return clean_choices([str(v) for v in stored], defaults)
        except ValidationError:
            return list(defaults)

    def study_forms(self) -> list[str]:
        """学习形式: the five of the plan, then those the secretary added."""
        return self._choices(STUDY_FORMS_KEY, DEFAULT_STUDY_FORMS)

    def result_types(self) -> list[str]:
        """成果类型: the five of the 意识形态工作要点, then those the secretary added."""
        return self._choices(RESULT_TYPES_KEY, DEFAULT_RESULT_TYPES)

    def _set_choices(
        self, key: str, defaults: tuple[str, ...], values: list[str], what: str
    ) -> list[str]:
        cleaned = clean_choices(values, defaults)
        for value in cleaned[len(defaults) :]:
            refuse_unprintable({what: value})
        with transaction(self.db):
            settings_store.set_text(
                self.db, key, json.dumps(cleaned[len(defaults) :], ensure_ascii=False)
            )
        return cleaned

    def set_study_forms(self, values: list[str]) -> list[str]:
        return self._set_choices(STUDY_FORMS_KEY, DEFAULT_STUDY_FORMS, values, "学习形式")

    def set_result_types(self, values: list[str]) -> list[str]:
        return self._set_choices(RESULT_TYPES_KEY, DEFAULT_RESULT_TYPES, values, "成果类型")

    def required(self) -> dict[str, int]:
        """Duty code -> the number a member owes a year (设置)."""
        return {d.code: settings_store.count(self.db, d.setting) for d in DUTIES}

    def set_required(self, code: str, value: int) -> bool:
        """Change a yearly duty; False when it already had that value."""
        duty = next((d for d in DUTIES if d.code == code), None)
        if duty is None:
            raise ValidationError(f"未知的履职项目：{code}")
        with transaction(self.db):
            return settings_store.set_count(self.db, duty.setting, value)

    # -- 学习责任清单 / 学习任务清单 ---------------------------------------------------------
    def _topic(self, topic_id: int) -> Topic:
        row = self.db.execute("SELECT year FROM topics WHERE id = ?", [topic_id]).fetchone()
        if row is None:
            raise ValidationError("该专题不存在（可能计划已重新导入）。")
        return next(t for t in plans_store.topics(self.db, row[0]) if t.id == topic_id)

    def topic_arrangement(self, topic_id: int) -> Arrangement:
        topic = self._topic(topic_id)
        return lists_store.topic_arrangements(self.db, topic.year).get(topic_id, Arrangement())

    def set_topic_arrangement(
        self,
        topic_id: int,
        *,
        host: str = "",
        lecturer: str = "",
        department: str = "",
        form: str = "",
        month: int | None = None,
    ) -> Arrangement:
        """Who hosts and leads a topic, which office answers for it, its form and month."""
        arrangement = Arrangement(
            host=check_text(host, "主持人", limit=40),
            lecturer=check_text(lecturer, "领学/辅导人", limit=40),
            department=check_text(department, "责任处室", limit=60),
            form=check_text(form, "学习形式", limit=20),
            month=check_month(month),
        )
        with transaction(self.db):
            self._topic(topic_id)
            lists_store.set_topic_arrangement(self.db, topic_id, arrangement)
        return arrangement

    def set_session_department(self, session_id: int, department: str) -> str:
        text = check_text(department, "责任处室", limit=60)
        with transaction(self.db):
            sessions_store.get(self.db, session_id)
            lists_store.set_session_department(self.db, session_id, text)
        return text

    @undoable(
        lambda service, speaker, log: Rules(
            f"安排重点发言（{service._name(speaker.member_id)}）", _LENIENT
        )
    )
    def add_planned_speaker(
        self,
        member_id: int,
        subject: str = "",
        *,
        topic_id: int | None = None,
        session_id: int | None = None,
    ) -> PlannedSpeaker:
        """Plan a 重点发言人 with their subject, for a topic or for one session."""
        if (topic_id is None) == (session_id is None):
            raise ValidationError("重点发言应安排在一个专题或一场学习上。")
        speaker = PlannedSpeaker(
            member_id, check_text(subject, "发言题目", limit=100), topic_id, session_id
        )
        with transaction(self.db):
            member = members_store.get(self.db, member_id)
            if session_id is not None:
                session = sessions_store.get(self.db, session_id)
                if session.status is SessionStatus.CANCELLED:
                    raise ValidationError("该场次已取消，不能安排重点发言。")
                if not member.expected_on(session.date):
                    raise ValidationError(
                        f"{member.name} 不是 {session.date:%Y年%m月%d日} 学习的应到成员。"
                    )
            else:
                assert topic_id is not None
                self._topic(topic_id)
            if lists_store.speaker_planned(self.db, speaker):
                raise ValidationError(f"已安排 {member.name} 重点发言。")
            speaker_id = lists_store.insert_speaker(self.db, speaker)
        return replace(speaker, id=speaker_id)

    @undoable(
        lambda service, speaker, log: Rules(
            f"取消重点发言（{service._name(speaker.member_id)}）", _LENIENT
        )
    )
    def remove_planned_speaker(self, speaker_id: int) -> PlannedSpeaker:
        with transaction(self.db):
            speaker = lists_store.get_speaker(self.db, speaker_id)
            lists_store.delete_speaker(self.db, speaker_id)
        return speaker

    def speakers_for_session(self, session_id: int) -> list[tuple[str, str]]:
        """(name, subject) of the 重点发言人 planned for a session, those of its topics
        included, in the order planned: what its 学习通知 lists."""
        session = sessions_store.get(self.db, session_id)
        topic_ids = {
            t.id
            for t in plans_store.topics(self.db, session.year)
            if t.number in session.topic_numbers
        }
        found: list[tuple[str, str]] = []
        for speaker in lists_store.planned_speakers(self.db, session.year):
            if speaker.session_id == session_id or (
                speaker.topic_id is not None and speaker.topic_id in topic_ids
            ):
                entry = (self._name(speaker.member_id), speaker.subject)
                if entry[0] and entry[0] not in [name for name, _ in found]:
                    found.append(entry)
        return found

    def _name(self, member_id: int | None) -> str:
        if member_id is None:
            return ""
        row = self.db.execute("SELECT name FROM members WHERE id = ?", [member_id]).fetchone()
        return row[0] if row else ""

    # -- 成果转化清单 ------------------------------------------------------------------------
    def _checked_result(self, result: StudyResult) -> tuple[int, StudyResult]:
        """The result as kept, with the year it belongs to."""
        if (result.topic_id is None) == (result.session_id is None):
            raise ValidationError("学习成果应对应一个专题或一场学习。")
        name = check_text(result.name, "成果名称", required=True, limit=100)
        kind = check_text(result.kind, "成果类型", required=True, limit=20)
        if kind not in self.result_types():
            raise ValidationError(f"成果类型“{kind}”不在可选项中，请先在成果类型中添加。")
        if result.member_id is None:
            raise ValidationError("请选择责任人。")
        members_store.get(self.db, result.member_id)
        attachments = tuple(
            a
            for a in (check_text(x, "附件", limit=260, printed=False) for x in result.attachments)
            if a
        )
        effect = check_text(result.effect, "成效说明", limit=500)
        if result.session_id is not None:
            year = sessions_store.get(self.db, result.session_id).year
        else:
            assert result.topic_id is not None
            year = self._topic(result.topic_id).year
        progress = result.progress
        if not isinstance(progress, Progress):
            progress = Progress.from_label(str(progress))
        return year, replace(
            result,
            name=name,
            kind=kind,
            effect=effect,
            attachments=tuple(self._archived(a, year) for a in attachments),
            progress=progress,
        )

    @undoable(lambda service, result, log: Rules(f"新增学习成果（{result.name}）", _LENIENT))
    def add_result(self, result: StudyResult) -> StudyResult:
        """Add a result of a topic or session (成果转化清单)."""
        with transaction(self.db):
            year, result = self._checked_result(result)
            result_id = lists_store.insert_result(self.db, year, result)
        return replace(result, id=result_id)

    @undoable(lambda service, result, log: Rules(f"修改学习成果（{result.name}）", _LENIENT))
    def update_result(self, result: StudyResult) -> StudyResult:
        if result.id is None:
            raise ValueError("a stored result has an id")
        with transaction(self.db):
            lists_store.get_result(self.db, result.id)
            _year, result = self._checked_result(result)
            lists_store.update_result(self.db, result)
        return result

    @undoable(lambda service, result, log: Rules(f"删除学习成果（{result.name}）", _LENIENT))
    def remove_result(self, result_id: int) -> StudyResult:
        with transaction(self.db):
            result = lists_store.get_result(self.db, result_id)
            lists_store.delete_result(self.db, result_id)
        return result

    def results(self, year: int) -> list[StudyResult]:
        return lists_store.results(self.db, check_year(year))

    # -- a member's year ---------------------------------------------------------------------
    @undoable(lambda service, paper, log: Rules(f"登记{paper.kind}（{paper.title}）"))
    def add_paper(
        self, member_id: int, kind: str, title: str, written_on: dt.date, file: str = ""
    ) -> Paper:
        """Record a 调研报告 or 理论文章 a member wrote."""
        if kind not in PAPER_KINDS:
            raise ValidationError("类型应为 调研报告 或 理论文章。")
        paper = Paper(
            member_id,
            kind,
            check_text(title, "题目", required=True, limit=100),
            written_on,
            self._archived(check_text(file, "文件", limit=260, printed=False), written_on.year),
        )
        with transaction(self.db):
            members_store.get(self.db, member_id)
            paper_id = lists_store.insert_paper(self.db, paper)
        return replace(paper, id=paper_id)

    @undoable(lambda service, _none, log: Rules("删除调研报告或理论文章"))
    def remove_paper(self, paper_id: int) -> None:
        with transaction(self.db):
            lists_store.delete_paper(self.db, paper_id)

    @undoable(lambda service, plan, log: Rules(f"登记个人自学计划（{plan.year}年）"))
    def set_self_plan(
        self, member_id: int, year: int, submitted_on: dt.date | None, file: str = ""
    ) -> SelfStudyPlan:
        """Record (or, with no date, take back) a member's 个人自学计划 of a year."""
        plan = SelfStudyPlan(
            member_id,
            check_year(year),
            submitted_on,
            self._archived(check_text(file, "文件", limit=260, printed=False), year),
        )
        with transaction(self.db):
            members_store.get(self.db, member_id)
            lists_store.set_self_plan(self.db, plan)
        return plan

    @undoable(lambda service, check, log: Rules("登记学习笔记检查"))
    def add_note_check(
        self, member_id: int, checked_on: dt.date, checked_by: str = "", remark: str = ""
    ) -> NoteCheck:
        check = NoteCheck(
            member_id,
            checked_on,
            normalize_name(check_text(checked_by, "检查人", limit=40)),
            check_text(remark, "检查意见", limit=200),
        )
        with transaction(self.db):
            members_store.get(self.db, member_id)
            check_id = lists_store.insert_note_check(self.db, check)
        return replace(check, id=check_id)

    @undoable(lambda service, _none, log: Rules("删除学习笔记检查"))
    def remove_note_check(self, check_id: int) -> None:
        with transaction(self.db):
            lists_store.delete_note_check(self.db, check_id)

    def member_years(self, year: int, today: dt.date | None = None) -> list[MemberYear]:
        """Every member in the group during `year`, in roster order, with their year."""
        today = today or self.clock.today()
        with reading(self.db):
            return member_years(self.db, check_year(year), today)

    def member_year(self, member_id: int, year: int, today: dt.date | None = None) -> MemberYear:
        """One member's year; ValidationError when they were not in the group that year."""
        for entry in self.member_years(year, today):
            if entry.member.id == member_id:
                return entry
        member = members_store.get(self.db, member_id)
        raise ValidationError(f"{member.name} {year} 年不在中心组。")

    # -- the whole of a year -----------------------------------------------------------------
    def lists(self, year: int, today: dt.date | None = None) -> ListsData:
        """The three lists and the members' years of `year`, read in one snapshot."""
        today = today or self.clock.today()
        with reading(self.db):
            return collect_lists(self.db, check_year(year), today)

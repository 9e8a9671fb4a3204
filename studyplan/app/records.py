"""The study record of each session (学习记录、学习资料、学习档案).

For every session the secretary keeps the minutes (会议记录), the materials studied (学习资料),
the speeches of the discussion in speaking order (研讨发言), who handed in a written
reflection (心得体会), and attached files (附件: slides, scans of notes, photographs).

Attached files are copied into the archive folder beside the database,
`<archive_root>/<year>/<session id>/<original name>`. A file there is never overwritten: a
second file of the same name becomes `名称(2).ext`. A removed attachment's file is moved to
`<archive_root>/.已删除/`, never deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from studyplan.app.changes import Rules, undoable
from studyplan.app.roster import RosterService
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.errors import ExportFileError, ImportFileError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.records import (
    _CHUNK,
    _MAX_COPIES,
    MAX_ATTACHMENT_BYTES,
    MAX_SPEAKER_LENGTH,
    MAX_TITLE_LENGTH,
    TRASH_FOLDER,
    Attachment,
    Reflection,
    Speech,
    StudyRecord,
    _clean_materials,
    _numbered,
    check_file_name,
    format_size,
)
from studyplan.model.roster import Member, normalize_name, normalize_text
from studyplan.model.text import printable_text, refuse_unprintable
from studyplan.store import members as members_store
from studyplan.store import plans as plans_store
from studyplan.store import records as records_store
from studyplan.store import sessions as sessions_store
from studyplan.store.db import FOLDER_MODE, Database, transaction
from studyplan.store.rowlog import Refusals


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class RecordsService:
    """Use cases of the study record; `archive_root` is the archive folder of the database
    (see `archive_root_for`)."""

    def __init__(
        self,
        db: Database,
        archive_root: Path | str,
        *,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.db = db
        self.archive_root = Path(archive_root)
        self.clock = clock
        self._roster = RosterService(db)

    def _now(self) -> dt.datetime:
        return self.clock.now().replace(microsecond=0)

    # -- the whole record ------------------------------------------------------------------
    def record(self, session_id: int) -> StudyRecord:
        """The session's record; before anything was saved its materials are the readings of
        the session's topics."""
        session = sessions_store.get(self.db, session_id)
        saved = records_store.get_record(self.db, session_id)
        if saved is None:
            minutes, materials, updated_at = "", self._planned_materials(session), None
        else:
            minutes, materials, updated_at = saved
        return StudyRecord(
            session_id=session_id,
            minutes=minutes,
            materials=materials,
            speeches=records_store.speeches(self.db, session_id),
            reflections=records_store.reflections(self.db, session_id),
            attachments=records_store.attachments(self.db, session_id),
            updated_at=updated_at,
        )

    def planned_materials(self, session_id: int) -> list[str]:
        """The readings the plan lists for the session's topics, in topic order, once each."""
        return self._planned_materials(sessions_store.get(self.db, session_id))

    def _planned_materials(self, session: Session) -> list[str]:
        wanted = set(session.topic_numbers)
        readings = [
            reading
            for topic in plans_store.topics(self.db, session.year)
            if topic.number in wanted
            for reading in topic.readings
        ]
        return _clean_materials(readings)

    def _ensure_record(self, session: Session) -> None:
        assert session.id is not None
        records_store.create_record(
            self.db, session.id, self._planned_materials(session), self._now()
        )

    # -- minutes and materials -------------------------------------------------------------
    def save_minutes(self, session_id: int, minutes: str) -> None:
        """Keep the minutes as typed (line breaks unified, trailing blank lines dropped)."""
        text = printable_text(minutes).rstrip()
        # Refused like every field, though long: the minutes are printed into the ledger,
        # where a box in their place reads as a defect, and the sentence names what to delete.
        refuse_unprintable({"会议记录": text})
        with transaction(self.db):
            session = sessions_store.get(self.db, session_id)
            self._ensure_record(session)
            records_store.set_minutes(self.db, session_id, text, self._now())

    def save_materials(self, session_id: int, materials: Iterable[str]) -> list[str]:
        """Replace the session's list of materials (trimmed, blanks dropped, each once);
        returns the list as saved."""
        cleaned = _clean_materials(materials)
        for item in cleaned:
            refuse_unprintable({"学习资料": item})
        with transaction(self.db):
            session = sessions_store.get(self.db, session_id)
            self._ensure_record(session)
            records_store.set_materials(self.db, session_id, cleaned, self._now())
        return cleaned

    # -- speeches --------------------------------------------------------------------------
    def _speech(
        self,
        session: Session,
        speaker: str,
        title: str,
        member_id: int | None,
        speech_id: int | None = None,
    ) -> Speech:
        """Check and normalise a speech; a speaker named like exactly one member expected at
        the session is linked to that member."""
        speaker = normalize_text(printable_text(speaker))
        title = normalize_text(printable_text(title))
        if member_id is not None:
            member = members_store.get(self.db, member_id)
            speaker = speaker or member.name
        else:
            as_name = normalize_name(speaker)
            matches = [
                m
                for m in self._roster.expected_members(session)
                if as_name and as_name in (m.name, normalize_name(m.label))
            ]
            if len(matches) == 1:
                member_id, speaker = matches[0].id, matches[0].name
        if not speaker:
            raise ValidationError("请填写发言人。")
        if len(speaker) > MAX_SPEAKER_LENGTH:
            raise ValidationError(f"发言人过长（不超过 {MAX_SPEAKER_LENGTH} 个字）。")
        if len(title) > MAX_TITLE_LENGTH:
            raise ValidationError(f"发言题目过长（不超过 {MAX_TITLE_LENGTH} 个字）。")
        refuse_unprintable({"发言人": speaker, "发言题目": title})
        return Speech(speaker=speaker, title=title, member_id=member_id, id=speech_id)

    def speeches(self, session_id: int) -> list[Speech]:
        sessions_store.get(self.db, session_id)
        return records_store.speeches(self.db, session_id)

    def add_speech(
        self, session_id: int, speaker: str, title: str = "", member_id: int | None = None
    ) -> Speech:
        """Add a speech after the last one."""
        with transaction(self.db):
            session = sessions_store.get(self.db, session_id)
            speech = self._speech(session, speaker, title, member_id)
            speech_id = records_store.insert_speech(self.db, session_id, speech)
        return replace(speech, id=speech_id)

    def update_speech(
        self, speech_id: int, speaker: str, title: str = "", member_id: int | None = None
    ) -> Speech:
        with transaction(self.db):
            session_id, _old = records_store.get_speech(self.db, speech_id)
            session = sessions_store.get(self.db, session_id)
            speech = self._speech(session, speaker, title, member_id, speech_id)
            records_store.update_speech(self.db, speech)
        return speech

    @undoable(
        lambda service, speech, log: Rules(
            f"删除发言（{speech.speaker}）",
            Refusals({}, lenient={"speeches"}),
            settle=lambda: service._renumber(log.values("speeches", "session_id")),
        )
    )
    def remove_speech(self, speech_id: int) -> Speech:
        """Remove a speech and close the gap in the order; returns it as it was."""
        with transaction(self.db):
            session_id, speech = records_store.get_speech(self.db, speech_id)
            records_store.delete_speech(self.db, speech_id)
            self._renumber({session_id})
        return speech

    def _renumber(self, session_ids: Iterable[int]) -> None:
        """Number each session's speeches 1, 2, … in their order (caller's transaction): a
        speech put back by 撤销 takes its old place, before one that holds it since."""
        for session_id in session_ids:
            remaining = records_store.speeches(self.db, session_id)
            records_store.set_speech_order(self.db, [s.id for s in remaining if s.id])

    def move_speech(self, speech_id: int, step: int) -> bool:
        """Move a speech up (`step` -1) or down (+1) in the order; False if it is already
        first or last."""
        if step not in (-1, 1):
            raise ValueError("step must be -1 or 1")
        with transaction(self.db):
            session_id, _speech = records_store.get_speech(self.db, speech_id)
            ids = [s.id for s in records_store.speeches(self.db, session_id) if s.id]
            index = ids.index(speech_id)
            other = index + step
            if not 0 <= other < len(ids):
                return False
            ids[index], ids[other] = ids[other], ids[index]
            records_store.set_speech_order(self.db, ids)
        return True

    # -- reflections -----------------------------------------------------------------------
    def set_reflection(
        self,
        session_id: int,
        member_id: int,
        submitted_on: dt.date,
        title: str = "",
        note: str = "",
    ) -> Reflection:
        """Record that a member handed in a reflection (replacing an earlier entry). The
        member must be expected at the session, and it cannot be handed in before it."""
        if isinstance(submitted_on, dt.datetime):
            submitted_on = submitted_on.date()
        title, note = normalize_text(title), normalize_text(note)
        if len(title) > MAX_TITLE_LENGTH:
            raise ValidationError(f"心得体会题目过长（不超过 {MAX_TITLE_LENGTH} 个字）。")
        refuse_unprintable({"心得体会题目": title, "备注": note})
        with transaction(self.db):
            session = sessions_store.get(self.db, session_id)
            member = members_store.get(self.db, member_id)
            if session.status is SessionStatus.CANCELLED:
                raise ValidationError("该场次已取消，不能登记心得体会。")
            if not member.expected_on(session.date):
                raise ValidationError(
                    f"{member.name} 不是 {session.date:%Y年%m月%d日} 学习的应到成员，"
                    "不能登记心得体会。"
                )
            if submitted_on < session.date:
                raise ValidationError(
                    f"心得体会的提交日期不能早于学习日期（{session.date:%Y年%m月%d日}）。"
                )
            reflection = Reflection(member_id, submitted_on, title, note)
            reflection_id = records_store.upsert_reflection(self.db, session_id, reflection)
        return replace(reflection, id=reflection_id)

    def remove_reflection(self, reflection_id: int) -> Reflection:
        """Undo a reflection marked by mistake; returns it as it was."""
        with transaction(self.db):
            _session_id, reflection = records_store.get_reflection(self.db, reflection_id)
            records_store.delete_reflection(self.db, reflection_id)
        return reflection

    def reflections_status(self, session_id: int) -> list[tuple[Member, Reflection | None]]:
        """The members expected at the session in roster order, each with their reflection
        if they handed one in."""
        session = sessions_store.get(self.db, session_id)
        handed_in = {r.member_id: r for r in records_store.reflections(self.db, session_id)}
        return [
            (member, handed_in.get(member.id) if member.id is not None else None)
            for member in self._roster.expected_members(session)
        ]

    # -- attachments -----------------------------------------------------------------------
    def _root(self) -> Path:
        return self.archive_root.resolve()

    def _inside(self, relative: str) -> Path:
        """The absolute path of `relative` (a "/"-separated path) below the archive folder;
        ValidationError if it would lead anywhere else."""
        root = self._root()
        rel = PurePosixPath(relative)
        if (
            not relative
            or "\\" in relative
            or rel.is_absolute()
            or any(part in ("", ".", "..") for part in relative.split("/"))
        ):
            raise ValidationError(f"附件的存放位置“{relative}”无效，已拒绝访问。")
        path = root.joinpath(*rel.parts).resolve()
        if path == root or not path.is_relative_to(root):
            raise ValidationError(f"附件的存放位置“{relative}”不在档案文件夹内，已拒绝访问。")
        return path

    def attachments(self, session_id: int) -> list[Attachment]:
        sessions_store.get(self.db, session_id)
        return records_store.attachments(self.db, session_id)

    def attach_file(self, session_id: int, source: Path | str) -> Attachment:
        """Copy a file into the session's archive folder and record it, with its SHA-256.

        The name is kept; a name already there gets (2), (3)…, so nothing is overwritten.
        If recording fails, the copy is removed again.
        """
        source = Path(source)
        name = check_file_name(source.name)
        if not source.exists():
            raise ValidationError(f"文件不存在：{source}")
        if source.is_dir():
            raise ValidationError(f"“{name}”是一个文件夹，请选择文件。")
        if not source.is_file():
            raise ValidationError(f"“{name}”不是普通文件，不能作为附件。")
        size = source.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                f"文件“{name}”有 {format_size(size)}，超过附件上限 "
                f"{format_size(MAX_ATTACHMENT_BYTES)}。"
            )
        session = sessions_store.get(self.db, session_id)
        folder_name = f"{session.year}/{session_id}"
        folder = self._inside(folder_name)
        try:
            reader = source.open("rb")
        except OSError as exc:
            raise ImportFileError(f"无法读取文件“{name}”（{exc.strerror or exc}）。") from exc
        with reader:
            try:
                # The archive holds members' papers: private to the owner, as the database.
                self.archive_root.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ExportFileError(
                    f"无法在档案文件夹中建立目录（{exc.strerror or exc}）：{folder}"
                ) from exc
            target, stored_name, writer = self._new_file(folder, folder_name, name)
            try:
                with writer:
                    digest, copied = self._copy(reader, writer, name)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
        added_at = self._now()
        try:
            with transaction(self.db):
                attachment_id = records_store.insert_attachment(
                    self.db, session_id, name, stored_name, digest, copied, added_at
                )
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return Attachment(
            id=attachment_id,
            session_id=session_id,
            file_name=name,
            stored_name=stored_name,
            sha256=digest,
            size=copied,
            added_at=added_at,
        )

    def _new_file(self, folder: Path, folder_name: str, name: str) -> tuple[Path, str, BinaryIO]:
        """Create the first free `name`, `name(2)`, … in `folder` (exclusively, so an existing
        file is never opened for writing); returns its path, stored name and handle."""
        for number in range(1, _MAX_COPIES + 1):
            candidate = _numbered(name, number)
            stored_name = f"{folder_name}/{candidate}"
            if records_store.stored_name_taken(self.db, stored_name):
                continue
            target = self._inside(stored_name)
            try:
                return target, stored_name, target.open("xb")
            except FileExistsError:
                continue
            except OSError as exc:
                raise ExportFileError(
                    f"无法在档案文件夹中写入“{candidate}”（{exc.strerror or exc}）。"
                ) from exc
        raise ValidationError(f"档案中同名文件“{name}”过多，请改名后再添加。")

    @staticmethod
    def _copy(reader: BinaryIO, writer: BinaryIO, name: str) -> tuple[str, int]:
        """Copy in chunks while hashing; returns (SHA-256 hex, bytes copied)."""
        digest = hashlib.sha256()
        copied = 0
        while True:
            try:
                chunk = reader.read(_CHUNK)
            except OSError as exc:
                raise ImportFileError(f"读取文件“{name}”时出错（{exc.strerror or exc}）。") from exc
            if not chunk:
                break
            copied += len(chunk)
            if copied > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    f"文件“{name}”超过附件上限 {format_size(MAX_ATTACHMENT_BYTES)}。"
                )
            digest.update(chunk)
            try:
                writer.write(chunk)
            except OSError as exc:
                raise ExportFileError(
                    f"写入档案文件夹时出错（{exc.strerror or exc}），未保存“{name}”。"
                ) from exc
        try:
            writer.flush()
            os.fsync(writer.fileno())
        except OSError as exc:
            raise ExportFileError(
                f"写入档案文件夹时出错（{exc.strerror or exc}），未保存“{name}”。"
            ) from exc
        return digest.hexdigest(), copied

    def attachment_path(self, attachment: Attachment) -> Path:
        """Where the attachment's file is (resolved); ValidationError if its recorded place
        would lie outside the archive folder."""
        return self._inside(attachment.stored_name)

    def verify_attachment(self, attachment: Attachment) -> bool:
        """True if the archived file is there and its SHA-256 is the one recorded."""
        try:
            path = self.attachment_path(attachment)
            if not path.is_file() or path.stat().st_size != attachment.size:
                return False
            return _sha256_of(path) == attachment.sha256
        except (ValidationError, OSError):
            return False

    def remove_attachment(self, attachment_id: int) -> Attachment:
        """Remove an attachment; its file is moved to the archive's `.已删除` folder (kept
        under its year and session), never deleted. Returns the attachment as it was."""
        moved: tuple[Path, Path] | None = None
        try:
            with transaction(self.db):
                attachment = records_store.get_attachment(self.db, attachment_id)
                records_store.delete_attachment(self.db, attachment_id)
                try:
                    path: Path | None = self.attachment_path(attachment)
                except ValidationError:
                    path = None  # a recorded place outside the archive: touch no file
                if path is not None and path.is_file():
                    target = self._trash_target(attachment.stored_name)
                    try:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(path, target)
                    except OSError as exc:
                        raise ExportFileError(
                            f"无法移走附件“{attachment.file_name}”（{exc.strerror or exc}），"
                            "可能正被其他程序打开；附件未移除。"
                        ) from exc
                    moved = (path, target)
        except BaseException:
            if moved is not None:
                with contextlib.suppress(OSError):
                    os.replace(moved[1], moved[0])
            raise
        return attachment

    def _trash_target(self, stored_name: str) -> Path:
        """A free place for a removed file under `.已删除`, keeping its year/session path."""
        rel = PurePosixPath(stored_name)
        folder = str(PurePosixPath(TRASH_FOLDER, *rel.parts[:-1]))
        for number in range(1, _MAX_COPIES + 1):
            target = self._inside(f"{folder}/{_numbered(rel.name, number)}")
            if not target.exists():
                return target
        raise ValidationError(f"“{TRASH_FOLDER}”中同名文件过多，请先清理。")

    def trash_folder(self) -> Path:
        return self.archive_root / TRASH_FOLDER

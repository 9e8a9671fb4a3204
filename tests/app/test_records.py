"""Study records through RecordsService: minutes, materials, speeches, reflections, files."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.model.clock import FixedClock
from studyplan.model.errors import NotFoundError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.records import (
    MAX_FILE_NAME_BYTES,
    TRASH_FOLDER,
    archive_root_for,
    check_file_name,
    format_size,
)
from studyplan.store import records as records_store

DAY = dt.date(2026, 3, 12)
NOW = dt.datetime(2026, 3, 12, 17, 30, 5, 123456)


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db)
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def session_id(planning) -> int:
    return planning.save_session(
        Session(
            date=DAY,
            start=dt.time(15),
            end=dt.time(17),
            location="局机关三楼会议室",
            topic_numbers=(1, 2),
        )
    )


@pytest.fixture
def people(db):
    attendance = AttendanceService(db)
    return [
        attendance.add_member("王建国", "局党组书记、局长", "组长"),
        attendance.add_member("李明", "副局长", "副组长"),
        attendance.add_member("赵磊", "办公室主任"),
        attendance.add_member("陈晓", "科长", active_from=dt.date(2026, 6, 1)),
    ]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "studyplan-档案"


@pytest.fixture
def records(db, archive) -> RecordsService:
    return RecordsService(db, archive, clock=FixedClock(NOW))


def _file(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# -- helpers ------------------------------------------------------------------------------
def test_archive_root_sits_beside_the_database(tmp_path) -> None:
    assert archive_root_for(tmp_path / "学习台账.db") == tmp_path / "学习台账-档案"


def test_format_size() -> None:
    assert format_size(980) == "980 B"
    assert format_size(1536) == "1.5 KB"
    assert format_size(200 * 1024 * 1024) == "200 MB"


# -- minutes and materials ----------------------------------------------------------------
def test_materials_are_prefilled_from_the_topics_readings(records, session_id) -> None:
    record = records.record(session_id)
    assert record.minutes == ""
    assert record.updated_at is None
    assert record.materials == [
        "《习近平著作选读》",
        "《习近平谈治国理政》",
        "《习近平关于科技创新论述摘编》",
        "《习近平总书记科技自立自强重要论述学习读本》",
    ]


def test_prefilled_materials_are_deduplicated(records, planning, db) -> None:
    db.execute(
        "UPDATE topics SET readings = ? WHERE year = 2026 AND number = 3",
        ['["《习近平著作选读》", "《论坚持党对一切工作的领导》"]'],
    )
    session_id = planning.save_session(
        Session(date=DAY, start=dt.time(9), end=dt.time(11), topic_numbers=(1, 3)),
        allow_same_day=True,
    )
    assert records.record(session_id).materials == [
        "《习近平著作选读》",
        "《习近平谈治国理政》",
        "《论坚持党对一切工作的领导》",
    ]


def test_saved_materials_are_cleaned_and_replace_the_readings(records, session_id) -> None:
    saved = records.save_materials(
        session_id, ["  《论高质量发展》 ", "", "   ", "《论高质量发展》", "局党组学习材料汇编"]
    )
    assert saved == ["《论高质量发展》", "局党组学习材料汇编"]
    assert records.record(session_id).materials == saved
    assert records.save_materials(session_id, []) == []
    assert records.record(session_id).materials == []


def test_saving_minutes_keeps_the_prefilled_materials(records, session_id) -> None:
    planned = records.record(session_id).materials
    records.save_minutes(session_id, "　　会议由王建国同志主持。\r\n\r\n")
    record = records.record(session_id)
    assert record.minutes == "　　会议由王建国同志主持。"
    assert record.materials == planned
    assert record.updated_at == NOW.replace(microsecond=0)


def test_unknown_session_is_not_found(records) -> None:
    with pytest.raises(NotFoundError, match="学习场次"):
        records.record(999)
    with pytest.raises(NotFoundError):
        records.save_minutes(999, "x")


# -- speeches -----------------------------------------------------------------------------
def test_speeches_keep_their_order_and_can_be_moved(records, session_id, people) -> None:
    first = records.add_speech(session_id, "王建国", "深刻把握科学体系")
    second = records.add_speech(session_id, "省委党校 张教授", "科技自立自强")
    third = records.add_speech(session_id, "李明", "")
    assert [s.speaker for s in records.speeches(session_id)] == [
        "王建国",
        "省委党校 张教授",
        "李明",
    ]
    assert first.member_id == people[0].id
    assert second.member_id is None
    assert third.member_id == people[1].id

    assert records.move_speech(third.id, -1) is True
    assert records.move_speech(first.id, -1) is False
    assert [s.id for s in records.speeches(session_id)] == [first.id, third.id, second.id]
    assert records.move_speech(first.id, 1) is True
    assert [s.id for s in records.speeches(session_id)] == [third.id, first.id, second.id]

    records.remove_speech(first.id)
    fourth = records.add_speech(session_id, "赵 磊", "结合办公室工作谈体会")
    assert fourth.speaker == "赵磊" and fourth.member_id == people[2].id
    assert [s.id for s in records.speeches(session_id)] == [third.id, second.id, fourth.id]
    assert records.move_speech(fourth.id, 1) is False


def test_speech_is_updated_and_relinked(records, session_id, people) -> None:
    speech = records.add_speech(session_id, "王建国", "初稿")
    updated = records.update_speech(speech.id, "特邀嘉宾", "终稿")
    assert updated.member_id is None
    assert records.speeches(session_id) == [updated]
    assert records.update_speech(speech.id, "李明", "终稿").member_id == people[1].id


def test_speech_needs_a_speaker(records, session_id) -> None:
    with pytest.raises(ValidationError, match="请填写发言人"):
        records.add_speech(session_id, "   ", "题目")
    assert records.speeches(session_id) == []
    with pytest.raises(NotFoundError):
        records.remove_speech(12345)


# -- reflections --------------------------------------------------------------------------
def test_reflection_is_upserted(records, session_id, people) -> None:
    member = people[1]
    first = records.set_reflection(session_id, member.id, DAY, "初稿")
    again = records.set_reflection(
        session_id, member.id, dt.date(2026, 3, 20), "把握科学体系 推动工作落实", " 手写稿 "
    )
    assert again.id == first.id
    assert records.record(session_id).reflections == [again]
    assert again.note == "手写稿"

    status = records.reflections_status(session_id)
    assert [m.name for m, _ in status] == ["王建国", "李明", "赵磊"]  # 陈晓 joins in June
    assert [r for _, r in status] == [None, again, None]

    records.remove_reflection(again.id)
    assert records.record(session_id).reflections == []
    with pytest.raises(NotFoundError):
        records.remove_reflection(again.id)


def test_reflection_rules(records, planning, session_id, people) -> None:
    with pytest.raises(ValidationError, match="不能早于学习日期"):
        records.set_reflection(session_id, people[0].id, DAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="陈晓 不是"):
        records.set_reflection(session_id, people[3].id, DAY)
    with pytest.raises(NotFoundError):
        records.set_reflection(session_id, 999, DAY)
    session = planning.session(session_id)
    session.status = SessionStatus.CANCELLED
    planning.save_session(session)
    with pytest.raises(ValidationError, match="已取消"):
        records.set_reflection(session_id, people[0].id, DAY)
    assert records.record(session_id).reflections == []


# -- attachments --------------------------------------------------------------------------
def test_same_name_twice_gives_two_files(records, session_id, archive, tmp_path) -> None:
    first_source = _file(tmp_path / "a", "学习课件.pdf", b"first version")
    second_source = _file(tmp_path / "b", "学习课件.pdf", b"second version" * 100_000)

    first = records.attach_file(session_id, first_source)
    second = records.attach_file(session_id, second_source)

    assert first.stored_name == f"2026/{session_id}/学习课件.pdf"
    assert second.stored_name == f"2026/{session_id}/学习课件(2).pdf"
    assert first.file_name == second.file_name == "学习课件.pdf"
    assert records.attachment_path(first) == (archive / first.stored_name).resolve()
    assert records.attachment_path(first).read_bytes() == b"first version"
    assert records.attachment_path(second).read_bytes() == second_source.read_bytes()
    assert first.sha256 == hashlib.sha256(b"first version").hexdigest()
    assert second.sha256 == hashlib.sha256(second_source.read_bytes()).hexdigest()
    assert second.size == second_source.stat().st_size
    assert first.added_at == NOW.replace(microsecond=0)
    assert records.verify_attachment(first) and records.verify_attachment(second)
    assert records.record(session_id).attachments == [first, second]

    records.attachment_path(first).write_bytes(b"tampered")
    assert not records.verify_attachment(first)
    assert records.verify_attachment(second)


def test_a_file_already_in_the_folder_is_never_overwritten(
    records, session_id, archive, tmp_path
) -> None:
    stray = _file(archive / "2026" / str(session_id), "会议照片.jpg", b"put there by hand")
    attachment = records.attach_file(session_id, _file(tmp_path, "会议照片.jpg", b"photo"))
    assert attachment.stored_name.endswith("/会议照片(2).jpg")
    assert stray.read_bytes() == b"put there by hand"


@pytest.mark.parametrize(
    "name", ["a\\b.pdf", "a／b.pdf", "a＼b.pdf", "a﹨b.pdf", "C:课件.pdf", "a.txt:流", "a\nb.txt"]
)
def test_dangerous_file_names_are_refused(records, session_id, archive, tmp_path, name) -> None:
    source = _file(tmp_path / "src", name, b"x")
    with pytest.raises(ValidationError, match="不能作为附件"):
        records.attach_file(session_id, source)
    assert _files_under(archive) == []
    assert records.record(session_id).attachments == []


def test_check_file_name_keeps_ordinary_names() -> None:
    assert check_file_name("2026年第一次集中学习：会议记录.docx") == (
        "2026年第一次集中学习：会议记录.docx"
    )
    with pytest.raises(ValidationError):
        check_file_name("")


@pytest.mark.parametrize(
    "name",
    [
        "学习体会……（修改稿）.docx",
        "report v1..2.pdf",
        "..课件.pdf",
        "课件..pdf",
        "课件．．pdf",
        "会议记录.",
        "...",
    ],
)
def test_dots_are_ordinary_characters_in_file_names(name: str) -> None:
    assert check_file_name(name) == name


@pytest.mark.parametrize("name", ["", " ", ".", "..", "．．", "a/b.pdf", "../a.pdf", "a\x00b"])
def test_check_file_name_refuses_what_leaves_the_folder(name: str) -> None:
    with pytest.raises(ValidationError, match=r"不能为空|不能作为附件"):
        check_file_name(name)


def test_a_name_with_the_chinese_ellipsis_is_attached(records, session_id, archive, tmp_path):
    name = "学习体会……（修改稿）.docx"
    attachment = records.attach_file(session_id, _file(tmp_path / "src", name, b"x"))
    assert attachment.file_name == name
    assert attachment.stored_name == f"2026/{session_id}/{name}"
    assert _files_under(archive) == [archive / "2026" / str(session_id) / name]


def test_long_names_are_shortened_keeping_the_extension() -> None:
    title = "关于深入学习贯彻习近平新时代中国特色社会主义思想主题教育" * 6  # 168 字
    name = check_file_name(f"{title}的会议记录（定稿）.docx")
    assert name.endswith("….docx") and name.startswith(title[:60])
    assert 230 < len(name.encode("utf-8")) <= MAX_FILE_NAME_BYTES
    # 201–240 bytes were refused before; they are kept whole now
    whole = "二" * 78 + ".pdf"
    assert len(whole.encode("utf-8")) == 238
    assert check_file_name(whole) == whole
    # no extension, or a "suffix" that is really part of the title
    assert check_file_name("x" * 300) == "x" * (MAX_FILE_NAME_BYTES - 3) + "…"
    dotted = "第一部分." + "说" * 100
    assert check_file_name(dotted).endswith("说…")


def test_a_long_name_and_its_duplicates_fit_the_file_system(records, session_id, archive, tmp_path):
    name = "关于学习贯彻党的二十届三中全会精神的专题学习材料汇编" * 3 + "（第一批）.pdf"
    assert 240 < len(name.encode("utf-8")) <= 255  # a name ext4 holds, the archive shortens
    source = _file(tmp_path / "src", name, b"x")
    first = records.attach_file(session_id, source)
    second = records.attach_file(session_id, source)
    assert first.file_name == second.file_name == check_file_name(name)
    assert first.file_name.endswith("….pdf")
    assert second.stored_name.endswith("…(2).pdf")
    # removed twice over, into the trash: a counter there too, and every name still fits
    records.remove_attachment(second.id)
    records.remove_attachment(first.id)
    third = records.attach_file(session_id, source)
    records.remove_attachment(third.id)
    stored = [p.name for p in _files_under(archive)]
    assert len(stored) == 3 and all(len(n.encode("utf-8")) <= 255 for n in stored)


def test_missing_file_and_directory_are_refused(records, session_id, archive, tmp_path) -> None:
    with pytest.raises(ValidationError, match="文件不存在"):
        records.attach_file(session_id, tmp_path / "没有这个文件.pdf")
    folder = tmp_path / "资料夹"
    folder.mkdir()
    with pytest.raises(ValidationError, match="文件夹"):
        records.attach_file(session_id, folder)
    assert _files_under(archive) == []
    assert records.record(session_id).attachments == []


def test_oversized_file_is_refused(records, session_id, archive, tmp_path, monkeypatch) -> None:
    from studyplan.app import records as records_module

    monkeypatch.setattr(records_module, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="超过附件上限"):
        records.attach_file(session_id, _file(tmp_path, "录像.mp4", b"x" * 11))
    assert _files_under(archive) == []


def test_unknown_session_writes_no_file(records, archive, tmp_path) -> None:
    with pytest.raises(NotFoundError):
        records.attach_file(999, _file(tmp_path, "a.txt", b"x"))
    assert _files_under(archive) == []


def test_database_failure_removes_the_copied_file(
    records, session_id, archive, tmp_path, monkeypatch
) -> None:
    def broken_insert(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(records_store, "insert_attachment", broken_insert)
    with pytest.raises(sqlite3.OperationalError):
        records.attach_file(session_id, _file(tmp_path, "纪要.docx", b"minutes"))
    assert _files_under(archive) == []
    monkeypatch.undo()
    assert records.record(session_id).attachments == []


def test_remove_attachment_moves_the_file_to_the_trash(
    records, session_id, archive, tmp_path
) -> None:
    kept = records.attach_file(session_id, _file(tmp_path / "a", "签到表.pdf", b"sign-in"))
    removed = records.attach_file(session_id, _file(tmp_path / "b", "签到表.pdf", b"again"))
    path = records.attachment_path(removed)

    assert records.remove_attachment(removed.id) == removed
    assert not path.exists()
    trashed = archive / TRASH_FOLDER / "2026" / str(session_id) / "签到表(2).pdf"
    assert trashed.read_bytes() == b"again"
    assert records.record(session_id).attachments == [kept]
    assert records.verify_attachment(kept)

    # the trash never overwrites either, and a name freed in the archive may be reused
    again = records.attach_file(session_id, _file(tmp_path / "c", "签到表.pdf", b"third"))
    assert again.stored_name.endswith("/签到表(2).pdf")
    records.remove_attachment(again.id)
    assert (trashed.parent / "签到表(2)(2).pdf").read_bytes() == b"third"
    assert trashed.read_bytes() == b"again"
    with pytest.raises(NotFoundError):
        records.remove_attachment(removed.id)


def test_attachment_recorded_outside_the_archive_is_refused(
    records, session_id, db, tmp_path
) -> None:
    attachment = records.attach_file(session_id, _file(tmp_path, "a.txt", b"x"))
    outside = _file(tmp_path, "secret.txt", b"secret")
    for stored in ("../secret.txt", str(outside), "2026/../../secret.txt"):
        db.execute("UPDATE attachments SET stored_name = ? WHERE id = ?", [stored, attachment.id])
        [tampered] = records.attachments(session_id)
        with pytest.raises(ValidationError, match="拒绝访问"):
            records.attachment_path(tampered)
        assert not records.verify_attachment(tampered)
    records.remove_attachment(attachment.id)
    assert outside.read_bytes() == b"secret"


def test_a_removed_speech_comes_back_at_its_place(records, session_id, people) -> None:
    for speaker, title in (
        ("王建国", "深刻把握科学体系"),
        ("省委党校 张教授", "科技自立自强"),
        ("李明", ""),
    ):
        records.add_speech(session_id, speaker, title)
    before = [(s.speaker, s.title, s.member_id) for s in records.speeches(session_id)]
    second = records.speeches(session_id)[1]
    removed = do(records.remove_speech, second.id)
    assert removed.result == second and removed.text == "删除发言（省委党校 张教授）"
    assert [s.speaker for s in records.speeches(session_id)] == ["王建国", "李明"]

    removed.undo()
    assert [(s.speaker, s.title, s.member_id) for s in records.speeches(session_id)] == before
    assert records.speeches(session_id)[1].id == second.id  # at its place, with its id

    records.remove_speech(records.speeches(session_id)[0].id)  # fewer speeches since
    again = do(records.remove_speech, second.id)
    records.remove_speech(records.speeches(session_id)[0].id)
    again.undo()  # its place is past the end now: it comes last
    assert [s.speaker for s in records.speeches(session_id)] == ["省委党校 张教授"]


def test_the_archive_folder_is_private_to_the_owner(records, session_id, archive, tmp_path):
    import os
    import stat

    if os.name != "posix":
        pytest.skip("POSIX permissions")
    records.attach_file(session_id, _file(tmp_path, "讲稿.docx", b"x"))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o700

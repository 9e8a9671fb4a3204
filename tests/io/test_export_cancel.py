"""A cancelled export stops between rows and leaves nothing: no file, no temporary file, and
an earlier file at the target untouched (the window's 取消 and a closing window rely on it)."""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path

import pytest

from studyplan.app.demo import build_demo
from studyplan.app.ledger import export_ledger
from studyplan.io import files
from studyplan.io.files import atomic_write
from studyplan.model.errors import ExportCancelled, ExportFileError

TODAY = dt.date(2026, 11, 26)


def test_a_cancel_heard_after_the_write_moves_nothing_into_place(tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"last year's ledger")
    stop = [False]

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"new")
        stop[0] = True  # the user clicked 取消 while the file was being saved

    with pytest.raises(ExportCancelled):
        atomic_write(target, write, cancelled=lambda: stop[0])
    assert target.read_bytes() == b"last year's ledger"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_a_write_that_raises_cancelled_leaves_no_temporary_file(tmp_path: Path) -> None:
    def write(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise ExportCancelled()

    with pytest.raises(ExportCancelled):
        atomic_write(tmp_path / "a.csv", write)
    assert list(tmp_path.iterdir()) == []


def test_the_ledger_stops_between_rows_and_leaves_no_file(db, tmp_path: Path) -> None:
    build_demo(db, year=2025, today=TODAY)
    out = tmp_path / "导出"
    out.mkdir()
    target = out / "台账.xlsx"
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)

    with pytest.raises(ExportCancelled) as caught:
        export_ledger(
            db, target, None, today=TODAY, progress=progress, cancelled=lambda: len(seen) > 2
        )
    assert str(caught.value) == "导出已取消，没有写入文件。"
    assert max(seen) > 0 and list(out.iterdir()) == []


def test_a_cancel_before_the_reading_ends_writes_nothing(db, tmp_path: Path) -> None:
    with pytest.raises(ExportCancelled):
        export_ledger(db, tmp_path / "台账.xlsx", None, today=TODAY, cancelled=lambda: True)
    assert not (tmp_path / "台账.xlsx").exists() and not list(tmp_path.glob(".台账*"))


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.EROFS, "只读"), (errno.EACCES, "没有在该文件夹中保存文件的权限"), (errno.ENOSPC, "满")],
)
def test_a_folder_that_refuses_a_new_file_is_named_in_chinese(
    tmp_path: Path, monkeypatch, code: int, words: str
) -> None:
    def refuse(*args, **kwargs):
        raise OSError(code, "English words the secretary cannot use")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    with pytest.raises(ExportFileError) as caught:
        atomic_write(tmp_path / "a.csv", lambda tmp: None)
    assert words in str(caught.value) and "English" not in str(caught.value)

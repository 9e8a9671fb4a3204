"""Nothing the app writes lands on the database, its journal, a backup being restored from,
a folder, a pipe or a device: each refused with one sentence, compared by the file's
identity (links resolved), never by its name; nothing reads from a pipe and waits forever."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from studyplan.cli import main
from studyplan.io import files
from studyplan.model.errors import ExportFileError, ImportFileError

fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def dbfile(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "学习.db"
    assert main(["--db", str(path), "topics", "--year", "2026"]) == 0
    capsys.readouterr()
    return path


def _refused(capsys, *args: str) -> str:
    status = main(list(args))
    err = capsys.readouterr().err
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "意外" not in err, err
    return lines[0]


def test_ics_export_over_the_database_itself_is_refused(capsys, dbfile: Path) -> None:
    before = _digest(dbfile)
    line = _refused(capsys, "--db", str(dbfile), "export", "ics", str(dbfile))
    assert "数据库" in line
    assert _digest(dbfile) == before


@pytest.mark.parametrize("how", ["symlink", "hardlink", "journal", "relative"])
def test_ics_export_over_the_database_under_another_name_is_refused(
    capsys, dbfile: Path, tmp_path: Path, how: str, monkeypatch
) -> None:
    before = _digest(dbfile)
    if how == "symlink":
        target = tmp_path / "日历.ics"
        target.symlink_to(dbfile)
    elif how == "hardlink":
        target = tmp_path / "日历.ics"
        os.link(dbfile, target)
    elif how == "journal":
        target = Path(str(dbfile) + "-journal")
    else:
        monkeypatch.chdir(tmp_path)
        target = Path("sub") / ".." / dbfile.name
        (tmp_path / "sub").mkdir()
    _refused(capsys, "--db", str(dbfile), "export", "ics", str(target))
    assert _digest(dbfile) == before
    if how == "journal":
        assert not target.exists()


def test_backup_onto_the_database_through_a_link_is_refused(
    capsys, dbfile: Path, tmp_path: Path
) -> None:
    link = tmp_path / "备份.db"
    link.symlink_to(dbfile)
    before = _digest(dbfile)
    _refused(capsys, "--db", str(dbfile), "backup", str(link))
    assert _digest(dbfile) == before and link.is_symlink()


@fifo_only
@pytest.mark.parametrize("command", [["export", "ics"], ["backup"]])
def test_writing_to_a_pipe_is_refused_and_the_pipe_stays(
    capsys, dbfile: Path, tmp_path: Path, command: list[str]
) -> None:
    pipe = tmp_path / "管道"
    os.mkfifo(pipe)
    line = _refused(capsys, "--db", str(dbfile), *command, str(pipe))
    assert "管道或设备" in line
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_writing_to_a_device_is_refused(capsys, dbfile: Path) -> None:
    if not Path(os.devnull).exists() or os.name != "posix":
        pytest.skip("no /dev/null device here")
    line = _refused(capsys, "--db", str(dbfile), "export", "ics", os.devnull)
    assert "管道或设备" in line
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_writing_to_a_folder_is_refused(capsys, dbfile: Path, tmp_path: Path) -> None:
    (tmp_path / "文件夹.ics").mkdir()
    assert "文件夹" in _refused(
        capsys, "--db", str(dbfile), "export", "ics", str(tmp_path / "文件夹.ics")
    )


def test_the_backup_being_restored_from_is_not_the_target(tmp_path: Path) -> None:
    source = tmp_path / "备份.db"
    source.write_bytes(b"x")
    link = tmp_path / "链接.db"
    link.symlink_to(source)
    with pytest.raises(ExportFileError, match="所选备份"):
        files.check_write_target(link, [(source, "所选备份")])


def test_a_registered_file_is_protected_until_released(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    db.write_bytes(b"x")
    files.protect(db)
    try:
        with pytest.raises(ExportFileError):
            files.check_write_target(db)
        with pytest.raises(ExportFileError):
            files.check_write_target(Path(str(db) + "-wal"))
    finally:
        files.unprotect(db)
    assert files.check_write_target(db) == db


@fifo_only
@pytest.mark.parametrize(
    "args",
    [
        ["import-plan", "{pipe}", "--year", "2026"],
        ["members", "import", "{pipe}"],
        ["restore", "{pipe}"],
    ],
)
def test_reading_a_pipe_is_refused_instead_of_waiting(
    dbfile: Path, tmp_path: Path, args: list[str]
) -> None:
    pipe = tmp_path / "管道.txt"
    os.mkfifo(pipe)
    before = _digest(dbfile)
    argv = [a.replace("{pipe}", str(pipe)) for a in args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-m", "studyplan", "--db", str(dbfile), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    assert "管道或设备" in done.stderr and "Traceback" not in done.stderr
    assert _digest(dbfile) == before


@fifo_only
def test_a_database_that_is_a_pipe_is_refused(capsys, tmp_path: Path) -> None:
    pipe = tmp_path / "学习.db"
    os.mkfifo(pipe)
    assert "管道或设备" in _refused(capsys, "--db", str(pipe), "topics")


def test_read_source_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="找不到"):
        files.check_read_source(tmp_path / "无.db")

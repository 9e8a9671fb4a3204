"""Writing output files safely: a temporary file beside the target, then one rename.

Every file the app writes goes through `check_write_target` first: it compares the target
by identity (device and inode, links resolved) with the files the app must never replace —
the open database and its journal, a backup being restored from — and refuses folders,
pipes and devices, each with one sentence.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from studyplan.model.errors import ExportCancelled, ExportFileError, ImportFileError


def unzipped_size(path: Path) -> int | None:
    """What a .docx or .xlsx (a zip) holds once unpacked, read from its directory before
    anything is unpacked, so a zip bomb is refused early; None when it cannot be read as a
    zip at all (damaged, or compressed in a way Python's zipfile does not know)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError):
        return None


def new_file_mode() -> int:
    """The permissions a newly made file gets here (0o666 less the umask), as a program that
    simply opened it would give: a temporary file from mkstemp is private to its owner."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


#: The side files SQLite keeps beside a database: writing over one loses the database too.
SIDE_FILES = ("-journal", "-wal", "-shm")

#: Files open in this process that no export or copy may replace (resolved path -> what
#: it is, for the sentence). The database is added when it is opened (`protect`).
_PROTECTED: dict[Path, str] = {}


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path.absolute()


def protect(path: str | Path, what: str = "正在使用的数据库") -> None:
    """Keep every writer of this process off `path` and its SQLite side files."""
    if str(path) in ("", ":memory:"):
        return
    base = _resolved(Path(path))
    _PROTECTED[base] = what
    for suffix in SIDE_FILES:
        _PROTECTED[Path(str(base) + suffix)] = what


def unprotect(path: str | Path) -> None:
    """Undo `protect` (the database was closed)."""
    base = _resolved(Path(path))
    for name in (base, *(Path(str(base) + s) for s in SIDE_FILES)):
        _PROTECTED.pop(name, None)


def _same_identity(a: os.stat_result, b: Path) -> bool:
    try:
        other = b.stat()
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (other.st_dev, other.st_ino)


def check_write_target(
    target: str | Path,
    protected: Iterable[tuple[str | Path, str]] = (),
    *,
    registered: bool = True,
) -> Path:
    """Refuse, with one sentence (ExportFileError), a target that must not be written.

    Refused: a name with NUL, a missing folder, a folder, a pipe or a device, and any file
    that is — by identity, under whatever name or link — one of the `protected` (path, what
    it is) pairs or, unless `registered` is False (a restore, which replaces the database
    on purpose), one registered with `protect`. Returns the target as given.
    """
    target = Path(target)
    if "\x00" in str(target):
        raise ExportFileError("文件名中含有无效字符，请换一个文件名。")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists():  # a file, or a link to one, where the folder should be
            raise ExportFileError(f"保存位置不是文件夹：{folder}")
        raise ExportFileError(f"保存位置不存在：{folder}")
    try:
        info: os.stat_result | None = target.stat()
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ExportFileError(f"目标是一个文件夹，请给出文件名：{target}")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ExportFileError(f"目标不是普通文件（是管道或设备），不能写入：{target}")
    resolved = _resolved(target)
    pairs = [(Path(p), w) for p, w in protected]
    if registered:
        pairs += list(_PROTECTED.items())
    for path, what in pairs:
        if _resolved(path) == resolved or (info is not None and _same_identity(info, path)):
            raise ExportFileError(f"不能写到{what}文件上，那会毁掉其中的数据：{target}")
    return target


def check_read_source(path: str | Path, what: str = "文件") -> Path:
    """Refuse, before anything reads it, a source that is not a regular file: a folder, a
    pipe (reading one waits forever) or a device. ImportFileError with one sentence."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise ImportFileError(f"找不到{what}：{path}") from exc
        raise ImportFileError(f"无法读取{what}（{exc.strerror or exc}）：{path}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ImportFileError(f"选择的是一个文件夹，不是{what}：{path}")
    if not stat.S_ISREG(info.st_mode):
        raise ImportFileError(f"选择的不是普通文件（是管道或设备），不能读取：{path}")
    return path


def write_failure(exc: OSError, target: Path) -> ExportFileError:
    """The sentence for a write that failed part-way: a full disk and a name too long are
    named; the earlier file at `target` is intact."""
    if exc.errno == errno.ENOSPC:
        return ExportFileError(f"磁盘空间不足，没有写入；原有文件未改动：{target}")
    if exc.errno == errno.ENAMETOOLONG:
        return ExportFileError(f"文件名太长，请换一个短一些的文件名：{target.name[:40]}…")
    if exc.errno == errno.EDQUOT:
        return ExportFileError(f"磁盘配额已满，没有写入；原有文件未改动：{target}")
    return ExportFileError(f"写入文件失败（{exc.strerror or exc}）：{target}")


def folder_refused(exc: OSError, folder: Path) -> ExportFileError:
    """The sentence for a folder in which no file can be made: read-only (a write-protected
    USB stick, a CD), not the user's to write in, or full."""
    if exc.errno == errno.EROFS:
        return ExportFileError(f"该位置是只读的（如写保护的U盘或光盘），不能保存：{folder}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ExportFileError(f"没有在该文件夹中保存文件的权限：{folder}")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportFileError(f"该位置的磁盘空间已满，不能保存：{folder}")
    return ExportFileError(f"无法在该位置写入文件（{exc.strerror or exc}）：{folder}")


def atomic_write(
    target: str | Path,
    write: Callable[[Path], object],
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Call `write(tmp_path)`, then move the result onto `target` in one step.

    A half-written file never replaces a good one, and a target held open by Excel or WPS
    gives a sentence instead of a traceback; the old file stays as it was. When
    `cancelled()` is true once the file is written, or `write` raises ExportCancelled, the
    temporary file is removed and nothing is moved into place.
    """
    target = check_write_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    if cancelled is not None and cancelled():
        raise ExportCancelled()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise write_failure(exc, target) from exc
        raise folder_refused(exc, folder) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, new_file_mode())  # mkstemp makes it private; a ledger is meant to be shared
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        os.replace(tmp, target)
    except PermissionError as exc:
        raise ExportFileError(
            f"文件可能正在被 Excel/WPS 等程序打开，或没有写入权限，请关闭它或换一个位置：{target}"
        ) from exc
    except OSError as exc:
        raise write_failure(exc, target) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target

"""Writing output files safely: a temporary file beside the target, then one rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from studyplan.model.errors import ExportFileError


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


def atomic_write(target: str | Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp_path)`, then move the result onto `target` in one step.

    A half-written file never replaces a good one, and a target held open by Excel or WPS
    gives a sentence instead of a traceback; the old file stays as it was.
    """
    target = Path(target)
    if "\x00" in str(target):
        raise ExportFileError("文件名中含有无效字符，请换一个文件名。")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFileError(f"保存位置不存在：{folder}")
    if target.is_dir():
        raise ExportFileError(f"目标是一个文件夹，请给出文件名：{target}")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportFileError(f"无法在该位置写入文件（{exc.strerror}）：{folder}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, new_file_mode())  # mkstemp makes it private; a ledger is meant to be shared
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except PermissionError as exc:
        raise ExportFileError(
            f"文件可能正在被 Excel/WPS 等程序打开，或没有写入权限，请关闭后重试：{target}"
        ) from exc
    except OSError as exc:
        raise ExportFileError(f"写入文件失败（{exc.strerror or exc}）：{target}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target

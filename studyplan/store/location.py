"""Is the database on a network share? SQLite's file locks are unreliable there.

Recognised: UNC paths (\\\\server\\share, //server/share) anywhere; on Windows a drive letter
mapped to a share (GetDriveTypeW == DRIVE_REMOTE); on Linux a path under a network mount
listed in /proc/mounts (longest mount point wins). Anything that cannot be told is treated
as local: the warning is advice, never a refusal.
"""

from __future__ import annotations

import ntpath
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

DRIVE_REMOTE = 4
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "sshfs",
        "fuse.sshfs",
        "9p",
        "davfs",
        "fuse.davfs",
        "afs",
        "ncpfs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "fuse.rclone",
    }
)
NETWORK_WARNING = (
    "数据库位于网络共享位置，SQLite 在网络盘上加锁不可靠，可能损坏数据。"
    "建议把数据库放在本机磁盘，并用“备份”把副本存到共享位置。"
)

_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


def is_unc(path: str) -> bool:
    """\\\\server\\share\\… or //server/share/… (not the device paths \\\\?\\C:\\ or \\\\.\\)."""
    text = path.replace("/", "\\")
    if not text.startswith("\\\\") or len(text) < 3:
        return False
    rest = text[2:]
    if rest.startswith(("?\\UNC\\", "?\\unc\\")):
        return True
    if rest.startswith(("?\\", ".\\")):
        return False
    server = rest.split("\\", 1)[0]
    return bool(server)


def _unescape(field: str) -> str:
    return _OCTAL_ESCAPE.sub(lambda m: chr(int(m[1], 8)), field)


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, filesystem type) for each line of /proc/mounts text."""
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((_unescape(parts[1]), parts[2]))
    return mounts


def mount_type(path: str, mounts: list[tuple[str, str]]) -> str | None:
    """The filesystem type of the longest mount point containing `path` (a later mount on
    the same point hides an earlier one)."""
    best: tuple[int, str] | None = None
    for point, fstype in mounts:
        stripped = point.rstrip("/") or "/"
        inside = (
            stripped == "/" or path == stripped or path.startswith(stripped + "/")
        ) and path.startswith("/")
        if inside and (best is None or len(stripped) >= best[0]):
            best = (len(stripped), fstype)
    return best[1] if best else None


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


def _read_proc_mounts() -> str | None:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None


def is_network_path(
    path: str | os.PathLike[str],
    *,
    platform: str = sys.platform,
    mounts_text: str | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> bool:
    """True if `path` is on a network share; `mounts_text` and `drive_type` stand in for
    /proc/mounts and GetDriveTypeW (tests use them)."""
    text = os.fspath(path)
    if is_unc(text):
        return True
    if platform.startswith("win"):
        drive, _ = ntpath.splitdrive(text)
        if not drive:
            if platform != sys.platform:
                return False
            drive, _ = ntpath.splitdrive(os.path.abspath(text))
        if len(drive) != 2 or drive[1] != ":":
            return is_unc(drive)
        try:
            kind = (drive_type or _windows_drive_type)(drive + "\\")
        except (OSError, AttributeError, ValueError):
            return False
        return kind == DRIVE_REMOTE
    if platform.startswith("linux"):
        if mounts_text is None:
            mounts_text = _read_proc_mounts()
            if mounts_text is None:
                return False
            text = os.path.realpath(text)
        else:
            text = os.path.normpath(text) if text.startswith("/") else text
        fstype = mount_type(text, parse_mounts(mounts_text))
        return fstype in NETWORK_FILESYSTEMS if fstype else False
    return False


def network_warning(path: str | os.PathLike[str]) -> str | None:
    """The sentence to show when the database is on a network share, else None."""
    try:
        remote = is_network_path(path)
    except (OSError, ValueError):
        return None
    return NETWORK_WARNING if remote else None


READ_ONLY_WARNING = (
    "数据库文件或它所在的文件夹是只读的（例如写保护的 U 盘），可以查看，但任何修改都无法保存。"
    "如需修改，请先把数据库复制到可写的位置再打开。"
)


def read_only_warning(path: str | os.PathLike[str]) -> str | None:
    """A sentence when changes could not be saved: SQLite needs to write the file and to
    create its journal beside it. None for a file not yet made."""
    path = Path(path)
    if not path.exists():
        return None
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return None
    return READ_ONLY_WARNING

"""Recognising a database on a network share, from fixture mount tables (no real mounts)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studyplan.store import location
from studyplan.store.location import is_network_path, network_warning

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sda1 /boot/efi vfat rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev 0 0
fileserver:/export/office /mnt/office nfs4 rw,relatime,vers=4.2 0 0
//fileserver/共享 /mnt/smb cifs rw,relatime,vers=3.0 0 0
//fileserver/学习\\040资料 /mnt/学习\\040资料 cifs rw,relatime 0 0
/dev/sdb1 /mnt/office/local-disk ext4 rw,relatime 0 0
user@host:/home/user /home/me/remote fuse.sshfs rw,nosuid,nodev 0 0
hostshare /media/share 9p rw,trans=virtio 0 0
https://dav.example.cn/ /mnt/dav davfs rw 0 0
"""


@pytest.mark.parametrize(
    "path",
    [
        r"\\fileserver\share\studyplan.db",
        "//fileserver/share/studyplan.db",
        r"\\?\UNC\fileserver\share\studyplan.db",
    ],
)
@pytest.mark.parametrize("platform", ["win32", "linux", "darwin"])
def test_unc_paths_are_network(path: str, platform: str) -> None:
    assert is_network_path(path, platform=platform, mounts_text="")


@pytest.mark.parametrize("path", [r"\\?\C:\data\studyplan.db", r"\\.\pipe\x"])
def test_device_paths_are_not_unc(path: str) -> None:
    assert not location.is_unc(path)


@pytest.mark.parametrize(
    ("path", "remote"),
    [
        ("/mnt/office/studyplan.db", True),
        ("/mnt/office", True),
        ("/mnt/office/sub/dir/studyplan.db", True),
        ("/mnt/office/local-disk/studyplan.db", False),  # a local disk mounted inside
        ("/mnt/officework/studyplan.db", False),  # a prefix of the name is not a match
        ("/mnt/smb/studyplan.db", True),
        ("/mnt/学习 资料/studyplan.db", True),  # \040 in /proc/mounts is a space
        ("/home/me/remote/studyplan.db", True),
        ("/home/me/studyplan.db", False),
        ("/media/share/db/studyplan.db", True),
        ("/mnt/dav/studyplan.db", True),
        ("/boot/efi/studyplan.db", False),
        ("/srv/studyplan.db", False),
        ("/mnt/office/../home/studyplan.db", False),
    ],
)
def test_linux_mounts_by_longest_prefix(path: str, remote: bool) -> None:
    assert is_network_path(path, platform="linux", mounts_text=MOUNTS) is remote


def test_a_later_mount_on_the_same_point_wins() -> None:
    text = "srv:/x /data nfs rw 0 0\n/dev/sdc1 /data ext4 rw 0 0\n"
    assert not is_network_path("/data/studyplan.db", platform="linux", mounts_text=text)
    text = "/dev/sdc1 /data ext4 rw 0 0\nsrv:/x /data nfs rw 0 0\n"
    assert is_network_path("/data/studyplan.db", platform="linux", mounts_text=text)


def test_empty_or_odd_mount_tables_mean_local() -> None:
    assert not is_network_path("/mnt/x.db", platform="linux", mounts_text="")
    assert not is_network_path("/mnt/x.db", platform="linux", mounts_text="garbage\n\n")
    assert not is_network_path("relative.db", platform="linux", mounts_text=MOUNTS)


def test_parse_mounts_unescapes() -> None:
    mounts = location.parse_mounts("a /mnt/with\\040space\\011tab nfs rw 0 0\n")
    assert mounts == [("/mnt/with space\ttab", "nfs")]


@pytest.mark.parametrize(("kind", "remote"), [(4, True), (3, False), (2, False), (5, False)])
def test_windows_mapped_drives(kind: int, remote: bool) -> None:
    seen: list[str] = []

    def drive_type(root: str) -> int:
        seen.append(root)
        return kind

    assert (
        is_network_path(r"Z:\学习\studyplan.db", platform="win32", drive_type=drive_type) is remote
    )
    assert seen == ["Z:\\"]


def test_windows_drive_lookup_failing_means_local() -> None:
    def broken(root: str) -> int:
        raise OSError("no kernel32 here")

    assert not is_network_path(r"C:\data\studyplan.db", platform="win32", drive_type=broken)


def test_warning_sentence(monkeypatch) -> None:
    assert network_warning("//server/share/studyplan.db") == location.NETWORK_WARNING
    assert "网络共享" in location.NETWORK_WARNING and "备份" in location.NETWORK_WARNING
    monkeypatch.setattr(location, "is_network_path", lambda path: False)
    assert network_warning("/home/me/studyplan.db") is None


@pytest.mark.skipif(not Path("/proc/mounts").is_file(), reason="no /proc/mounts here")
def test_the_real_mount_table_is_read_without_error(tmp_path, monkeypatch) -> None:
    real = Path("/proc/mounts").read_text(encoding="utf-8", errors="surrogateescape")
    folder = os.path.realpath(tmp_path)
    fstype = location.mount_type(folder, location.parse_mounts(real))
    assert fstype  # the temporary folder lies on some mount ("/" at least)
    remote = fstype in location.NETWORK_FILESYSTEMS
    assert network_warning(tmp_path / "studyplan.db") == (
        location.NETWORK_WARNING if remote else None
    )
    # The table read is the one that decides: a share mounted over the folder is said.
    share = real + f"server:/share {folder} nfs4 rw,relatime 0 0\n"
    monkeypatch.setattr(location, "_read_proc_mounts", lambda: share)
    assert network_warning(tmp_path / "studyplan.db") == location.NETWORK_WARNING

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

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from studyplan.model.errors import ValidationError
from studyplan.model.roster import normalize_text

#: Largest file accepted as an attachment.
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


#: Folder inside the archive that removed attachments are moved to.
TRASH_FOLDER = ".已删除"


#: Longest attachment file name kept, in UTF-8 bytes; longer names are shortened (see
#: `check_file_name`). ext4, XFS and Btrfs allow 255 bytes per name (NTFS and exFAT 255
#: UTF-16 units, more than that for Chinese); the archive may add "(9999)" to a duplicate
#: and, when it is removed, once more in the trash folder: 255 - 2 × 6 leaves 243.
MAX_FILE_NAME_BYTES = 240


MAX_SPEAKER_LENGTH = 60


MAX_TITLE_LENGTH = 200


_CHUNK = 1024 * 1024


_MAX_COPIES = 9999


@dataclass(frozen=True)
class Speech:
    """One contribution to the discussion (研讨发言), in speaking order. `member_id` links
    it to a roster member; a guest speaker has only a name."""

    speaker: str
    title: str
    member_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class Reflection:
    """A member's written reflection (心得体会) on a session, handed in on `submitted_on`."""

    member_id: int
    submitted_on: dt.date
    title: str = ""
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Attachment:
    """A file kept in the archive. `stored_name` is its path relative to the archive folder
    (with "/" separators); `file_name` the name it had when it was added."""

    id: int
    session_id: int
    file_name: str
    stored_name: str
    sha256: str
    size: int
    added_at: dt.datetime

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    @property
    def archived_name(self) -> str:
        """The name of the file in the archive folder, e.g. `名称(2).ext`."""
        return PurePosixPath(self.stored_name).name


@dataclass
class StudyRecord:
    """Everything recorded about one session. `updated_at` is None while the minutes and
    materials were never saved (the materials are then the plan's readings)."""

    session_id: int
    minutes: str
    materials: list[str]
    speeches: list[Speech] = field(default_factory=list)
    reflections: list[Reflection] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    updated_at: dt.datetime | None = None


def archive_root_for(db_path: Path | str) -> Path:
    """The archive folder that belongs to a database file: `学习台账.db` → `学习台账-档案`."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-档案"


def format_size(size: int) -> str:
    """A file size as people read it: 980 B, 12.5 KB, 3.4 MB."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def check_file_name(name: str) -> str:
    """The file name to keep (NFC), refusing only names that could point anywhere but one
    file inside its session folder.

    Refused: an empty name, "." or "..", a path separator ("/" or "\\", also as a full-width
    look-alike such as "／" that NFKC folds into one), a ":" (a drive or an NTFS stream on
    Windows), and control characters. Dots elsewhere are ordinary characters: "学习体会……
    （修改稿）.docx" and "report v1..2.pdf" are kept as they are. Only the separators are
    looked for in the NFKC form, since NFKC also folds harmless characters ("…" into "...",
    "：" into ":").

    A name longer than MAX_FILE_NAME_BYTES (long official titles, or a name from a USB stick,
    whose file system counts UTF-16 units) is not refused: its end is cut before the
    extension and marked "…", so it still opens with the right program and fits every
    common file system with room for the duplicate counter.
    """
    name = unicodedata.normalize("NFC", name)
    folded = unicodedata.normalize("NFKC", name)
    shown = name if len(name) <= 60 else name[:60] + "…"
    if not name.strip() or folded.strip() in (".", ".."):
        raise ValidationError("附件的文件名不能为空。")
    if "/" in folded or "\\" in folded or ":" in name:
        raise ValidationError(
            f"文件名“{shown}”含有路径符号（/、\\ 或 :），不能作为附件。请改名后再添加。"
        )
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        raise ValidationError(f"文件名“{shown}”含有控制字符，不能作为附件。请改名后再添加。")
    return shorten_file_name(name)


def shorten_file_name(name: str, limit: int = MAX_FILE_NAME_BYTES) -> str:
    """`name` cut to at most `limit` UTF-8 bytes: the end of the stem goes, marked "…",
    and the extension stays (a "suffix" longer than 20 bytes is taken as part of the title)."""
    if len(name.encode("utf-8")) <= limit:
        return name
    path = PurePosixPath(name)
    suffix = path.suffix if len(path.suffix.encode("utf-8")) <= 20 else ""
    stem = name[: len(name) - len(suffix)]
    room = limit - len(suffix.encode("utf-8")) - len("…".encode())
    kept = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    # Windows drops a trailing space or dot from a name; keep the cut where it shows.
    return f"{kept.rstrip(' .')}…{suffix}"


def _numbered(name: str, number: int) -> str:
    """`名称.ext` → `名称(2).ext`."""
    if number == 1:
        return name
    path = PurePosixPath(name)
    return f"{path.stem}({number}){path.suffix}"


def _clean_materials(materials: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for item in materials:
        text = normalize_text(item)
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned

"""The one kind of error a user sees: a sentence in Chinese, never a traceback."""


class StudyplanError(Exception):
    """A problem the user can act on; `str(error)` is the sentence to show them."""


class ValidationError(StudyplanError):
    """Input that breaks a rule (a session ending before it starts, a date outside the year)."""


class NotFoundError(StudyplanError):
    """Something the user named does not exist (a session id, a year without a plan)."""


class ImportFileError(StudyplanError):
    """A file that cannot be read as what it claims to be; nothing was written."""


class DatabaseError(StudyplanError):
    """The database file cannot be used as it is (newer version, damaged, foreign)."""


class ExportFileError(StudyplanError):
    """A file cannot be written where the user asked; any earlier file there is intact."""


class ExportCancelled(StudyplanError):
    """The user stopped an export; nothing was written and any earlier file is intact."""

    def __init__(self, message: str = "导出已取消，没有写入文件。") -> None:
        super().__init__(message)


class DamagedDatabaseError(DatabaseError):
    """The file cannot be read as a studyplan database (damaged, or another program's file);
    a backup may replace it. Not raised for a newer version's database or a busy one.

    `latest_backup` names the newest backup beside it, for whoever offers the restore (the
    window asks, the command line names its restore command); `detail` is what SQLite
    reported, kept off the sentence: English, and of no use to the secretary.
    """

    def __init__(self, message: str, latest_backup: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.latest_backup = latest_backup
        self.detail = detail


class UndoError(StudyplanError):
    """An undo or redo no longer fits the data, which changed since; nothing was written."""

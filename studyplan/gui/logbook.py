"""Unexpected errors: the user gets one sentence, the traceback goes to studyplan.log in the
per-user data folder, where a maintainer can ask for it."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

LOG_NAME = "studyplan.log"
#: The log quotes file names and errors about members' data: the owner's alone.
LOG_MODE = 0o600

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def data_folder() -> Path:
    """The per-user data folder Qt names for this platform (created if missing)."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName("studyplan")
    QCoreApplication.setApplicationName("studyplan")
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the database lives here too
    return folder


def _append(write: Callable[[logging.Logger], None], folder: Path | None) -> Path | None:
    """Run `write` with the log file attached; its path, or None if it cannot be opened (a
    log that cannot be written must not hide or stop what the user is told)."""
    log = logging.getLogger("studyplan")
    log.propagate = False
    try:
        path = (folder or data_folder()) / LOG_NAME
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, LOG_MODE))
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except Exception:
        return None
    log.addHandler(handler)
    try:
        write(log)
    finally:
        log.removeHandler(handler)
        handler.close()
    return path


def log_unexpected(exc_info: ExcInfo, folder: Path | None = None) -> Path | None:
    """Append the traceback to the log; the log's path, or None if it could not be written."""
    return _append(lambda log: log.error("unexpected error", exc_info=exc_info), folder)


def log_note(text: str, folder: Path | None = None) -> Path | None:
    """Append one line (what SQLite said of a damaged file, say): for a maintainer, not
    shown. The log's path, or None if it could not be written."""
    return _append(lambda log: log.warning(text), folder)


def one_line(text: str) -> str:
    return " ".join(text.split())


def unexpected_sentence(log: Path | None) -> str:
    """What the user is told about an error nobody foresaw: that it happened and where the
    details went (the exception's own words are English and for a maintainer)."""
    return f"发生意外错误（详情已记入 {log}）" if log is not None else "发生意外错误"

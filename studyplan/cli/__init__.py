"""Command line. `studyplan` with no subcommand opens the window.

Exit status: 0 success, 1 a check that found problems, 2 bad input or usage — always with one
line on stderr and never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sys
from collections.abc import Sequence

from studyplan.cli.arguments import EXIT_OK, EXIT_USAGE
from studyplan.cli.commands import cmd_gui, cmd_screenshot, default_db_path
from studyplan.cli.parser import build_parser
from studyplan.gui.logbook import log_note, log_unexpected, one_line, unexpected_sentence
from studyplan.model.clock import SYSTEM_CLOCK, FixedClock
from studyplan.model.errors import DamagedDatabaseError, StudyplanError

__all__ = ["build_parser", "main", "run"]


def _discard_stdout() -> None:
    """Send what is left for stdout to the null device once its reader has gone.

    The Python docs' recipe for SIGPIPE: without it the interpreter's own flush at exit
    fails again and prints "Exception ignored … BrokenPipeError" on stderr.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a file (tests capture it)
        pass


def _log_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An error Python cannot raise (a ZipFile closed at exit on a full disk) goes to the
    log: after the sentence the user was given, a traceback would only alarm them."""
    kind = unraisable.exc_type
    if unraisable.exc_value is not None:
        log_unexpected((kind, unraisable.exc_value, unraisable.exc_traceback))


def _output_failed(exc: BaseException) -> bool:
    """An OSError writing the command's output (stdout on a full disk, say)."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO)


def _load_use_cases_before_qt() -> None:
    """Import the use cases the window opens with before Qt is imported.

    PySide6 hooks every later import and reads each new module's source once (looking for
    its `__feature__` switches); the layers below gui/ never use them, and loaded first they
    are not read, which takes a few milliseconds off every start of the window.
    """
    import studyplan.app.context  # noqa: F401


def main(argv: Sequence[str] | None = None, *, today: dt.date | None = None) -> int:
    """Entry point; returns the exit status instead of raising.

    `today` stands in for the date the defaults depend on (the year shown, where 自动排期
    starts), so tests do not depend on the day they run.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    sys.unraisablehook = _log_unraisable
    status = EXIT_OK
    db_path = ""
    try:
        args = build_parser().parse_args(args_list)
        args.clock = FixedClock.on(today) if today is not None else SYSTEM_CLOCK
        args.today = args.clock.today()
        handler = getattr(args, "handler", None)
        if args.screenshot or args.command is None or handler is None:
            _load_use_cases_before_qt()  # before default_db_path, which asks Qt
        if args.db is None:
            args.db = str(default_db_path())
        db_path = args.db
        if not args.screenshot and (args.command is None or handler is None):
            return cmd_gui(args)
        from studyplan.gui.locking import cli_lock

        # Reading, exporting and the online backup run beside an open window (SQLite lets
        # them); a command that changes the data waits for the database's lock.
        shared = getattr(args, "shared", False) and not args.screenshot
        shared = shared and not getattr(args, "set", None)  # `attendance --set` writes
        if shared:
            from studyplan.app.context import needs_upgrade

            shared = not needs_upgrade(args.db)  # an upgrade writes: it waits its turn
        with contextlib.nullcontext() if shared else cli_lock(args.db):
            status = cmd_screenshot(args) if args.screenshot else handler(args)
            if sys.stdout is not None:  # None under pythonw
                sys.stdout.flush()  # a reader that has gone (`| head -1`) shows up here
        return status
    except BrokenPipeError:
        # The reader stopped reading, which is its choice, not an error: every command
        # prints after it has done its work, so that work stands. Nothing goes to stderr;
        # the status is the command's own when it had finished, else 0.
        _discard_stdout()
        return status
    except StudyplanError as exc:
        sentence = one_line(str(exc))
        detail = getattr(exc, "detail", "")
        if detail:  # SQLite's own words: English, for a maintainer
            kind = "damaged database" if isinstance(exc, DamagedDatabaseError) else "database"
            log_note(f"{kind} {db_path}: {detail}")
        if isinstance(exc, DamagedDatabaseError) and exc.latest_backup:
            sentence += f'可用 studyplan --db "{db_path}" restore "{exc.latest_backup}" 恢复。'
        print(f"studyplan: {sentence}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("studyplan: 已中断。", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        if not _output_failed(exc):
            log = log_unexpected(sys.exc_info())
            print(f"studyplan: {unexpected_sentence(log)}，数据未改动。", file=sys.stderr)
            return EXIT_USAGE
        _discard_stdout()  # the interpreter's own flush at exit would fail again
        print("studyplan: 磁盘空间不足或无法写入，输出没有写完。", file=sys.stderr)
        return EXIT_USAGE
    except Exception:  # never a traceback for the user; the log file keeps it
        log = log_unexpected(sys.exc_info())  # the traceback goes there, not to the terminal
        print(f"studyplan: {unexpected_sentence(log)}，数据未改动。", file=sys.stderr)
        return EXIT_USAGE


def run() -> None:
    sys.exit(main())

"""The command line refuses a topic the printed record could not show: exit 2, one line,
the database unchanged. (Beside the other CLI tests: a command that writes takes the window's
lock, which is Qt's QLockFile, so it is not among the lower layers' tests.)"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from studyplan.cli import main


def test_the_command_line_refuses_a_topic_in_one_line(capsys, tmp_path: Path) -> None:
    dbfile = str(tmp_path / "cli.db")
    assert main(["--db", dbfile, "topics"], today=dt.date(2026, 1, 5)) == 0
    capsys.readouterr()
    before = hashlib.sha256(Path(dbfile).read_bytes()).hexdigest()
    for args in (
        ["topics", "add", "--title", "学习😀"],
        ["topics", "edit", "1", "--description", "说明✅"],
    ):
        code = main(["--db", dbfile, *args], today=dt.date(2026, 1, 5))
        _, err = capsys.readouterr()
        assert code == 2, err
        assert err.count("\n") == 1 and "无法打印" in err
    assert hashlib.sha256(Path(dbfile).read_bytes()).hexdigest() == before

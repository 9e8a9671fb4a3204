"""The command line of issue 18: members --year Y --format json with each member's duty
counts, export lists and export member-file."""

from __future__ import annotations

import datetime as dt
import json

from docx import Document
from openpyxl import load_workbook

from studyplan.cli import main
from studyplan.io.ledger.list_sheets import LIST_SHEET_NAMES

TODAY = dt.date(2026, 1, 10)


def test_members_json_prints_the_counts_of_the_member_page(capsys, tmp_path):
    db_file = str(tmp_path / "cli.db")
    assert main(["--db", db_file, "demo", "--year", "2025"], today=TODAY) == 0
    capsys.readouterr()
    code = main(["--db", db_file, "members", "--year", "2025", "--format", "json"], today=TODAY)
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and rows
    from studyplan.app.context import Context

    context = Context.open(db_file)
    years = {e.member.id: e for e in context.lists.member_years(2025, TODAY)}
    for row in rows:
        entry = years[row["id"]]
        assert row["speeches"] == entry.counts.speeches
        assert row["expected"] == entry.attendance.expected
        assert row["duties"]["reflections"]["required"] == 2
    context.close()
    out = tmp_path / "清单.xlsx"
    assert main(["--db", db_file, "export", "lists", "--year", "2025", str(out)], today=TODAY) == 0
    assert load_workbook(out).sheetnames == list(LIST_SHEET_NAMES)
    one = tmp_path / "一人.docx"
    assert (
        main(
            ["--db", db_file, "export", "member-file", "--year", "2025", "--member", "2", str(one)],
            today=TODAY,
        )
        == 0
    )
    assert [p.text for p in Document(str(one)).paragraphs].count("个人学习档案") == 1

"""`studyplan export report --year Y [--quarter Q] OUT.docx [--template FILE.docx]` and
`studyplan export archive --year Y OUT` (a folder, or a .zip)."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document

from studyplan.cli import main
from tests.documents_demo import TODAY, all_text, build, copy_of


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def dbfile(built, tmp_path):
    return str(copy_of(built, tmp_path / "data"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args), today=TODAY)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_quarterly_report(capsys, dbfile, tmp_path):
    out = tmp_path / "q2.docx"
    code, said, err = run(
        capsys, "--db", dbfile, "export", "report", "--year", "2025", "--quarter", "2", str(out)
    )
    assert code == 0, err
    assert "第 2 季度学习情况通报" in said
    text = all_text(out)
    assert "2025年二季度学习情况通报" in text and "{{" not in text


# The charts are Qt widgets: `qapp` makes the QApplication first, as the window would.
def test_the_annual_report_has_its_charts(qapp, capsys, dbfile, tmp_path):
    out = tmp_path / "年度.docx"
    code, said, err = run(capsys, "--db", dbfile, "export", "report", "--year", "2025", str(out))
    assert code == 0, err
    assert "年度学习情况报告" in said
    assert len(Document(str(out)).inline_shapes) == 4


def test_the_archive_as_a_zip(qapp, capsys, dbfile, tmp_path):
    out = tmp_path / "专卷.zip"
    code, said, err = run(capsys, "--db", dbfile, "export", "archive", "--year", "2025", str(out))
    assert code == 0, err
    assert "学习档案专卷" in said
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    assert "专卷/SHA256SUMS.txt" in names and "专卷/000-卷内目录.xlsx" in names
    assert any(n.endswith("学习签到表.pdf") for n in names)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["report", "--year", "2025", "{tmp}/r.txt"], "只能导出为 .docx"),
        (["report", "--year", "2025", "--quarter", "5", "{tmp}/r.docx"], "季度应为 1–4"),
        (["report", "--year", "abc", "{tmp}/r.docx"], "年份应为四位数字"),
        (["report", "--quarter", "1", "{tmp}/r.docx"], "--year"),
        (["report", "--year", "2025", "--template", "{tmp}/t.txt", "{tmp}/r.docx"], "模板"),
        (["report", "--year", "2025", "--template", "{tmp}/none.docx", "{tmp}/r.docx"], "模板"),
        (["report", "--year", "2025", "{tmp}/nowhere/r.docx"], "保存位置不存在"),
        (["archive", "--year", "1800", "{tmp}/a"], "年份超出支持范围"),
        (["archive", "--year", "2025", "{tmp}/full"], "不是空的"),
        (["archive", "--year", "2025", "{tmp}/nowhere/a.zip"], "保存位置不存在"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, dbfile, tmp_path, args, said):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, _, err = run(capsys, "--db", dbfile, "export", *[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    assert said in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before

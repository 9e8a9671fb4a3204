"""What a plan import accepts: list numbers no plan reaches, and more paragraphs, tables,
rows, cells or list definitions than any plan has, are refused in one sentence before they
cost gigabytes (Word's AAAA… letters, a cell spanning 10^9 columns) or minutes (roman
numerals)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest

from studyplan.io.plan_import import chinese_to_int, parse_plan_text, read_plan
from studyplan.io.plan_import import limits as plan_limits
from studyplan.io.plan_import.lines import MAX_NUMBER
from studyplan.io.plan_import.numbering import NumberOutOfRange, _format_number
from studyplan.model.errors import ImportFileError
from tests.io.make_plan_docx import add_abstract_numbering, number_paragraph

#: Run the import in a child whose memory and processor time are capped, so a file that
#: would still run away fails the test instead of taking the machine with it.
_CAPPED_IMPORT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
from studyplan.io.plan_import import read_plan
from studyplan.model.errors import ImportFileError
try:
    read_plan(sys.argv[1], 2026)
except ImportFileError as exc:
    print("REFUSED", exc)
else:
    print("IMPORTED")
"""


def numbered_docx(
    path: Path, fmt: str, *, start: int = 1, start_override: int | None = None, items: int = 3
) -> Path:
    """A plan whose topics are numbered by a list of format `fmt` counting from `start`."""
    document = docx.Document()
    document.add_paragraph("2026年理论学习中心组专题学习计划")
    document.add_paragraph("一、专题内容")
    num_id = add_abstract_numbering(
        document, [(fmt, "%1.")], start=start, start_override=start_override
    )
    for n in range(items):
        number_paragraph(document.add_paragraph(f"专题名称{n}"), num_id)
    document.save(str(path))
    return path


def capped_import(path: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", _CAPPED_IMPORT, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("fmt", "start", "override"),
    [
        ("upperLetter", 10**11, None),  # 24 GB before: "A" repeated 10^11 / 26 times
        ("lowerLetter", 1, 10**11),  # the same start given by the list's override
        ("upperRoman", 10**11, None),  # past 90 s before: 10^8 "M"s, one at a time
        ("decimal", 10**11, None),
        ("chineseCounting", -5, None),
    ],
)
def test_numbering_no_plan_reaches_is_refused_in_one_sentence(
    tmp_path: Path, fmt: str, start: int, override: int | None
) -> None:
    path = numbered_docx(tmp_path / "编号.docx", fmt, start=start, start_override=override)
    out = capped_import(path)
    assert out.startswith("REFUSED"), out
    assert "自动编号" in out and f"最多 {MAX_NUMBER} 条" in out
    assert out.count("。") <= 1


def test_a_counter_running_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = numbered_docx(tmp_path / "编号.docx", "upperLetter", start=MAX_NUMBER - 1, items=3)
    with pytest.raises(ImportFileError, match=f"自动编号出现了 {MAX_NUMBER + 1}"):
        read_plan(path, 2026)


def test_numbering_up_to_the_limit_still_imports(tmp_path: Path) -> None:
    path = numbered_docx(tmp_path / "编号.docx", "decimal", start=MAX_NUMBER - 2, items=3)
    plan = read_plan(path, 2026)
    assert [topic.title for topic in plan.topics] == ["专题名称0", "专题名称1", "专题名称2"]


@pytest.mark.parametrize("fmt", ["upperLetter", "lowerRoman", "chineseCounting", "decimal"])
def test_every_format_refuses_a_number_beyond_a_plan_without_building_it(fmt: str) -> None:
    with pytest.raises(NumberOutOfRange):
        _format_number(10**11, fmt)
    assert _format_number(MAX_NUMBER, fmt)


def test_chinese_and_digit_numerals_stay_within_a_plan() -> None:
    assert chinese_to_int("999") == 999
    assert chinese_to_int("1" * 5000) is None  # int() would refuse it with an error
    assert chinese_to_int("九十九") == 99


def test_more_topics_than_a_plan_holds_are_refused() -> None:
    text = "二、专题内容\n" + "\n".join(f"专题{n % 999 + 1}：题目{n}" for n in range(1000))
    with pytest.raises(ImportFileError, match=f"最多 {MAX_NUMBER} 个"):
        parse_plan_text(text, 2026)


# --------------------------------------------------------------------------- element counts


def plain_docx(path: Path, paragraphs: int = 3, table: tuple[int, int] | None = None) -> Path:
    """A plan of `paragraphs` numbered topics, and a table of (rows, columns) if given."""
    document = docx.Document()
    document.add_paragraph("一、专题内容")
    for n in range(1, paragraphs + 1):
        document.add_paragraph(f"{n}. 专题名称{n}")
    if table is not None:
        document.add_table(rows=table[0], cols=table[1])
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("limit", "value", "table", "what"),
    [
        ("MAX_PARAGRAPHS", 5, None, "段落超过 5 个"),
        ("MAX_TABLES", 0, (1, 1), "表格超过 0 个"),
        ("MAX_TABLE_ROWS", 3, (4, 1), "表格行超过 3 个"),
        ("MAX_TABLE_CELLS", 7, (4, 2), "单元格超过 7 个"),
    ],
)
def test_more_elements_than_a_plan_has_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, table, what: str
) -> None:
    path = plain_docx(tmp_path / "计划.docx", paragraphs=6, table=table)
    assert len(read_plan(path, 2026).topics) == 6  # within the limits it imports
    monkeypatch.setattr(plan_limits, limit, value)
    with pytest.raises(ImportFileError, match=what) as caught:
        read_plan(path, 2026)
    assert str(caught.value).count("。") <= 1


def test_more_list_definitions_than_a_plan_has_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = numbered_docx(tmp_path / "编号.docx", "decimal")
    monkeypatch.setattr(plan_limits, "MAX_LISTS", 0)
    with pytest.raises(ImportFileError, match="编号定义超过 0 个"):
        read_plan(path, 2026)


def test_an_xml_part_larger_than_a_plan_is_refused_before_it_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = plain_docx(tmp_path / "计划.docx")
    monkeypatch.setattr(plan_limits, "MAX_XML_PART_BYTES", 1024)
    monkeypatch.setattr(
        "docx.Document", lambda *_: pytest.fail("the document was parsed before the check")
    )
    with pytest.raises(ImportFileError, match="解压后超过"):
        read_plan(path, 2026)


def test_a_cell_spanning_a_billion_columns_is_refused(tmp_path: Path) -> None:
    """python-docx hands out a spanning cell once per column it spans: 10^9 of them."""
    document = docx.Document()
    document.add_paragraph("一、专题内容")
    document.add_paragraph("1. 专题名称")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell._tc.get_or_add_tcPr().grid_span = 10**9
    document.save(str(tmp_path / "跨列.docx"))
    out = capped_import(tmp_path / "跨列.docx")
    assert out.startswith("REFUSED") and "跨 1000000000 列" in out, out

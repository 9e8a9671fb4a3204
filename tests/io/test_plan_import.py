"""Importing a year's plan from the bureau's .txt or .docx, and the plan shipped with the app."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from studyplan.io.bundled import bundled_years, load_bundled_plan
from studyplan.io.plan_import import (
    chinese_to_int,
    int_to_chinese,
    parse_plan_text,
    plan_from_dict,
    plan_to_dict,
    read_plan,
)
from studyplan.model.errors import ImportFileError, NotFoundError, ValidationError
from studyplan.model.plan import Plan
from tests.conftest import SEED_PLAN
from tests.io.make_plan_docx import (
    TABLE_CELLS,
    add_abstract_numbering,
    build_plan_docx,
    number_paragraph,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DOCX = REPO / "data" / "2026-理论学习中心组专题学习计划.docx"

TITLES_2026 = [
    "深入学习领会习近平新时代中国特色社会主义思想的科学体系和核心要义",
    "深入学习领会习近平总书记关于科技创新的重要论述",
    "深入学习领会习近平总书记关于坚持和加强党的全面领导的重要论述",
    "深入学习领会习近平总书记关于高质量发展的重要论述",
    "深入学习领会习近平总书记关于山西工作重要讲话和重要指示批示精神",
    "深入学习领会习近平总书记关于山西能源革命的重要论述",
    "深入学习领会习近平总书记关于全面深化改革的重要论述",
    "深入学习领会习近平总书记关于人才工作的重要论述",
    "深入学习领会党的二十届四中全会精神",
    "深入学习领会中国共产党第二十届中央纪律检查委员会第五次全体会议公报精神",
    "深入学习领会党中央关于科技创新工作的重要会议和文件精神",
    "深入学习领会省委关于科技创新和山西转型发展的重要会议精神",
    "深入学习领会习近平总书记关于意识形态工作的重要论述",
    "深入学习领会习近平总书记关于安全生产和生态保护的重要论述",
]

#: A small plan in the seed's shape that every test can rely on.
SAMPLE = """\
某局2026年理论学习中心组学习计划
时间:2026-01-05

为深入学习贯彻党的创新理论，制定本计划。
一、指导思想
坚持以习近平新时代中国特色社会主义思想为指导。
二、学习专题内容
全年安排3个专题。
1.、学习《习近平著作选读》
认真学习《习近平著作选读》第一、二卷。
结合工作实际开展研讨。
2.、学习党的二十届四中全会精神
认真学习全会公报。
3.、学习《论高质量发展》
认真学习《论高质量发展》《习近平著作选读》。
三、学习要求
(一)强化政治引领
全体成员要提高认识。
(二)严明学习纪律
大约剩余40%的内容被锁住了
阅读全文
"""


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED_PLAN.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_plan(seed_text: str) -> Plan:
    return parse_plan_text(seed_text, 2026, source=SEED_PLAN.name)


# --------------------------------------------------------------------------- the seed


def test_seed_has_the_fourteen_topics_with_exact_titles(seed_plan: Plan) -> None:
    assert seed_plan.title == "市科学技术局2026年理论学习中心组专题学习计划"
    assert [t.title for t in seed_plan.topics] == TITLES_2026
    assert [t.number for t in seed_plan.topics] == list(range(1, 15))
    assert all(t.year == 2026 for t in seed_plan.topics)
    for topic in seed_plan.topics:
        assert not re.match(r"[、.．\d\s]", topic.title), topic.title


def test_seed_readings(seed_plan: Plan) -> None:
    readings = {t.number: list(t.readings) for t in seed_plan.topics}
    assert readings[1] == ["《习近平著作选读》", "《习近平谈治国理政》"]
    assert readings[2] == [
        "《习近平关于科技创新论述摘编》",
        "《习近平总书记科技自立自强重要论述学习读本》",
    ]
    assert readings[3] == ["《论坚持党对一切工作的领导》"]
    assert readings[9] == []
    assert readings[11] == []


def test_seed_descriptions_stop_at_the_next_heading(seed_plan: Plan) -> None:
    topics = seed_plan.topics
    assert topics[0].description.startswith("深入学习《习近平著作选读》第一、二卷")
    assert "设置14个专题" not in topics[0].description
    assert TITLES_2026[1] not in topics[0].description
    last = topics[-1].description
    assert last.startswith("认真学习《习近平关于安全生产论述摘编》")
    for junk in ("锁住", "阅读全文", "三、", "强化政治引领"):
        assert junk not in last
    requirements = ("强化政治引领", "坚持学用结合", "严明学习纪律", "创新学习方式")
    assert not any(r in t.title for t in topics for r in requirements)


def test_seed_read_from_file_equals_parsed_text(seed_plan: Plan) -> None:
    assert read_plan(SEED_PLAN, 2026) == seed_plan


def test_seed_as_gb18030_gives_the_same_plan(
    seed_text: str, seed_plan: Plan, tmp_path: Path
) -> None:
    path = tmp_path / SEED_PLAN.name
    path.write_bytes(seed_text.encode("gb18030"))
    assert read_plan(path, 2026) == seed_plan


# --------------------------------------------------------------------------- text files


def test_sample_plan_shape() -> None:
    plan = parse_plan_text(SAMPLE, 2026)
    assert plan.title == "某局2026年理论学习中心组学习计划"
    assert [t.title for t in plan.topics] == [
        "学习《习近平著作选读》",
        "学习党的二十届四中全会精神",
        "学习《论高质量发展》",
    ]
    assert (
        plan.topics[0].description
        == "认真学习《习近平著作选读》第一、二卷。\n结合工作实际开展研讨。"
    )
    assert plan.topics[0].readings == ("《习近平著作选读》",)
    assert plan.topics[2].readings == ("《论高质量发展》", "《习近平著作选读》")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_give_identical_plans(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(SAMPLE.replace("\n", "\r\n").encode(encoding))
    assert read_plan(path, 2026) == parse_plan_text(SAMPLE, 2026, source="plan.txt")


def test_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(SAMPLE, encoding="utf-8")
    assert len(read_plan(path, 2026).topics) == 3


def _numbered_text(prefix: Callable[[int], str]) -> str:
    lines = ["测试计划", "一、总体要求", "认真学习。", "二、专题内容", "共三个专题。"]
    for n in (1, 2, 3):
        lines += [f"{prefix(n)}第{n}个专题", f"专题{n}的说明。"]
    lines += ["三、工作要求", "按时参加。"]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "prefix",
    [
        lambda n: f"{n}.",
        lambda n: f"{n}. ",
        lambda n: f"{n}、",
        lambda n: f"{n}.、",
        lambda n: f"{n}．",
        lambda n: f"{n})",
        lambda n: f"{n}）",
        lambda n: f"({n})",
        lambda n: f"（{n}）",
        lambda n: f"（{int_to_chinese(n)}）",
        lambda n: f"({int_to_chinese(n)})",
        lambda n: f"专题{int_to_chinese(n)}：",
    ],
    ids=[
        "1.",
        "1. ",
        "1、",
        "1.、",
        "1．",
        "1)",
        "1）",
        "(1)",
        "（1）",
        "（一）",
        "(一)",
        "专题一：",
    ],
)
def test_numbering_variants(prefix: Callable[[int], str]) -> None:
    plan = parse_plan_text(_numbered_text(prefix), 2026)
    assert [t.title for t in plan.topics] == ["第1个专题", "第2个专题", "第3个专题"]
    assert [t.number for t in plan.topics] == [1, 2, 3]
    assert [t.description for t in plan.topics] == [
        "专题1的说明。",
        "专题2的说明。",
        "专题3的说明。",
    ]


def test_chinese_numbers_beyond_ten() -> None:
    text = "\n".join(f"（{int_to_chinese(n)}）专题{n}" for n in range(1, 24))
    plan = parse_plan_text(text, 2026)
    assert [t.number for t in plan.topics] == list(range(1, 24))
    assert plan.topics[-1].title == "专题23"


def test_chinese_numeral_round_trip() -> None:
    assert [chinese_to_int(int_to_chinese(n)) for n in range(1, 100)] == list(range(1, 100))
    assert chinese_to_int("两") == 2
    assert chinese_to_int("十十") is None
    assert chinese_to_int("一二") is None


def test_document_without_sections_uses_all_items() -> None:
    plan = parse_plan_text("学习计划\n1. 甲\n说明甲\n2. 乙\n3. 丙", 2026)
    assert [t.title for t in plan.topics] == ["甲", "乙", "丙"]
    assert plan.topics[0].description == "说明甲"


def test_without_a_topic_heading_the_section_with_most_items_wins() -> None:
    text = "一、总体\n1. 甲\n二、安排\n1. 乙\n2. 丙\n3. 丁\n三、要求\n（一）按时"
    plan = parse_plan_text(text, 2026)
    assert [t.title for t in plan.topics] == ["乙", "丙", "丁"]


def test_sub_points_of_another_style_stay_in_the_description() -> None:
    text = "二、学习专题\n1. 甲\n(1) 要点一\n(2) 要点二\n2. 乙"
    plan = parse_plan_text(text, 2026)
    assert [t.title for t in plan.topics] == ["甲", "乙"]
    assert plan.topics[0].description == "(1) 要点一\n(2) 要点二"


def test_missing_or_repeated_numbers_are_renumbered() -> None:
    plan = parse_plan_text("二、学习专题\n1. 甲\n1. 乙\n3. 丙", 2026)
    assert [t.number for t in plan.topics] == [1, 2, 3]
    plan = parse_plan_text("二、学习专题\n2. 甲\n5. 乙", 2026)
    assert [t.number for t in plan.topics] == [2, 5]


def test_heading_running_on_into_its_description_is_cut_at_the_full_stop() -> None:
    plan = parse_plan_text("1. 学习全会精神。认真学习《全会公报》。\n2. 乙", 2026)
    assert plan.topics[0].title == "学习全会精神"
    assert plan.topics[0].description == "认真学习《全会公报》。"
    assert plan.topics[0].readings == ("《全会公报》",)


def test_decimals_and_years_are_not_topic_numbers() -> None:
    with pytest.raises(ImportFileError):
        parse_plan_text("1.5倍的投入\n2026.1 开始\n2026年计划", 2026)


@pytest.mark.parametrize("year", [1899, 2201, 0])
def test_year_out_of_range_is_refused(year: int, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        parse_plan_text(SAMPLE, year)
    path = tmp_path / "plan.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(ValidationError):
        read_plan(path, year)


# --------------------------------------------------------------------------- .docx


@pytest.mark.parametrize("numbering", ["style", "paragraph", "typed"])
def test_docx_numbering_styles_read_the_same_topics(numbering: str, tmp_path: Path) -> None:
    plan = load_bundled_plan(2026)
    path = build_plan_docx(tmp_path / "计划.docx", plan, numbering=numbering)  # type: ignore[arg-type]
    got = read_plan(path, 2026)
    assert got.title == plan.title
    assert [t.title for t in got.topics] == TITLES_2026
    assert [t.number for t in got.topics] == list(range(1, 15))
    assert got.source == "计划.docx"
    quarter, material, form, first, *rows, note = TABLE_CELLS
    table = [
        f"{quarter}：{first}；{material}：{rows[0]}；{form}：{rows[1]}",
        f"{quarter}：{first}；{material}：{rows[2]}；{form}：{rows[3]}",  # 第一季度 spans both
        note,  # one cell across the table
    ]
    assert got.topics[0].description == "\n".join([plan.topics[0].description, *table])
    assert [t.description for t in got.topics[1:]] == [t.description for t in plan.topics[1:]]
    assert [t.readings for t in got.topics] == [t.readings for t in plan.topics]


def test_docx_without_table(tmp_path: Path) -> None:
    plan = load_bundled_plan(2026)
    path = build_plan_docx(tmp_path / "p.docx", plan, numbering="paragraph", with_table=False)
    got = read_plan(path, 2026)
    assert [t.description for t in got.topics] == [t.description for t in plan.topics]


def test_docx_numbering_rules(tmp_path: Path) -> None:
    """Style chains, numId 0, an ilvl-only style, and deeper levels restarting."""
    document = docx.Document()
    num_id = add_abstract_numbering(document, [("decimal", "%1."), ("decimal", "(%2)")])
    styles = document.styles
    base = styles.add_style("专题基础", WD_STYLE_TYPE.PARAGRAPH)
    base_num = base.element.get_or_add_pPr().get_or_add_numPr()
    base_num.get_or_add_numId().val = num_id
    topic = styles.add_style("专题", WD_STYLE_TYPE.PARAGRAPH)
    topic.base_style = base
    ilvl_only = styles.add_style("只有级别", WD_STYLE_TYPE.PARAGRAPH)
    ilvl_only.element.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 0
    point = styles.add_style("要点", WD_STYLE_TYPE.PARAGRAPH)
    point.base_style = base
    point.element.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 1

    def add(text: str, style: str = "Normal", ilvl: int | None = None, num: int | None = None):
        paragraph = document.add_paragraph(text, style=style)
        if ilvl is not None or num is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            if ilvl is not None:
                num_pr.get_or_add_ilvl().val = ilvl
            if num is not None:
                num_pr.get_or_add_numId().val = num
        return paragraph

    add("一、学习专题内容")
    add("甲专题", "专题")
    add("要点", "专题", ilvl=1)
    add("要点", "专题", ilvl=1)
    add("乙专题", "专题")
    add("要点", "专题", ilvl=1)
    add("不编号的段落", "专题", num=0)
    add("也不编号", "只有级别")
    number_paragraph(add("丙专题"), num_id)
    add("子要点", "要点")
    add("二、学习要求")
    add("按时参加", "专题")
    path = tmp_path / "rules.docx"
    document.save(str(path))

    plan = read_plan(path, 2026)
    assert [(t.number, t.title) for t in plan.topics] == [
        (1, "甲专题"),
        (2, "乙专题"),
        (3, "丙专题"),
    ]
    assert plan.topics[0].description == "(1)要点\n(2)要点"
    assert plan.topics[1].description == "(1)要点\n不编号的段落\n也不编号"
    assert plan.topics[2].description == "(1)子要点"


def test_docx_chinese_counting_with_plain_lvl_text(tmp_path: Path) -> None:
    """A level Word shows as "一、" is a section; an unusual text like "第%1项" reads as "1."."""
    document = docx.Document()
    sections = add_abstract_numbering(document, [("chineseCounting", "%1、")])
    topics = add_abstract_numbering(document, [("decimal", "第%1项")])
    number_paragraph(document.add_paragraph("指导思想"), sections)
    document.add_paragraph("说明")
    number_paragraph(document.add_paragraph("专题内容"), sections)
    for title in ("甲", "乙"):
        number_paragraph(document.add_paragraph(title), topics)
    number_paragraph(document.add_paragraph("学习要求"), sections)
    document.add_paragraph("（一）按时参加")
    path = tmp_path / "cn.docx"
    document.save(str(path))
    plan = read_plan(path, 2026)
    assert [(t.number, t.title) for t in plan.topics] == [(1, "甲"), (2, "乙")]


def test_docx_table_rows_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("1. 甲")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "合并"
    table.cell(0, 1).text = "右上"
    table.cell(1, 1).text = "右下"
    document.add_paragraph("2. 乙")
    path = tmp_path / "table.docx"
    document.save(str(path))
    plan = read_plan(path, 2026)
    # The first row is no header: its first cell goes on into the second row.
    assert plan.topics[0].description == "合并\u3000右上\n合并\u3000右下"


def test_sample_document_in_data_folder() -> None:
    assert SAMPLE_DOCX.is_file()
    plan = read_plan(SAMPLE_DOCX, 2026)
    assert [t.title for t in plan.topics] == TITLES_2026
    ppr = docx.Document(str(SAMPLE_DOCX)).styles["List Number"].element.pPr
    assert ppr is not None and ppr.numPr is not None


# --------------------------------------------------------------------------- errors


def _zip_bomb(path: Path) -> None:
    chunk = bytes(4 * 1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(53):
            member.write(chunk)


def _not_a_docx_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")


def _too_big(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)


ERROR_CASES: list[tuple[str, str, Callable[[Path], object] | None, str]] = [
    ("missing", "不存在.txt", None, "找不到"),
    ("empty", "空.txt", lambda p: p.write_bytes(b""), "空的"),
    ("blank lines", "空白.txt", lambda p: p.write_text("\n \n\u3000\n", encoding="utf-8"), "空的"),
    (
        "random docx",
        "乱码.docx",
        lambda p: p.write_bytes(bytes(range(256)) * 40),
        "不是有效的 Word",
    ),
    ("zip not docx", "压缩包.docx", _not_a_docx_zip, "不是有效的 Word"),
    ("doc", "计划.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100)), "另存为 .docx"),
    ("wps", "计划.wps", lambda p: p.write_bytes(b"anything"), "另存为 .docx"),
    ("pdf", "计划.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256))), "是 PDF"),
    ("pdf renamed", "计划.txt", lambda p: p.write_bytes(b"%PDF-1.4\n%\xe2\xe3"), "是 PDF"),
    (
        "doc renamed",
        "改名.docx",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)),
        "另存为 .docx",
    ),
    (
        "no topics",
        "通知.txt",
        lambda p: p.write_text("关于召开会议的通知\n请各位准时参加。\n", encoding="utf-8"),
        "没有找到可识别的学习专题",
    ),
    (
        "encoding",
        "乱码.txt",
        lambda p: p.write_bytes(b"\x80\x80\xff\xfe" * 50),
        "无法识别文件的文字编码",
    ),
    ("zip bomb", "炸弹.docx", _zip_bomb, "200 MB"),
    ("too big", "巨大.txt", _too_big, "50 MB"),
]


@pytest.mark.parametrize(
    ("name", "maker", "expected"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_bad_files_give_one_chinese_sentence(
    name: str, maker: Callable[[Path], object] | None, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    if maker is not None:
        maker(path)
    with pytest.raises(ImportFileError) as caught:
        read_plan(path, 2026)
    message = str(caught.value)
    assert expected in message
    assert name in message
    assert re.search(r"[\u4e00-\u9fff]", message)
    assert "Traceback" not in message and "Error" not in message


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "计划文件夹"
    folder.mkdir()
    with pytest.raises(ImportFileError, match="文件夹"):
        read_plan(folder, 2026)


# --------------------------------------------------------------------------- bundled plan


def test_bundled_plan_without_the_seed() -> None:
    plan = load_bundled_plan(2026)
    assert plan.year == 2026
    assert len(plan.topics) == 14
    assert [t.title for t in plan.topics] == TITLES_2026
    assert plan.source == "2026-central-group-study-plan.txt"
    assert 2026 in bundled_years()


def test_bundled_plan_equals_the_parsed_seed(seed_plan: Plan) -> None:
    assert load_bundled_plan(2026) == seed_plan
    assert load_bundled_plan() == seed_plan


def test_bundled_json_is_readable_utf8() -> None:
    raw = (REPO / "resources" / "plans" / "2026.json").read_text(encoding="utf-8")
    assert "理论学习" in raw  # not \\u escapes
    data = json.loads(raw)
    assert data["topics"][0]["readings"] == ["《习近平著作选读》", "《习近平谈治国理政》"]
    assert plan_from_dict(data) == load_bundled_plan(2026)


def test_plan_dict_round_trip() -> None:
    plan = parse_plan_text(SAMPLE, 2026, source="x.txt")
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(plan)))) == plan


def test_year_without_bundled_plan() -> None:
    with pytest.raises(NotFoundError, match="1999"):
        load_bundled_plan(1999)


def test_importing_does_not_load_python_docx() -> None:
    code = "import sys, studyplan.io.plan_import, studyplan.io.bundled;print('docx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def _topic_table_docx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    document = docx.Document()
    document.add_paragraph("2026年理论学习中心组学习计划")
    document.add_paragraph("一、指导思想")
    document.add_paragraph("以习近平新时代中国特色社会主义思想为指导。")
    document.add_paragraph("二、学习内容")
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for column, text in enumerate(header):
        table.cell(0, column).text = text
    for r, row in enumerate(rows, start=1):
        for column, text in enumerate(row):
            cell = table.cell(r, column)
            first, *more = text.split("\n")
            cell.text = first
            for paragraph in more:
                cell.add_paragraph(paragraph)
    document.add_paragraph("三、学习要求")
    document.add_paragraph("（一）按时参加")
    document.save(str(path))
    return path


def test_topics_listed_in_a_table(tmp_path: Path) -> None:
    path = _topic_table_docx(
        tmp_path / "表格计划.docx",
        ["序号", "学习专题", "时间", "领学人"],
        [
            ["一", "学习贯彻党的二十届四中全会精神\n重点学习《建议》全文。", "3月", "王建国"],
            ["二", "深入学习《习近平谈治国理政》第五卷", "6月", ""],
            ["三", "科技创新的重要论述", "9月", "李红梅"],
        ],
    )
    plan = read_plan(path, 2026)
    assert plan.title == "2026年理论学习中心组学习计划"
    assert [(t.number, t.title) for t in plan.topics] == [
        (1, "学习贯彻党的二十届四中全会精神"),
        (2, "深入学习《习近平谈治国理政》第五卷"),
        (3, "科技创新的重要论述"),
    ]
    assert plan.topics[0].description == "重点学习《建议》全文。\n时间：3月\n领学人：王建国"
    assert plan.topics[1].description == "时间：6月"  # an empty cell says nothing
    assert plan.topics[0].readings == ("《建议》",)
    assert plan.topics[1].readings == ("《习近平谈治国理政》",)


def test_a_topic_table_without_numbers_counts_its_rows(tmp_path: Path) -> None:
    path = _topic_table_docx(
        tmp_path / "p.docx", ["学习内容", "形式"], [["专题甲", "集中学习"], ["专题乙", "研讨"]]
    )
    plan = read_plan(path, 2026)
    assert [(t.number, t.title, t.description) for t in plan.topics] == [
        (1, "专题甲", "形式：集中学习"),
        (2, "专题乙", "形式：研讨"),
    ]


def _plan_with_table(path: Path, fill) -> Path:
    """A plan whose 学习内容 chapter is one table, made by `fill(document)`."""
    document = docx.Document()
    document.add_paragraph("2026年理论学习中心组学习计划")
    document.add_paragraph("一、学习内容")
    fill(document)
    document.add_paragraph("二、学习要求")
    document.add_paragraph("（一）按时参加")
    document.save(str(path))
    return path


def _topics(path: Path) -> list[tuple[int, str, str]]:
    return [(t.number, t.title, t.description) for t in read_plan(path, 2026).topics]


def test_a_topic_table_with_caption_group_rows_and_a_note(tmp_path: Path) -> None:
    def fill(document) -> None:
        table = document.add_table(rows=7, cols=2)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "2026年专题学习安排表"  # caption
        table.cell(1, 0).text, table.cell(1, 1).text = "学习专题", "形式"
        table.cell(2, 0).merge(table.cell(2, 1)).text = "第一季度"  # heads a group
        table.cell(3, 0).text, table.cell(3, 1).text = "专题甲", "集中学习"
        table.cell(4, 0).merge(table.cell(4, 1)).text = "第二季度"
        table.cell(5, 0).text, table.cell(5, 1).text = "专题乙", "研讨"
        table.cell(6, 0).merge(table.cell(6, 1)).text = "备注：每季度至少一次"  # a note

    assert _topics(_plan_with_table(tmp_path / "p.docx", fill)) == [
        (1, "专题甲", "形式：集中学习"),
        (2, "专题乙", "形式：研讨\n备注：每季度至少一次"),
    ]

    def with_a_note_between(document) -> None:
        table = document.add_table(rows=4, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "学习专题", "形式"
        table.cell(1, 0).text, table.cell(1, 1).text = "专题甲", "集中学习"
        table.cell(2, 0).merge(table.cell(2, 1)).text = "注：专题甲由党组书记领学"
        table.cell(3, 0).text, table.cell(3, 1).text = "专题乙", "研讨"

    assert _topics(_plan_with_table(tmp_path / "q.docx", with_a_note_between)) == [
        (1, "专题甲", "形式：集中学习\n注：专题甲由党组书记领学"),
        (2, "专题乙", "形式：研讨"),
    ]


def test_a_topic_cell_over_several_rows_is_one_topic(tmp_path: Path) -> None:
    def fill(document) -> None:
        table = document.add_table(rows=5, cols=3)
        for column, text in enumerate(["序号", "学习专题", "学习材料"]):
            table.cell(0, column).text = text
        table.cell(1, 0).merge(table.cell(2, 0)).text = "（一）"
        table.cell(1, 1).merge(table.cell(2, 1)).text = "专题甲"
        table.cell(1, 2).text, table.cell(2, 2).text = "《材料一》", "《材料二》"
        table.cell(3, 0).text, table.cell(3, 1).text = "（二）", "专题乙"
        table.cell(3, 2).text = "《材料三》"
        table.cell(4, 2).text = "《材料四》"  # its 专题 cell left empty: still 专题乙

    assert _topics(_plan_with_table(tmp_path / "p.docx", fill)) == [
        (1, "专题甲", "学习材料：《材料一》\n学习材料：《材料二》"),
        (2, "专题乙", "学习材料：《材料三》\n学习材料：《材料四》"),
    ]


def test_rows_without_a_topic_belong_to_no_topic(tmp_path: Path) -> None:
    def with_number_column(document) -> None:
        table = document.add_table(rows=6, cols=3)
        for column, text in enumerate(["序号", "学习专题", "学时"]):
            table.cell(0, column).text = text
        table.cell(1, 0).text = "一"
        table.cell(1, 1).merge(table.cell(1, 2)).text = "第一季度"  # a numbered group row
        table.cell(2, 0).text, table.cell(2, 1).text, table.cell(2, 2).text = "1", "专题甲", "4"
        table.cell(3, 0).text, table.cell(3, 1).text, table.cell(3, 2).text = "2", "专题乙", "4"
        table.cell(4, 0).text, table.cell(4, 2).text = "合计", "8"  # a total below the topics
        table.cell(5, 0).text = "备注"
        table.cell(5, 1).merge(table.cell(5, 2)).text = "学时可根据上级部署调整"

    assert _topics(_plan_with_table(tmp_path / "a.docx", with_number_column)) == [
        (1, "专题甲", "学时：4"),
        (2, "专题乙", "学时：4\n合计：8\n备注：学时可根据上级部署调整"),
    ]

    def months(document) -> None:
        table = document.add_table(rows=4, cols=3)
        for column, text in enumerate(["月份", "学习专题", "学习形式"]):
            table.cell(0, column).text = text
        table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = (
            "1月",
            "专题甲",
            "集中",
        )
        table.cell(2, 0).text, table.cell(2, 2).text = "2月", "自学"  # a month without a topic
        table.cell(3, 0).text, table.cell(3, 1).text, table.cell(3, 2).text = (
            "3月",
            "专题乙",
            "研讨",
        )

    assert _topics(_plan_with_table(tmp_path / "b.docx", months)) == [
        (1, "专题甲", "月份：1月\n学习形式：集中"),
        (2, "专题乙", "月份：3月\n学习形式：研讨"),
    ]


def test_a_topic_table_with_a_two_row_header(tmp_path: Path) -> None:
    def fill(document) -> None:
        table = document.add_table(rows=4, cols=4)
        table.cell(0, 0).merge(table.cell(1, 0)).text = "序号"
        table.cell(0, 1).merge(table.cell(1, 1)).text = "学习专题"
        table.cell(0, 2).merge(table.cell(0, 3)).text = "学习安排"
        table.cell(1, 2).text, table.cell(1, 3).text = "时间", "形式"
        for row, texts in enumerate(
            [("1", "专题甲", "3月", "集中学习"), ("2", "专题乙", "6月", "研讨")], 2
        ):
            for column, text in enumerate(texts):
                table.cell(row, column).text = text

    assert _topics(_plan_with_table(tmp_path / "p.docx", fill)) == [
        (1, "专题甲", "时间：3月\n形式：集中学习"),
        (2, "专题乙", "时间：6月\n形式：研讨"),
    ]


def test_a_zip_of_a_version_python_cannot_read_is_a_damaged_file(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError for a newer zip version: one sentence, too."""
    import zipfile

    from studyplan.io.roster_import import read_roster

    good = tmp_path / "x.zip"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    data = bytearray(good.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (64).to_bytes(2, "little")  # needs zip version 6.4
    for name in ("计划.docx", "名单.xlsx"):
        (tmp_path / name).write_bytes(bytes(data))
    with pytest.raises(ImportFileError, match="损坏"):
        read_plan(tmp_path / "计划.docx", 2026)
    with pytest.raises(ImportFileError, match="损坏"):
        read_roster(tmp_path / "名单.xlsx")


def test_topic_rows_merged_in_other_ways(tmp_path: Path) -> None:
    def merged_title(document) -> None:
        table = document.add_table(rows=4, cols=4)
        for column, text in enumerate(["序号", "学习专题", "学习材料", "时间"]):
            table.cell(0, column).text = text
        table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 3).text = "1", "专题甲", "3月"
        table.cell(2, 0).text = "2"
        table.cell(2, 1).merge(table.cell(2, 2)).text = "专题乙（自学为主）"  # over 学习材料
        table.cell(3, 0).text = "3"
        table.cell(3, 1).merge(table.cell(3, 3)).text = "专题丙"  # to the table's edge

    assert [t[:2] for t in _topics(_plan_with_table(tmp_path / "a.docx", merged_title))] == [
        (1, "专题甲"),
        (2, "专题乙（自学为主）"),
        (3, "专题丙"),
    ]

    def numbers_merged_down(document) -> None:
        table = document.add_table(rows=5, cols=3)
        for column, text in enumerate(["序号", "学习专题", "学习材料"]):
            table.cell(0, column).text = text
        table.cell(1, 0).merge(table.cell(2, 0)).text = "1"
        table.cell(3, 0).merge(table.cell(4, 0)).text = "2"
        table.cell(1, 1).text, table.cell(3, 1).text = "专题甲", "专题乙"
        for row, material in enumerate(["《材料一》", "《材料二》", "《材料三》", "《材料四》"], 1):
            table.cell(row, 2).text = material

    assert _topics(_plan_with_table(tmp_path / "b.docx", numbers_merged_down)) == [
        (1, "专题甲", "学习材料：《材料一》\n学习材料：《材料二》"),
        (2, "专题乙", "学习材料：《材料三》\n学习材料：《材料四》"),
    ]

    def no_number_column(document) -> None:
        table = document.add_table(rows=4, cols=3)
        for column, text in enumerate(["学习专题", "学习材料", "时间"]):
            table.cell(0, column).text = text
        for row, texts in enumerate(
            [
                ("专题甲", "《材料一》", "3月"),
                ("", "《材料二》", ""),
                ("专题乙", "《材料三》", "6月"),
            ],
            1,
        ):
            for column, text in enumerate(texts):
                table.cell(row, column).text = text

    assert _topics(_plan_with_table(tmp_path / "c.docx", no_number_column)) == [
        (1, "专题甲", "学习材料：《材料一》\n时间：3月\n学习材料：《材料二》"),
        (2, "专题乙", "学习材料：《材料三》\n时间：6月"),
    ]

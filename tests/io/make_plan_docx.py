"""Write a plan as a Word document the way a bureau would, for the import tests and data/.

Run as a script to regenerate data/2026-理论学习中心组专题学习计划.docx from the bundled plan:

    python tests/io/make_plan_docx.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import docx
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from studyplan.model.plan import Plan

Numbering = Literal["style", "paragraph", "typed"]

#: The cells of the table put into topic 1, in reading order (merged cells once).
TABLE_CELLS: tuple[str, ...] = (
    "季度",
    "学习材料",
    "形式",
    "第一季度",
    "《习近平著作选读》",
    "集中学习",
    "《习近平谈治国理政》",
    "个人自学",
    "备注：每月第二个星期四下午集中研讨",
)

REQUIREMENTS: tuple[tuple[str, str], ...] = (
    ("强化政治引领，提高思想认识", "全体中心组成员要深刻认识理论学习中心组专题学习的重要意义。"),
    (
        "坚持学用结合，提升履职能力",
        "始终坚持学思用贯通、知信行统一，把理论学习与实践工作紧密结合起来。",
    ),
    (
        "严明学习纪律，规范学习管理",
        "严格遵守理论学习中心组学习制度，确有特殊情况不能参加的，须提前请假并及时补学。",
    ),
    (
        "创新学习方式，增强学习实效",
        "坚持守正创新，不断丰富学习形式和载体，切实把学习成果转化为实际成效。",
    ),
)


def add_abstract_numbering(
    document: Document,
    levels: list[tuple[str, str]],
    *,
    start: int = 1,
    start_override: int | None = None,
) -> int:
    """Add a list definition with one (numFmt, lvlText) per level, each level counting from
    `start` (and the list's first level from `start_override`, when given, as a w:num may
    say); return its new numId."""
    root = document.part.numbering_part.element
    abstract_ids = [int(x) for x in root.xpath("./w:abstractNum/@w:abstractNumId")]
    num_ids = [int(x) for x in root.xpath("./w:num/@w:numId")]
    abstract_id = max(abstract_ids, default=0) + 1
    num_id = max(num_ids, default=0) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    override = ""
    if start_override is not None:
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
        )
    root.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        )
    )
    return num_id


def number_paragraph(paragraph: Paragraph, num_id: int, ilvl: int = 0) -> None:
    """Give a paragraph Word's automatic numbering directly (numPr in its own pPr)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def add_table(document: Document) -> None:
    """A 4×3 table with a vertical and a horizontal merge, filled from TABLE_CELLS."""
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    quarter = table.cell(1, 0).merge(table.cell(2, 0))
    note = table.cell(3, 0).merge(table.cell(3, 2))
    header = table.rows[0].cells
    header[0].text, header[1].text, header[2].text = TABLE_CELLS[0:3]
    quarter.text = TABLE_CELLS[3]
    table.cell(1, 1).text, table.cell(1, 2).text = TABLE_CELLS[4:6]
    table.cell(2, 1).text, table.cell(2, 2).text = TABLE_CELLS[6:8]
    note.text = TABLE_CELLS[8]


def build_plan_docx(
    path: str | Path, plan: Plan, *, numbering: Numbering = "style", with_table: bool = True
) -> Path:
    """Write `plan` as a .docx whose topics are numbered by a list style, by numPr on each
    paragraph (（一）-style Chinese counting), or by typed numbers; sections are typed 一、."""
    document = docx.Document()
    document.add_paragraph(plan.title, style="Title")
    document.add_paragraph(
        f"为深入学习贯彻习近平新时代中国特色社会主义思想，结合工作实际，制定{plan.year}年"
        "理论学习中心组专题学习计划。"
    )
    document.add_paragraph(f"一、{plan.year}年理论学习指导思想")
    document.add_paragraph("坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。")
    document.add_paragraph(f"二、{plan.year}年理论学习专题内容")
    document.add_paragraph(
        f"{plan.year}年理论学习中心组专题学习设置{len(plan.topics)}个专题，"
        "每个专题集中学习研讨不少于1次。"
    )

    style_name = "List Number" if numbering == "style" else "Normal"
    num_id = 0
    if numbering == "paragraph":
        num_id = add_abstract_numbering(
            document, [("chineseCounting", "（%1）"), ("decimal", "%2.")]
        )

    for topic in plan.topics:
        if numbering == "typed":
            document.add_paragraph(f"{topic.number}．{topic.title}")
        else:
            heading = document.add_paragraph(topic.title, style=style_name)
            if numbering == "paragraph":
                number_paragraph(heading, num_id)
        for text in topic.description.split("\n") if topic.description else ():
            document.add_paragraph(text)
        if with_table and topic is plan.topics[0]:
            add_table(document)

    document.add_paragraph(f"三、{plan.year}年理论学习要求")
    for number, (heading, text) in enumerate(REQUIREMENTS, start=1):
        document.add_paragraph(f"（{'一二三四'[number - 1]}）{heading}")
        document.add_paragraph(text)

    path = Path(path)
    document.save(str(path))
    return path


if __name__ == "__main__":
    from studyplan.io.bundled import load_bundled_plan

    root = Path(__file__).resolve().parents[2]
    target = root / "data" / "2026-理论学习中心组专题学习计划.docx"
    target.parent.mkdir(exist_ok=True)
    build_plan_docx(target, load_bundled_plan(2026), numbering="style")
    sys.stdout.write(f"{target}\n")

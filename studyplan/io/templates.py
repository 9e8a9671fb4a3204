"""Blank forms a new secretary fills in and imports back: the plan (.docx, numbered as the
plan importer reads it) and the roster (.xlsx, with the headers the roster importer reads)."""

from __future__ import annotations

from pathlib import Path

from studyplan.io.files import atomic_write

#: The roster template's headers: the words `roster_import.columns.HEADER_ALIASES` knows.
ROSTER_HEADERS = ("序号", "姓名", "职务", "角色", "部门")
#: Its one example row, to be written over.
ROSTER_EXAMPLE = (1, "张三", "局党组书记、局长", "组长", "局领导")

#: The plan template's topics: how a topic is numbered, described and given its readings.
PLAN_EXAMPLE_TOPICS: tuple[tuple[str, str], ...] = (
    (
        "深入学习领会习近平新时代中国特色社会主义思想",
        "认真学习《习近平著作选读》，结合本单位工作实际……（专题说明写在专题标题下一段；"
        "学习篇目用书名号《》标出，导入时自动列为学习篇目。）",
    ),
    (
        "深入学习贯彻党的二十届历次全会精神",
        "学习《中国共产党第二十届中央委员会第四次全体会议公报》……",
    ),
    (
        "（第三个专题的标题）",
        "（专题说明。每个专题另起一段，以“3.”“4.”……依次编号；也可写作“专题三”或“（三）”。）",
    ),
)


def write_roster_template(path: str | Path) -> Path:
    """An .xlsx with the roster's headers and one example row."""
    import openpyxl
    from openpyxl.styles import Font

    def write(tmp: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "成员名单"
        sheet.append(list(ROSTER_HEADERS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.append(list(ROSTER_EXAMPLE))
        for column, width in zip("ABCDE", (6, 12, 28, 10, 18), strict=True):
            sheet.column_dimensions[column].width = width
        sheet["G1"] = (
            "说明：“姓名”必填；角色填 组长、副组长、成员 或 学习秘书。示例行请改为实际成员。"
        )
        workbook.save(tmp)

    return atomic_write(path, write)


def write_plan_template(path: str | Path, year: int, unit: str = "") -> Path:
    """A .docx laid out as the plan importer reads it: the title naming the unit and year,
    a section whose heading says 专题, and the topics numbered 1. 2. 3. under it."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    unit = unit or "（单位名称）"

    def write(tmp: Path) -> None:
        document = Document()
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(f"{unit}{year}年理论学习中心组专题学习计划")
        run.bold = True
        document.add_paragraph(
            "（前言：为深入学习贯彻……，特制定本计划。导入时只读取下面“学习专题”一节中"
            "编号的专题，其余文字可按本单位实际填写。）"
        )
        document.add_paragraph("一、指导思想")
        document.add_paragraph("（指导思想。）")
        document.add_paragraph(f"二、{year}年理论学习专题内容")
        for number, (heading, text) in enumerate(PLAN_EXAMPLE_TOPICS, start=1):
            document.add_paragraph(f"{number}. {heading}")
            document.add_paragraph(text)
        document.add_paragraph("三、学习安排")
        document.add_paragraph("（学习形式、时间安排与要求。）")
        document.save(str(tmp))

    return atomic_write(path, write)

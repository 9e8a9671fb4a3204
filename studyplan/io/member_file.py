"""个人学习档案 (.docx): a member's year against the duties, a page each, for cadre
assessment. A4 with the margins of official documents (top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm), 仿宋 body, 黑体 headings, 小标宋 title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studyplan.io.files import atomic_write
from studyplan.model.duties import DUTIES, Absence, MemberYear, rate_text
from studyplan.model.errors import ExportFileError

BODY_FONT = "仿宋"
HEAD_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
GROUP = "理论学习中心组"


@dataclass(frozen=True)
class MemberFile:
    org: str
    year: int
    members: Sequence[MemberYear]


#: Figures and Latin letters in the face official documents print them in.
LATIN_FONT = "Times New Roman"


def _font(run, name: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, *, font: str = BODY_FONT, size: float = 14, center=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), font, size)
    return paragraph


def _heading(doc, text: str):
    """A section heading (一、…), set off from the table above it and kept with the next."""
    from docx.shared import Pt

    paragraph = _paragraph(doc, text, font=HEAD_FONT, size=14)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _table(doc, rows: list[list[str]], widths_mm: Sequence[float]) -> None:
    """A ruled table whose columns keep `widths_mm` in Word, WPS and LibreOffice (each reads
    the width from a different place: the grid, the cells, autofit off), its header row bold
    and repeated on a new page, every cell centred on a line of at least 8 mm."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, column in enumerate(table.columns):
        column.width = Mm(widths_mm[c])
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for r, values in enumerate(rows):
        table.rows[r].height = Mm(8)  # a form's line, with room to read and to write
        table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths_mm[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.text = ""
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run(value), HEAD_FONT if r == 0 else BODY_FONT, 12, bold=r == 0)


def _page_numbers(section) -> None:
    """— N — centred at the foot of each page, as the documents' templates number them."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    run = paragraph.add_run()
    _font(run, BODY_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        else:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def _member_page(doc, book: MemberFile, entry: MemberYear, *, new_page: bool) -> None:
    member = entry.member
    title = _paragraph(doc, "个人学习档案", font=TITLE_FONT, size=22, center=True)
    title.paragraph_format.page_break_before = new_page
    _paragraph(doc, f"{book.org}{book.year}年{GROUP}", size=14, center=True)
    _heading(doc, "一、基本情况")
    _table(
        doc,
        [
            ["姓名", "职务", "部门"],
            [member.name, member.position, member.department],
        ],
        [30, 80, 45],
    )
    a = entry.attendance
    _heading(doc, "二、参加集中学习")
    _table(
        doc,
        [
            ["应到", "实到", "请假", "缺席", "出勤率"],
            [str(a.expected), str(a.attended), str(a.leave), str(a.absent), rate_text(a.rate)],
        ],
        [31, 31, 31, 31, 31],
    )
    _heading(doc, "三、年度学习任务")
    rows = [["项目", "要求", "完成", "情况"]]
    for duty in DUTIES:
        rows.append(
            [
                duty.name,
                str(entry.required[duty.code]),
                str(entry.counts.done(duty)),
                entry.state(duty).label,
            ]
        )
    rows.append(["学习笔记检查", "—", str(entry.counts.note_checks), ""])
    _table(doc, rows, [55, 25, 25, 50])
    _heading(doc, "四、记录明细")
    _items(
        doc,
        f"交流发言（{len(entry.speeches)} 次）",
        [f"{i.day:%Y-%m-%d}　{i.title or '（未填题目）'}" for i in entry.speeches],
    )
    _items(
        doc,
        f"心得体会（{len(entry.reflections)} 篇）",
        [f"{i.day:%Y-%m-%d}　{i.title or '（未填题目）'}" for i in entry.reflections],
    )
    _items(
        doc,
        f"请假 {a.leave} 次、缺席 {a.absent} 次及补学",
        [absence_line(x) for x in entry.absences],
    )
    details = [f"{p.kind}：{p.quoted_title}（{p.written_on:%Y-%m-%d}）" for p in entry.papers]
    if entry.self_plan is not None and entry.self_plan.submitted_on is not None:
        details.append(f"个人自学计划：{entry.self_plan.submitted_on:%Y-%m-%d} 提交")
    details += [
        f"学习笔记检查：{c.checked_on:%Y-%m-%d}"
        + (f"，检查人 {c.checked_by}" if c.checked_by else "")
        + (f"，{c.remark}" if c.remark else "")
        for c in entry.note_checks
    ]
    if details:
        _subheading(doc, "调研报告、自学计划与笔记检查")
        for line in details:
            _paragraph(doc, line, size=12)


def _subheading(doc, text: str):
    """A part of 记录明细 (交流发言, 心得体会…), kept with the table under it."""
    from docx.shared import Pt

    paragraph = _paragraph(doc, text, font=HEAD_FONT, size=12)
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def absence_line(absence: Absence) -> str:
    """A missed session as the file lists it: 2025-03-13　请假（因公：出差）　补学：已完成 …"""
    why = "" if absence.reason == absence.status else f"（{absence.reason}）"
    makeup = f"　补学：{absence.makeup}" if absence.makeup else "　未安排补学"
    return f"{absence.day:%Y-%m-%d}　{absence.status}{why}{makeup}"


def _items(doc, heading: str, lines: list[str]) -> None:
    """One list of the member's year, item by item (each speech, each absence): what a
    cadre assessment reads, where a count alone said nothing; （无） when there is none.
    Paragraphs, not tables: the file's tables are the three forms of each page."""
    from docx.shared import Mm

    _subheading(doc, heading)
    for line in lines or ["（无）"]:
        paragraph = _paragraph(doc, line, size=12)
        paragraph.paragraph_format.left_indent = Mm(7)


def write_member_file(book: MemberFile, path: str | Path) -> Path:
    """Write the file (a page per member) to `path`; replaced only when complete."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists():
            raise ExportFileError(f"保存位置不是文件夹：{folder}")
        raise ExportFileError(f"保存位置不存在：{folder}")
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_numbers(section)
    if not book.members:
        _paragraph(doc, "（本年度暂无成员）", center=True)
    for index, entry in enumerate(book.members):
        _member_page(doc, book, entry, new_page=index > 0)
    return atomic_write(target, lambda tmp: doc.save(str(tmp)))

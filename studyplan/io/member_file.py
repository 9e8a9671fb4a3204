"""个人学习档案 (.docx): a member's year against the duties, a page each, for cadre
assessment. A4 with the margins of official documents (top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm), 仿宋 body, 黑体 headings, 小标宋 title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studyplan.io.files import atomic_write
from studyplan.model.duties import DUTIES, MemberYear, rate_text
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


def _font(run, name: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
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


def _table(doc, rows: list[list[str]], widths_mm: Sequence[float]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths_mm[c])
            cell.paragraphs[0].text = ""
            _font(
                cell.paragraphs[0].add_run(value),
                HEAD_FONT if r == 0 else BODY_FONT,
                12,
            )


def _member_page(doc, book: MemberFile, entry: MemberYear, *, new_page: bool) -> None:
    member = entry.member
    title = _paragraph(doc, "个人学习档案", font=TITLE_FONT, size=22, center=True)
    title.paragraph_format.page_break_before = new_page
    _paragraph(doc, f"{book.org}{book.year}年{GROUP}", size=14, center=True)
    _paragraph(doc, "一、基本情况", font=HEAD_FONT, size=14)
    _table(
        doc,
        [
            ["姓名", "职务", "部门"],
            [member.name, member.position, member.department],
        ],
        [30, 80, 45],
    )
    a = entry.attendance
    _paragraph(doc, "二、参加集中学习", font=HEAD_FONT, size=14)
    _table(
        doc,
        [
            ["应到", "实到", "请假", "缺席", "出勤率"],
            [str(a.expected), str(a.attended), str(a.leave), str(a.absent), rate_text(a.rate)],
        ],
        [31, 31, 31, 31, 31],
    )
    _paragraph(doc, "三、年度学习任务", font=HEAD_FONT, size=14)
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
    details = [f"{p.kind}：《{p.title}》（{p.written_on:%Y-%m-%d}）" for p in entry.papers]
    if entry.self_plan is not None and entry.self_plan.submitted_on is not None:
        details.append(f"个人自学计划：{entry.self_plan.submitted_on:%Y-%m-%d} 提交")
    details += [
        f"学习笔记检查：{c.checked_on:%Y-%m-%d}"
        + (f"，检查人 {c.checked_by}" if c.checked_by else "")
        + (f"，{c.remark}" if c.remark else "")
        for c in entry.note_checks
    ]
    if details:
        _paragraph(doc, "四、记录明细", font=HEAD_FONT, size=14)
        for line in details:
            _paragraph(doc, line, size=12)


def write_member_file(book: MemberFile, path: str | Path) -> Path:
    """Write the file (a page per member) to `path`; replaced only when complete."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFileError(f"保存位置不存在：{folder}")
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    if not book.members:
        _paragraph(doc, "（本年度暂无成员）", center=True)
    for index, entry in enumerate(book.members):
        _member_page(doc, book, entry, new_page=index > 0)
    return atomic_write(target, lambda tmp: doc.save(str(tmp)))

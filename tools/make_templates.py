"""Make the bundled Word templates (studyplan/io/documents/templates/*.docx).

Run `python tools/make_templates.py` after changing a layout here; the .docx files are
checked in, so the app never builds them at run time. The layout follows GB/T 9704-2012
where it applies to such documents: A4; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; a title in 2号 小标宋; the body in 3号 仿宋_GB2312, 22 lines of 28 characters;
first-level headings in 黑体, second-level in 楷体; the page number "— N —" centred at the
foot; table header rows repeated on every page.

The reports' templates reuse `official_document` and the paragraph helpers below.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "studyplan" / "io" / "documents" / "templates"

# Fonts by their Chinese names, as Windows and WPS install them; `ALT` is what Word uses
# when a font is missing (fontTable's altName), the nearer of what most machines have.
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"
ALT = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", KAI_FONT: "楷体"}
FONT_INFO = {  # name -> (charset, family, pitch) as Word writes them for these fonts
    BODY_FONT: ("86", "modern", "fixed"),
    TITLE_FONT: ("86", "script", "fixed"),
    HEADING_FONT: ("86", "modern", "fixed"),
    KAI_FONT: ("86", "modern", "fixed"),
    SONG_FONT: ("86", "auto", "variable"),
    "仿宋": ("86", "modern", "fixed"),
    "楷体": ("86", "modern", "fixed"),
}

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
TABLE_PT = 14  # 4号
# 22 lines in the 225 mm text block and 28 characters in its 156 mm width.
LINE_PITCH = 579  # twips: 225 mm / 22 = 28.95 pt
# 28 characters of 16 pt are 448 pt, the text block 442 pt wide: each character is drawn
# 0.25 pt closer (in twentieths of a point). A character grid would do it in Word, but
# LibreOffice gives a character wider than its grid cell two cells: a line grid it is.
CHAR_SQUEEZE = -5
RED = RGBColor(0xFF, 0x00, 0x00)
BLANK_LINE = "＿" * 27  # a ruled line to write on by hand


def _set(parent: Any, tag: str, **attrs: str) -> Any:
    """The child `tag` of `parent` (made if missing) with `attrs` set (w: namespace)."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), value)
    return child


def set_fonts(rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts outright: theme fonts would win over them, so those go."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for key, value in (("ascii", latin), ("hAnsi", latin), ("cs", latin), ("eastAsia", east_asia)):
        fonts.set(qn(f"w:{key}"), value)


def _style_run(style: Any, font: str, size: float, *, bold: bool = False, latin: str = LATIN_FONT):
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element.get_or_add_rPr(), font, latin)


def _exact_lines(ppr: Any, twips: int = LINE_PITCH) -> None:
    _set(ppr, "w:spacing", before="0", after="0", line=str(twips), lineRule="exact")


def _indent_chars(ppr: Any, first: int = 0, right: int = 0, left: int = 0) -> None:
    """Indents in characters (hundredths), as Word shows them, and in twips for readers
    that ignore the character units."""
    attrs = {}
    if first:
        attrs.update(firstLineChars=str(first * 100), firstLine=str(first * BODY_PT * 20))
    if right:
        attrs.update(rightChars=str(right * 100), right=str(right * BODY_PT * 20))
    if left:
        attrs.update(leftChars=str(left * 100), left=str(left * BODY_PT * 20))
    _set(ppr, "w:ind", **attrs)


def _font_table(document: Any) -> None:
    """Add the Chinese fonts to fontTable.xml with their fallbacks (altName)."""
    from lxml import etree

    part = next(
        p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
    )
    root = etree.fromstring(part.blob)
    for name, (charset, family, pitch) in FONT_INFO.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if name in ALT:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), ALT[name])
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), charset)
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), family)
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), pitch)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


#: The theme's East Asian fonts: python-docx's starting package names Japanese ones (ＭＳ 明朝,
#: ＭＳ ゴシック) for Japanese text, which Word and WPS would fall back on where a run names
#: no font of its own. Body (minor) text takes 宋体, headings (major) 黑体.
THEME_EAST_ASIA = {"minorFont": SONG_FONT, "majorFont": HEADING_FONT}


def _theme_fonts(document: Any) -> None:
    """Chinese fonts in the theme, and the theme's East Asian language Chinese."""
    from lxml import etree

    drawing = "http://schemas.openxmlformats.org/drawingml/2006/main"
    package = document.part.package
    for part in package.iter_parts():
        name = str(part.partname)
        if name == "/word/theme/theme1.xml":
            root = etree.fromstring(part.blob)
            for tag, face in THEME_EAST_ASIA.items():
                for font in root.iter(f"{{{drawing}}}{tag}"):
                    font.find(f"{{{drawing}}}ea").set("typeface", face)
                    for script in font.findall(f"{{{drawing}}}font"):
                        if script.get("script") == "Jpan":
                            font.remove(script)
                        elif script.get("script") == "Hans":
                            script.set("typeface", face)
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        elif name == "/word/fontTable.xml":
            root = etree.fromstring(part.blob)
            for font in root.findall(qn("w:font")):
                if font.get(qn("w:name"), "").startswith("ＭＳ"):
                    root.remove(font)
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _page_number(section: Any) -> None:
    """ "— N —" centred in the footer: 4号 宋体, a PAGE field between two dashes."""
    footer = section.footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(14)
        set_fonts(r._r.get_or_add_rPr(), SONG_FONT, SONG_FONT)
        return r

    run("— ")
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        r = run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        elif kind == "text":
            r.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
    run(" —")


def official_document(title_property: str = "{{ title }}") -> Any:
    """A new document with the official page, grid, fonts, styles and page number."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    grid = _set(section._sectPr, "w:docGrid", type="lines", linePitch=str(LINE_PITCH))
    grid.attrib.pop(qn("w:charSpace"), None)

    styles = document.styles
    # docDefaults: every run, including table cells and the footer, starts from 仿宋 3号.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT)
    _set(rpr, "w:sz", val=str(BODY_PT * 2))
    _set(rpr, "w:szCs", val=str(BODY_PT * 2))
    _set(rpr, "w:spacing", val=str(CHAR_SQUEEZE))
    _set(rpr, "w:lang", val="en-US", eastAsia="zh-CN")

    normal = styles["Normal"]
    _style_run(normal, BODY_FONT, BODY_PT)
    ppr = normal.element.get_or_add_pPr()
    _exact_lines(ppr)
    _set(ppr, "w:jc", val="both")
    _set(ppr, "w:adjustRightInd", val="0")

    from docx.enum.style import WD_STYLE_TYPE

    def paragraph_style(name: str, font: str, size: float, **kw: Any) -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _style_run(style, font, size, bold=kw.get("bold", False), latin=kw.get("latin", LATIN_FONT))
        return style

    title = paragraph_style("公文标题", TITLE_FONT, TITLE_PT, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tppr = title.element.get_or_add_pPr()
    # Off the line grid: a 2号 line is taller than a grid line, and LibreOffice would give
    # it two. A title of two lines stays one block, 32 pt apart.
    _set(tppr, "w:snapToGrid", val="0")
    _set(tppr, "w:spacing", before="0", after=str(LINE_PITCH), line="640", lineRule="exact")
    _set(tppr, "w:keepNext")

    for name, font in (("一级标题", HEADING_FONT), ("二级标题", KAI_FONT)):
        style = paragraph_style(name, font, BODY_PT)
        _indent_chars(style.element.get_or_add_pPr(), first=2)
        _set(style.element.get_or_add_pPr(), "w:keepNext")

    body = paragraph_style("公文正文", BODY_FONT, BODY_PT)
    _indent_chars(body.element.get_or_add_pPr(), first=2)

    plain = paragraph_style("顶格正文", BODY_FONT, BODY_PT)
    plain.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    sign = paragraph_style("落款", BODY_FONT, BODY_PT)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent_chars(sign.element.get_or_add_pPr(), right=4)

    cell = paragraph_style("表格文字", BODY_FONT, TABLE_PT)
    cppr = cell.element.get_or_add_pPr()
    _set(cppr, "w:spacing", before="40", after="40", line="320", lineRule="atLeast")
    _set(cppr, "w:snapToGrid", val="0")
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    head = paragraph_style("表头文字", HEADING_FONT, TABLE_PT)
    hppr = head.element.get_or_add_pPr()
    _set(hppr, "w:spacing", before="40", after="40", line="320", lineRule="atLeast")
    _set(hppr, "w:snapToGrid", val="0")
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    _font_table(document)
    _theme_fonts(document)
    _page_number(section)
    props = document.core_properties
    props.author = props.last_modified_by = ""
    props.comments = props.keywords = props.subject = ""
    props.title = title_property
    # Fixed dates, so remaking an unchanged template leaves the checked-in file as it is.
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.last_printed = dt.datetime(2026, 1, 1)
    # python-docx's starting package carries a thumbnail of its own blank page: a file
    # manager would show it for every document made from the template.
    package = document.part.package
    for key, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[key]
    # The first body paragraph python-docx leaves is not there: nothing to remove.
    return document


# -- paragraphs --------------------------------------------------------------------------


def title(document: Any, text: str = "{{ title }}", lines: str | None = "title_lines") -> Any:
    """The title; with `lines` (the name of a list of the title's lines, broken where it
    reads naturally: model.documents.title_lines) each line ends in a line break, so a
    long title prints as balanced lines, never with a word alone on the last one."""
    if lines is None:
        return document.add_paragraph(text, style="公文标题")
    paragraph = document.add_paragraph(style="公文标题")
    paragraph.add_run(f"{{% for line in {lines} %}}{{{{ line }}}}{{% if not loop.last %}}")
    paragraph.add_run().add_break()
    paragraph.add_run("{% endif %}{% endfor %}")
    return paragraph


def heading(document: Any, text: str, level: int = 1) -> Any:
    return document.add_paragraph(text, style="一级标题" if level == 1 else "二级标题")


def body(document: Any, text: str = "") -> Any:
    return document.add_paragraph(text, style="公文正文")


def plain(document: Any, text: str = "") -> Any:
    return document.add_paragraph(text, style="顶格正文")


def control(document: Any, tag: str) -> Any:
    """A paragraph holding only a `{%p … %}` tag: docxtpl removes it when rendering."""
    return document.add_paragraph(f"{{%p {tag} %}}", style="顶格正文")


def signature(document: Any, *lines: str) -> None:
    for line in lines:
        document.add_paragraph(line, style="落款")


def _cell_text(cell: Any, text: str, style: str = "表格文字") -> Any:
    paragraph = cell.paragraphs[0]
    paragraph.text = text
    paragraph.style = style
    return paragraph


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    _set(trpr, "w:tblHeader")
    _set(trpr, "w:cantSplit")


def _widths(table: Any, widths_mm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(round(width / 25.4 * 1440)))


def list_table(
    document: Any, headers: list[str], cells: list[str], widths_mm: list[float], loop: str
) -> Any:
    """A table with a header row repeated on each page and one row per item of `loop`
    (`{%tr for … %}` / `{%tr endfor %}` rows docxtpl removes)."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, text, "表头文字")
    _repeat_header(table.rows[0])
    _cell_text(table.rows[1].cells[0], f"{{%tr {loop} %}}")
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        _cell_text(cell, text)
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    _widths(table, widths_mm)
    return table


def form_table(document: Any, rows: list[tuple[str, ...]], widths_mm: list[float]) -> Any:
    """A form of label/value cells: a row of two pairs, or one label and a value spanning
    the rest. A value may be a list of paragraphs."""
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, items in zip(table.rows, rows, strict=True):
        cells = row.cells
        if len(items) == 2:
            merged = cells[1].merge(cells[3])
            pairs = [(cells[0], items[0]), (merged, items[1])]
        else:
            pairs = list(zip(cells, items, strict=True))
        for index, (cell, value) in enumerate(pairs):
            lines = value.split("\n")
            first = _cell_text(cell, lines[0], "表头文字" if index % 2 == 0 else "表格文字")
            for line in lines[1:]:
                cell.add_paragraph(line, style="表格文字")
            del first
        trpr = row._tr.get_or_add_trPr()
        _set(trpr, "w:trHeight", val=str(round(11 / 25.4 * 1440)), hRule="atLeast")
    _widths(table, widths_mm)
    return table


# -- the documents ---------------------------------------------------------------------


def notice() -> Any:
    document = official_document()
    title(document, "{{ title }}")
    plain(document, "{{ group }}各位成员：")
    body(
        document,
        "经研究，定于{{ date }}{{ time }}在{{ place }}召开{{ group }}{{ year }}年"
        "第{{ ordinal_cn }}次集体学习（{{ form }}）。现将有关事项通知如下：",
    )
    heading(document, "一、学习时间")
    body(document, "{{ date }}{{ time }}")
    heading(document, "二、学习地点")
    body(document, "{{ place }}")
    heading(document, "三、主持人")
    body(document, "{{ host }}")
    heading(document, "四、参加人员")
    body(document, "{{ attendees_text }}")
    control(document, "if guests")
    body(document, "列席人员：{{ guests_text }}")
    control(document, "endif")
    heading(document, "五、学习内容")
    control(document, "for t in topics")
    heading(document, "（{{ loop.index }}）{{ t.title }}", level=2)
    control(document, "for r in t.readings")
    body(document, "{{ r }}")
    control(document, "endfor")
    control(document, "endfor")
    body(document, "领学/辅导：{{ lead }}")
    control(document, "if planned_speakers")
    body(document, "重点发言：")
    control(document, "for s in planned_speakers")
    body(document, "{{ loop.index }}. {{ s.name }}{% if s.subject %}：{{ s.subject }}{% endif %}")
    control(document, "endfor")
    control(document, "endif")
    control(document, "if department != blank")
    body(document, "责任处室：{{ department }}")
    control(document, "endif")
    heading(document, "六、有关要求")
    control(document, "for r in requirements")
    body(document, "{{ loop.index }}. {{ r }}")
    control(document, "endfor")
    body(document, "联系人：{{ secretary }}，联系电话：{{ phone }}。")
    plain(document)
    plain(document)
    signature(document, "{{ unit }}", "{{ sign_date }}")
    return document


def label_width_mm(labels: list[str], size_pt: float = TABLE_PT) -> float:
    """The width of a label column: its longest line of text at `size_pt`, with the cell's
    margins (1.9 mm a side in Word and LibreOffice alike) and a little air."""
    longest = max(len(line) for label in labels for line in label.split("\n"))
    return round(longest * size_pt * 25.4 / 72 + 2 * 1.9 + 1.5, 1)


#: The record's first table: label columns as wide as their longest label (4号 黑体), the
#: rest of the 156 mm to the values.
_RECORD_LABELS = ["学习时间", "迟到、早退", "缺席人员\n及原因", "领学/辅导"]
_LABEL_MM = label_width_mm(_RECORD_LABELS)
RECORD_FORM_WIDTHS = [_LABEL_MM, 78 - _LABEL_MM, _LABEL_MM, 78 - _LABEL_MM]


def record() -> Any:
    document = official_document()
    title(document, "{{ title }}")
    form_table(
        document,
        [
            ("学习时间", "{{ date }} {{ time }}"),
            ("学习地点", "{{ place }}"),
            ("主 持 人", "{{ host }}", "记 录 人", "{{ recorder }}"),
            ("应到人数", "{{ expected }}", "实到人数", "{{ attended }}"),
            ("学习形式", "{{ form }}", "领学/辅导", "{{ lead }}"),
            ("出席人员", "{{ present_text }}"),
            ("列席人员", "{{ guests_text }}"),
            ("缺席人员\n及原因", "{{ absent_text }}"),
            ("迟到、早退", "{{ late_text }}"),
            (
                "学习内容",
                "专题：{{ topic }}\n{%p for m in materials %}\n{{ m }}\n{%p endfor %}",
            ),
            ("心得体会", "{{ reflections_text }}"),
        ],
        RECORD_FORM_WIDTHS,
    )
    heading(document, "一、研讨发言")
    control(document, "if speeches")
    list_table(
        document,
        ["序号", "发言人", "发言题目或要点"],
        ["{{ s.order }}", "{{ s.speaker }}", "{{ s.title }}"],
        [16, 32, 108],
        "for s in speeches",
    )
    control(document, "else")
    body(document, "无。")
    control(document, "endif")
    control(document, "if unspoken")
    body(document, "已安排重点发言而本次未发言：{{ unspoken_text }}。")
    control(document, "endif")
    heading(document, "二、会议记录")
    control(document, "if minutes")
    control(document, "for line in minutes")
    body(document, "{{ line }}")
    control(document, "endfor")
    control(document, "else")
    for _ in range(4):
        plain(document, BLANK_LINE)
    control(document, "endif")
    heading(document, "三、补学安排")
    control(document, "if makeups")
    list_table(
        document,
        ["姓名", "缺席原因", "补学方式", "完成时限", "完成情况"],
        ["{{ m.name }}", "{{ m.reason }}", "{{ m.method }}", "{{ m.due }}", "{{ m.state }}"],
        [20, 42, 26, 34, 34],
        "for m in makeups",
    )
    control(document, "else")
    body(document, "无需补学。")
    control(document, "endif")
    return document


def _red_line(paragraph: Any, where: str = "bottom", color: str = "FF0000", size: int = 12):
    ppr = paragraph._p.get_or_add_pPr()
    borders = _set(ppr, "w:pBdr")
    _set(borders, f"w:{where}", val="single", sz=str(size), space="4", color=color)


def brief() -> Any:
    document = official_document()
    masthead = document.add_paragraph(style="公文标题")
    masthead.paragraph_format.space_after = Pt(0)
    _set(
        masthead._p.get_or_add_pPr(),
        "w:spacing",
        before="240",
        after="120",
        line="1200",
        lineRule="exact",
    )
    run = masthead.add_run("学习简报")
    run.font.size = Pt(42)
    run.font.color.rgb = RED
    number = document.add_paragraph("第{{ number }}期", style="顶格正文")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    editor = document.add_paragraph("{{ editor }}\t{{ sign_date }}", style="顶格正文")
    editor.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    _red_line(editor)
    plain(document)
    title(document, "{{ title }}")
    body(document, "{{ summary }}")
    control(document, "if speeches")
    body(document, "会上，{{ speakers_text }}同志作了交流发言。")
    control(document, "for s in speeches")
    body(document, "{{ s.line }}")
    control(document, "endfor")
    control(document, "endif")
    # What the meeting itself required is in its minutes (not the plan's standing rules,
    # which the notice carries); without minutes, a line to write on.
    control(document, "if minutes")
    control(document, "for m in minutes")
    body(document, "{{ m }}")
    control(document, "endfor")
    control(document, "else")
    body(document, "会议要求：{{ blank }}")
    control(document, "endif")
    plain(document)
    send = document.add_paragraph("送：{{ group }}各位成员", style="顶格正文")
    _red_line(send, "top", "000000", 8)
    issued = document.add_paragraph("发：机关各处室（单位）\t{{ sign_date }}印发", style="顶格正文")
    issued.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    _red_line(issued, "bottom", "000000", 8)
    return document


# Word reads a property element only in its schema's order (WordprocessingML, ECMA-376).
_ORDER = {
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "pBdr": "top left bottom right between bar",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
}


def schema_order(element: Any) -> None:
    """Put the children of every property element in their schema's order."""
    for tag, names in _ORDER.items():
        rank = {qn(f"w:{name}"): index for index, name in enumerate(names.split())}
        for node in element.iter(qn(f"w:{tag}")):
            children = sorted(node, key=lambda child: rank.get(child.tag, len(rank)))
            for child in children:
                node.append(child)


def finish(document: Any) -> Any:
    """Cells centred vertically, and every property in schema order."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    schema_order(document.element)
    schema_order(document.styles.element)
    for section in document.sections:
        schema_order(section.footer._element)
    return document


DOCUMENTS = {"学习通知.docx": notice, "学习记录.docx": record, "学习简报.docx": brief}


def main(folder: Path = OUT) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in DOCUMENTS.items():
        finish(build()).save(str(folder / name))
        print(folder / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)

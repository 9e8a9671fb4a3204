"""Reading a year's study plan (its 专题) from the document the bureau hands out.

Plans arrive as plain text copied from a web page or as Word documents. Both become a list
of lines, and one parser finds the sections (一、二、三、), picks the section that holds the
topics, and turns each numbered item there into a `Topic`. Word's automatic numbering keeps
the numbers out of the paragraph text, so for .docx files the numbers are rebuilt from
numbering.xml before the lines reach the parser.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studyplan.io.files import unzipped_size
from studyplan.model.errors import ImportFileError, ValidationError
from studyplan.model.plan import Plan, Topic
from studyplan.model.years import MAX_YEAR, MIN_YEAR, in_range

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

# --------------------------------------------------------------------------- line grammar

_CN_CHARS = "〇零一二三四五六七八九十两"
_CN = f"[{_CN_CHARS}]{{1,4}}"
_AR = r"[0-9０-９]{1,3}"
_SEP = r"[、.．,，:：\s]*"

_SECTION_RE = re.compile(rf"^(?P<num>{_CN})\s*[、.．](?P<rest>.*)$")

#: (kind, pattern) for the numbered items a topic heading may start with, most specific first.
_ITEM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("paren-cn", re.compile(rf"^[（(]\s*(?P<num>{_CN})\s*[）)]{_SEP}(?P<rest>.*)$")),
    ("paren-ar", re.compile(rf"^[（(]\s*(?P<num>{_AR})\s*[）)]{_SEP}(?P<rest>.*)$")),
    ("half-paren", re.compile(rf"^(?P<num>{_AR})\s*[)）]{_SEP}(?P<rest>.*)$")),
    ("arabic", re.compile(rf"^(?P<num>{_AR})\s*[.．、](?![0-9０-９]){_SEP}(?P<rest>.*)$")),
    (
        "zhuanti",
        re.compile(rf"^专题\s*(?P<num>{_CN}|{_AR})(?:\s|[、.．,，:：]){_SEP}(?P<rest>.*)$"),
    ),
)

_TOPIC_SECTION_RE = re.compile("专题|内容")
_READING_RE = re.compile(r"《[^《》\n]+》")
_METADATA_RE = re.compile(r"^[^\s:：]{1,6}[:：]")
_STRIP_CHARS = " \t\r\n\u3000\xa0\u200b\ufeff"
_LEADING_PUNCT = "、.．,，:：;；"

_CN_DIGIT_VALUES = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_DIGITS = "零一二三四五六七八九"


def chinese_to_int(text: str) -> int | None:
    """Read a Chinese numeral from 一 to 九十九, as plans number sections and topics."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return (_CN_DIGIT_VALUES.get(text) or None) if len(text) == 1 else None
    tens_text, _, units_text = text.partition("十")
    if "十" in units_text or len(tens_text) > 1 or len(units_text) > 1:
        return None
    tens = 1 if not tens_text else _CN_DIGIT_VALUES.get(tens_text)
    units = 0 if not units_text else _CN_DIGIT_VALUES.get(units_text)
    if tens is None or units is None or tens == 0:
        return None
    value = tens * 10 + units
    return value if value > 0 else None


def int_to_chinese(number: int) -> str:
    """Write 1..99 as 一..九十九, the way Word's chineseCounting numbering shows them."""
    if number <= 0 or number >= 100:
        return str(number)
    tens, units = divmod(number, 10)
    if tens == 0:
        return _CN_DIGITS[units]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[units] if units else "")


@dataclass(frozen=True)
class _Line:
    text: str
    role: str  # "section", "item" or "text"
    kind: str = ""
    number: int | None = None
    rest: str = ""


def _clean(line: str) -> str:
    return line.strip(_STRIP_CHARS)


def _classify(text: str) -> _Line:
    match = _SECTION_RE.match(text)
    if match:
        rest = _clean(_clean(match["rest"]).lstrip(_LEADING_PUNCT))
        return _Line(text, "section", "section", chinese_to_int(match["num"]), rest)
    for kind, pattern in _ITEM_PATTERNS:
        match = pattern.match(text)
        if match:
            rest = _clean(_clean(match["rest"]).lstrip(_LEADING_PUNCT))
            return _Line(text, "item", kind, chinese_to_int(match["num"]), rest)
    return _Line(text, "text")


# --------------------------------------------------------------------------- the text parser


def _check_year(year: int) -> None:
    """The year a plan is imported for: a whole number in the range the calendar knows
    (`years.in_range`), refused in the importer's own words since it may come from a file."""
    if isinstance(year, bool) or not isinstance(year, int) or not in_range(year):
        raise ValidationError(f"年份“{year}”不在 {MIN_YEAR} 到 {MAX_YEAR} 之间，请检查后重试。")


def _where(source: str) -> str:
    return f"文件“{source}”" if source else "导入的文本"


def _readings(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for title in _READING_RE.findall(text):
        seen.setdefault(title, None)
    return tuple(seen)


def _plan_title(preamble: Sequence[_Line], year: int) -> str:
    candidates = [
        line.text
        for line in preamble
        if line.role == "text" and len(line.text) <= 60 and not _METADATA_RE.match(line.text)
    ]
    for text in candidates:
        if "计划" in text:
            return text
    if candidates:
        return candidates[0]
    return f"{year}年理论学习中心组专题学习计划"


def _topic_lines(lines: Sequence[_Line]) -> tuple[Sequence[_Line], int]:
    """The lines of the part that holds the topics, and where that part starts in `lines`."""
    heads = [i for i, line in enumerate(lines) if line.role == "section"]
    if not heads:
        first = next((i for i, line in enumerate(lines) if line.role == "item"), len(lines))
        return lines, first
    spans = [(h, heads[k + 1] if k + 1 < len(heads) else len(lines)) for k, h in enumerate(heads)]

    def items_in(span: tuple[int, int]) -> int:
        return sum(1 for line in lines[span[0] + 1 : span[1]] if line.role == "item")

    chosen = next(
        (s for s in spans if _TOPIC_SECTION_RE.search(lines[s[0]].rest) and items_in(s) > 0),
        None,
    )
    if chosen is None:
        chosen = max(spans, key=items_in)
    return lines[chosen[0] + 1 : chosen[1]], heads[0]


def _split_title(title: str) -> tuple[str, str]:
    """A heading that runs on into its description ("标题。认真学习……") is cut at the 。."""
    head, stop, tail = title.partition("。")
    if stop and _clean(tail):
        return _clean(head), _clean(tail)
    return _clean(title.removesuffix("。")), ""


def _parse_lines(raw_lines: Sequence[str], year: int, source: str) -> Plan:
    _check_year(year)
    lines = [_classify(text) for text in (_clean(raw) for raw in raw_lines) if text]
    if not lines:
        raise ImportFileError(f"{_where(source)}是空的，没有可以导入的学习计划内容。")
    body, preamble_end = _topic_lines(lines)
    title = _plan_title(lines[:preamble_end], year)

    items = [i for i, line in enumerate(body) if line.role == "item"]
    if not items:
        raise ImportFileError(
            f"在{_where(source)}中没有找到可识别的学习专题：专题应逐条编号（如“1.”或“（一）”），"
            "并放在标题含“专题”或“内容”的部分里。"
        )
    kind = body[items[0]].kind
    heads = [i for i in items if body[i].kind == kind]

    drafts: list[tuple[int | None, str, list[str]]] = []
    for k, start in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(body)
        following = [line.text for line in body[start + 1 : end]]
        heading = body[start].rest
        if not heading and following:
            heading = following.pop(0)
        heading, run_on = _split_title(heading)
        if run_on:
            following.insert(0, run_on)
        if heading:
            drafts.append((body[start].number, heading, following))
    if not drafts:
        raise ImportFileError(f"在{_where(source)}中找到了编号，但编号后面没有专题名称。")

    read = [number for number, _, _ in drafts]
    numbers = [n for n in read if n is not None]
    if len(numbers) != len(drafts) or len(set(numbers)) != len(numbers):
        numbers = list(range(1, len(drafts) + 1))
    topics = tuple(
        Topic(
            year=year,
            number=number,
            title=heading,
            description="\n".join(following),
            readings=_readings(heading + "\n" + "\n".join(following)),
        )
        for number, (_, heading, following) in zip(numbers, drafts, strict=True)
    )
    return Plan(year=year, title=title, topics=topics, source=source)


def parse_plan_text(text: str, year: int, source: str = "") -> Plan:
    """Turn a plan's text into topics, so a plan pasted or saved as .txt can be imported."""
    return _parse_lines(text.splitlines(), year, source)


# --------------------------------------------------------------------------- Word numbering

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographLegalTraditional",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
    "japaneseCounting",
    "koreanCounting",
}


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _letters(number: int) -> str:
    # Word repeats the letter: A..Z, AA..ZZ, AAA..
    letter = chr(ord("A") + (number - 1) % 26)
    return letter * ((number - 1) // 26 + 1)


def _format_number(number: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return int_to_chinese(number)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(number - 1) % 10]
    if fmt == "ideographZodiac":
        return "子丑寅卯辰巳午未申酉戌亥"[(number - 1) % 12]
    if fmt == "upperLetter":
        return _letters(number)
    if fmt == "lowerLetter":
        return _letters(number).lower()
    if fmt == "upperRoman":
        return _roman(number)
    if fmt == "lowerRoman":
        return _roman(number).lower()
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt.startswith("decimalEnclosedCircle") and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    return str(number)


@dataclass(frozen=True)
class _Level:
    fmt: str = "decimal"
    start: int = 1
    text: str = "%1."
    style: str = ""


@dataclass(frozen=True)
class _StyleNumbering:
    num_id: int | None
    ilvl: int | None
    based_on: str | None


class _Numbering:
    """Word's list definitions and the running counters that give each paragraph its number."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._counters: dict[tuple[int, int], int] = {}
        self._abstract: dict[int, dict[int, _Level]] = {}
        self._links: dict[int, str] = {}
        self._nums: dict[int, tuple[int, dict[int, int]]] = {}
        self._styles: dict[str, _StyleNumbering] = {}
        self._default_style = ""
        self._read_styles(document)
        self._read_numbering(document)

    def _val(self, element: Any, tag: str) -> str | None:
        child = element.find(self._qn(tag)) if element is not None else None
        return None if child is None else child.get(self._qn("w:val"))

    def _int(self, element: Any, tag: str) -> int | None:
        value = self._val(element, tag)
        try:
            return None if value is None else int(value)
        except ValueError:
            return None

    def _read_styles(self, document: Any) -> None:
        qn = self._qn
        try:
            root = document.styles.element
        except Exception:  # a document without styles.xml still has text worth reading
            return
        for style in root.iterfind(qn("w:style")):
            if style.get(qn("w:type")) != "paragraph":
                continue
            style_id = style.get(qn("w:styleId")) or ""
            if style.get(qn("w:default")) in ("1", "true", "on") and not self._default_style:
                self._default_style = style_id
            ppr = style.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            self._styles[style_id] = _StyleNumbering(
                num_id=self._int(num_pr, "w:numId"),
                ilvl=self._int(num_pr, "w:ilvl"),
                based_on=self._val(style, "w:basedOn"),
            )

    def _read_numbering(self, document: Any) -> None:
        qn = self._qn
        try:
            root = document.part.numbering_part.element
        except Exception:  # no usable numbering.xml: paragraphs simply have no numbers
            return
        for abstract in root.iterfind(qn("w:abstractNum")):
            try:
                abstract_id = int(abstract.get(qn("w:abstractNumId")))
            except (TypeError, ValueError):
                continue
            levels: dict[int, _Level] = {}
            for lvl in abstract.iterfind(qn("w:lvl")):
                try:
                    ilvl = int(lvl.get(qn("w:ilvl")))
                except (TypeError, ValueError):
                    continue
                start = self._int(lvl, "w:start")
                levels[ilvl] = _Level(
                    fmt=self._val(lvl, "w:numFmt") or "decimal",
                    start=1 if start is None else start,
                    text=self._val(lvl, "w:lvlText") or "",
                    style=self._val(lvl, "w:pStyle") or "",
                )
            self._abstract[abstract_id] = levels
            link = self._val(abstract, "w:numStyleLink")
            if link:
                self._links[abstract_id] = link
        for num in root.iterfind(qn("w:num")):
            try:
                num_id = int(num.get(qn("w:numId")))
            except (TypeError, ValueError):
                continue
            linked_id = self._int(num, "w:abstractNumId")
            if linked_id is None:
                continue
            starts: dict[int, int] = {}
            for override in num.iterfind(qn("w:lvlOverride")):
                start = self._int(override, "w:startOverride")
                try:
                    if start is not None:
                        starts[int(override.get(qn("w:ilvl")))] = start
                except (TypeError, ValueError):
                    continue
            self._nums[num_id] = (linked_id, starts)

    def _style_chain(self, style_id: str) -> Iterator[_StyleNumbering]:
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen and current in self._styles:
            seen.add(current)
            style = self._styles[current]
            yield style
            current = style.based_on

    def _levels(self, num_id: int) -> tuple[dict[int, _Level], dict[int, int]] | None:
        entry = self._nums.get(num_id)
        if entry is None:
            return None
        abstract_id, starts = entry
        levels = self._abstract.get(abstract_id)
        link = self._links.get(abstract_id)
        if not levels and link:
            linked = next((s.num_id for s in self._style_chain(link) if s.num_id), None)
            linked_entry = self._nums.get(linked) if linked else None
            if linked_entry is not None:
                levels = self._abstract.get(linked_entry[0])
        return (levels, starts) if levels else None

    def prefix(self, paragraph: Any) -> str:
        """The number Word would show before `paragraph`, or "" when it shows none."""
        qn = self._qn
        ppr = paragraph.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = self._int(num_pr, "w:numId")
        ilvl = self._int(num_pr, "w:ilvl")
        style_id = self._val(ppr, "w:pStyle") or self._default_style
        for style in self._style_chain(style_id):
            if ilvl is None:
                ilvl = style.ilvl
            if num_id is None:
                num_id = style.num_id
            if num_id is not None:
                break
        if not num_id:
            return ""
        found = self._levels(num_id)
        if found is None:
            return ""
        levels, starts = found
        if ilvl is None:
            ilvl = next((i for i, lvl in levels.items() if lvl.style == style_id), 0)
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        return self._advance(num_id, ilvl, levels, starts)

    def _advance(
        self, num_id: int, ilvl: int, levels: dict[int, _Level], starts: dict[int, int]
    ) -> str:
        def start_of(i: int) -> int:
            return starts.get(i, levels[i].start if i in levels else 1)

        key = (num_id, ilvl)
        self._counters[key] = self._counters[key] + 1 if key in self._counters else start_of(ilvl)
        for deeper in [k for k in self._counters if k[0] == num_id and k[1] > ilvl]:
            del self._counters[deeper]

        def render(match: re.Match[str]) -> str:
            i = int(match[1]) - 1
            value = self._counters.get((num_id, i), start_of(i))
            return _format_number(value, levels[i].fmt if i in levels else "decimal")

        level = levels[ilvl]
        own = _format_number(self._counters[key], level.fmt)
        shown = re.sub(r"%([1-9])", render, level.text)
        probe = _classify(shown + "题")
        if probe.role != "text" and probe.rest == "题":
            return shown
        if level.fmt in _CHINESE_FORMATS:
            return f"{own}、" if ilvl == 0 else f"（{own}）"
        return f"{own}."


# --------------------------------------------------------------------------- reading files


def _paragraph_lines(paragraph: Any, numbering: _Numbering) -> list[str]:
    text = paragraph.text.replace("\t", " ")
    prefix = numbering.prefix(paragraph._p)
    return (prefix + text).splitlines() if prefix or text else []


def _block_lines(block: Any, numbering: _Numbering) -> Iterator[str]:
    from docx.table import Table

    if isinstance(block, Table):
        yield from _table_lines(block, numbering)
    else:
        yield from _paragraph_lines(block, numbering)


#: A header cell naming the column that holds the topics of a topic table.
_TITLE_HEADER_RE = re.compile("专题|学习内容|主题|题目")
#: A header cell naming the column that numbers its rows.
_NUMBER_HEADER_RE = re.compile(r"^(序号|编号|序|No\.?)$", re.IGNORECASE)
#: A row that says it is a note.
_NOTE_RE = re.compile(r"^[（(]?(注|备注|说明)[）)]?\s*[:：]")
#: A header cell is a short label.
_MAX_HEADER_LENGTH = 12


def _row_cells(row: Any, numbering: _Numbering) -> list[tuple[int, Any, list[str]]]:
    """The row's cells once each (a cell merged across columns counts once): the column
    each starts in, the cell's element (the same in every row a merged cell spans) and
    its lines."""
    cells: list[tuple[int, Any, list[str]]] = []
    seen: set[Any] = set()
    for column, cell in enumerate(row.cells):
        if cell._tc in seen:
            continue
        seen.add(cell._tc)
        lines: list[str] = []
        for inner in cell.iter_inner_content():
            lines.extend(_clean(line) for line in _block_lines(inner, numbering))
        cells.append((column, cell._tc, [line for line in lines if line]))
    return cells


def _table_lines(table: Any, numbering: _Numbering) -> Iterator[str]:
    """A table as lines the text parser reads, one row at a time, each value under its
    column's label.

    Rows of one cell across the table (a caption above the header, a note below) are read
    as they are, except between topics, where they only group them (第二季度).

    A table whose header names a 专题 (学习内容, 主题) column lists topics: each row becomes
    a `专题N：title` line (N from a 序号 column, else counted) followed by its other columns
    as `label：value` lines. A 专题 cell merged down over several rows, or a row whose 序号
    and 专题 cells are both empty, continues the topic above; other rows without a topic
    are left out, except notes named in the 序号 column (备注, 合计) below the topics.

    Any other table with a header row gives one line per row, `label：value；label：value`;
    a table without one, its cells joined by wide spaces.
    """
    rows = [_row_cells(row, numbering) for row in table.rows]
    rows = [row for row in rows if any(lines for _, _, lines in row)]
    width = max((len(row) for row in rows), default=0)
    while rows and len(rows[0]) == 1 and width > 1:  # a caption
        yield " ".join(rows.pop(0)[0][2])
    if not rows:
        return
    header, body = rows[0], rows[1:]
    labels = {column: " ".join(lines) for column, _, lines in header}
    tops = {tc for _, tc, _ in header}
    if len(body) > 1 and tops & {tc for _, tc, _ in body[0]}:
        # A header of two rows: 序号 and 专题 merged down, 学习安排 over 时间 | 形式. The
        # lower row's own cells label their columns.
        lower = [(c, lines) for c, tc, lines in body[0] if tc not in tops]
        if lower and all(0 < len(" ".join(lines)) <= _MAX_HEADER_LENGTH for _, lines in lower):
            labels.update((c, " ".join(lines)) for c, lines in lower)
            tops |= {tc for _, tc, _ in body[0]}
            body = body[1:]
    columns = len(labels)
    labelled = (
        bool(body)
        and columns > 1
        and all(0 < len(label) <= _MAX_HEADER_LENGTH for label in labels.values())
        # A header cell merged down into the next row is data, not a label.
        and not tops & {tc for _, tc, _ in body[0]}
    )
    if not labelled:
        for row in rows:
            yield "\u3000".join(" ".join(lines) for _, _, lines in row if lines)
        return

    def label(column: int) -> str:
        """The label over `column`, also under a header cell spanning several columns."""
        starts = [c for c in labels if c <= column]
        return labels[max(starts)] if starts else ""

    title_column = next((c for c, t in labels.items() if _TITLE_HEADER_RE.search(t)), None)
    number_column = next((c for c, t in labels.items() if _NUMBER_HEADER_RE.match(t)), None)
    count = 0
    previous_title: Any = None
    previous_number: Any = None

    def number_of(row: list[tuple[int, Any, list[str]]]) -> tuple[Any, str]:
        """The row's 序号 cell and its text."""
        return next(
            ((tc, " ".join(lines)) for c, tc, lines in row if c == number_column), (None, "")
        )

    def spans_the_rest(row: list[tuple[int, Any, list[str]]]) -> bool:
        """序号 | one cell merged to the table's right edge (一 | 第一季度, 备注 | …): a group
        heading or a note, unless its 序号 is a plain number, as topics have."""
        if title_column is None or len(row) >= columns:
            return False
        if any(c > title_column for c, _, _ in row):
            return False  # the 专题 cell stops short of the edge: a topic row
        return not re.fullmatch(_AR, number_of(row)[1].strip())

    topic_rows = [
        i
        for i, row in enumerate(body)
        if len(row) > 1
        and not spans_the_rest(row)
        and any(c == title_column and lines for c, _, lines in row)
    ]
    for index, row in enumerate(body):
        values = [(column, tc, lines) for column, tc, lines in row if lines]
        if len(row) == 1 and columns > 1:  # one cell across the table
            previous_title = None
            # Between topics it heads a group of rows (第二季度), unless it says it is a note
            # (注：…, 备注：…, 说明：…), which stays with the topic above; below the last
            # topic, it is a note.
            text = " ".join(values[0][2]) if values else ""
            note = _NOTE_RE.match(text) and topic_rows and index > topic_rows[0]
            if title_column is None or not topic_rows or index > topic_rows[-1] or note:
                yield text
            continue
        if title_column is None:
            yield "；".join(f"{label(c)}：{' '.join(lines)}" for c, _, lines in values)
            continue
        title = next(((tc, lines) for c, tc, lines in values if c == title_column), None)
        others = [(c, lines) for c, _, lines in values if c not in (title_column, number_column)]
        number_tc, number_text = number_of(row)
        if number_tc is not None and number_tc is previous_number:
            number_text = ""  # a 序号 merged down over the rows of one topic
        if title is not None and spans_the_rest(row):
            previous_title = None
            if topic_rows and index > topic_rows[-1]:  # a note below the topics (备注 | …)
                text = " ".join(title[1])
                yield f"{number_text}：{text}" if number_text else text
            continue  # above or between topics it heads a group (一 | 第一季度)
        if title is None:
            if number_text and topic_rows and index > topic_rows[-1]:
                # Below the topics, a row named in the 序号 column (备注, 合计) is a note.
                rest = "；".join(" ".join(lines) for _, lines in others)
                yield f"{number_text}：{rest}" if rest else number_text
            left = any(c < title_column for c, _, lines in values if c != number_column)
            if not count or number_text or left:
                continue  # a row of its own (合计, 2月 without a topic): not a topic's
            # Otherwise (序号 and 专题 both empty) the row goes on with the topic above.
        elif title[0] is not previous_title:
            previous_title, previous_number = title[0], number_tc
            count += 1
            number = re.sub(r"[（）().．、\s]", "", number_text)  # （二） or 3. as 二 or 3
            shown = number if re.fullmatch(rf"{_AR}|{_CN}", number) else str(count)
            yield f"专题{shown}：{title[1][0]}"
            yield from title[1][1:]
        for column, lines in others:
            yield f"{label(column)}：{' '.join(lines)}"


def _check_zip(path: Path, name: str) -> None:
    unzipped = unzipped_size(path)
    if unzipped is None:
        raise _corrupt(name)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            f"文件“{name}”解压后超过 {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB，"
            "不像一份正常的 Word 文档，为安全起见没有导入。"
        )


def _corrupt(name: str) -> ImportFileError:
    return ImportFileError(
        f"文件“{name}”不是有效的 Word 文档（.docx），可能已经损坏，"
        "请在 Word 或 WPS 中打开并重新保存后再导入。"
    )


def _old_word(name: str) -> ImportFileError:
    return ImportFileError(
        f"文件“{name}”是旧版 Word/WPS 格式（.doc 或 .wps），无法直接读取，"
        "请在 Word 或 WPS 中打开它，“另存为 .docx”后再导入。"
    )


def _docx_lines(path: Path, name: str) -> list[str]:
    _check_zip(path, name)
    import docx

    try:
        document = docx.Document(str(path))
        numbering = _Numbering(document)
        lines: list[str] = []
        for block in document.iter_inner_content():
            lines.extend(_block_lines(block, numbering))
    except ImportFileError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged package
        raise _corrupt(name) from exc
    return lines


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if not _looks_japanese(data):
            return text
    raise ImportFileError(
        f"无法识别文件的文字编码：“{name}”既不是 UTF-8 也不是 GBK/GB18030 编码的文本，"
        "请用记事本或 WPS 把它另存为 UTF-8 编码后再导入。"
    )


def _looks_japanese(data: bytes) -> bool:
    """Shift-JIS bytes also decode as GB18030 (into nonsense): kana tell them apart.

    Chinese text in GBK never decodes as Shift-JIS into hiragana, which sits on GBK's rarely
    used 0x82 lead byte; a Japanese file has it in nearly every sentence.
    """
    try:
        text = data.decode("shift_jis")
    except UnicodeDecodeError:
        return False
    kana = sum(1 for char in text if "\u3041" <= char <= "\u30ff")
    return kana >= 3 and kana * 20 >= len(text)


def read_plan(path: str | Path, year: int) -> Plan:
    """Read a plan file the secretary picked (.txt or .docx); any problem is one sentence."""
    _check_year(year)
    path = Path(path)
    name = path.name or str(path)
    if not path.exists():
        raise ImportFileError(f"找不到文件“{name}”，请确认它没有被移动、改名或删除。")
    if path.is_dir():
        raise ImportFileError(f"“{name}”是一个文件夹，请选择学习计划文件（.docx 或 .txt）。")
    if not path.is_file():  # a pipe or a device: reading it would never end
        raise ImportFileError(f"“{name}”不是普通文件（是管道或设备），请选择学习计划文件。")
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps"):
        raise _old_word(name)
    unreadable = f"无法读取文件“{name}”，请确认有权限打开它，并且它没有被其他程序占用。"
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportFileError(unreadable) from exc
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise ImportFileError(f"文件“{name}”超过 {limit} MB，不像一份学习计划，没有导入。")
    if size == 0:
        raise ImportFileError(f"文件“{name}”是空的，没有可以导入的学习计划内容。")
    if head.startswith(_OLE_MAGIC):
        raise _old_word(name)
    if head.startswith(b"%PDF") or suffix == ".pdf":
        raise ImportFileError(
            f"文件“{name}”是 PDF，无法从中读取专题。请用 Word 或 WPS 打开计划原文，"
            "“另存为 .docx”（或复制文字存为 .txt）后再导入。"
        )
    if suffix == ".docx" or head.startswith(_ZIP_MAGIC):
        return _parse_lines(_docx_lines(path, name), year, name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(unreadable) from exc
    return parse_plan_text(_decode(data, name), year, source=name)


# --------------------------------------------------------------------------- JSON form


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """A plan as plain JSON data, the form the bundled plans are shipped in."""
    return {
        "year": plan.year,
        "title": plan.title,
        "source": plan.source,
        "topics": [
            {
                "number": topic.number,
                "title": topic.title,
                "description": topic.description,
                "readings": list(topic.readings),
            }
            for topic in plan.topics
        ],
    }


def plan_from_dict(data: dict[str, Any]) -> Plan:
    """The inverse of `plan_to_dict`, so a shipped plan loads without re-parsing documents."""
    year = int(data["year"])
    return Plan(
        year=year,
        title=str(data["title"]),
        source=str(data.get("source", "")),
        topics=tuple(
            Topic(
                year=year,
                number=int(item["number"]),
                title=str(item["title"]),
                description=str(item.get("description", "")),
                readings=tuple(str(r) for r in item.get("readings", ())),
            )
            for item in data["topics"]
        ),
    )


def write_plan_json(plan: Plan, path: str | Path) -> None:
    """Save a plan as readable UTF-8 JSON; this is how resources/plans/<year>.json is made."""
    text = json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2)
    Path(path).write_text(text + "\n", encoding="utf-8")


def build_bundled_plan(seed: str | Path, out: str | Path, year: int) -> Plan:
    """Parse a plan document and write it as the bundled JSON for that year."""
    plan = read_plan(seed, year)
    write_plan_json(plan, out)
    return plan


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m studyplan.io.plan_import SEED OUT.json YEAR` regenerates a bundled plan."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3:
        print("用法: python -m studyplan.io.plan_import 计划文件 输出.json 年份")
        return 2
    plan = build_bundled_plan(args[0], args[1], int(args[2]))
    print(f"{plan.title}: {len(plan.topics)} 个专题 → {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

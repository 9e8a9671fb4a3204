"""Word paragraphs and tables as the lines the text parser reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from studyplan.io.plan_import.lines import AR_NUMBER, CN_NUMBER, clean
from studyplan.io.plan_import.numbering import Numbering


def _paragraph_lines(paragraph: Any, numbering: Numbering) -> list[str]:
    text = paragraph.text.replace("\t", " ")
    prefix = numbering.prefix(paragraph._p)
    return (prefix + text).splitlines() if prefix or text else []


def block_lines(block: Any, numbering: Numbering) -> Iterator[str]:
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


def _row_cells(row: Any, numbering: Numbering) -> list[tuple[int, Any, list[str]]]:
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
            lines.extend(clean(line) for line in block_lines(inner, numbering))
        cells.append((column, cell._tc, [line for line in lines if line]))
    return cells


def _table_lines(table: Any, numbering: Numbering) -> Iterator[str]:
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
        return not re.fullmatch(AR_NUMBER, number_of(row)[1].strip())

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
            shown = number if re.fullmatch(rf"{AR_NUMBER}|{CN_NUMBER}", number) else str(count)
            yield f"专题{shown}：{title[1][0]}"
            yield from title[1][1:]
        for column, lines in others:
            yield f"{label(column)}：{' '.join(lines)}"

"""Word's automatic numbering: the numbers Word shows before paragraphs but keeps out of
their text, rebuilt from numbering.xml and styles.xml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from studyplan.io.plan_import.lines import MAX_NUMBER, classify, int_to_chinese


class NumberOutOfRange(ValueError):
    """A list counter outside 0..MAX_NUMBER: no plan numbers its items that far, and a
    letter or roman numeral for such a number would take gigabytes or minutes to write
    (Word's AAAA… repeats the letter once per 26)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _check_range(number: int) -> None:
    if not 0 <= number <= MAX_NUMBER:
        raise NumberOutOfRange(number)


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
    _check_range(number)
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _letters(number: int) -> str:
    # Word repeats the letter: A..Z, AA..ZZ, AAA..
    _check_range(number)
    letter = chr(ord("A") + (number - 1) % 26)
    return letter * ((number - 1) // 26 + 1)


def _format_number(number: int, fmt: str) -> str:
    """`number` as list format `fmt` shows it; NumberOutOfRange beyond what a plan holds,
    in every format, so one rule bounds every counter."""
    _check_range(number)
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


class Numbering:
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
        probe = classify(shown + "题")
        if probe.role != "text" and probe.rest == "题":
            return shown
        if level.fmt in _CHINESE_FORMATS:
            return f"{own}、" if ilvl == 0 else f"（{own}）"
        return f"{own}."

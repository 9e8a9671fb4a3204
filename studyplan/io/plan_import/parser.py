"""The text parser: a plan's lines become its sections, the section that holds the topics,
and a `Topic` for each numbered item there."""

from __future__ import annotations

import re
from collections.abc import Sequence

from studyplan.io.plan_import.lines import MAX_NUMBER, Line, classify, clean
from studyplan.model.errors import ImportFileError, ValidationError
from studyplan.model.plan import Plan, Topic
from studyplan.model.text import printable_text, unprintable
from studyplan.model.years import MAX_YEAR, MIN_YEAR, in_range

_TOPIC_SECTION_RE = re.compile("专题|内容")
_READING_RE = re.compile(r"《[^《》\n]+》")
_METADATA_RE = re.compile(r"^[^\s:：]{1,6}[:：]")


def check_year(year: int) -> None:
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


def _plan_title(preamble: Sequence[Line], year: int) -> str:
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


def _topic_lines(lines: Sequence[Line]) -> tuple[Sequence[Line], int]:
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
    if stop and clean(tail):
        return clean(head), clean(tail)
    return clean(title.removesuffix("。")), ""


def parse_lines(raw_lines: Sequence[str], year: int, source: str) -> Plan:
    check_year(year)
    lines = [classify(text) for text in (clean(printable_text(raw)) for raw in raw_lines) if text]
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
    if len(drafts) > MAX_NUMBER:
        raise ImportFileError(
            f"{_where(source)}中有 {len(drafts)} 个编号的专题，一份学习计划最多 {MAX_NUMBER} 个，"
            "请检查是不是选错了文件。"
        )

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
    _refuse_unprintable(title, topics, source)
    return Plan(year=year, title=title, topics=topics, source=source)


def _refuse_unprintable(title: str, topics: Sequence[Topic], source: str) -> None:
    """A character the CJK fonts cannot print refuses the plan, naming the topic and the
    character. Descriptions too, though long: the plan is printed into the ledger, the
    import is all or nothing, and one deletion in the file puts it right, where a warning
    would leave boxes in every ledger printed afterwards."""
    fields = [("标题", title)]
    for topic in topics:
        fields += [(f"专题{topic.number}的名称", topic.title)]
        fields += [(f"专题{topic.number}的说明", topic.description)]
    for what, text in fields:
        found = unprintable(text)
        if found is not None:
            raise ImportFileError(
                f"{_where(source)}中{what}含有无法打印的“{found}”，请在文件中删去后重新导入。"
            )


def parse_plan_text(text: str, year: int, source: str = "") -> Plan:
    """Turn a plan's text into topics, so a plan pasted or saved as .txt can be imported."""
    # Before splitting: str.splitlines also breaks at some control characters (\x1c, \x85).
    return parse_lines(printable_text(text).splitlines(), year, source)

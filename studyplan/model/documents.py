"""How the session documents (学习通知、学习记录、学习简报) word the record: dates, numbers,
the standing requirements. Plain rules; the use case in app/documents.py gathers the data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
#: What a document prints where the record holds nothing, to be written in by hand.
BLANK = "＿" * 6
_DIGITS = "〇一二三四五六七八九"


def templates_folder_for(db_path: Path | str) -> Path:
    """The unit's templates folder that belongs to a database file, beside it as its archive
    folder is: `学习台账.db` → `学习台账-文书模板`. A unit's red-header templates travel with
    its record (copied, backed up, moved together), and two units' databases on one
    computer keep their own."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-文书模板"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三, 105 → 一百零五 (as a 第N次 is written)."""
    if number < 0:
        raise ValueError(number)
    if number < 10:
        return _DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        head = "" if tens == 1 else _DIGITS[tens]
        return head + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _DIGITS[rest]
    else:
        tail = (_DIGITS[1] if rest < 20 else "") + chinese_number(rest)
    return chinese_number(hundreds) + "百" + tail


def date_text(day: dt.date) -> str:
    """2026年3月12日, as a 落款 or a date in the text."""
    return f"{day.year}年{day.month}月{day.day}日"


def short_date(day: dt.date) -> str:
    """2026.3.12, as a date is written in a narrow table cell."""
    return f"{day.year}.{day.month}.{day.day}"


def date_with_weekday(day: dt.date) -> str:
    """2026年3月12日（星期四）."""
    return f"{date_text(day)}（{WEEKDAYS[day.weekday()]}）"


def time_text(start: dt.time, end: dt.time) -> str:
    """15:00—17:00 (the dash of Chinese text)."""
    return f"{start:%H:%M}—{end:%H:%M}".replace(" ", "")


def part_of_day(start: dt.time) -> str:
    """上午 or 下午 (or 晚上), as a brief says when a session met."""
    if start.hour < 12:
        return "上午"
    return "下午" if start.hour < 18 else "晚上"


def requirements(makeup_days: int) -> list[str]:
    """The standing requirements of the study rules, stated in a notice and a brief."""
    return [
        "请参学人员按时参加，不得无故缺席、迟到或早退。",
        "因故不能参加的，须提前向学习秘书书面请假，经批准后方可缺席。",
        f"请假或缺席的，须在 {makeup_days} 日内完成补学补研，并提交心得体会。",
    ]


def joined(names: list[str], empty: str = "无") -> str:
    """Names joined with 、 as a list in Chinese text; `empty` when there are none."""
    return "、".join(n for n in names if n) or empty


#: A 2号 title line holds 20 characters of the 156 mm text block (a digit is half one).
TITLE_LINE_WIDTH = 20.0
#: Where a title reads naturally broken: after these words, or before those.
_BREAK_AFTER = ("关于召开", "关于", "中心组")
_BREAK_BEFORE = ("开展", "召开", "的通知")


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _natural_breaks(text: str) -> list[int]:
    """Indexes where a title may be broken: beside the words above, and before a year."""
    found = set()
    for index in range(1, len(text)):
        head, tail = text[:index], text[index:]
        if head.endswith(_BREAK_AFTER) or tail.startswith(_BREAK_BEFORE):
            found.add(index)
        if tail[:4].isdigit() and tail[4:5] == "年" and not head[-1:].isdigit():
            found.add(index)
    return sorted(found)


def title_lines(text: str, width: float = TITLE_LINE_WIDTH) -> list[str]:
    """A title as the lines it prints on, balanced: it breaks where it reads naturally
    (after 关于召开 or the group's name, before 开展 or a year) so that no line is left with
    a word or two alone; one line when it fits. With no natural place that fits, the
    title is cut into lines of even length."""
    if _width(text) <= width:
        return [text]
    best: list[str] | None = None
    for at in _natural_breaks(text):
        lines = [text[:at], text[at:]]
        if max(_width(line) for line in lines) > width:
            continue
        if best is None or abs(_width(lines[0]) - _width(lines[1])) < abs(
            _width(best[0]) - _width(best[1])
        ):
            best = lines
    if best is not None:
        return best
    count = int(-(-_width(text) // width))  # lines needed, rounded up
    size = -(-len(text) // count)
    return [text[i : i + size] for i in range(0, len(text), size)]

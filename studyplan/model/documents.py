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

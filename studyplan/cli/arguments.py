"""Reading the command line: argparse in Chinese, and the types of its values (a date, a
time, a year, a size), each refused with one sentence."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from studyplan.model.errors import StudyplanError
from studyplan.model.years import in_range, out_of_range_text

if TYPE_CHECKING:
    pass


EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(StudyplanError):
    """Bad command-line words."""


#: argparse's own words in Chinese, keyed by the English text it passes to gettext. argparse
#: looks every message, heading and its help option's text up through gettext, so this is a
#: message catalogue rather than a rewrite of its output; text missing here stays English.
ARGPARSE_CHINESE: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "subcommands": "子命令",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数 %s",
    "one of the arguments %s is required": "参数 %s 中须提供一个",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "“%(value)s”不是可选的值，可选：%(choices)s"
    ),
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值",
    "unrecognized arguments: %s": "无法识别的参数 %s",
    "expected one argument": "缺少取值",
    "expected at most one argument": "最多只能有一个取值",
    "expected at least one argument": "至少需要一个取值",
    "expected %s argument": "需要 %s 个取值",
    "expected %s arguments": "需要 %s 个取值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 有歧义，可能是 %(matches)s"
    ),
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "不接受取值“%s”",
    "unexpected option string: %s": "无法识别的选项 %s",
}


def _chinese(message: str) -> str:
    return ARGPARSE_CHINESE.get(message, message)


def _chinese_plural(singular: str, plural: str, n: int) -> str:
    return _chinese(singular if n == 1 else plural)


@contextmanager
def argparse_in_chinese() -> Iterator[None]:
    """Answer argparse's gettext look-ups from ARGPARSE_CHINESE while it works.

    argparse calls the `_` and `ngettext` it imported from gettext; a gettext catalogue
    would need compiled .mo files and the user's locale, so for the time the parser builds,
    parses or formats help those two names answer from the table instead, then go back.
    """
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _chinese, _chinese_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """argparse speaking Chinese, reporting a usage problem in one line and exit status 2."""

    def __init__(self, *args, **kwargs) -> None:
        with argparse_in_chinese():  # the group headings and the -h text are set here
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):  # type: ignore[override]
        with argparse_in_chinese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        with argparse_in_chinese():  # "unrecognized arguments" is reported here
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        with argparse_in_chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with argparse_in_chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_in_chinese():
            return super().format_help()

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """A value outside the choices, said in Chinese with the choices listed as a
        Chinese list (argparse quotes them and joins them with commas)."""
        if action.choices is None or value in action.choices:
            return
        listed = "、".join(str(choice) for choice in action.choices)
        if isinstance(action, argparse._SubParsersAction):
            what = action.metavar or "子命令"  # 子命令, or 文件类型 under export, 操作 …
            raise argparse.ArgumentError(None, f"没有“{value}”这个{what}，可用的有：{listed}")
        raise argparse.ArgumentError(action, f"“{value}”不是可选的值，可选：{listed}")

    def error(self, message: str) -> None:  # type: ignore[override]
        message = " ".join(message.split())
        required = ARGPARSE_CHINESE["the following arguments are required: %s"] % ""
        if message.startswith(required):  # the missing ones, as a Chinese list
            message = required + "、".join(message[len(required) :].split(", "))
        raise UsageError(f"命令用法有误：{message}（运行 {self.prog} --help 查看用法）")


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def day_in_range_arg(text: str) -> dt.date:
    """A date whose year the app supports (`model.years`)."""
    day = date_arg(text)
    if not in_range(day.year):
        raise argparse.ArgumentTypeError(out_of_range_text(day.year))
    return day


def time_arg(text: str) -> dt.time:
    try:
        parsed = dt.datetime.strptime(text, "%H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(f"时间格式应为 HH:MM（00:00–23:59）：{text}") from None
    return parsed.time()


def year_arg(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年份应为四位数字：{text}") from None
    if not in_range(year):
        raise argparse.ArgumentTypeError(out_of_range_text(text))
    return year


def quarter_arg(text: str) -> int:
    if text.strip() not in ("1", "2", "3", "4"):
        raise argparse.ArgumentTypeError(f"季度应为 1–4：{text}")
    return int(text)


def size_arg(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"尺寸格式应为 宽x高，例如 1280x800：{text}") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"尺寸超出范围：{text}")
    return width, height


def minutes_arg(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"时长应为分钟数：{text}") from None

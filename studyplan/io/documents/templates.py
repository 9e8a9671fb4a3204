"""The kinds of document and their templates: the bundled one, or the unit's own copy.

The unit's templates folder (设置 → 文书模板) holds, under the bundled file names, the unit's
own versions (a red header, its own wording); a kind without one there uses the bundled
template. The folder also keeps a copy of each bundled template in 默认模板/ to start from,
and a README listing every placeholder a template may use.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from studyplan.io.documents.render import TemplateError
from studyplan.model import study_report
from studyplan.model.errors import ExportFileError

#: Inside the unit's folder: copies of the bundled templates to start a version from.
DEFAULTS_FOLDER = "默认模板"
#: Inside the unit's folder: a unit template replaced by 恢复默认 is kept here, not deleted.
REPLACED_FOLDER = "已替换的模板"
README_NAME = "README-占位符说明.txt"

_SESSION = {
    "unit": "单位名称（设置 → 单位信息；未设置时取自学习计划标题）",
    "group": "中心组名称，如“党组理论学习中心组”",
    "secretary": "学习秘书",
    "phone": "联系电话",
    "year": "年度，如 2026",
    "ordinal": "本年度第几次学习（按日期排序），如 3",
    "ordinal_cn": "同上，汉字，如“三”",
    "date": "学习日期，如“2026年3月12日（星期四）”",
    "time": "起止时间，如“15:00—17:00”",
    "place": "学习地点（未填时为一条手写横线）",
    "form": "学习形式，如“集中学习”“专题研讨”",
    "host": "主持人（本场未填时取学习责任清单中专题的主持人；都未填时为一条手写横线）",
    "lead": "领学/辅导人（本场未填时取学习责任清单中专题的领学人；都未填时为一条手写横线）",
    "department": "责任处室（学习责任清单中本场的，或其专题的；未填时为一条手写横线）",
    "guests": "列席人员列表（不计入应到、实到），每项有 .name（姓名）、.unit（单位或职务）、"
    ".label（如“张三（市委党校教授）”）",
    "guests_text": "列席人员，以“、”分隔，无则为“无”",
    "planned_speakers": "学习责任清单安排的重点发言人，每项有 .name（姓名）、.subject（发言题目）、"
    ".line（如“王五（推进科技创新）”）",
    "planned_speakers_text": "重点发言人及题目，以“、”分隔，无则为“无”",
    "topic": "学习专题，多个专题以“；”分隔",
    "topics": "专题列表，每项有 .number（编号）、.title（题目）、.readings（篇目列表）",
    "readings": "学习篇目列表（每项一段文字）",
    "readings_text": "学习篇目，以“、”分隔",
    "requirements": "学习要求列表（按时参加、提前向学习秘书请假、缺席后补学补研）",
    "sign_date": "落款日期（生成当天），如“2026年3月5日”",
    "blank": "一条手写用的横线",
}


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: its name, the bundled template's file name, and the
    placeholders its context provides (name → what it holds, for the README)."""

    key: str
    label: str
    file_name: str
    placeholders: dict[str, str] = field(default_factory=dict)


NOTICE = DocumentKind(
    "notice",
    "学习通知",
    "学习通知.docx",
    {
        **_SESSION,
        "title": "通知标题，如“关于召开党组理论学习中心组2026年第三次集体学习的通知”",
        "title_lines": "标题按自然断句分成的行（每行不超过一行宽），模板逐行排版",
        "attendees": "参加人员姓名列表（按名册顺序）",
        "attendees_text": "参加人员，以“、”分隔",
    },
)
RECORD = DocumentKind(
    "record",
    "学习记录",
    "学习记录.docx",
    {
        **_SESSION,
        "title": "标题，如“党组理论学习中心组学习记录”",
        "title_lines": "标题按自然断句分成的行",
        "recorder": "记录人（系统未记录，为一条手写横线）",
        "expected": "应到人数",
        "attended": "实到人数（出席、迟到、早退）",
        "counts_text": "人数小结，如“应到 9 人，实到 8 人，请假 1 人。”",
        "present": "出席人员姓名列表",
        "present_text": "出席人员，以“、”分隔",
        "absent": "缺席人员列表（成员；列席人员不在其中），每项有 .name（姓名）、"
        ".kind（请假/缺席）、.leave_kind（请假类别，如“因公·出差”，缺席为空）、.reason（原因）",
        "absent_text": "缺席人员及原因，如“王五（请假（因公·出差）：外出调研）、赵六（缺席）”，"
        "无则为“无”",
        "unspoken": "已安排而本场没有发言记录的重点发言人（学习举行后），每项有 .name、.subject、"
        ".line",
        "unspoken_text": "已安排而未发言的重点发言人，以“、”分隔，无则为“无”",
        "late_text": "迟到、早退人员及时间，无则为“无”",
        "materials": "学习材料列表",
        "speeches": "研讨发言列表（按发言顺序），每项有 .order（序号）、.speaker（发言人）、"
        ".title（题目或要点）",
        "minutes": "会议记录，按段落的列表",
        "reflections_text": "已交心得体会的人员，以“、”分隔，无则为“无”",
        "makeups": "补学安排列表，每项有 .name、.reason、.due（完成时限）、.method（方式）、"
        ".state（状态）",
    },
)
BRIEF = DocumentKind(
    "brief",
    "学习简报",
    "学习简报.docx",
    {
        **_SESSION,
        "number": "简报期号：本场简报第一次生成时取“设置 → 单位信息”中的下一期编号（随后加一）"
        "并记下，再次生成仍用该期号；归入档案专卷而从未生成过的简报期号空缺",
        "title": "简报标题，如“党组理论学习中心组开展2026年第三次集体学习”",
        "title_lines": "标题按自然断句分成的行",
        "summary": "概述一段：何时何地、谁主持、学习了什么、出席情况、列席人员",
        "counts_text": "人数小结，如“应到 9 人，实到 8 人，请假 1 人。”",
        "speeches": "研讨发言列表，每项有 .order、.speaker、.title",
        "speakers_text": "发言人，以“、”分隔",
        "editor": "编发单位，如“市科学技术局党组理论学习中心组办公室”",
        "minutes": "会议记录，按段落的列表（简报从中摘取会议的要求）",
        "blank": "一条供手写的横线（会议记录为空时用）",
    },
)
#: The reports are filled by app/reports.py; their templates are made by
#: tools/make_report_templates.py.
QUARTER_REPORT = DocumentKind(
    "quarter_report", "学习情况通报", "学习情况通报.docx", dict(study_report.PLACEHOLDERS)
)
ANNUAL_REPORT = DocumentKind(
    "annual_report",
    "年度学习情况报告",
    "年度学习情况报告.docx",
    dict(study_report.ANNUAL_PLACEHOLDERS),
)

KINDS: dict[str, DocumentKind] = {
    kind.key: kind for kind in (NOTICE, RECORD, BRIEF, QUARTER_REPORT, ANNUAL_REPORT)
}


def kind_of(key: str | DocumentKind) -> DocumentKind:
    if isinstance(key, DocumentKind):
        return key
    try:
        return KINDS[key]
    except KeyError:
        raise TemplateError(f"没有这种文书：{key}。") from None


def bundled_template(kind: str | DocumentKind) -> Path:
    """The template shipped with the app for `kind`."""
    kind = kind_of(kind)
    path = Path(str(resources.files("studyplan.io.documents") / "templates" / kind.file_name))
    if not path.is_file():
        raise TemplateError(f"程序没有附带“{kind.label}”的模板，请在文书模板文件夹中放入一份。")
    return path


def own_template(kind: str | DocumentKind, folder: Path | None) -> Path | None:
    """The unit's own template for `kind` in `folder`, if it put one there."""
    if folder is None:
        return None
    path = Path(folder) / kind_of(kind).file_name
    return path if path.is_file() else None


def template_for(kind: str | DocumentKind, folder: Path | None) -> Path:
    """The template a document of `kind` is rendered from: the unit's own copy in `folder`
    if there is one, else the bundled one."""
    return own_template(kind, folder) or bundled_template(kind)


def _free_name(folder: Path, name: str) -> Path:
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, number = folder / name, 2
    while candidate.exists():
        candidate = folder / f"{stem}({number}){suffix}"
        number += 1
    return candidate


def restore_default(kind: str | DocumentKind, folder: Path) -> Path | None:
    """Use the bundled template for `kind` again: the unit's own copy is moved into
    已替换的模板/ (never deleted); returns where it went, None when there was none."""
    own = own_template(kind, folder)
    if own is None:
        return None
    keep = Path(folder) / REPLACED_FOLDER
    try:
        keep.mkdir(exist_ok=True)
        target = _free_name(keep, own.name)
        own.rename(target)
    except OSError as exc:
        raise ExportFileError(
            f"无法移走单位模板（{exc.strerror or exc}），文件可能正被 Word/WPS 打开：{own}"
        ) from exc
    return target


def readme_text() -> str:
    lines = [
        "文书模板文件夹",
        "",
        "把本单位的模板（如带红头的版本）以下列文件名放在本文件夹中，生成文书时就用它；",
        f"没有时用程序自带的模板。“{DEFAULTS_FOLDER}”文件夹里是自带模板的副本，可复制出来修改。",
        f"在“设置 → 文书模板”中点“恢复默认”，本单位的模板会移到“{REPLACED_FOLDER}”文件夹。",
        "",
        "模板是 Word 文档，用 {{ 名称 }} 标出要填入的内容；列表用",
        "{%p for 项 in 列表 %} … {%p endfor %} 逐段重复，表格行用 {%tr for … %} … {%tr endfor %}。",
        "可用的名称如下；写错名称或写法的模板会被拒绝，并说明是哪一处。",
    ]
    for kind in KINDS.values():
        lines += ["", f"【{kind.label}】文件名：{kind.file_name}"]
        if not kind.placeholders:
            lines.append("  （由该文书的功能提供，见程序说明。）")
        for name, what in kind.placeholders.items():
            lines.append(f"  {name}：{what}")
    return "\n".join(lines) + "\n"


def write_folder_readme(folder: Path) -> Path:
    """Write the README listing each template's placeholders into `folder`."""
    from studyplan.io.files import atomic_write

    folder = Path(folder)
    text = readme_text()
    # With a byte-order mark Windows Notepad of every version reads it as UTF-8.
    return atomic_write(folder / README_NAME, lambda tmp: tmp.write_text("\ufeff" + text, "utf-8"))


def prepare_folder(folder: Path) -> Path:
    """Make the unit's templates folder ready to open: the folder, the README, and a copy
    of each bundled template in 默认模板/, matching this version. A copy someone edited
    there is moved to 已替换的模板/ first, never overwritten."""
    folder = Path(folder)
    try:
        (folder / DEFAULTS_FOLDER).mkdir(parents=True, exist_ok=True)
        for kind in KINDS.values():
            try:
                source = bundled_template(kind)
            except TemplateError:
                continue
            copy = folder / DEFAULTS_FOLDER / kind.file_name
            if copy.is_file() and copy.read_bytes() == source.read_bytes():
                continue
            if copy.exists():
                keep = folder / REPLACED_FOLDER
                keep.mkdir(exist_ok=True)
                copy.rename(_free_name(keep, copy.name))
            shutil.copyfile(source, copy)
    except OSError as exc:
        raise ExportFileError(f"无法准备文书模板文件夹（{exc.strerror or exc}）：{folder}") from exc
    write_folder_readme(folder)
    return folder

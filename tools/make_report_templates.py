"""Make the bundled templates of the two reports: 学习情况通报.docx (a quarter) and
年度学习情况报告.docx (a year), beside the session documents' (tools/make_templates.py, whose
official page and paragraph helpers they use, so the layout rules are one).

Run `python tools/make_report_templates.py` after changing a layout here; the .docx files
are checked in. The placeholders are those of `studyplan.model.study_report.PLACEHOLDERS`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_templates import (  # the folder of this script, put on the path above
    OUT,
    body,
    control,
    finish,
    heading,
    list_table,
    official_document,
    plain,
    signature,
    title,
)

#: Each chart of the annual report with its caption (keys of `study_report.CHARTS`).
CHART_CAPTIONS = (
    ("chart_attendance", "图1 成员出勤率"),
    ("chart_months", "图2 每月学习场次"),
    ("chart_topics", "图3 专题覆盖"),
    ("chart_makeups", "图4 补学补研"),
)


def _otherwise(document: Any, text: str) -> None:
    control(document, "else")
    body(document, text)
    control(document, "endif")


def _report(annual: bool) -> Any:
    document = official_document()
    title(document, "{{ title }}")
    plain(document, "{{ group }}各位成员：")
    body(
        document,
        "现将{{ period }}（{{ period_first }}至{{ period_last }}）{{ group }}学习情况"
        + ("报告" if annual else "通报")
        + "如下。",
    )

    heading(document, "一、集中学习开展情况")
    body(
        document,
        "{{ period }}共举行集中学习{{ sessions_held }}次"
        "{% if sessions_planned %}，另有{{ sessions_planned }}次已列入计划、尚未举行{% endif %}"
        "{% if sessions_cancelled %}，取消{{ sessions_cancelled }}次{% endif %}。"
        "成员应到{{ expected }}人次，实到{{ attended }}人次，出勤率{{ rate }}。",
    )
    control(document, "if held")
    list_table(
        document,
        ["序号", "日期", "学习专题", "形式", "主持人", "实到/应到"],
        [
            "{{ s.number }}",
            "{{ s.date }}",
            "{{ s.topics }}",
            "{{ s.form }}",
            "{{ s.host }}",
            "{{ s.attendance }}",
        ],
        [14, 30, 44, 24, 20, 24],
        "for s in held",
    )
    _otherwise(document, "本期没有举行集中学习。")

    heading(document, "二、专题学习情况")
    heading(document, "（一）本期学习的专题", level=2)
    control(document, "for t in topics_covered")
    body(document, "专题{{ t.number }}　{{ t.title }}（{{ t.dates }}）")
    control(document, "endfor")
    control(document, "if not topics_covered")
    body(document, "本期没有学习计划中的专题。")
    control(document, "endif")
    heading(document, "（二）截至期末尚未学习的专题", level=2)
    control(document, "for t in topics_open")
    body(document, "专题{{ t.number }}　{{ t.title }}（{{ t.dates }}）")
    control(document, "endfor")
    control(document, "if not topics_open")
    body(document, "计划中的专题均已学习。")
    control(document, "endif")

    heading(document, "三、成员出勤情况")
    control(document, "if members")
    list_table(
        document,
        ["序号", "姓名", "应到", "实到", "请假", "缺席", "出勤率", "发言", "心得"],
        [
            "{{ m.number }}",
            "{{ m.name }}",
            "{{ m.expected }}",
            "{{ m.attended }}",
            "{{ m.leave }}",
            "{{ m.absent }}",
            "{{ m.rate }}",
            "{{ m.speeches }}",
            "{{ m.reflections }}",
        ],
        [14, 22, 14, 14, 14, 14, 24, 20, 20],
        "for m in members",
    )
    body(document, "注：{{ rate_note }}")
    _otherwise(document, "本期没有应参加学习的成员。")

    heading(document, "四、请假、缺席和补学情况")
    body(
        document,
        "本期请假申请{{ leave|length }}人次，请假或缺席{{ missed|length }}人次；"
        "批准的请假中因公{{ leave_official }}人次、因私{{ leave_private }}人次"
        "{% if leave_untyped %}、未分类{{ leave_untyped }}人次{% endif %}。"
        "补学任务已完成{{ makeups_done }}项"
        "{% if makeups_done_late %}（其中按期完成{{ makeups_on_time }}项、"
        "逾期完成{{ makeups_done_late }}项）{% endif %}，待完成{{ makeups_pending }}项，"
        "已逾期{{ makeups_overdue }}项。",
    )
    control(document, "if missed")
    list_table(
        document,
        ["序号", "姓名", "日期", "情形", "补学", "完成日期"],
        [
            "{{ r.number }}",
            "{{ r.name }}",
            "{{ r.date }}",
            "{{ r.kind }}",
            "{{ r.makeup }}",
            "{{ r.completed }}",
        ],
        [14, 22, 24, 42, 24, 30],
        "for r in missed",
    )
    control(document, "endif")

    heading(document, "五、研讨发言和心得体会")
    control(document, "if contributions")
    list_table(
        document,
        ["姓名", "研讨发言（日期 题目）", "心得体会（学习日期）"],
        ["{{ c.name }}", "{{ c.speeches }}", "{{ c.reflections }}"],
        [24, 84, 48],
        "for c in contributions",
    )
    _otherwise(document, "本期没有登记研讨发言和心得体会。")

    heading(document, "六、合规检查情况")
    body(document, "{{ compliance_summary }}。")
    control(document, "for f in findings")
    body(document, "{{ f.number }}. {{ f.check }}：{{ f.message }}")
    control(document, "endfor")

    next_number = "七"
    if annual:
        heading(document, "七、统计图表")
        control(document, "if has_charts")
        for name, caption in CHART_CAPTIONS:
            picture = plain(document, f"{{{{ {name} }}}}")
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            label = plain(document, caption)
            label.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _otherwise(document, "统计图表见学习台账“统计分析”工作表。")
        next_number = "八"

    heading(document, f"{next_number}、{{{{ next_period }}}}学习安排")
    control(document, "if next_sessions")
    body(document, "{{ next_period }}安排集中学习{{ next_sessions|length }}次：")
    list_table(
        document,
        ["序号", "日期", "时间", "学习专题", "地点"],
        ["{{ n.number }}", "{{ n.date }}", "{{ n.time }}", "{{ n.topics }}", "{{ n.location }}"],
        [14, 30, 30, 50, 32],
        "for n in next_sessions",
    )
    _otherwise(document, "{{ next_period }}的集中学习尚未安排。")
    plain(document)
    control(document, "if secretary or phone")
    plain(document, "（联系人：{{ secretary }}　联系电话：{{ phone }}）")
    control(document, "endif")
    plain(document)
    signature(document, "{{ unit }}{{ group }}", "{{ date }}")
    return document


def quarter_report() -> Any:
    return _report(annual=False)


def annual_report() -> Any:
    return _report(annual=True)


def catalogue() -> Any:
    """学习档案专卷的卷内目录 (io/archive.py fills it; not a template units replace)."""
    document = official_document()
    title(document, "{{ title }}")
    list_table(
        document,
        ["序号", "文件题名", "日期", "份数", "备注"],
        ["{{ e.number }}", "{{ e.title }}", "{{ e.date }}", "{{ e.copies }}", "{{ e.note }}"],
        [14, 60, 34, 14, 34],
        "for e in entries",
    )
    return document


def plan_topics() -> Any:
    """The plan's topics, for the volume when the imported plan file is not kept."""
    document = official_document()
    title(document, "{{ title }}")
    control(document, "for t in topics")
    heading(document, "专题{{ t.number }}　{{ t.title }}")
    control(document, "if t.description")
    body(document, "{{ t.description }}")
    control(document, "endif")
    control(document, "for r in t.readings")
    body(document, "学习篇目：{{ r }}")
    control(document, "endfor")
    control(document, "endfor")
    control(document, "if not topics")
    body(document, "本年度没有学习计划。")
    control(document, "endif")
    return document


DOCUMENTS = {
    "学习情况通报.docx": quarter_report,
    "年度学习情况报告.docx": annual_report,
    "卷内目录.docx": catalogue,
    "学习计划.docx": plan_topics,
}


def main(folder: Path = OUT) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in DOCUMENTS.items():
        finish(build()).save(str(folder / name))
        print(folder / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)

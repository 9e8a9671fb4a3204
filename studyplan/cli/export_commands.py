"""The export commands: the calendar (.ics), the sign-in sheet, the ledger, a session's
documents, the 三张清单, members' study files, the reports and the archive volume. Each opens
a `Context` and calls the same use case as the window's 导出 menu."""

from __future__ import annotations

import argparse
import os
import sys

from studyplan.cli.arguments import EXIT_OK, UsageError
from studyplan.cli.commands import _attendance, _context, _open


def cmd_export_ics(args: argparse.Namespace) -> int:
    service = _open(args)
    count = service.export_ics(args.out, args.year)
    print(f"已导出 {count} 场学习到 {args.out}")
    return EXIT_OK


def cmd_export_signin(args: argparse.Namespace) -> int:
    from studyplan.gui.signin_print import ensure_gui_app, export_signin

    planning, service = _attendance(args)
    if args.out.suffix.lower() == ".pdf":
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        ensure_gui_app()
    export_signin(planning, service, args.session_id, args.out)
    print(f"已导出签到表：{args.out}")
    return EXIT_OK


def cmd_export_ledger(args: argparse.Namespace) -> int:
    from studyplan.app.ledger import export_ledger

    context = _context(args)
    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(f"台账只能导出为 .xlsx 文件：{args.out}")
    export_ledger(context.db, args.out, args.year, today=context.clock.today())
    scope = f" {args.year} 年" if args.year else "全部年度"
    print(f"已导出{scope}学习台账：{args.out}")
    return EXIT_OK


#: What `export notice|record|brief` writes, as its line names it.
DOCUMENT_LABELS = {"notice": "学习通知", "record": "学习记录", "brief": "学习简报"}


def cmd_export_document(args: argparse.Namespace) -> int:
    """学习通知、学习记录 or 学习简报 of one session, from the unit's template (or
    `--template`)."""
    if args.out.suffix.lower() != ".docx":
        raise UsageError(f"文书只能导出为 .docx 文件：{args.out}")
    if args.template is not None and args.template.suffix.lower() != ".docx":
        raise UsageError(f"模板应是 Word 文档（.docx）：{args.template}")
    context = _context(args)
    context.documents.export(args.what, args.session_id, args.out, template=args.template)
    print(f"已导出{DOCUMENT_LABELS[args.what]}：{args.out}")
    return EXIT_OK


def cmd_export_lists(args: argparse.Namespace) -> int:
    from studyplan.app.lists import export_lists

    context = _context(args)
    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(f"三张清单只能导出为 .xlsx 文件：{args.out}")
    export_lists(context.db, args.out, args.year, today=context.clock.today())
    print(f"已导出 {args.year} 年三张清单：{args.out}")
    return EXIT_OK


def cmd_export_member_file(args: argparse.Namespace) -> int:
    from studyplan.app.lists import export_member_file

    context = _context(args)
    if args.out.suffix.lower() != ".docx":
        raise UsageError(f"个人学习档案只能导出为 .docx 文件：{args.out}")
    export_member_file(
        context.db, args.out, args.year, today=context.clock.today(), member_id=args.member
    )
    print(f"已导出 {args.year} 年个人学习档案：{args.out}")
    return EXIT_OK


def _qt_renderers():
    """The sign-in PDF and the charts, drawn by Qt: a QApplication set up as the window's
    (its CJK font), offscreen where there is no display."""
    from studyplan.gui.app import application
    from studyplan.gui.reports_export import renderers

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        application()
    return renderers()


def cmd_export_report(args: argparse.Namespace) -> int:
    from studyplan.app.reports import ReportService

    if args.out.suffix.lower() != ".docx":
        raise UsageError(f"学习情况报告只能导出为 .docx 文件：{args.out}")
    context = _context(args)
    charts = None
    if args.quarter is None:  # the annual report's charts are drawn by Qt
        charts = _qt_renderers().charts
    if args.template is not None and args.template.suffix.lower() != ".docx":
        raise UsageError(f"模板应是 Word 文档（.docx）：{args.template}")
    service = ReportService(context.db, clock=context.clock)
    service.export_report(
        args.year,
        args.quarter,
        args.out,
        template=args.template,
        folder=context.templates_folder,
        charts=charts,
    )
    what = "年度学习情况报告" if args.quarter is None else f"第 {args.quarter} 季度学习情况通报"
    print(f"已导出 {args.year} 年{what}：{args.out}")
    return EXIT_OK


def cmd_export_archive(args: argparse.Namespace) -> int:
    from studyplan.app.archive import export_archive

    context = _context(args)
    export_archive(context, args.year, args.out, renderers=_qt_renderers())
    print(f"已导出 {args.year} 年度学习档案专卷：{args.out}")
    return EXIT_OK

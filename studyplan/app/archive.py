"""学习档案专卷: a year's record as the volume an inspector reads — a folder, or a .zip.

In archive order, each file numbered: the plan, the ledger, then for each held session its
notice, sign-in sheet, record, brief and attached files, then the quarterly reports and the
annual report; beside them the 卷内目录 (.docx and .xlsx) and SHA256SUMS.txt.

The volume is built in a hidden folder beside the target and renamed into place only when
complete: a cancel (a `threading.Event`) or an error leaves nothing behind, and an earlier
volume of the same name is never half-replaced. The sign-in PDF and the charts are drawn by
Qt, which app/ does not import; the caller hands in `Renderers` (gui/ has them). Without a
PDF renderer the sign-in sheet goes in as .xlsx; without a chart renderer the annual report
has no pictures.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from studyplan.app.context import Context
from studyplan.app.reports import ChartRenderer, ReportService
from studyplan.app.signin import build_signin_sheet
from studyplan.io import archive as volume
from studyplan.io.files import check_write_target, write_failure
from studyplan.io.signin import SignInSheet, write_signin_xlsx
from studyplan.model.errors import ExportCancelled, ExportFileError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.years import QUARTER_NAMES, check_year, quarter_end, quarter_start

#: Inside the folder being built: the annual report's chart pictures, until it is rendered.
CHARTS_FOLDER = ".charts"

#: ExportCancelled is the one every export raises (gui/exporting tells a cancel by it).
__all__ = ["ExportCancelled", "Renderers", "export_archive", "is_zip"]

#: Writes a sign-in sheet as a PDF at the path given.
SigninRenderer = Callable[[SignInSheet, Path], object]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Renderers:
    """What only the window's toolkit draws, handed in from gui/ (see the module's note)."""

    signin_pdf: SigninRenderer | None = None
    charts: ChartRenderer | None = None


@dataclass
class _Item:
    """A file to write into the volume, and how its catalogue line reads."""

    title: str
    date: dt.date
    suffix: str
    write: Callable[[Path], object]
    note: str = ""
    copies: int = 1


@dataclass(frozen=True)
class _Aside:
    """What is left of a file once the record was read: rendering a Word document (plain
    Python, no database, no Qt), done in a second thread while this one draws the sign-in
    sheets (Qt lays them out in C++, without Python's lock) — the volume's two heaviest
    parts share the cores. Qt stays in the calling thread, which has its event loop."""

    finish: Callable[[], object]


@dataclass
class _Volume:
    items: list[_Item] = field(default_factory=list)

    def add(
        self,
        title: str,
        date: dt.date,
        suffix: str,
        write: Callable[[Path], object],
        note: str = "",
    ) -> None:
        self.items.append(_Item(title, date, suffix, write, note))


def is_zip(out: str | Path) -> bool:
    return Path(out).suffix.lower() == ".zip"


def export_archive(
    context: Context,
    year: int,
    out: str | Path,
    *,
    renderers: Renderers | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write the volume of `year` to `out` (a new or empty folder, or a file ending .zip);
    returns `out`. ExportCancelled when `cancel` is set; nothing is left either way."""
    check_year(year)
    out = Path(out)
    today = today or context.clock.today()
    renderers = renderers or Renderers()
    _check_target(out)
    plan = _plan(context, year, today, renderers)
    total = len(plan.items) + 2 + (1 if is_zip(out) else 0)
    tick = progress or (lambda done, total: None)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=parent))
    except OSError as exc:
        raise write_failure(exc, out) from exc
    try:
        names = _write(plan, work, year, context, cancel, tick, total)
        if is_zip(out):
            tick(total - 1, total)
            _stop_if(cancel)
            packed = work.with_name(work.name + ".zip")
            try:
                volume.zip_folder(work, names, packed, out.stem)
                _stop_if(cancel)
                os.replace(packed, out)
            finally:
                with contextlib.suppress(OSError):
                    packed.unlink()
            shutil.rmtree(work, ignore_errors=True)
        else:
            _stop_if(cancel)
            with contextlib.suppress(FileNotFoundError):
                out.rmdir()  # an empty folder the user chose
            os.replace(work, out)
            os.chmod(out, 0o755 & ~_umask())
        tick(total, total)
        return out
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise write_failure(exc, out) from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stop_if(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ExportCancelled("已取消导出学习档案专卷，没有留下任何文件。")


def _check_target(out: Path) -> None:
    """A .zip goes where any file may; a folder must be new or empty."""
    if is_zip(out):
        check_write_target(out)
        return
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ExportFileError(f"保存位置不存在：{parent}")
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise ExportFileError(f"已有同名文件，请换一个文件夹名：{out}")
        if any(out.iterdir()):
            raise ExportFileError(f"文件夹不是空的，请选择新文件夹或空文件夹：{out}")


def _write(
    plan: _Volume,
    work: Path,
    year: int,
    context: Context,
    cancel: threading.Event | None,
    tick: Progress,
    total: int,
) -> list[str]:
    """Write every file into `work`; returns the names in volume order (the manifest's).
    The database is read only in this thread (a connection belongs to its thread)."""
    entries: list[volume.CatalogueEntry] = []
    names: list[str] = []
    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-documents")
    pending: list[Future[object]] = []
    try:
        for number, item in enumerate(plan.items, start=1):
            _stop_if(cancel)
            tick(number - 1, total)
            name = volume.file_name(number, item.title, item.suffix)
            rest = item.write(work / name)
            if isinstance(rest, _Aside):
                pending.append(side.submit(rest.finish))
            names.append(name)
            entries.append(
                volume.CatalogueEntry(
                    number, item.title, f"{item.date:%Y-%m-%d}", name, item.copies, item.note
                )
            )
        for future in pending:
            _stop_if(cancel)
            future.result()  # its error, if it had one
    finally:
        side.shutdown(wait=True, cancel_futures=True)
    shutil.rmtree(work / CHARTS_FOLDER, ignore_errors=True)
    _stop_if(cancel)
    tick(len(plan.items), total)
    unit = context.unit.unit_name(year)
    title = f"{unit}{year}年度学习档案专卷卷内目录"
    catalogue = [volume.CATALOGUE_STEM + ".docx", volume.CATALOGUE_STEM + ".xlsx"]
    volume.write_catalogue_docx(title, entries, work / catalogue[0])
    volume.write_catalogue_xlsx(title, entries, work / catalogue[1])
    _stop_if(cancel)
    tick(len(plan.items) + 1, total)
    names = catalogue + names
    volume.write_manifest(work, names)
    return [*names, volume.MANIFEST_NAME]


# -- what goes in ------------------------------------------------------------------------
def _plan(context: Context, year: int, today: dt.date, renderers: Renderers) -> _Volume:
    """The files of the volume in archive order, each with the function that writes it."""
    from studyplan.app.ledger import export_ledger

    plan = _Volume()
    unit = context.unit.unit_name(year)
    group = context.unit.details().group
    topics = context.planning.topics(year)
    plan_title = context.planning.plan_title(year) or f"{unit}{year}年{group}学习计划"
    plan.add(
        plan_title,
        dt.date(year, 1, 1),
        ".docx",
        lambda path: volume.write_plan_docx(plan_title, topics, path),
        "据系统中的学习计划生成",
    )
    plan.add(
        f"{year}年度学习台账",
        today,
        ".xlsx",
        lambda path: export_ledger(context.db, path, year, today=today),
        "六个工作表",
    )
    sessions = [s for s in context.planning.sessions(year) if s.status is SessionStatus.HELD]
    for session in sessions:
        _session_files(plan, context, session, renderers)
    reports = ReportService(context.db, clock=context.clock)
    for quarter in range(1, 5):
        if quarter_start(year, quarter) > today:
            break
        plan.add(
            f"{year}年{QUARTER_NAMES[quarter - 1]}学习情况通报",
            min(today, quarter_end(year, quarter)),
            ".docx",
            _report_writer(reports, year, quarter, today, None, context.templates_folder),
        )
    plan.add(
        f"{year}年度学习情况报告",
        min(today, dt.date(year, 12, 31)),
        ".docx",
        _report_writer(reports, year, None, today, renderers.charts, context.templates_folder),
    )
    return plan


def _report_writer(
    reports: ReportService,
    year: int,
    quarter: int | None,
    today: dt.date,
    charts: ChartRenderer | None,
    folder: Path,
) -> Callable[[Path], _Aside]:
    """Read (and draw the charts) here; render beside, as the session documents are."""

    def write(path: Path) -> _Aside:
        pictures = path.parent / CHARTS_FOLDER
        pictures.mkdir(exist_ok=True)
        job = reports.prepare(year, quarter, pictures, folder=folder, charts=charts, today=today)
        return _Aside(lambda: job.render(path))

    return write


def _session_files(plan: _Volume, context: Context, session: Session, renderers: Renderers) -> None:
    """A held session's notice, sign-in sheet, record, brief and attached files."""
    assert session.id is not None
    session_id, day = session.id, session.date
    stem = f"{day:%Y-%m-%d}"
    plan.add(f"{stem} 学习通知", day, ".docx", _document_writer(context, "notice", session_id))

    def signin(path: Path) -> None:
        sheet = build_signin_sheet(context.planning, context.attendance, session_id)
        if renderers.signin_pdf is not None:
            renderers.signin_pdf(sheet, path)
        else:
            write_signin_xlsx(sheet, path)

    suffix = ".pdf" if renderers.signin_pdf is not None else ".xlsx"
    plan.add(f"{stem} 学习签到表", day, suffix, signin, "空白表；签名件见附件")
    plan.add(f"{stem} 学习记录", day, ".docx", _document_writer(context, "record", session_id))
    issued = context.documents.issued_brief_number(session_id)
    plan.add(
        f"{stem} 学习简报" + (f"第{issued}期" if issued is not None else ""),
        day,
        ".docx",
        _document_writer(context, "brief", session_id),
        # A brief is numbered when it is issued (first exported); one never issued is
        # filed without a number rather than with one that belongs to a later brief.
        "" if issued is not None else "未印发，期号空缺",
    )
    for attachment in context.records.attachments(session_id):
        source = context.records.attachment_path(attachment)
        title = f"{stem} 附件 {Path(attachment.file_name).stem}"
        suffix = Path(attachment.file_name).suffix

        def copy(path: Path, source: Path = source, name: str = attachment.file_name) -> None:
            try:
                shutil.copyfile(source, path)
            except FileNotFoundError as exc:
                raise ValidationError(
                    f"档案文件夹中找不到附件“{name}”，请在学习记录中检查后再导出。"
                ) from exc
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    raise
                raise ExportFileError(f"无法读取附件“{name}”（{exc.strerror or exc}）。") from exc

        plan.add(
            title, attachment.added_at.date(), suffix, copy, f"SHA-256 {attachment.short_hash}"
        )


def _document_writer(context: Context, kind: str, session_id: int) -> Callable[[Path], _Aside]:
    """The session document `kind` (notice, record, brief) from the unit's template.

    Rendered here rather than through `DocumentService.export`: filing a volume issues no
    new brief, so no number is taken: a brief shows the number it was issued with, and one
    never issued shows none (the 卷内目录 says so)."""

    def write(path: Path) -> _Aside:
        from studyplan.io.documents.render import render_docx
        from studyplan.io.documents.templates import template_for

        values = context.documents.context(kind, session_id, filing=True)
        template = template_for(kind, context.templates_folder)
        return _Aside(lambda: render_docx(template, values, path))

    return write

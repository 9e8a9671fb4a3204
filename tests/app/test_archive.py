"""学习档案专卷: every file listed in its 卷内目录, the manifest's hashes true, nothing left
behind on a cancel or an error."""

from __future__ import annotations

import hashlib
import threading
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from studyplan.app.archive import ExportCancelled, Renderers, export_archive
from studyplan.io.archive import CATALOGUE_STEM, MANIFEST_NAME
from studyplan.model.errors import ExportFileError, StudyplanError
from studyplan.model.plan import SessionStatus
from tests.documents_demo import TODAY, all_text, build, open_copy


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def context(built, tmp_path):
    opened = open_copy(built, tmp_path / "data")
    yield opened
    opened.close()


def _catalogue(folder: Path) -> list[tuple]:
    sheet = load_workbook(folder / f"{CATALOGUE_STEM}.xlsx").active
    return [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] is not None]


def _manifest(folder: Path) -> dict[str, str]:
    lines = (folder / MANIFEST_NAME).read_text("utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def _check_volume(folder: Path) -> list[str]:
    """Every file of the volume is in the catalogue (by its number) and in the manifest,
    with the hash of its bytes; returns the names."""
    names = sorted(p.name for p in folder.iterdir())
    rows = _catalogue(folder)
    listed = {f"{row[0]:03d}-" for row in rows}
    numbered = [n for n in names if not n.startswith("000-") and n != MANIFEST_NAME]
    assert {n[:4] for n in numbered} == listed
    assert len(numbered) == len(rows)
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    for row, name in zip(rows, numbered, strict=True):
        assert name.startswith(f"{row[0]:03d}-")
        assert row[3] == 1 and row[2]  # 份数, 日期
    manifest = _manifest(folder)
    assert set(manifest) == set(names) - {MANIFEST_NAME}
    for name, digest in manifest.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    return names


def test_the_volume_of_a_demo_year(context, tmp_path):
    source = tmp_path / "签到表扫描.pdf"
    source.write_bytes(b"%PDF-1.4 signed sheet\n")
    session = next(s for s in context.planning.sessions(2025) if s.status is SessionStatus.HELD)
    attachment = context.records.attach_file(session.id, source)

    seen: list[tuple[int, int]] = []
    out = export_archive(
        context, 2025, tmp_path / "专卷", today=TODAY, progress=lambda d, t: seen.append((d, t))
    )
    names = _check_volume(out)
    held = [s for s in context.planning.sessions(2025) if s.status is SessionStatus.HELD]
    assert len([n for n in names if n.endswith("学习通知.docx")]) == len(held)
    assert len([n for n in names if n.endswith("学习签到表.xlsx")]) == len(held)  # no PDF here
    assert len([n for n in names if n.endswith("学习情况通报.docx")]) == 4
    assert names[-2].endswith("2025年度学习情况报告.docx")
    assert names[2].startswith("001-") and names[2].endswith("学习计划.docx")
    assert names[3] == "002-2025年度学习台账.xlsx"
    copied = [n for n in names if "附件 签到表扫描" in n]
    assert len(copied) == 1 and copied[0].endswith(".pdf")
    assert hashlib.sha256((out / copied[0]).read_bytes()).hexdigest() == attachment.sha256
    # In archive order: the session's notice, sheet, record and brief, then its attachment
    first = [n[4:] for n in names if session.date.isoformat() in n]
    assert [n.split(" ", 1)[1] for n in first] == [
        "学习通知.docx",
        "学习签到表.xlsx",
        "学习记录.docx",
        "学习简报.docx",
        "附件 签到表扫描.pdf",
    ]
    assert "2025年度学习档案专卷卷内目录" in all_text(out / f"{CATALOGUE_STEM}.docx")
    assert len(Document(str(out / f"{CATALOGUE_STEM}.docx")).tables[0].rows) == len(names) - 2
    assert seen[-1][0] == seen[-1][1] and all(d <= t for d, t in seen)
    # Filing a volume issues no brief: the next number in 设置 is unchanged
    assert context.unit.next_brief_number() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "专卷", "签到表扫描.pdf"]


def test_a_zip_holds_the_same_volume(context, tmp_path):
    pdfs: list[Path] = []

    def signin_pdf(sheet, path: Path) -> None:
        path.write_bytes(b"%PDF-1.4 " + sheet.date_text.encode() + b"\n")
        pdfs.append(path)

    out = export_archive(
        context,
        2025,
        tmp_path / "2025年度学习档案专卷.zip",
        renderers=Renderers(signin_pdf=signin_pdf),
        today=TODAY,
    )
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "unpacked")
        assert all(n.startswith("2025年度学习档案专卷/") for n in archive.namelist())
    names = _check_volume(tmp_path / "unpacked" / "2025年度学习档案专卷")
    assert len([n for n in names if n.endswith("学习签到表.pdf")]) == len(pdfs) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2025年度学习档案专卷.zip",
        "data",
        "unpacked",
    ]


@pytest.mark.parametrize("stop_at", [0, 5, -1])
def test_cancel_leaves_nothing(context, tmp_path, stop_at):
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == (stop_at if stop_at >= 0 else total - 1):
            cancel.set()

    for out in (tmp_path / "专卷", tmp_path / "专卷.zip"):
        cancel.clear()
        with pytest.raises(ExportCancelled, match="已取消"):
            export_archive(context, 2025, out, progress=progress, cancel=cancel, today=TODAY)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_an_error_leaves_nothing_and_an_earlier_volume_stands(context, tmp_path):
    earlier = tmp_path / "专卷.zip"
    earlier.write_bytes(b"the earlier volume")

    def broken(sheet, path: Path) -> None:
        path.write_bytes(b"half")
        raise StudyplanError("签到表无法生成。")

    with pytest.raises(StudyplanError, match="签到表无法生成"):
        export_archive(context, 2025, earlier, renderers=Renderers(signin_pdf=broken), today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "专卷.zip"]
    assert earlier.read_bytes() == b"the earlier volume"


def test_a_folder_that_is_not_empty_is_refused(context, tmp_path):
    full = tmp_path / "专卷"
    full.mkdir()
    (full / "别的文件.txt").write_text("x")
    with pytest.raises(ExportFileError, match="不是空的"):
        export_archive(context, 2025, full, today=TODAY)
    assert [p.name for p in full.iterdir()] == ["别的文件.txt"]
    with pytest.raises(ExportFileError, match="保存位置不存在"):
        export_archive(context, 2025, tmp_path / "无" / "专卷", today=TODAY)
    empty = tmp_path / "空"
    empty.mkdir()
    assert export_archive(context, 2025, empty, today=TODAY) == empty
    _check_volume(empty)


def test_a_broken_unit_template_stops_the_volume_with_its_sentence(context, tmp_path):
    folder = context.templates_folder
    folder.mkdir(parents=True, exist_ok=True)
    broken = Document()
    broken.add_paragraph("{{ 没有这个名称 }}")
    broken.save(str(folder / "学习记录.docx"))
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(StudyplanError, match=r"学习记录\.docx"):
        export_archive(context, 2025, tmp_path / "专卷.zip", today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_units_own_report_template_goes_into_the_volume(context, tmp_path):
    folder = context.templates_folder
    folder.mkdir(parents=True, exist_ok=True)
    own = Document()
    own.add_paragraph("本单位红头 {{ title }}")
    own.save(str(folder / "学习情况通报.docx"))
    out = export_archive(context, 2025, tmp_path / "专卷", today=TODAY)
    first = next(out.glob("*2025年一季度学习情况通报.docx"))
    assert all_text(first).startswith("本单位红头 ")
    annual = next(out.glob("*2025年度学习情况报告.docx"))
    assert "本单位红头" not in all_text(annual)

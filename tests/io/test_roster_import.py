"""Reading messy roster spreadsheets, and importing them into the members table."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from studyplan.app.changes import do
from studyplan.app.roster import RosterService
from studyplan.io.roster_import import SAMPLE_MEMBERS, cell_text, read_roster, write_sample_roster
from studyplan.io.roster_import import limits as roster_limits
from studyplan.model.errors import ImportFileError

DATA = Path(__file__).resolve().parents[2] / "data"
TODAY = dt.date(2026, 3, 1)


def write_xlsx(path: Path, rows: list[list], *, text_cells: tuple[str, ...] = ()) -> Path:
    """Write `rows` to the first sheet; `text_cells` (e.g. "B5") are forced to text type."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for ref in text_cells:
        sheet[ref].data_type = "s"
    workbook.save(path)
    return path


def messy_roster(path: Path) -> Path:
    """Title rows, columns out of order, aliases, blank rows, odd spaces and a formula."""
    return write_xlsx(
        path,
        [
            ["市科学技术局理论学习中心组成员名单"],
            ["（2026年3月更新）"],
            [],
            ["处室", "姓 名", "序号", "职位"],
            ["局领导", "王建国", 1.0, "局党组书记、局长"],
            [None, None, None, None],
            ["办公室", "赵　磊", 2, "主任"],
            ["办公室", "张伟", 3, "副主任"],
            ["人事处", "张伟", 4, "处长"],  # same name, another person
            ["办公室", "张 伟", 5, "副主任"],  # the row above it, again
            ["人事处", "=1+1", 6, "科员"],  # looks like a formula, is text
            ["人事处", None, 7, "科员"],  # no name
            [],
            ["政策法规处", "欧阳 明 华", 8, "处长"],
        ],
        text_cells=("B11",),
    )


@pytest.fixture
def roster(db) -> RosterService:
    return RosterService(db)


def member_rows(db) -> list[tuple]:
    return list(db.execute("SELECT * FROM members ORDER BY id"))


# -- reading -----------------------------------------------------------------------------


def test_cell_text():
    assert cell_text(3.0) == "3"
    assert cell_text(3.5) == "3.5"
    assert cell_text(12) == "12"
    assert cell_text(None) == ""
    assert cell_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text(dt.date(2024, 5, 1)) == "2024-05-01"
    assert cell_text("  处长 ") == "处长"


def test_read_messy_roster(tmp_path):
    sheet = read_roster(messy_roster(tmp_path / "名单.xlsx"))
    assert sheet.header_row == 4
    assert sheet.columns == {"department": 0, "name": 1, "number": 2, "position": 3}
    assert [(r.row, r.name, r.number) for r in sheet.rows] == [
        (5, "王建国", "1"),
        (7, "赵　磊", "2"),
        (8, "张伟", "3"),
        (9, "张伟", "4"),
        (10, "张 伟", "5"),
        (11, "=1+1", "6"),
        (12, "", "7"),
        (14, "欧阳 明 华", "8"),
    ]
    assert sheet.rows[0].department == "局领导"
    assert sheet.rows[0].position == "局党组书记、局长"


def test_header_on_a_later_sheet_is_found(tmp_path):
    path = tmp_path / "two.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["说明：本表由办公室维护"])
    other = workbook.create_sheet("名单")
    other.append(["姓名", "职务"])
    other.append(["王建国", "局长"])
    workbook.save(path)
    sheet = read_roster(path)
    assert sheet.sheet_name == "名单"
    assert [r.name for r in sheet.rows] == ["王建国"]
    assert not sheet.has_number


def test_sample_roster_in_data_folder_reads():
    path = DATA / "roster-sample.xlsx"
    assert path.exists()
    sheet = read_roster(path)
    assert len(sheet.rows) == 14 == len(SAMPLE_MEMBERS)
    assert sheet.rows[0].role == "组长"
    assert sheet.rows[-1].role == "学习秘书"


def test_write_sample_roster(tmp_path, roster):
    path = write_sample_roster(tmp_path / "sample.xlsx")
    report = roster.import_roster(path, today=TODAY)
    assert len(report.added) == 14
    members = roster.list_members()
    assert members[0].name == "王建国" and members[0].role == "组长"
    assert "赵磊" in [m.name for m in members]


# -- importing ---------------------------------------------------------------------------


def test_import_messy_roster(roster, tmp_path):
    report = roster.import_roster(messy_roster(tmp_path / "名单.xlsx"), today=TODAY)
    assert [(line.row, line.name) for line in report.added] == [
        (5, "王建国"),
        (7, "赵磊"),
        (8, "张伟"),
        (9, "张伟"),
        (11, "=1+1"),
        (14, "欧阳明华"),
    ]
    assert [(line.row, line.reason) for line in report.skipped] == [
        (10, "与第8行重复"),
        (12, "姓名为空"),
    ]
    assert report.updated == [] and report.not_in_file == []
    assert report.summary.startswith("新增 6 人，更新 0 人")
    members = roster.list_members()
    assert [(m.name, m.rank) for m in members][:2] == [("王建国", 1), ("赵磊", 2)]
    assert [m.department for m in members if m.name == "张伟"] == ["办公室", "人事处"]
    assert all(m.role == "成员" for m in members)
    # first import into an empty roster: everyone is expected at earlier sessions too
    assert all(m.active_from is None for m in members)


def test_reimport_updates_matching_members(roster, tmp_path):
    roster.import_roster(messy_roster(tmp_path / "v1.xlsx"), today=TODAY)
    before = {m.id for m in roster.list_members()}
    path = write_xlsx(
        tmp_path / "v2.xlsx",
        [
            ["序号", "姓名", "职务", "部门", "角色"],
            [1, "王建国", "局党组书记、局长", "局领导", "组长"],  # role now given
            [3, "张伟", "主任", "办公室", None],  # promoted: same department
            [4, "张伟", "处长", "人事处", None],  # unchanged
            [9, "赵磊", "科员", "综合处", None],  # another 赵磊: neither matches
            [10, "孙丽华", "一级调研员", "局领导", None],
        ],
    )
    report = roster.import_roster(path, today=TODAY)
    assert [(line.name, line.reason) for line in report.updated] == [
        ("王建国", "角色：成员→组长"),
        ("张伟", "职务：副主任→主任"),
    ]
    assert [(line.row, line.name) for line in report.unchanged] == [(4, "张伟")]
    assert [line.name for line in report.added] == ["赵磊", "孙丽华"]
    assert "与现有成员赵磊（主任，办公室，成员）同名" in report.added[0].reason
    assert "同名而职务、部门不同，已按另一人新增" in report.added[0].reason
    assert "同名" not in report.added[1].reason
    assert [m.name for m in report.not_in_file] == ["赵磊", "=1+1", "欧阳明华"]
    after = roster.list_members()
    assert before <= {m.id for m in after}
    newcomer = next(m for m in after if m.name == "孙丽华")
    assert newcomer.active_from == TODAY  # later imports do not rewrite past turnout


def test_reimport_same_file_changes_nothing(roster, tmp_path):
    path = messy_roster(tmp_path / "名单.xlsx")
    roster.import_roster(path, today=TODAY)
    before = member_rows(roster.db)
    report = roster.import_roster(path, today=TODAY)
    assert report.added == [] and report.updated == []
    assert len(report.unchanged) == 6
    assert member_rows(roster.db) == before


def corrupt_member_xlsx(path: Path) -> Path:
    """A real .xlsx whose worksheet entry is damaged inside the zip."""
    good = write_xlsx(path.with_name("good.xlsx"), [["姓名"], ["王建国"]])
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='inlineStr'>"
            target.writestr(info, data)
    return path


def encrypted_like(path: Path) -> Path:
    """The shape of a password-protected workbook: an OLE file with an EncryptionInfo stream."""
    body = bytearray(4096)
    body[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    mark = "EncryptionInfo".encode("utf-16-le")
    body[1024 : 1024 + len(mark)] = mark
    path.write_bytes(bytes(body))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "找不到文件"),
        (lambda p: (p.write_bytes(b""), p)[1], "文件是空的"),
        (lambda p: (p.write_bytes(os.urandom(2048)), p)[1], "不是 Excel 工作簿"),
        (lambda p: (p.write_bytes(b"PK\x03\x04" + os.urandom(500)), p)[1], "已损坏"),
        (encrypted_like, "设有打开密码"),
        (lambda p: (p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), p)[1], ".xls"),
        (lambda p: write_xlsx(p, [["名单"], ["职务", "部门"], ["局长", "局领导"]]), "姓名"),
        (corrupt_member_xlsx, "损坏"),
    ],
    ids=["missing", "empty", "random", "broken-zip", "encrypted", "xls", "no-name", "bad-member"],
)
def test_bad_files_change_nothing(roster, tmp_path, make, message):
    roster.add_member("王建国", "局长")
    before = member_rows(roster.db)
    path = make(tmp_path / "名单.xlsx")
    with pytest.raises(ImportFileError, match=message) as caught:
        roster.import_roster(path, today=TODAY)
    text = str(caught.value)
    assert "Traceback" not in text and text.count("。") <= 1
    assert member_rows(roster.db) == before


def test_folder_and_oversized_file_refused(tmp_path, monkeypatch):
    with pytest.raises(ImportFileError, match="文件夹"):
        read_roster(tmp_path)
    path = write_xlsx(tmp_path / "big.xlsx", [["姓名"], ["王建国"]])
    monkeypatch.setattr(roster_limits, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFileError, match="50 MB"):
        read_roster(path)


def test_failure_while_writing_rolls_back(roster, tmp_path, monkeypatch):
    from studyplan.app import roster as roster_module

    roster.add_member("王建国", "局长")
    before = member_rows(roster.db)
    real_insert = roster_module.members_store.insert
    calls = []

    def flaky(db, member):
        calls.append(member.name)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_insert(db, member)

    monkeypatch.setattr(roster_module.members_store, "insert", flaky)
    with pytest.raises(RuntimeError):
        roster.import_roster(messy_roster(tmp_path / "名单.xlsx"), today=TODAY)
    assert member_rows(roster.db) == before


# -- merged cells and cells that are not names -------------------------------------------


def merged_roster(path: Path) -> Path:
    """A roster as offices lay them out: a merged title, 部门 written once beside the people
    in it, a 角色 merged over two rows, and one person whose 姓名 spans two rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["市科学技术局理论学习中心组成员名单"])
    sheet.append(["序号", "姓名", "职务", "部门", "角色"])
    sheet.append([1, "王建国", "局长", "局领导", "组长"])
    sheet.append([2, "李红梅", "副局长", None, "副组长"])
    sheet.append([3, "张志强", "副局长", None, None])
    sheet.append([4, "周文斌", "主任", "办公室", "成员"])
    sheet.append([])  # a blank separator inside the merged 部门 stays blank
    sheet.append([5, "吴晓燕", "处长", "政策法规处", None])
    sheet.append([None, None, "一级调研员", None, None])  # 吴晓燕's second line
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("D3:D5")  # 局领导 for rows 3-5
    sheet.merge_cells("E4:E5")  # both 副组长
    sheet.merge_cells("D6:D7")
    sheet.merge_cells("B8:B9")  # 吴晓燕 over two rows
    sheet.merge_cells("A8:A9")
    workbook.save(path)
    return path


def test_merged_cells_spread_over_the_rows_they_cover(tmp_path):
    sheet = read_roster(merged_roster(tmp_path / "合并.xlsx"))
    assert sheet.header_row == 2
    rows = [(r.row, r.name, r.position, r.department, r.role) for r in sheet.rows]
    assert rows == [
        (3, "王建国", "局长", "局领导", "组长"),
        (4, "李红梅", "副局长", "局领导", "副组长"),
        (5, "张志强", "副局长", "局领导", "副组长"),
        (6, "周文斌", "主任", "办公室", "成员"),
        (8, "吴晓燕", "处长、一级调研员", "政策法规处", ""),
    ]


def test_import_keeps_the_department_of_everyone_under_a_merged_cell(roster, tmp_path):
    path = tmp_path / "部门合并.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "职务", "角色", "部门"])
    for name in ("王建国", "李红梅", "张志强"):
        sheet.append([name, "局领导班子成员", "成员", "局领导" if name == "王建国" else None])
    sheet.merge_cells("D2:D4")
    workbook.save(path)
    report = roster.import_roster(path, today=TODAY)
    assert len(report.added) == 3 and report.skipped == []
    assert [(m.name, m.department) for m in roster.list_members()] == [
        ("王建国", "局领导"),
        ("李红梅", "局领导"),
        ("张志强", "局领导"),
    ]


def test_merged_header_is_not_spread_into_the_data(tmp_path):
    path = tmp_path / "表头合并.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "部门"])
    sheet.append(["王建国", None])
    sheet.merge_cells("B1:B2")  # a header drawn two rows tall
    workbook.save(path)
    assert [(r.name, r.department) for r in read_roster(path).rows] == [("王建国", "")]


def test_a_sheet_full_of_merged_cells_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "满是合并.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "部门"])
    for row in range(2, 8):
        sheet.append(["王建国", "局领导"])
        sheet.merge_cells(f"C{row}:D{row}")
    workbook.save(path)
    monkeypatch.setattr(roster_limits, "MAX_MERGED_RANGES", 5)
    with pytest.raises(ImportFileError, match="合并单元格超过 5 个"):
        read_roster(path)


def test_names_that_are_numbers_or_booleans_are_skipped_and_reported(roster, tmp_path):
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [
            ["姓名", "职务"],
            ["王建国", "局长"],
            [123, "科员"],
            [1.5, "科员"],
            [True, "科员"],
            [dt.datetime(2024, 5, 1), "科员"],
            ["456", "科员"],  # typed as text: a (strange) name, kept
        ],
        text_cells=("A7",),
    )
    sheet = read_roster(path)
    assert [(r.name, r.name_kind) for r in sheet.rows] == [
        ("王建国", ""),
        ("123", "number"),
        ("1.5", "number"),
        ("TRUE", "boolean"),
        ("2024-05-01", "date"),
        ("456", ""),
    ]
    report = roster.import_roster(path, today=TODAY)
    assert [line.name for line in report.added] == ["王建国", "456"]
    assert [(line.row, line.name, line.reason) for line in report.skipped] == [
        (3, "123", "姓名是数字，不是文字"),
        (4, "1.5", "姓名是数字，不是文字"),
        (5, "TRUE", "姓名是逻辑值（TRUE/FALSE），不是文字"),
        (6, "2024-05-01", "姓名是日期，不是文字"),
    ]
    assert [m.name for m in roster.list_members()] == ["王建国", "456"]


def test_members_missing_from_a_numbered_file_follow_those_it_lists(roster, tmp_path):
    """No two members share a 序号 after an import: the file's numbers stand, the members it
    does not list keep their order after them, and undo gives their places back."""
    for name in ("甲", "乙", "丙", "丁"):
        roster.add_member(name, "科员")
    path = write_xlsx(
        tmp_path / "新名单.xlsx",
        [["序号", "姓名", "职务"], [1, "戊", "局长"], [2, "甲", "科员"], [3, "乙", "科员"]],
    )
    change = do(roster.import_roster, path, today=TODAY)
    members = roster.list_members()
    assert [(m.name, m.rank) for m in members] == [
        ("戊", 1),
        ("甲", 2),
        ("乙", 3),
        ("丙", 4),
        ("丁", 5),
    ]
    change.undo()
    assert [(m.name, m.rank) for m in roster.list_members()] == [
        ("甲", 1),
        ("乙", 2),
        ("丙", 3),
        ("丁", 4),
    ]


def test_a_new_namesake_listed_above_the_matched_one_is_not_flagged(roster, tmp_path):
    roster.import_roster(
        write_xlsx(tmp_path / "v1.xlsx", [["姓名", "职务", "部门"], ["张伟", "科长", "办公室"]]),
        today=TODAY,
    )
    report = roster.import_roster(
        write_xlsx(
            tmp_path / "v2.xlsx",
            [["姓名", "职务", "部门"], ["张伟", "科员", "人事处"], ["张伟", "科长", "办公室"]],
        ),
        today=TODAY,
    )
    [added] = report.added
    assert added.name == "张伟" and not added.namesake and "同名" not in added.reason


# -- old Excel files and files that are not spreadsheets ----------------------------------
TEST_DATA = Path(__file__).resolve().parents[1] / "data"


def test_an_old_xls_roster_is_read_like_an_xlsx() -> None:
    """Saved by LibreOffice as Excel 97–2003, with a merged title and a merged 部门 cell."""
    sheet = read_roster(TEST_DATA / "roster-old.xls")
    assert sheet.sheet_name == "成员名单"
    assert [(r.number, r.name, r.position, r.department) for r in sheet.rows] == [
        ("1", "王建国", "局长", "局领导"),
        ("2", "李红梅", "副局长", "局领导"),
        ("3", "欧阳明", "办公室主任", "办公室"),
    ]


def test_an_xls_roster_imports_into_the_roster(roster) -> None:
    report = roster.import_roster(TEST_DATA / "roster-old.xls", today=TODAY)
    assert [m.name for m in report.added] == ["王建国", "李红梅", "欧阳明"]
    assert [m.department for m in roster.list_members()] == ["局领导", "局领导", "办公室"]


def _ole(path: Path, *streams: str) -> Path:
    """An OLE compound file whose directory names `streams` (as Word, PowerPoint and old
    Excel files have them)."""
    body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1016))
    for name in ("Root Entry", *streams):
        body += name.encode("utf-16-le") + bytes(64)
    path.write_bytes(bytes(body))
    return path


def _zip(path: Path, part: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return path


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: _ole(p, "WordDocument", "1Table"), "Word 或 WPS 文字文档"),
        (lambda p: _ole(p, "WordDocument", "ObjectPool", "Workbook"), "Word 或 WPS 文字文档"),
        (lambda p: _zip(p, "word/document.xml"), "Word 或 WPS 文字文档"),
        (lambda p: _ole(p, "PowerPoint Document"), "演示文稿"),
        (lambda p: _zip(p, "ppt/presentation.xml"), "演示文稿"),
        (lambda p: (p.write_bytes(b"%PDF-1.7\n" + bytes(100)), p)[1], "PDF"),
    ],
    ids=["doc", "doc-with-embedded-sheet", "docx", "ppt", "pptx", "pdf"],
)
def test_a_document_picked_as_roster_is_named_for_what_it_is(tmp_path, make, said) -> None:
    path = make(tmp_path / "名单.xls")  # the name says spreadsheet; the content does not
    with pytest.raises(ImportFileError) as caught:
        read_roster(path)
    text = str(caught.value)
    assert said in text
    assert "旧版 Excel" not in text
    assert ".xlsx 或 .xls" in text  # the way forward


def test_a_damaged_xls_is_one_sentence(tmp_path) -> None:
    path = _ole(tmp_path / "名单.xls", "Workbook")
    with pytest.raises(ImportFileError, match="已损坏"):
        read_roster(path)


def test_a_sheet_longer_than_any_roster_is_refused_even_when_its_rows_are_blank(
    tmp_path, monkeypatch
):
    """Rows with nothing under the roster's columns do not count as members, but each still
    costs a read: the sheet's length is bounded too."""
    rows = [["姓名", "部门"], ["王建国", "局领导"]] + [[None, None, "备注"] for _ in range(20)]
    path = write_xlsx(tmp_path / "很长.xlsx", rows)
    assert [r.name for r in read_roster(path).rows] == ["王建国"]
    monkeypatch.setattr(roster_limits, "MAX_SHEET_ROWS", 10)
    with pytest.raises(ImportFileError, match="超过 10 行"):
        read_roster(path)


def test_an_xls_longer_than_a_roster_is_refused_not_cut_short(tmp_path, monkeypatch) -> None:
    from studyplan.io.roster_import import limits

    monkeypatch.setattr(limits, "MAX_DATA_ROWS", 2)
    with pytest.raises(ImportFileError, match="名单超过 2 行"):
        read_roster(TEST_DATA / "roster-old.xls")


def test_an_xls_with_too_many_merged_cells_is_refused(tmp_path, monkeypatch) -> None:
    from studyplan.io.roster_import import limits

    monkeypatch.setattr(limits, "MAX_MERGED_RANGES", 1)
    with pytest.raises(ImportFileError, match="合并单元格超过 1 个"):
        read_roster(TEST_DATA / "roster-old.xls")

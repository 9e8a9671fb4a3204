"""The ledger's layout engine: cells of one style share one style object, which nothing
changes afterwards, and the workbook reads back with the styles given."""

from __future__ import annotations

from openpyxl import Workbook, load_workbook

from studyplan.io.ledger.layout import Sheet, Styles


def test_cells_of_one_style_share_it_and_a_merge_over_a_written_cell_works(tmp_path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    st = Styles()
    sheet = Sheet(wb, "表", st, lambda step: None)
    first = sheet.put(1, 1, "甲")
    second = sheet.put(2, 1, "乙")
    assert first._style is second._style
    assert sheet.put(3, 2, 7)._style is not first._style  # a number: another style
    sheet.put(4, 3, "丙")
    # Merging up to a cell written before: openpyxl gives the anchor that cell's right
    # and bottom borders, on the anchor's own style, not on the one its neighbours share.
    sheet.put(4, 1, "丁", last_col=3)
    assert sheet.put(5, 1, "戊")._style is first._style
    assert tuple(first._style) == tuple(second._style)
    sheet.finish()
    wb.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["表"]
    assert ws["A1"].font.name == "宋体" and ws["A1"].border.left.style == "thin"
    assert ws["A5"].alignment.wrap_text and ws["A5"].quotePrefix
    assert "A4:C4" in ws.merged_cells
    assert ws.row_dimensions[1].height == 20

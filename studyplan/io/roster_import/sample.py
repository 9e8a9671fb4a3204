"""The sample roster a new user can try the import with."""

from __future__ import annotations

from pathlib import Path

SAMPLE_TITLE = "市科学技术局理论学习中心组成员名单"
SAMPLE_MEMBERS: tuple[tuple[str, str, str, str], ...] = (
    ("王建国", "局党组书记、局长", "组长", "局领导"),
    ("李红梅", "局党组成员、副局长", "副组长", "局领导"),
    ("张志强", "局党组成员、副局长", "副组长", "局领导"),
    ("陈晓东", "局党组成员、副局长", "副组长", "局领导"),
    ("刘  洋", "驻局纪检监察组组长", "成员", "驻局纪检监察组"),
    ("赵　磊", "局党组成员、机关党委书记", "成员", "机关党委"),
    ("孙丽华", "一级调研员", "成员", "局领导"),
    ("周文斌", "主任", "成员", "办公室"),
    ("吴晓燕", "处长", "成员", "政策法规处"),
    ("郑  伟", "处长", "成员", "科技计划处"),
    ("欧阳明华", "处长", "成员", "高新技术处"),
    ("黄海涛", "处长", "成员", "成果转化处"),
    ("马丽娟", "处长", "成员", "人事处"),
    ("何雨晴", "副主任", "学习秘书", "办公室"),
)


def write_sample_roster(path: str | Path) -> Path:
    """Write the sample roster a new user can try the import with (a title row above the
    header, as real rosters have)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "成员名单"
    sheet.append([SAMPLE_TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["序号", "姓名", "职务", "角色", "部门"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, (name, position, role, department) in enumerate(SAMPLE_MEMBERS, start=1):
        sheet.append([number, name, position, role, department])
    for column, width in zip("ABCDE", (6, 12, 28, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.save(path)
    return path

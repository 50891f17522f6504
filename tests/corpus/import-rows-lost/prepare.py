"""A filled sheet that lost the last two rows of unit u02 and all rows of u03 (a truncated copy)."""

from pathlib import Path

from sheetfiles import drop_rows, fill, write_sheet


def prepare(root: Path, tmp: Path) -> None:
    sheet = write_sheet(root, "shili-2017", tmp / "评分表.xlsx")
    fill(sheet, {("第一组", "K9"): "组织生活会记录不全"})
    drop_rows(sheet, "第一组", range(13, 15))
    drop_rows(sheet, "第二组", range(3, 9))

"""A filled sheet whose worksheet claims the range A1:K12 while it holds A1:N14 (several tools write a
dimension like that; openpyxl's read-only mode stops there): rows 13 and 14, and columns L to N, are read."""

from pathlib import Path

from sheetfiles import fill, understate_dimension, write_sheet


def prepare(root: Path, tmp: Path) -> None:
    sheet = write_sheet(root, "shili-2017", tmp / "评分表.xlsx")
    fill(sheet, {("第一组", "K13"): "组织生活会记录不全", ("第一组", "L14"): 3, ("第二组", "K7"): "台账缺页"})
    understate_dimension(sheet, {"第一组": "A1:K12", "第二组": "A1:A1"})

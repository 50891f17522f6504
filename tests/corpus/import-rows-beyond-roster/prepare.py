"""5,000 rows pasted below the first group's units: more than any sheet of this roster can need."""

from pathlib import Path

from sheetfiles import append_rows, write_sheet


def prepare(root: Path, tmp: Path) -> None:
    sheet = write_sheet(root, "shili-2017", tmp / "评分表.xlsx")
    append_rows(sheet, "第一组", 15, ["u01", "", "2.2", "", "", "", "", "", "", "1", "复制的行"], 5000)

"""One reason of 20 million characters (30 MB; a zip of a few dozen KB): refused before it is read."""

from pathlib import Path

from sheetfiles import replace_text, write_sheet


def prepare(root: Path, tmp: Path) -> None:
    sheet = write_sheet(root, "shili-2017", tmp / "评分表.xlsx")
    replace_text(sheet, "党建台账资料不完整", "很长" * 10_000_000)

"""Text Excel would run as a formula, typed into the text columns, and a formula-like amount."""

from pathlib import Path

from sheetfiles import fill, write_sheet


def prepare(root: Path, tmp: Path) -> None:
    sheet = write_sheet(root, "shili-2017", tmp / "评分表.xlsx")
    fill(sheet, {
        ("第一组", "K4"): "=cmd|' /C calc'!A0",
        ("第一组", "K5"): "@SUM(A1:A9)",
        ("第一组", "K7"): "-未按时上报",
        ("第一组", "N7"): "+内部备注",
        ("第一组", "K8"): "-1",
        ("第一组", "J8"): "=1+1",
        ("第二组", "K3"): "会议记录不全",
        ("第二组", "I3"): "=HYPERLINK(\"http://example.com\")",
    })

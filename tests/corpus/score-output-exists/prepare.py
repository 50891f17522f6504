from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    (tmp / "得分.csv").write_text("单位,得分\n手工整理的表,1\n", encoding="utf-8")

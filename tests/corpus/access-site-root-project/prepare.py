from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    (root / "access" / "server.txt").write_text(f"网站目录 = {root}\n", encoding="utf-8")

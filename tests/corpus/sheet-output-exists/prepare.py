from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    # A score sheet three people spent a week filling in.
    (tmp / "评分表.xlsx").write_bytes(b"PK\x03\x04 filled in by hand")

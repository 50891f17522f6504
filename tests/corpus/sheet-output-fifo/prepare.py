import os
from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    os.mkfifo(tmp / "fifo")

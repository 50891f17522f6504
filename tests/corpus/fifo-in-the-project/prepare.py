"""A FIFO where a results file and the notice belong (reading one waits for a writer for ever)."""

import os
from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    folder = root / "results" / "shili-2017"
    (folder / "entries.csv").unlink()
    os.mkfifo(folder / "entries.csv")
    os.mkfifo(folder / "notice.yml")

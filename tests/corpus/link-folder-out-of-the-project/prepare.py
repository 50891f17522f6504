"""The results folder of an assessment is a link to a folder outside the project."""

import shutil
from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    folder = root / "results" / "shili-2017"
    shutil.move(folder, tmp / "elsewhere")
    folder.symlink_to(tmp / "elsewhere")

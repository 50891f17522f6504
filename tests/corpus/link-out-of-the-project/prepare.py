"""Results files that are links out of the project: to a readable system file, to /dev/zero, to a FIFO."""

import os
from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    folder = root / "results" / "shili-2017"
    # Stands for /etc/passwd: its first line must never reach a message.
    (tmp / "passwd").write_text("root:x:0:0:SECRET-FIRST-LINE:/root:/bin/bash\n", encoding="utf-8")
    (folder / "bonus.csv").symlink_to(tmp / "passwd")
    (folder / "penalties.csv").symlink_to("/dev/zero")
    os.mkfifo(tmp / "pipe")
    (folder / "vetoes.csv").symlink_to(tmp / "pipe")

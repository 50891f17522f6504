"""Hand-written pages that are links: to a file outside the project, to the results (inside the
project but not meant for the site), a broken one, and a FIFO. The build refuses before MkDocs copies."""

import os
from pathlib import Path

from sandbox import copy_sources


def prepare(root: Path, tmp: Path) -> None:
    copy_sources(root)
    docs = root / "docs"
    (tmp / "secret.md").write_text("# SECRET-PAGE\n", encoding="utf-8")
    (docs / "leak.md").symlink_to(tmp / "secret.md")
    (docs / "data").symlink_to("../results")
    (docs / "reference" / "gone.md").symlink_to("moved-away.md")
    os.mkfifo(docs / "pipe.md")

import shutil
from pathlib import Path

from published import fake_published


def prepare(root: Path, tmp: Path) -> None:
    """The project's own documentation, which prints an example accounts file."""
    doc = Path(__file__).resolve().parents[3] / "docs" / "reference" / "access.md"
    (root / "docs" / "reference").mkdir(parents=True)
    shutil.copyfile(doc, root / "docs" / "reference" / "access.md")
    fake_published(tmp / "www")
    (root / "access" / "server.txt").write_text(f"网站目录 = {tmp}/www\n", encoding="utf-8")

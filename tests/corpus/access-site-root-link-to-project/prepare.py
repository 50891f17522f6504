from pathlib import Path

from published import fake_published


def prepare(root: Path, tmp: Path) -> None:
    """A link to a link to the project, which holds a copied marker: judged where the chain ends."""
    fake_published(tmp / "elsewhere")
    (root / ".kaoping-published").write_bytes((tmp / "elsewhere" / ".kaoping-published").read_bytes())
    (tmp / "second").symlink_to(root)
    (tmp / "site").symlink_to(tmp / "second")
    (root / "access" / "server.txt").write_text(f"网站目录 = {tmp}/site\n", encoding="utf-8")

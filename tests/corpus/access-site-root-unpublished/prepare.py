from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    """A folder the site was copied to by hand: no marker of kaoping publish."""
    (tmp / "www" / "assessments").mkdir(parents=True)
    (tmp / "www" / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (root / "access" / "server.txt").write_text(f"网站目录 = {tmp}/www\n", encoding="utf-8")

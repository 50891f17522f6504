import json
from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    (root / "site" / "search").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<title>考评</title>\n", encoding="utf-8")
    (root / "site" / "search" / "search_index.json").write_text(json.dumps({"docs": []}), encoding="utf-8")
    (root / "docs").mkdir()
    # The web server's folder is a link into the project's docs/.
    (tmp / "www").symlink_to(root / "docs")

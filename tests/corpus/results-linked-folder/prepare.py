from pathlib import Path


def prepare(root: Path, tmp: Path) -> None:
    """A folder among the results that is a link to a folder outside the project holding a results file."""
    outside = tmp / "elsewhere"
    outside.mkdir()
    (outside / "bonus-secret-name.csv").write_text("单位代码,加分项目\n", encoding="utf-8")
    (root / "results" / "shili-2017" / "linked").symlink_to(outside, target_is_directory=True)

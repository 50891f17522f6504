from pathlib import Path

from published import fake_published


def prepare(root: Path, tmp: Path) -> None:
    """A 30,000-character password (once 894 MB to hash) and one just over the limit."""
    fake_published(tmp / "www")
    (root / "access" / "server.txt").write_text(f"网站目录 = {tmp}/www\n", encoding="utf-8")
    lines = [
        "账号,密码,单位代码",
        "dangwei," + "Ab1-" * 7500 + ",u01",
        "zhibu," + "Zb-1" * 32 + "x,u02",
        "kaohe,Kh!6092-office,*",
    ]
    (root / "access" / "accounts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

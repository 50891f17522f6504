"""What a publish did, and the closing message that says so (:mod:`generator.office.publish`): where the site
went, how much, the releases kept and how to roll back to the one before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.site import stamp

RELEASES_SUFFIX = ".releases"


def releases_dir(dest: Path) -> Path:
    return dest.parent / (dest.name + RELEASES_SUFFIX)


@dataclass
class Published:
    """What a publish did, for the closing message."""

    destination: Path
    layout: str  # "releases" or "plain"
    files: int = 0
    size: int = 0
    release: str = ""
    unchanged: bool = False
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Published with ``--gzip-only``.
    gzip_only: bool = False

    def summary(self) -> str:
        """The closing message: where, how much, the releases kept and how to roll back."""
        size = f"{self.size / 1_048_576:.1f} MB"
        if self.layout == "plain":
            return f"已发布到 {self.destination}（{self.files} 个文件，{size}）。"
        releases = releases_dir(self.destination).name
        if self.unchanged:
            return f"网站与当前发布的版本 {releases}/{self.release} 相同，没有改动。"
        lines = [f"已发布到 {self.destination} → {releases}/{self.release}（{self.files} 个文件，{size}）。"]
        if self.kept:
            previous = self.kept[0]
            lines.append(f"保留的旧版本：{'、'.join(self.kept)}。回退到上一个版本：")
            new_link = self.destination.parent / f".{self.destination.name}.rollback"
            lines.append(f"  ln -sfn {releases}/{previous} {new_link} && mv -T {new_link} {self.destination}")
            if not self.gzip_only and stamp.published_gzip_only(releases_dir(self.destination) / previous):
                lines.append("  （那个版本只发布了压缩文件：回退之前，nginx 要设 gzip_static always; 和 gunzip on;）")
        if self.removed:
            lines.append(f"删除了更早的版本：{'、'.join(self.removed)}。")
        return "\n".join(lines)

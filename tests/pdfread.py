"""A printed page read back with pypdf: every piece of text with where it sits, its size and its font, and
the filled rectangles (rules). Positions in millimetres from the page's top-left corner.

Chromium writes each glyph (or run) with its own text matrix, and its CJK fonts as Type 3 fonts whose
descriptor names the family and weight; the text is normalised with NFKC because the fonts map some
characters to radical forms (一 as ⼀, 风 as ⻛): NFKC and :data:`RADICALS` fold them back.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader

MM = 72 / 25.4
#: Ascent of the CJK faces (Noto, Source Han): the top of the em box above the baseline, in em.
ASCENT = 0.88


#: CJK Radicals Supplement forms the fonts map their glyphs back to, with the ideographs they stand for
#: (Unicode's EquivalentUnifiedIdeograph.txt); NFKC already folds the Kangxi radicals (U+2F00–U+2FDF).
RADICALS = str.maketrans(
    {
        "\u2e8c": "小",
        "\u2e8d": "小",
        "\u2e8e": "兀",
        "\u2e8f": "尢",
        "\u2e90": "尢",
        "\u2e92": "巳",
        "\u2e93": "幺",
        "\u2e94": "彑",
        "\u2e96": "忄",
        "\u2e97": "心",
        "\u2e98": "扌",
        "\u2e99": "攵",
        "\u2e9b": "旡",
        "\u2e9d": "月",
        "\u2e9e": "歺",
        "\u2e9f": "母",
        "\u2ea0": "民",
        "\u2ea1": "氵",
        "\u2ea2": "氺",
        "\u2ea3": "灬",
        "\u2ea4": "爫",
        "\u2ea6": "丬",
        "\u2ea7": "牜",
        "\u2ea8": "犭",
        "\u2ea9": "王",
        "\u2eaa": "疋",
        "\u2eab": "罒",
        "\u2eac": "示",
        "\u2ead": "礻",
        "\u2eae": "竹",
        "\u2eaf": "糸",
        "\u2eb0": "纟",
        "\u2eb2": "罒",
        "\u2eb3": "罓",
        "\u2eb9": "耂",
        "\u2eba": "肀",
        "\u2ebb": "聿",
        "\u2ebc": "月",
        "\u2ebe": "艹",
        "\u2ec1": "虎",
        "\u2ec2": "衤",
        "\u2ec3": "覀",
        "\u2ec4": "西",
        "\u2ec5": "见",
        "\u2ec6": "角",
        "\u2ec8": "讠",
        "\u2ec9": "贝",
        "\u2ecb": "车",
        "\u2ecc": "辶",
        "\u2ecd": "辶",
        "\u2ecf": "阝",
        "\u2ed0": "钅",
        "\u2ed1": "長",
        "\u2ed2": "镸",
        "\u2ed3": "长",
        "\u2ed4": "门",
        "\u2ed6": "阝",
        "\u2ed7": "雨",
        "\u2ed8": "青",
        "\u2ed9": "韦",
        "\u2eda": "页",
        "\u2edb": "风",
        "\u2edc": "飞",
        "\u2edd": "食",
        "\u2edf": "飠",
        "\u2ee0": "饣",
        "\u2ee2": "马",
        "\u2ee3": "骨",
        "\u2ee4": "鬼",
        "\u2ee5": "鱼",
        "\u2ee6": "鸟",
        "\u2ee7": "卤",
        "\u2ee8": "麦",
        "\u2ee9": "黄",
        "\u2eea": "黾",
        "\u2eec": "齐",
        "\u2eee": "齿",
        "\u2ef0": "龙",
        "\u2ef3": "龟",
    }
)


@dataclass(frozen=True)
class Run:
    x: float
    #: The baseline, from the page's top.
    y: float
    size: float
    family: str
    weight: str
    text: str

    @property
    def size_mm(self) -> float:
        return self.size / MM


@dataclass
class Line:
    y: float
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(r.text for r in sorted(self.runs, key=lambda r: r.x))

    @property
    def x0(self) -> float:
        return min(r.x for r in self.runs)

    @property
    def x1(self) -> float:
        """The right edge: each run's start plus its characters' width (full or half); runs that share a start
        are pieces of one string of glyphs, their widths add up."""
        ends: dict[float, float] = {}
        for r in self.runs:
            start = round(r.x, 1)
            ends[start] = ends.get(start, start) + width_em(r.text) * r.size_mm
        return max(ends.values())

    @property
    def size(self) -> float:
        return max(r.size for r in self.runs)

    @property
    def font(self) -> str:
        r = max(self.runs, key=lambda r: len(r.text))
        return f"{r.family} {r.weight}"


@dataclass
class Page:
    width: float
    height: float
    runs: list[Run]
    #: Filled rectangles: (x, y top, width, height), in mm.
    rects: list[tuple[float, float, float, float]]

    def lines(self, min_size: float = 0, max_size: float = 1000) -> list[Line]:
        """Text runs on the same baseline (within 0.3 mm), top to bottom."""
        out: list[Line] = []
        for r in sorted(self.runs, key=lambda r: (r.y, r.x)):
            if not min_size <= r.size <= max_size:
                continue
            if out and abs(out[-1].y - r.y) < 0.3:
                out[-1].runs.append(r)
            else:
                out.append(Line(r.y, [r]))
        return out

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines())


def fold(text: str) -> str:
    """Text as the reader gives it back, for comparing with what was printed: NFKC (（ as (), radicals folded,
    no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(RADICALS))


def width_em(text: str) -> float:
    """Width in em: spaces a quarter, Latin letters and digits half, Chinese characters and CJK punctuation
    (— “ ” …) whole."""
    return sum(0.25 if c == " " else 0.5 if ord(c) < 0x2000 else 1.0 for c in text)


def _mul(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _fonts(page: Any) -> dict[str, tuple[str, str]]:
    out = {}
    fonts = page.get("/Resources", {}).get("/Font", {})
    for name in fonts:
        font = fonts[name].get_object()
        desc = font.get("/FontDescriptor")
        desc = desc.get_object() if desc is not None else {}
        family = str(desc.get("/FontFamily", "")) or str(font.get("/BaseFont", "")).split("+")[-1]
        out[str(name)] = (family, str(desc.get("/FontWeight", "")))
    return out


def _rects(page: Any, height: float) -> list[tuple[float, float, float, float]]:
    """Every rectangle the page fills, inside form XObjects too (Chromium draws transformed boxes in them)."""
    out: list[tuple[float, float, float, float]] = []

    def walk(operations: Any, resources: Any, ctm: list[float]) -> None:
        stack: list[list[float]] = []
        for args, op in operations:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q" and stack:
                ctm = stack.pop()
            elif op == b"cm":
                ctm = _mul([float(a) for a in args], ctm)
            elif op == b"re":
                x, y, w, h = (float(a) for a in args)
                corners = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
                xs = [cx * ctm[0] + cy * ctm[2] + ctm[4] for cx, cy in corners]
                ys = [cx * ctm[1] + cy * ctm[3] + ctm[5] for cx, cy in corners]
                out.append((min(xs) / MM, height - max(ys) / MM, (max(xs) - min(xs)) / MM, (max(ys) - min(ys)) / MM))
            elif op == b"Do" and resources is not None:
                xobj = resources.get("/XObject", {}).get(str(args[0]))
                xobj = xobj.get_object() if xobj is not None else None
                if xobj is not None and xobj.get("/Subtype") == "/Form":
                    from pypdf.generic import ContentStream

                    matrix = [float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    inner = ContentStream(xobj, page.pdf).operations
                    walk(inner, xobj.get("/Resources", resources), _mul(matrix, ctm))

    walk(page.get_contents().operations, page.get("/Resources"), [1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    return out


def _page_runs(page: Any, height: float) -> list[Run]:
    fonts = _fonts(page)
    runs: list[Run] = []
    current = ["", ""]

    def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"Tf" and args:
            current[:] = fonts.get(str(args[0]), ("", ""))

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if not text.strip():
            return
        m = _mul([float(v) for v in tm], [float(v) for v in cm])
        scale = (m[2] ** 2 + m[3] ** 2) ** 0.5
        runs.append(
            Run(
                m[4] / MM,
                height - m[5] / MM,
                size * scale,
                current[0],
                current[1],
                unicodedata.normalize("NFKC", text).translate(RADICALS),
            )
        )

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return runs


def read_pdf(pdf: bytes) -> list[Page]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        height = float(page.mediabox.height) / MM
        pages.append(Page(float(page.mediabox.width) / MM, height, _page_runs(page, height), _rects(page, height)))
    return pages

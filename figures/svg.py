"""画数字网格的几个小函数。输出是内联 SVG：颜色来自站点的 CSS 变量，
所以浅色、深色主题下都清楚；数字是真正的 <text>，可以被选中、被搜索、被测试读出。"""

from dataclasses import dataclass, field
from html import escape

CELL = 36  # 每个格子的边长（像素）


def number(value):
    """19.0 写成 19，0.5 保持 0.5：图里的数和 print 的张量读起来一致。"""
    return f"{float(value):g}"


def products(window, kernel):
    """把一次互相关写成算式：“0×0 + 1×1 + 3×2 + 4×3”。"""
    pairs = zip(window.flatten().tolist(), kernel.flatten().tolist(), strict=True)
    return " + ".join(f"{number(a)}×{number(b)}" for a, b in pairs)


def grid(values, x, y, role, highlight=(), classes=None):
    """在 (x, y) 处画一个二维数字网格。

    values: 行的列表；role: 写进 data-role，测试靠它找到这个网格；
    highlight: 要强调的 (行, 列) 集合；classes: 可选的函数 (行, 列, 值) -> 额外的 CSS 类。
    """
    parts = [f'<g class="grid" data-role="{role}">']
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            extra = classes(i, j, value) if classes is not None else []
            cls = " ".join(["cell", *(["hl"] if (i, j) in highlight else []), *extra])
            cx, cy = x + j * CELL, y + i * CELL
            parts.append(
                f'<rect class="{cls}" x="{cx}" y="{cy}" width="{CELL}" height="{CELL}"/>'
                f'<text class="{" ".join(extra)}" x="{cx + CELL / 2}" y="{cy + CELL / 2}">'
                f"{number(value)}</text>"
            )
    parts.append("</g>")
    return "".join(parts)


def raster(values, x, y, cell, role, shade):
    """把二维数组画成一格一格的小方块，不写数字；shade(值) -> (CSS 类, 不透明度)。"""
    parts = [f'<g class="raster" data-role="{role}">']
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            cls, opacity = shade(value)
            parts.append(
                f'<rect class="{cls}" x="{x + j * cell}" y="{y + i * cell}" '
                f'width="{cell}" height="{cell}" fill-opacity="{opacity:.2f}"/>'
            )
    parts.append("</g>")
    return "".join(parts)


def box(x, y, width, height, role):
    """一个只有边框的方框，用来圈出位置。"""
    return (
        f'<rect class="box" data-role="{role}" x="{x}" y="{y}" width="{width}" height="{height}"/>'
    )


@dataclass
class Grid:
    """横排图里的一个数字网格：values 是行的列表，title 写在它上方。"""

    values: list
    role: str
    title: str
    highlight: set = field(default_factory=set)
    classes: object = None


def text_width(text, size=13):
    """估计一行标签的宽度：汉字约一个字号宽，其余字符约半个。"""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def row(*parts, top=28, gap=56):
    """把网格和运算符（字符串，如 "★"、"="）从左到右排成一行，返回 (SVG 片段, 宽, 高)。

    每个网格占的宽度取网格与标题中较宽的一个；两个网格紧挨着时，中间留一小段空。
    """
    tallest = max(len(p.values) for p in parts if isinstance(p, Grid)) * CELL
    body, x, previous = [], 0, None
    for part in parts:
        if isinstance(part, Grid):
            if isinstance(previous, Grid):
                x += 16
            width = len(part.values[0]) * CELL
            slot = max(width, text_width(part.title))
            body.append(label(part.title, x + slot / 2, top - 12))
            offset = x + (slot - width) / 2
            body.append(grid(part.values, offset, top, part.role, part.highlight, part.classes))
            x += slot
        else:
            body.append(label(part, x + gap / 2, top + tallest / 2, "op"))
            x += gap
        previous = part
    return "".join(body), x + 2, top + tallest + 2


def label(text, x, y, cls="label"):
    return f'<text class="{cls}" x="{x}" y="{y}">{escape(text)}</text>'


def document(width, height, body, alt):
    """整张图：role="img" 加 <title>，读屏软件读到的是 alt。"""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cfc-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"<title>{escape(alt)}</title>{body}</svg>"
    )

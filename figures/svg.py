"""画数字网格的几个小函数。输出是内联 SVG：颜色来自站点的 CSS 变量，
所以浅色、深色主题下都清楚；数字是真正的 <text>，可以被选中、被搜索、被测试读出。

手机上正文只有 343 px 宽，一行排开的宽图会缩到字只有 6 px。所以横排放不进 NARROW 的图
画两份（responsive）：宽的一行排开，窄的在运算符前换行；extra.css 按图所在的栏宽
（容器查询，界限 WIDE_FROM）只显示其中一份。
"""

from dataclasses import dataclass, field
from html import escape

CELL = 36  # 每个格子的边长（像素）
LABEL = 14  # 标签的字号（像素，与 extra.css 一致）；数字 15，运算符 22，都比它大
# 窄图最宽多少（SVG 单位）：375 px 的手机上正文宽 343 px，缩放后标签 343/400×14 ≈ 12 px；
# 320 px 的手机上也有 288/400×14 ≈ 10 px
NARROW = 400
# 栏宽（CSS px）至少这么多时显示宽图，与 extra.css 的 @container 一致。宽图最宽
# WIDE_FROM × LABEL / 10 个单位，标签才不小于 10 px（tests/test_figures.py 检查）
WIDE_FROM = 640


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


def box(x, y, width, height, role, cls="box"):
    """一个只有边框的方框：圈出位置（box），或者给一块图镶边（frame）。"""
    return (
        f'<rect class="{cls}" data-role="{role}" '
        f'x="{x}" y="{y}" width="{width}" height="{height}"/>'
    )


@dataclass
class Grid:
    """横排图里的一个数字网格：values 是行的列表，title 写在它上方。"""

    values: list
    role: str
    title: str
    highlight: set = field(default_factory=set)
    classes: object = None


def text_width(text, size=LABEL):
    """估计一行标签的宽度：汉字约一个字号宽，其余字符约半个。"""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def row(*parts, top=28, gap=56, centre=False):
    """把网格和运算符（字符串，如 STAR、"="）从左到右排成一行，返回 (SVG 片段, 宽, 高)。

    每个网格占的宽度取网格与标题中较宽的一个；两个网格紧挨着时，中间留一小段空。
    网格默认顶端对齐；centre=True 时矮的网格（如拉成一行的卷积核）与最高的上下居中，
    和对着中线的运算符排在一条线上。
    """
    parts = [p for p in parts if p != NEWLINE]
    tallest = max(len(p.values) for p in parts if isinstance(p, Grid)) * CELL
    body, x, previous = [], 0, None
    for part in parts:
        if isinstance(part, Grid):
            if isinstance(previous, Grid):
                x += 16
            width = len(part.values[0]) * CELL
            slot = max(width, text_width(part.title))
            y = top + ((tallest - len(part.values) * CELL) / 2 if centre else 0)
            body.append(label(part.title, x + slot / 2, y - 12))
            offset = x + (slot - width) / 2
            body.append(grid(part.values, offset, y, part.role, part.highlight, part.classes))
            x += slot
        else:
            body.append(label(part, x + gap / 2, top + tallest / 2, OPERATOR_CLASS.get(part, "op")))
            x += gap
        previous = part
    return "".join(body), x + 2, top + tallest + 2


STAR = "⋆"  # 互相关的运算符：U+22C6，和正文 KaTeX 的 \star 同一个字（不是 ★ U+2605）
# ⋆ 的字形只有 x 那么高，和 =、+ 同一字号时像一个点：单独放大（extra.css 的 text.star）
OPERATOR_CLASS = {STAR: "op star"}
NEWLINE = "\n"  # 放在 parts 里：窄图在这里另起一行（宽图不理它）
DOWN = {"→": "↓"}  # 窄图里排在行首的箭头改成朝下，单独占一行，指向下一行


def chunks(parts):
    """把 [网格, 运算符, 网格, …] 切成换行时不能拆开的几段：除第一段外，每段以运算符开头。

    NEWLINE 处的一段带上标记 (True, 段)，表示窄图必须在它之前换行；其余是 (False, 段)。
    """
    found, forced = [[False, []]], False
    for part in parts:
        if part == NEWLINE:
            forced = True
            continue
        if not isinstance(part, Grid) and found[-1][1]:
            found.append([forced, []])
            forced = False
        found[-1][1].append(part)
    return [(f, c) for f, c in found]


def rows(*parts, width=NARROW, top=28, gap=56, spacing=16):
    """同 row，但一行超过 width（或遇到 NEWLINE）时在运算符前换行，运算符排在下一行的开头；
    行首的箭头（DOWN）改成朝下，单独一行。各行居中。

    返回 (SVG 片段, 宽, 高)。一段本身比 width 宽时它独占一行，宽度就超过 width。
    """
    lines = [[]]
    for forced, chunk in chunks(parts):
        if lines[-1] and (forced or row(*lines[-1], *chunk, top=top, gap=gap)[1] > width):
            lines.append([])
        lines[-1] += chunk
    arrows = [DOWN.get(line[0]) if isinstance(line[0], str) else None for line in lines]
    laid = []
    for line, arrow in zip(lines, arrows, strict=True):
        # 有箭头的一行整体下移 20，箭头写在它上方；各行居中，箭头也就在整张图的中线上
        shift = 20 if arrow else 0
        fragment, w, h = row(*(line[1:] if arrow else line), top=top + shift, gap=gap)
        if arrow:
            fragment = label(arrow, w / 2, 8, "op") + fragment
        laid.append((fragment, w, h))
    return stack(*laid, spacing=spacing)


def stack(*laid, spacing=16):
    """把几块 (片段, 宽, 高) 上下叠起来，各自水平居中，返回同样的 (片段, 宽, 高)。"""
    width = max(w for _, w, _ in laid)
    body, y = [], 0
    for fragment, w, h in laid:
        body.append(f'<g transform="translate({(width - w) / 2} {y})">{fragment}</g>')
        y += h + spacing
    return "".join(body), width, y - spacing


def label(text, x, y, cls="label"):
    return f'<text class="{cls}" x="{x}" y="{y}">{escape(text)}</text>'


def document(width, height, body, alt, cls="cfc-svg"):
    """整张图：role="img" 加 <title>，读屏软件读到的是 alt。"""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" role="img" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}">'
        f"<title>{escape(alt)}</title>{body}</svg>"
    )


def responsive(wide, narrow, alt):
    """wide、narrow 是两种排法的 (片段, 宽, 高)。宽的放得进 NARROW 就只画一份；
    否则画两份，extra.css 按栏宽只显示一份（另一份 display: none，读屏软件也读不到）。"""
    (body, width, height), (n_body, n_width, n_height) = wide, narrow
    if width <= NARROW:
        return document(width, height, body, alt)
    return document(width, height, body, alt, "cfc-svg cfc-wide") + document(
        n_width, n_height, n_body, alt, "cfc-svg cfc-narrow"
    )


def figure(*parts, alt, **spacing):
    """一排网格和运算符的图：宽的一行排开，窄的在运算符前换行。spacing 传给 row 和 rows。"""
    return responsive(row(*parts, **spacing), rows(*parts, **spacing), alt)

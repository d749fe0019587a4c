"""《卷积怎样算得快》一章的图：im2col 的块矩阵、Winograd 的一块，以及 make bench 测出的时间表。

图上的数都由 snippets.fast_conv 现算；时间表读 benchmarks/results/ 里的 CSV。
"""

# 区域 B 开始：im2col 的图
from snippets.conv_layer import K as K_EXAMPLE
from snippets.conv_layer import X as X_EXAMPLE
from snippets.fast_conv import im2col

from .svg import CELL, Grid, label, number, responsive, row, rows

WINDOW_AT = (0, 1)  # 图里圈出的窗口：左上角在第 0 行第 1 列，对应块矩阵的第 1 列


def stack(*laid, spacing=24):
    """把几块 (片段, 宽, 高) 上下叠起来，各自水平居中，返回同样的 (片段, 宽, 高)。"""
    width = max(w for _, w, _ in laid)
    body, y = [], 0
    for fragment, w, h in laid:
        body.append(f'<g transform="translate({(width - w) / 2} {y})">{fragment}</g>')
        y += h + spacing
    return "".join(body), width, y - spacing


def centred(*parts, top=28, gap=56):
    """同 svg.row，但矮的网格（如拉成一行的卷积核）与最高的网格上下居中，运算符也对着中线。"""
    tallest = max(len(p.values) for p in parts if isinstance(p, Grid)) * CELL
    middle = top + tallest / 2
    body, x = [], 0
    for part in parts:
        if isinstance(part, Grid):
            fragment, width, _ = row(part, top=top)
            shift = (tallest - len(part.values) * CELL) / 2
            body.append(f'<g transform="translate({x} {shift})">{fragment}</g>')
            x += width
        else:
            body.append(label(part, x + gap / 2, middle, "op"))
            x += gap
    return "".join(body), x, top + tallest + 2


def im2col_matrix():
    """上一行：输入里圈出的窗口就是块矩阵里圈出的那一列；下一行：拉平的卷积核乘块矩阵得全部输出。"""
    k_h, k_w = K_EXAMPLE.shape
    columns = im2col(X_EXAMPLE[None], (k_h, k_w))  # (k_h·k_w, o_h·o_w)
    o_w = X_EXAMPLE.shape[1] - k_w + 1
    Y = K_EXAMPLE.reshape(1, -1) @ columns
    i, j = WINDOW_AT
    col = i * o_w + j
    window = {(i + a, j + b) for a in range(k_h) for b in range(k_w)}
    column = {(r, col) for r in range(k_h * k_w)}
    first = (
        Grid(X_EXAMPLE.tolist(), "input", "输入", window),
        "→",
        Grid(columns.tolist(), "columns", "块矩阵：一列一个窗口", column),
    )
    second = (
        Grid(K_EXAMPLE.reshape(1, -1).tolist(), "kernel", "卷积核拉成一行"),
        "×",
        Grid(columns.tolist(), "columns-again", "块矩阵", column),
        "=",
        Grid(Y.tolist(), "output", "输出拉成一行", {(0, col)}),
    )
    wide = stack(row(*first), centred(*second))
    narrow = stack(rows(*first), centred(*second[:3]), centred(*second[3:]))

    def listed(values):
        return "、".join(number(v) for v in values)

    n_rows, n_cols = columns.shape
    alt = (
        f"im2col 的块矩阵：3×3 的输入是 0 到 8，2×2 的卷积核在上面有 {n_cols} 个窗口，"
        f"每个窗口的 {k_h * k_w} 个数竖着排成一列，得到 {n_rows}×{n_cols} 的块矩阵；"
        f"左上角在第 {i} 行第 {j} 列的窗口（{listed(columns[:, col].tolist())}）是第 {col} 列。"
        f"卷积核拉成一行（{listed(K_EXAMPLE.flatten().tolist())}）乘以块矩阵，"
        f"一次得到全部输出 {listed(Y[0].tolist())}，"
        f"其中第 {col} 个 {number(Y[0, col])} 就来自第 {col} 列。"
    )
    return responsive(wide, narrow, alt), alt


B_FIGURES = {"im2col-matrix": im2col_matrix}
# 区域 B 结束

# 区域 C 开始：Winograd 的图
C_FIGURES = {}
# 区域 C 结束

# 区域 D 开始：时间表
D_FIGURES = {}
# 区域 D 结束

FIGURES = {**B_FIGURES, **C_FIGURES, **D_FIGURES}

"""《卷积怎样算得快》一章的图：im2col 的窗口矩阵、Winograd 的一块，以及 make bench 测出的时间表。

图上的数都由 snippets.fast_conv 现算；时间表读 benchmarks/results/ 里的 CSV。
"""

from snippets.conv_layer import K as K_EXAMPLE
from snippets.conv_layer import X as X_EXAMPLE
from snippets.fast_conv import D_TILE, F_2X2_3X3, G_KERNEL, im2col, winograd_tile

from .svg import CELL, Grid, label, number, responsive, row, rows

# 区域 B 开始：im2col 的图

WINDOW_AT = (0, 1)  # 图里圈出的窗口：左上角在第 0 行第 1 列，对应窗口矩阵的第 1 列


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
    """上一行：输入里圈出的窗口就是窗口矩阵里圈出的那一列；下一行：拉平的卷积核乘窗口矩阵得全部输出。"""
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
        Grid(columns.tolist(), "columns", "窗口矩阵：一列一个窗口", column),
    )
    second = (
        Grid(K_EXAMPLE.reshape(1, -1).tolist(), "kernel", "卷积核拉成一行"),
        "×",
        Grid(columns.tolist(), "columns-again", "窗口矩阵", column),
        "=",
        Grid(Y.tolist(), "output", "输出拉成一行", {(0, col)}),
    )
    wide = stack(row(*first), centred(*second))
    narrow = stack(rows(*first), centred(*second[:3]), centred(*second[3:]))

    def listed(values):
        return "、".join(number(v) for v in values)

    n_rows, n_cols = columns.shape
    alt = (
        f"im2col 的窗口矩阵：3×3 的输入是 0 到 8，2×2 的卷积核在上面有 {n_cols} 个窗口，"
        f"每个窗口的 {k_h * k_w} 个数竖着排成一列，得到 {n_rows}×{n_cols} 的窗口矩阵；"
        f"左上角在第 {i} 行第 {j} 列的窗口（{listed(columns[:, col].tolist())}）是第 {col} 列。"
        f"卷积核拉成一行（{listed(K_EXAMPLE.flatten().tolist())}）乘以窗口矩阵，"
        f"一次得到全部输出 {listed(Y[0].tolist())}，"
        f"其中第 {col} 个 {number(Y[0, col])} 就来自第 {col} 列。"
    )
    return responsive(wide, narrow, alt), alt


B_FIGURES = {"im2col-matrix": im2col_matrix}
# 区域 B 结束

# 区域 C 开始：Winograd 的图
TOP_LEFT = {(i, j) for i in range(3) for j in range(3)}  # 输出左上角对应的 3×3 窗口


def winograd_steps(d, g, transforms=F_2X2_3X3):
    """一块 F(2×2, 3×3) 的中间结果 (V, U, M)，公式同 winograd_tile；输出 Y 由 winograd_tile 算。

    加 0.0 把 -0.0 变成 0：图上不该出现“-0”。"""
    B_T, G, _ = transforms
    V = B_T @ d @ B_T.T + 0.0
    U = G @ g @ G.T + 0.0
    return V, U, U * V + 0.0


def side_by_side(left, right, gap=48):
    """两段 (片段, 宽, 高) 左右并排，顶端对齐。"""
    (a, w_a, h_a), (b, w_b, h_b) = left, right
    body = f'{a}<g transform="translate({w_a + gap} 0)">{b}</g>'
    return body, w_a + gap + w_b, max(h_a, h_b)


def winograd_tile_example():
    d, g = D_TILE, G_KERNEL
    V, U, M = winograd_steps(d, g)
    Y = winograd_tile(d, g) + 0.0
    inputs = row(
        Grid(d.tolist(), "d", "输入块 d", TOP_LEFT), "→", Grid(V.tolist(), "V", "V = Bᵀ d B")
    )
    kernel = row(Grid(g.tolist(), "g", "卷积核 g"), "→", Grid(U.tolist(), "U", "U = G g Gᵀ"))
    output = row(
        Grid(M.tolist(), "M", "M = U ⊙ V（16 次乘法）"),
        "→",
        Grid(Y.tolist(), "Y", "Y = Aᵀ M A", {(0, 0)}),
    )
    # 宽图：输入、卷积核两行并排，乘积和输出在下面；窄图三行依次排
    wide = stack(side_by_side(inputs, kernel), output, spacing=20)
    narrow = stack(inputs, kernel, output, spacing=20)
    products = " + ".join(
        f"{number(a)}×{number(b)}"
        for a, b in zip(d[:3, :3].flatten().tolist(), g.flatten().tolist(), strict=True)
        if a and b
    )
    alt = (
        "Winograd F(2×2, 3×3) 算一块：4×4 的输入块 d 经 Bᵀ d B 变成 4×4 的 V，"
        "3×3 的卷积核 g 经 G g Gᵀ 变成 4×4 的 U；U 与 V 逐元素相乘得到 M，这是仅有的 16 次乘法；"
        f"M 再经 Aᵀ M A 得到 2×2 的输出 Y。Y 左上角的 {number(Y[0, 0])} 与直接算 d 左上角 3×3 窗口"
        f"和 g 的互相关相同：{products} = {number((d[:3, :3] * g).sum())}。"
    )
    return responsive(wide, narrow, alt), alt


C_FIGURES = {"winograd-tile": winograd_tile_example}
# 区域 C 结束

# 区域 D 开始：时间表
D_FIGURES = {}
# 区域 D 结束

FIGURES = {**B_FIGURES, **C_FIGURES, **D_FIGURES}

"""《卷积怎样算得快》一章的图：im2col 的块矩阵、Winograd 的一块，以及 make bench 测出的时间表。

图上的数都由 snippets.fast_conv 现算；时间表读 benchmarks/results/ 里的 CSV。
"""

from snippets.fast_conv import D_TILE, F_2X2_3X3, G_KERNEL, winograd_tile

from .svg import Grid, number, responsive, row

# 区域 B 开始：im2col 的图
B_FIGURES = {}
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


def stack(lines, spacing=20):
    """把几行 (片段, 宽, 高) 上下叠起来，每行居中。返回 (片段, 宽, 高)。"""
    width = max(w for _, w, _ in lines)
    body, y = [], 0
    for fragment, w, h in lines:
        body.append(f'<g transform="translate({(width - w) / 2} {y})">{fragment}</g>')
        y += h + spacing
    return "".join(body), width, y - spacing


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
    wide = stack([side_by_side(inputs, kernel), output])
    narrow = stack([inputs, kernel, output])
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

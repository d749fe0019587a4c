"""《汇聚层》一章的图：最大汇聚的窗口，以及感受野怎样随层数长大。数都由 snippets.pooling 现算。"""

from snippets.conv_layer import X
from snippets.pooling import pool2d, receptive_fields

from .explorer import stand_in
from .svg import Grid, figure, number

SIDE = 9  # 感受野图的边长：四层 3×3 卷积正好看满 9×9


def max_pooling_example():
    Y = pool2d(X, 2, "max", stride=1)
    parts = (
        Grid(X.tolist(), "input", "输入", {(0, 0), (0, 1), (1, 0), (1, 1)}),
        "→",
        Grid(Y.tolist(), "output", "2×2 最大汇聚", {(0, 0)}),
    )
    alt = (
        f"最大汇聚：3×3 的输入上，2×2 的窗口每次挪一格，取窗口里的最大值，"
        f"得到 {Y.shape[0]}×{Y.shape[1]} 的输出；"
        f"左上角的窗口是 0、1、3、4，最大值 {number(Y[0, 0])}。"
    )
    return figure(*parts, alt=alt), alt


def layers_to_reach(distance, limit=4):
    """离中心 distance 格的像素，最少叠几层 3×3 卷积才进入中心输出的感受野。"""
    sizes = receptive_fields([(3, 1)] * limit)
    return next(n + 1 for n, size in enumerate(sizes) if size >= 2 * distance + 1)


def receptive_field_growth():
    centre = SIDE // 2
    layers = [
        [layers_to_reach(max(abs(i - centre), abs(j - centre))) for j in range(SIDE)]
        for i in range(SIDE)
    ]
    parts = (Grid(layers, "layers", "叠几层 3×3 卷积后，中心的输出能看到这里", classes=ring),)
    sizes = receptive_fields([(3, 1)] * 4)
    alt = (
        f"感受野的增长：每个格子里的数是最少叠几层 3×3 卷积，中心那个输出才看得到它。"
        f"一层看到 {sizes[0]}×{sizes[0]}，两层 {sizes[1]}×{sizes[1]}，"
        f"三层 {sizes[2]}×{sizes[2]}，四层 {sizes[3]}×{sizes[3]}。"
    )
    return figure(*parts, alt=alt), alt


def ring(i, j, value):
    return [f"ring{value}"]


def pooling_explorer():
    """没有 JavaScript 时，本章卷积计算器的位置上显示的图（figures/explorer.py）。"""
    return stand_in("pooling")


FIGURES = {
    "max-pooling": max_pooling_example,
    "receptive-field": receptive_field_growth,
    "explorer-pooling": pooling_explorer,
}

"""《填充与步幅》一章的图：补了零的输入，以及跳着滑动的窗口。数都由 corr2d_strided 现算。"""

from snippets.conv_layer import K, X
from snippets.padding_and_strides import corr2d_strided, pad2d

from .explorer import stand_in
from .svg import STAR, Grid, figure, number, products


def window(top, left, size=(2, 2)):
    return {(top + a, left + b) for a in range(size[0]) for b in range(size[1])}


def padded(i, j, value, p=1, n=3):
    """补出来的那一圈格子画成虚线、浅色，一眼能看出不是原来的像素。"""
    return ["pad"] if not (p <= i < p + n and p <= j < p + n) else []


def padding_example():
    Y = corr2d_strided(X, K, padding=1)
    parts = (
        Grid(pad2d(X, 1).tolist(), "input", "补一圈 0 后的输入（5×5）", window(0, 0), padded),
        STAR,
        Grid(K.tolist(), "kernel", "卷积核", window(0, 0)),
        "=",
        Grid(Y.tolist(), "output", f"输出（{Y.shape[0]}×{Y.shape[1]}）", {(0, 0)}),
    )
    alt = (
        f"填充：3×3 的输入四周各补一圈 0 成为 5×5，与 2×2 的卷积核做互相关，"
        f"输出从 2×2 变为 {Y.shape[0]}×{Y.shape[1]}；左上角的窗口全是补出来的 0，"
        f"所以第一个输出是 {number(Y[0, 0])}。"
    )
    return figure(*parts, alt=alt), alt


def stride_example():
    stride = (3, 2)
    Y = corr2d_strided(X, K, padding=1, stride=stride)
    Xp = pad2d(X, 1)
    top, left = 0, stride[1]  # 第 0 行第 1 个输出的窗口
    terms = products(Xp[top : top + 2, left : left + 2], K)
    parts = (
        Grid(Xp.tolist(), "input", "补零后的输入", window(top, left), padded),
        STAR,
        Grid(K.tolist(), "kernel", "卷积核", window(0, 0)),
        "=",
        Grid(Y.tolist(), "output", "步幅 (3, 2) 的输出", {(0, 1)}),
    )
    alt = (
        f"步幅：补零后 5×5 的输入，卷积核每次向下跳 3 行、向右跳 2 列，只得到 "
        f"{Y.shape[0]}×{Y.shape[1]} 的输出；第 0 行第 1 个输出的窗口从第 2 列开始，"
        f"{terms} = {number(Y[0, 1])}。"
    )
    return figure(*parts, alt=alt), alt


def padding_explorer():
    """没有 JavaScript 时，本章卷积计算器的位置上显示的图（figures/explorer.py）。"""
    return stand_in("padding")


FIGURES = {
    "padding": padding_example,
    "stride": stride_example,
    "explorer-padding": padding_explorer,
}

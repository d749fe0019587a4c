"""《图像卷积》一章的图。每张图都调用 snippets.conv_layer 里的函数现算，
所以图上的数就是 corr2d 算出来的数。"""

import torch

from snippets.conv_layer import EDGE_KERNEL, corr2d, edge_image

from .svg import CELL, document, grid, label, number


def corr2d_example():
    X = torch.arange(9.0).reshape(3, 3)
    K = torch.arange(4.0).reshape(2, 2)
    Y = corr2d(X, K)
    window = {(0, 0), (0, 1), (1, 0), (1, 1)}
    top = 28
    kx = 3 * CELL + 60
    yx = kx + 2 * CELL + 60
    body = "".join(
        [
            label("输入 X", 1.5 * CELL, 16),
            grid(X.tolist(), 0, top, "input", highlight=window),
            label("★", 3 * CELL + 30, top + 1.5 * CELL, "op"),
            label("卷积核 K", kx + CELL, 16),
            grid(K.tolist(), kx, top, "kernel", highlight=window),
            label("=", kx + 2 * CELL + 30, top + 1.5 * CELL, "op"),
            label("输出 Y", yx + CELL, 16),
            grid(Y.tolist(), yx, top, "output", highlight={(0, 0)}),
        ]
    )
    first = " + ".join(
        f"{number(a)}×{number(b)}" for a, b in zip(X[:2, :2].flatten(), K.flatten(), strict=True)
    )
    alt = (
        f"二维互相关：3×3 输入 {fmt_rows(X)} 与 2×2 卷积核 {fmt_rows(K)} 得到 2×2 输出 "
        f"{fmt_rows(Y)}；第一个输出 {first} = {number(Y[0, 0])}，对应输入左上角的 2×2 窗口。"
    )
    return document(yx + 2 * CELL + 2, top + 3 * CELL + 2, body, alt), alt


def edge_detection():
    X = edge_image()
    Y = corr2d(X, EDGE_KERNEL)
    width = X.shape[1] * CELL
    gap = 70

    def sign(value):
        return ["pos"] if value > 0 else ["neg"] if value < 0 else []

    body = "".join(
        [
            label("输入 X（1 为白，0 为黑）", width / 2, 16),
            grid(X.tolist(), 0, 28, "input", classes=lambda v: ["ink"] if v == 0 else ["paper"]),
            label("→", width + gap / 2, 28 + X.shape[0] * CELL / 2, "op"),
            label("输出 Y = X ★ [1, −1]", width + gap + Y.shape[1] * CELL / 2, 16),
            grid(Y.tolist(), width + gap, 28, "output", classes=sign),
        ]
    )
    alt = (
        f"边缘检测：{X.shape[0]}×{X.shape[1]} 的输入中间 4 列为 0、两侧为 1；"
        f"与卷积核 [1, −1] 互相关后得到 {Y.shape[0]}×{Y.shape[1]} 的输出，"
        f"白到黑的边缘处为 1，黑到白的边缘处为 −1，其余为 0。"
    )
    total_width = width + gap + Y.shape[1] * CELL + 2
    return document(total_width, 28 + X.shape[0] * CELL + 2, body, alt), alt


def fmt_rows(T):
    return "[" + "; ".join(", ".join(number(v) for v in row) for row in T.tolist()) + "]"

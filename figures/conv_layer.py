"""《图像卷积》一章的图。每张图都调用 snippets.conv_layer 里的函数现算，
所以图上的数就是 corr2d 算出来的数。"""

from snippets.conv_layer import EDGE_KERNEL, K, X, corr2d, edge_image

from .svg import Grid, figure, number, products


def corr2d_example():
    Y = corr2d(X, K)
    window = {(0, 0), (0, 1), (1, 0), (1, 1)}
    parts = (
        Grid(X.tolist(), "input", "输入 X", window),
        "⋆",
        Grid(K.tolist(), "kernel", "卷积核 K", window),
        "=",
        Grid(Y.tolist(), "output", "输出 Y", {(0, 0)}),
    )
    first = products(X[:2, :2], K)
    alt = (
        f"二维互相关：3×3 输入 {fmt_rows(X)} 与 2×2 卷积核 {fmt_rows(K)} 得到 2×2 输出 "
        f"{fmt_rows(Y)}；第一个输出 {first} = {number(Y[0, 0])}，对应输入左上角的 2×2 窗口。"
    )
    return figure(*parts, alt=alt), alt


def edge_detection():
    X = edge_image()
    Y = corr2d(X, EDGE_KERNEL)

    def pixel(i, j, value):  # 这是一张图像：0 画成黑，1 画成白，与主题无关
        return ["ink"] if value == 0 else ["paper"]

    def sign(i, j, value):
        return ["pos"] if value > 0 else ["neg"] if value < 0 else []

    parts = (
        Grid(X.tolist(), "input", "输入 X（1 为白，0 为黑）", classes=pixel),
        "→",
        Grid(Y.tolist(), "output", "输出 Y = X ⋆ [1, −1]", classes=sign),
    )
    alt = (
        f"边缘检测：{X.shape[0]}×{X.shape[1]} 的输入中间 4 列为 0、两侧为 1；"
        f"与卷积核 [1, −1] 互相关后得到 {Y.shape[0]}×{Y.shape[1]} 的输出，"
        f"白到黑的边缘处为 1，黑到白的边缘处为 −1，其余为 0。"
    )
    return figure(*parts, alt=alt, gap=70), alt


def fmt_rows(T):
    return "[" + "; ".join(", ".join(number(v) for v in row) for row in T.tolist()) + "]"


FIGURES = {"corr2d-example": corr2d_example, "edge-detection": edge_detection}

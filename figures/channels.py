"""《多输入多输出通道》一章的图：两个输入通道各自互相关再相加；1×1 卷积在通道间做线性组合。"""

from snippets.channels import K_1X1 as K3
from snippets.channels import X_1X1 as X3
from snippets.channels import K as K2
from snippets.channels import X as X2
from snippets.channels import corr2d_multi_in, corr2d_multi_in_out_1x1

from .svg import NEWLINE, Grid, figure, number

WINDOW = {(0, 0), (0, 1), (1, 0), (1, 1)}


def two_channel_example():
    Y = corr2d_multi_in(X2, K2)
    parts = []
    for c in range(2):
        parts += [
            Grid(X2[c].tolist(), f"input{c}", f"输入通道 {c}", WINDOW),
            "⋆",
            Grid(K2[c].tolist(), f"kernel{c}", f"卷积核 {c}", WINDOW),
            NEWLINE,  # 窄图一行一项：通道 0 一行，“+ 通道 1”一行，“= 输出”一行
            "+" if c == 0 else "=",
        ]
    parts.append(Grid(Y.tolist(), "output", "输出", {(0, 0)}))
    terms = [
        " + ".join(
            f"{number(a)}×{number(b)}"
            for a, b in zip(x[:2, :2].flatten(), k.flatten(), strict=True)
        )
        for x, k in zip(X2, K2, strict=True)
    ]
    alt = (
        f"两个输入通道的互相关：每个通道用自己的 2×2 卷积核做互相关，再把两个结果相加，"
        f"得到 2×2 的输出；第一个输出是 ({terms[0]}) + ({terms[1]}) = {number(Y[0, 0])}。"
    )
    return figure(*parts, alt=alt, gap=44), alt


def one_by_one_example():
    Y = corr2d_multi_in_out_1x1(X3, K3)
    parts = [
        *[Grid(X3[c].tolist(), f"input{c}", f"输入通道 {c}") for c in range(3)],
        "×",
        Grid(K3[:, :, 0, 0].tolist(), "kernel", "1×1 卷积核（2×3）"),
        "=",
        *[Grid(Y[c].tolist(), f"output{c}", f"输出通道 {c}") for c in range(2)],
    ]
    alt = (
        "1×1 卷积：3 个输入通道、2 个输出通道，卷积核相当于一个 2×3 的矩阵；"
        "每个像素的 3 个通道值乘以这个矩阵得到 2 个输出值。这里第 0 个输出通道照抄输入通道 0，"
        f"第 1 个是三个通道之和，例如左上角 {number(X3[0, 0, 0])} + {number(X3[1, 0, 0])} + "
        f"{number(X3[2, 0, 0])} = {number(Y[1, 0, 0])}。"
    )
    return figure(*parts, alt=alt, gap=40), alt


FIGURES = {"two-channels": two_channel_example, "one-by-one": one_by_one_example}

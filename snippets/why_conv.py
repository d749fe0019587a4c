"""《为什么要用卷积》一章的代码：参数怎样一步步变少，卷积怎样是受约束的全连接层。

页面 docs/why-conv.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_why_conv.py 把它们和 torch.nn.functional 对照。
"""

import torch

from snippets.checks import (
    check_bool,
    check_elements,
    check_fits,
    check_int,
    check_loop,
    check_pair,
    check_tensor,
)
from snippets.conv_layer import corr2d


# --8<-- [start:param_counts]
def fc_param_count(num_inputs, num_outputs, bias=True):
    """全连接层的参数个数：每对（输入, 输出）一个权重，每个输出一个偏置。"""
    check_int("fc_param_count", "num_inputs", num_inputs)
    check_int("fc_param_count", "num_outputs", num_outputs)
    check_bool("fc_param_count", "bias", bias)
    return num_inputs * num_outputs + (num_outputs if bias else 0)


def conv_param_count(kernel_size, in_channels=1, out_channels=1, bias=True):
    """卷积层的参数个数：与输入图像多大无关，只看卷积核和通道数。"""
    k_h, k_w = check_pair("conv_param_count", "kernel_size", kernel_size)
    check_int("conv_param_count", "in_channels", in_channels)
    check_int("conv_param_count", "out_channels", out_channels)
    check_bool("conv_param_count", "bias", bias)
    return k_h * k_w * in_channels * out_channels + (out_channels if bias else 0)
    # --8<-- [end:param_counts]


# --8<-- [start:derivation]
def derivation_param_counts(height, width, delta):
    """从全连接到卷积的每一步，输出与输入同为 height×width 时的权重个数。"""
    check_int("derivation_param_counts", "height", height)
    check_int("derivation_param_counts", "width", width)
    check_int("derivation_param_counts", "delta", delta, minimum=0, maximum=min(height, width) - 1)
    pixels = height * width
    return {
        "全连接 W[i,j,k,l]": pixels * pixels,  # 每个输出像素 × 每个输入像素
        "重新索引 V[i,j,a,b]": pixels * pixels,  # 只是换个下标，一个都没少
        "平移不变 K[a,b]": (2 * height - 1) * (2 * width - 1),  # 只剩偏移 (a, b)
        "局部性 |a|,|b|≤Δ": (2 * delta + 1) ** 2,  # 只剩中心附近的偏移
    }
    # --8<-- [end:derivation]


# --8<-- [start:as_matrix]
def corr2d_as_matrix(K, input_shape):
    """把“用 K 做互相关”写成一个全连接层的权重矩阵 W，使 W @ X.flatten() 等于 corr2d(X, K)。

    W 的每一行对应一个输出像素，只在它的窗口里有非零值，而且每一行都是同一个 K：
    这就是卷积给全连接层加上的两条约束。
    """
    h, w = check_pair("corr2d_as_matrix", "input_shape", input_shape)
    check_tensor("corr2d_as_matrix", "K", K, ndim=2)
    check_fits("corr2d_as_matrix", K.shape, (h, w))
    k_h, k_w = K.shape
    out_h, out_w = h - k_h + 1, w - k_w + 1
    check_elements("corr2d_as_matrix", out_h * out_w * h * w, instead="corr2d")
    W = torch.zeros(out_h * out_w, h * w, dtype=K.dtype)
    for i in range(out_h):
        for j in range(out_w):
            row = W[i * out_w + j].view(h, w)  # 这一行看成一张输入大小的图
            row[i : i + k_h, j : j + k_w] = K
    return W
    # --8<-- [end:as_matrix]


# --8<-- [start:shift]
def shift2d(X, dy, dx):
    """把图像向下平移 dy、向右平移 dx 个像素（负数反向），移出去的丢掉，空出来的补 0。"""
    check_tensor("shift2d", "X", X, ndim=2, floating=False)  # 平移不做算术，任何 dtype 都行
    h, w = X.shape
    check_int("shift2d", "dy", dy, minimum=1 - h, maximum=h - 1)  # 再远就整张图都移出去了
    check_int("shift2d", "dx", dx, minimum=1 - w, maximum=w - 1)
    Y = torch.zeros_like(X)
    Y[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = X[
        max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
    ]
    return Y
    # --8<-- [end:shift]


# --8<-- [start:scene]
def make_scene(height, width, pattern, top, left, seed=0):
    """一张满是随机杂点的图，在 (top, left) 处藏进 pattern。"""
    check_int("make_scene", "height", height)
    check_int("make_scene", "width", width)
    check_tensor("make_scene", "pattern", pattern, ndim=2)
    check_fits("make_scene", pattern.shape, (height, width), window="图案", within="场景")
    p_h, p_w = pattern.shape
    check_int("make_scene", "top", top, minimum=0, maximum=height - p_h)  # 图案整个落在图内
    check_int("make_scene", "left", left, minimum=0, maximum=width - p_w)
    check_int("make_scene", "seed", seed, minimum=0)
    generator = torch.Generator().manual_seed(seed)
    scene = (torch.rand(height, width, generator=generator) < 0.3).float()  # 约 30% 的像素是亮点
    scene[top : top + p_h, left : left + p_w] = pattern
    return scene


def find_pattern(scene, pattern):
    """用图案本身（减去均值）做卷积核：与图案越像的窗口，响应越大。返回响应图和峰值位置。"""
    for name, t in (("scene", scene), ("pattern", pattern)):
        check_tensor("find_pattern", name, t, ndim=2)
        if not torch.isfinite(t).all():  # 有 NaN 时 argmax 会随便指一个位置
            raise ValueError(f"find_pattern: {name} 里有 NaN 或无穷大")
    check_fits("find_pattern", pattern.shape, scene.shape, window="图案", within="场景")
    kernel = pattern - pattern.mean()  # 减去均值，大片亮区不会因为“亮”而得高分
    response = corr2d(scene, kernel)
    peaks = (response == response.max()).nonzero()
    if len(peaks) > 1:  # 比如图案处处一样（1×1 的也是），减去均值后全是 0
        raise ValueError(f"find_pattern: {len(peaks)} 个位置的响应并列最大，说不出图案在哪")
    return response, tuple(peaks[0].tolist())
    # --8<-- [end:scene]


# --8<-- [start:ring]
# 正文和图共用的例子：5×5 的环形图案，藏在 24×32 的杂点场景里，左上角在 (14, 21)
RING = torch.tensor(
    [
        [0, 1, 1, 1, 0],
        [1, 0, 0, 0, 1],
        [1, 0, 1, 0, 1],
        [1, 0, 0, 0, 1],
        [0, 1, 1, 1, 0],
    ],
    dtype=torch.float32,
)
RING_SCENE = make_scene(24, 32, RING, top=14, left=21, seed=0)
# --8<-- [end:ring]


# --8<-- [start:convolve1d_full]
def convolve1d_full(f, g):
    """离散卷积 (f*g)(i) = Σ_a f(a) g(i-a)，对所有让两边都有定义的 a 求和。"""
    check_tensor("convolve1d_full", "f", f, ndim=1)
    check_tensor("convolve1d_full", "g", g, ndim=1)
    out = torch.zeros(len(f) + len(g) - 1, dtype=torch.result_type(f, g))
    check_loop("convolve1d_full", len(out) * len(f), instead="torch.nn.functional.conv1d")
    for i in range(len(out)):
        for a in range(len(f)):
            if 0 <= i - a < len(g):
                out[i] += f[a] * g[i - a]
    return out
    # --8<-- [end:convolve1d_full]


# --8<-- [start:channels]
def conv_from_equation(X, K):
    """按公式 Y[i,j,d] = Σ_{a,b,c} K[a,b,c,d] · X[i+a, j+b, c] 逐项计算，偏移 a、b 从 -Δ 到 Δ。

    X 的形状是 (高, 宽, 输入通道)，K 的形状是 (2Δ+1, 2Δ+1, 输入通道, 输出通道)。
    张量的下标从 0 开始：公式里偏移 a 的权重存在 K 的第 a+Δ 行（b 同理）；
    只计算窗口完全落在图内的位置，公式里的输出 (i, j) 存在 Y 的第 i-Δ 行、第 j-Δ 列。
    """
    check_tensor("conv_from_equation", "X", X, ndim=3)
    check_tensor("conv_from_equation", "K", K, ndim=4)
    side = K.shape[0]
    if K.shape[1] != side or side % 2 == 0:
        raise ValueError(
            f"conv_from_equation: K 的窗口应为奇数边长的正方形，得到 {tuple(K.shape[:2])}"
        )
    if K.shape[2] != X.shape[2]:
        raise ValueError(
            f"conv_from_equation: K 有 {K.shape[2]} 个输入通道，X 却有 {X.shape[2]} 个"
        )
    check_fits("conv_from_equation", K.shape[:2], X.shape[:2])
    h, w = X.shape[0] - side + 1, X.shape[1] - side + 1
    check_loop("conv_from_equation", h * w, instead="torch.nn.functional.conv2d")
    Y = torch.zeros(h, w, K.shape[3], dtype=torch.result_type(X, K))
    for i in range(h):
        for j in range(w):
            window = X[i : i + side, j : j + side]  # 公式里以 (i+Δ, j+Δ) 为中心的窗口
            Y[i, j] = torch.einsum("abc,abcd->d", window, K)
    return Y
    # --8<-- [end:channels]

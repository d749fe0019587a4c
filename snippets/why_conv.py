"""《从全连接层到卷积》一章的代码：参数怎样一步步变少，卷积怎样是受约束的全连接层。

页面 docs/why-conv.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_why_conv.py 把它们和 torch.nn.functional 对照。
"""

import torch

from snippets.conv_layer import check_input_and_kernel, corr2d


# --8<-- [start:param_counts]
def check_positive_ints(name, **values):
    """检查每个参数都是正整数（True/False 不算），否则抛出写明参数名的 ValueError。"""
    for key, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name}: {key} 应为正整数，得到 {value!r}")


def fc_param_count(num_inputs, num_outputs, bias=True):
    """全连接层的参数个数：每对（输入, 输出）一个权重，每个输出一个偏置。"""
    check_positive_ints("fc_param_count", num_inputs=num_inputs, num_outputs=num_outputs)
    return num_inputs * num_outputs + (num_outputs if bias else 0)


def conv_param_count(kernel_size, in_channels=1, out_channels=1, bias=True):
    """卷积层的参数个数：与输入图像多大无关，只看卷积核和通道数。"""
    k_h, k_w = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    check_positive_ints(
        "conv_param_count", k_h=k_h, k_w=k_w, in_channels=in_channels, out_channels=out_channels
    )
    return k_h * k_w * in_channels * out_channels + (out_channels if bias else 0)
    # --8<-- [end:param_counts]


# --8<-- [start:derivation]
def derivation_param_counts(height, width, delta):
    """从全连接到卷积的每一步，隐藏表示与输入同为 height×width 时的权重个数。"""
    check_positive_ints("derivation_param_counts", height=height, width=width)
    if not isinstance(delta, int) or not 0 <= delta < min(height, width):
        largest = min(height, width) - 1
        raise ValueError(f"derivation_param_counts: delta 应在 0 到 {largest} 之间，得到 {delta!r}")
    pixels = height * width
    return {
        "全连接 W[i,j,k,l]": pixels * pixels,  # 每个输出像素 × 每个输入像素
        "重新索引 V[i,j,a,b]": pixels * pixels,  # 只是换个下标，一个都没少
        "平移不变 V[a,b]": (2 * height - 1) * (2 * width - 1),  # 只剩偏移 (a, b)
        "局部性 |a|,|b|≤Δ": (2 * delta + 1) ** 2,  # 只剩中心附近的偏移
    }
    # --8<-- [end:derivation]


# --8<-- [start:as_matrix]
def corr2d_as_matrix(K, input_shape):
    """把“用 K 做互相关”写成一个全连接层的权重矩阵 W，使 W @ X.flatten() 等于 corr2d(X, K)。

    W 的每一行对应一个输出像素，只在它的窗口里有非零值，而且每一行都是同一个 K：
    这就是卷积给全连接层加上的两条约束。
    """
    h, w = input_shape
    check_input_and_kernel("corr2d_as_matrix", torch.zeros(h, w), K, ndim=2)
    k_h, k_w = K.shape
    out_h, out_w = h - k_h + 1, w - k_w + 1
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
    if not isinstance(X, torch.Tensor) or X.dim() != 2:
        raise ValueError(f"shift2d: X 应为二维张量，得到 {getattr(X, 'shape', type(X).__name__)}")
    h, w = X.shape
    if abs(dy) >= h or abs(dx) >= w:
        raise ValueError(f"shift2d: 平移 ({dy}, {dx}) 超出了图像大小 ({h}, {w})")
    Y = torch.zeros_like(X)
    Y[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = X[
        max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
    ]
    return Y
    # --8<-- [end:shift]


# --8<-- [start:scene]
def make_scene(height, width, pattern, top, left, seed=0):
    """一张满是随机杂点的图，在 (top, left) 处藏进 pattern。"""
    check_positive_ints("make_scene", height=height, width=width)
    check_input_and_kernel("make_scene", torch.zeros(height, width), pattern, ndim=2)
    p_h, p_w = pattern.shape
    if not (0 <= top <= height - p_h and 0 <= left <= width - p_w):
        raise ValueError(f"make_scene: 图案放在 ({top}, {left}) 会超出 {height}×{width} 的图")
    generator = torch.Generator().manual_seed(seed)
    scene = (torch.rand(height, width, generator=generator) < 0.3).float()  # 约 30% 的像素是亮点
    scene[top : top + p_h, left : left + p_w] = pattern
    return scene


def find_pattern(scene, pattern):
    """用图案本身（减去均值）做卷积核：与图案越像的窗口，响应越大。返回响应图和峰值位置。"""
    kernel = pattern - pattern.mean()  # 减去均值，大片亮区不会因为“亮”而得高分
    response = corr2d(scene, kernel)
    peak = int(response.argmax())
    return response, divmod(peak, response.shape[1])
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
    for name, t in (("f", f), ("g", g)):
        if not isinstance(t, torch.Tensor) or t.dim() != 1 or t.numel() == 0:
            raise ValueError(f"convolve1d_full: {name} 应为非空的一维张量")
    out = torch.zeros(len(f) + len(g) - 1, dtype=torch.result_type(f, g))
    for i in range(len(out)):
        for a in range(len(f)):
            if 0 <= i - a < len(g):
                out[i] += f[a] * g[i - a]
    return out
    # --8<-- [end:convolve1d_full]


# --8<-- [start:channels]
def conv_from_equation(X, V):
    """按公式 H[i,j,d] = Σ_{a,b,c} V[a,b,c,d] · X[i+a, j+b, c] 逐项计算。

    X 的形状是 (高, 宽, 输入通道)，V 的形状是 (2Δ+1, 2Δ+1, 输入通道, 输出通道)，
    a、b 从 -Δ 到 Δ；只计算窗口完全落在图内的位置 (i, j)。
    """
    if not (isinstance(X, torch.Tensor) and X.dim() == 3):
        got = getattr(X, "shape", type(X).__name__)
        raise ValueError(f"conv_from_equation: X 应为 (高, 宽, 通道) 三维张量，得到 {got}")
    if not (isinstance(V, torch.Tensor) and V.dim() == 4 and V.shape[0] == V.shape[1]):
        raise ValueError("conv_from_equation: V 应为 (2Δ+1, 2Δ+1, 输入通道, 输出通道) 四维张量")
    if V.shape[0] % 2 == 0 or V.shape[2] != X.shape[2]:
        raise ValueError(
            f"conv_from_equation: V 的形状 {tuple(V.shape)} 与 X 的形状 {tuple(X.shape)} 不匹配"
        )
    delta = V.shape[0] // 2
    h, w = X.shape[0] - 2 * delta, X.shape[1] - 2 * delta
    if h < 1 or w < 1:
        raise ValueError(
            f"conv_from_equation: 窗口 {tuple(V.shape[:2])} 大于图像 {tuple(X.shape[:2])}"
        )
    H = torch.zeros(h, w, V.shape[3], dtype=torch.result_type(X, V))
    for i in range(h):
        for j in range(w):
            window = X[i : i + 2 * delta + 1, j : j + 2 * delta + 1]  # 以 (i+Δ, j+Δ) 为中心
            H[i, j] = torch.einsum("abc,abcd->d", window, V)
    return H
    # --8<-- [end:channels]

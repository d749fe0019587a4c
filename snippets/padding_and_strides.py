"""《填充与步幅》一章的代码：补零、跳着滑动，以及输出形状的通用公式。

本站的填充 p 指**每一侧**补的行数（列数），与 PyTorch 的 padding 参数相同。
页面 docs/padding-and-strides.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_padding_and_strides.py 把它们和 torch.nn.functional.conv2d 对照。
"""

import torch


# --8<-- [start:pair]
def as_pair(name, value, minimum):
    """把 3 或 (3, 5) 统一成 (高, 宽) 两个整数，并检查都不小于 minimum。"""
    pair = (value, value) if isinstance(value, int) else value
    if (
        not isinstance(pair, (tuple, list))
        or len(pair) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in pair)
    ):
        raise ValueError(f"{name} 应为整数或两个整数，得到 {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} 不能小于 {minimum}，得到 {value!r}")
    return tuple(pair)
    # --8<-- [end:pair]


# --8<-- [start:pad2d]
def pad2d(X, padding):
    """在二维张量 X 的上下各补 p_h 行 0、左右各补 p_w 列 0。"""
    if not isinstance(X, torch.Tensor) or X.dim() != 2:
        raise ValueError(f"pad2d: X 应为二维张量，得到 {getattr(X, 'shape', type(X).__name__)}")
    p_h, p_w = as_pair("pad2d: padding", padding, minimum=0)
    h, w = X.shape
    Y = torch.zeros(h + 2 * p_h, w + 2 * p_w, dtype=X.dtype)
    Y[p_h : p_h + h, p_w : p_w + w] = X
    return Y
    # --8<-- [end:pad2d]


# --8<-- [start:corr2d_strided]
def corr2d_strided(X, K, padding=0, stride=1):
    """先补零，再让卷积核每次向下跳 s_h 行、向右跳 s_w 列地做互相关。"""
    for name, t in (("X", X), ("K", K)):
        if not isinstance(t, torch.Tensor) or t.dim() != 2 or t.numel() == 0:
            got = getattr(t, "shape", type(t).__name__)
            raise ValueError(f"corr2d_strided: {name} 应为非空的二维张量，得到 {got}")
    X = pad2d(X, padding)
    s_h, s_w = as_pair("corr2d_strided: stride", stride, minimum=1)
    k_h, k_w = K.shape
    if k_h > X.shape[0] or k_w > X.shape[1]:
        raise ValueError(
            f"corr2d_strided: 卷积核形状 {tuple(K.shape)} 大于填充后的输入形状 {tuple(X.shape)}"
        )
    out_h = (X.shape[0] - k_h) // s_h + 1
    out_w = (X.shape[1] - k_w) // s_w + 1
    Y = torch.zeros(out_h, out_w, dtype=torch.result_type(X, K))
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * s_h, j * s_w  # 第 (i, j) 个窗口的左上角
            Y[i, j] = (X[top : top + k_h, left : left + k_w] * K).sum()
    return Y
    # --8<-- [end:corr2d_strided]


# --8<-- [start:output_shape]
def conv_output_shape(input_size, kernel_size, padding=0, stride=1, dilation=1):
    """输出形状的通用公式：⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1，高和宽各算一次。

    参数可以是整数（高宽相同）或 (高, 宽)；全是整数时返回整数，否则返回 (高, 宽)。
    """
    args = {"input_size": input_size, "kernel_size": kernel_size, "stride": stride}
    n, k, s = (as_pair(f"conv_output_shape: {name}", v, 1) for name, v in args.items())
    p = as_pair("conv_output_shape: padding", padding, minimum=0)
    d = as_pair("conv_output_shape: dilation", dilation, minimum=1)
    out = []
    for n_, k_, p_, s_, d_ in zip(n, k, p, s, d, strict=True):
        reach = d_ * (k_ - 1) + 1  # 空洞卷积核实际覆盖的宽度
        if reach > n_ + 2 * p_:
            raise ValueError(
                f"conv_output_shape: 卷积核覆盖 {reach} 格，大于填充后的输入 {n_ + 2 * p_} 格"
            )
        out.append((n_ + 2 * p_ - reach) // s_ + 1)
    everything = (input_size, kernel_size, padding, stride, dilation)
    return out[0] if all(isinstance(v, int) for v in everything) else tuple(out)
    # --8<-- [end:output_shape]

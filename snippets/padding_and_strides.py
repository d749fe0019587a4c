"""《填充与步幅》一章的代码：补零、跳着滑动，以及输出形状的通用公式。

本站的填充 p 指**每一侧**补的行数（列数），与 PyTorch 的 padding 参数相同。
页面 docs/padding-and-strides.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_padding_and_strides.py 把它们和 torch.nn.functional.conv2d 对照。
"""

import torch

from snippets.checks import check_elements, check_fits, check_loop, check_pair, check_tensor


# --8<-- [start:pad2d]
def pad2d(X, padding):
    """在二维张量 X 的上下各补 p_h 行 0、左右各补 p_w 列 0。"""
    check_tensor("pad2d", "X", X, ndim=2, floating=False)  # 补零对任何 dtype 都是精确的
    p_h, p_w = check_pair("pad2d", "padding", padding, minimum=0)
    h, w = X.shape
    check_elements("pad2d", (h + 2 * p_h) * (w + 2 * p_w), instead="torch.nn.functional.pad")
    Y = torch.zeros(h + 2 * p_h, w + 2 * p_w, dtype=X.dtype)
    Y[p_h : p_h + h, p_w : p_w + w] = X
    return Y
    # --8<-- [end:pad2d]


# --8<-- [start:corr2d_strided]
def corr2d_strided(X, K, padding=0, stride=1):
    """先补零，再让卷积核每次向下跳 s_h 行、向右跳 s_w 列地做互相关。"""
    check_tensor("corr2d_strided", "X", X, ndim=2)
    check_tensor("corr2d_strided", "K", K, ndim=2)
    check_pair("corr2d_strided", "padding", padding, minimum=0)
    s_h, s_w = check_pair("corr2d_strided", "stride", stride)
    X = pad2d(X, padding)
    check_fits("corr2d_strided", K.shape, X.shape, within="填充后的输入")
    k_h, k_w = K.shape
    out_h = (X.shape[0] - k_h) // s_h + 1
    out_w = (X.shape[1] - k_w) // s_w + 1
    check_loop("corr2d_strided", out_h * out_w, instead="torch.nn.functional.conv2d")
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
    name = "conv_output_shape"
    n = check_pair(name, "input_size", input_size)
    k = check_pair(name, "kernel_size", kernel_size)
    p = check_pair(name, "padding", padding, minimum=0)
    s = check_pair(name, "stride", stride)
    d = check_pair(name, "dilation", dilation)
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

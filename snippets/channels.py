"""《多输入多输出通道》一章的代码：每个输入通道一个卷积核再求和，每个输出通道一组卷积核。

页面 docs/channels.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_channels.py 把它们和 torch.nn.functional.conv2d、nn.Linear 对照。
"""

import torch

from snippets.checks import check_fits, check_int, check_loop, check_pair, check_tensor
from snippets.conv_layer import corr2d


# --8<-- [start:check]
def check_channels(fn, X, K, kernel_dims, loops=True):
    """X 应为 (c_i, n_h, n_w)；K 应为 kernel_dims 维，倒数第三维等于 c_i，窗口放得进 X。

    loops=True 时还检查逐通道循环的总步数（1×1 卷积是一次矩阵乘法，不用查）。
    """
    check_tensor(fn, "X", X, ndim=3)
    check_tensor(fn, "K", K, ndim=kernel_dims)
    if K.shape[-3] != X.shape[0]:
        raise ValueError(
            f"{fn}: 卷积核有 {K.shape[-3]} 个输入通道，输入 X 却有 {X.shape[0]} 个通道"
        )
    check_fits(fn, K.shape[-2:], X.shape[1:])
    if loops:  # 每个 (输出通道, 输入通道) 做一次 corr2d，每次走 out_h × out_w 步
        out_h, out_w = X.shape[1] - K.shape[-2] + 1, X.shape[2] - K.shape[-1] + 1
        steps = K.shape[:-2].numel() * out_h * out_w
        check_loop(fn, steps, instead="torch.nn.functional.conv2d")
    # --8<-- [end:check]


# --8<-- [start:example]
# 两个输入通道的例子：通道 0 是 0 到 8，通道 1 每个数大 1；每个通道配一个 2×2 的卷积核
X = torch.tensor(
    [
        [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
    ]
)
K = torch.tensor([[[0.0, 1.0], [2.0, 3.0]], [[1.0, 2.0], [3.0, 4.0]]])
# --8<-- [end:example]


# --8<-- [start:multi_in]
def corr2d_multi_in(X, K):
    """多输入通道：每个通道各用自己的卷积核做互相关，再把结果加起来。"""
    check_channels("corr2d_multi_in", X, K, kernel_dims=3)
    return sum(corr2d(x, k) for x, k in zip(X, K, strict=True))
    # --8<-- [end:multi_in]


# --8<-- [start:multi_in_out]
def corr2d_multi_in_out(X, K):
    """多输出通道：K 的每个 (c_i, k_h, k_w) 切片产生一个输出通道，叠在一起。"""
    check_channels("corr2d_multi_in_out", X, K, kernel_dims=4)
    return torch.stack([corr2d_multi_in(X, k) for k in K])
    # --8<-- [end:multi_in_out]


# --8<-- [start:one_by_one]
def corr2d_multi_in_out_1x1(X, K):
    """1×1 卷积就是在每个像素上做同一个全连接层：(c_o, c_i) 矩阵乘以 (c_i, n_h·n_w) 矩阵。"""
    check_channels("corr2d_multi_in_out_1x1", X, K, kernel_dims=4, loops=False)
    if K.shape[2:] != (1, 1):
        raise ValueError(f"corr2d_multi_in_out_1x1: 卷积核应为 1×1，得到 {tuple(K.shape[2:])}")
    c_i, n_h, n_w = X.shape
    Y = K.reshape(K.shape[0], c_i) @ X.reshape(c_i, n_h * n_w)
    return Y.reshape(K.shape[0], n_h, n_w)
    # --8<-- [end:one_by_one]


# --8<-- [start:example_1x1]
# 1×1 卷积的例子：3 个输入通道（0 到 26），2 个输出通道；
# 权重矩阵的第一行只取通道 0，第二行把三个通道加起来
X_1X1 = torch.arange(27.0).reshape(3, 3, 3)
K_1X1 = torch.tensor([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]]).reshape(2, 3, 1, 1)
# --8<-- [end:example_1x1]


# --8<-- [start:cost]
def conv_cost(c_in, c_out, kernel_size, out_size):
    """一个卷积层的参数个数（含偏置）和乘加次数（每个输出元素 c_in·k_h·k_w 次）。"""
    check_int("conv_cost", "c_in", c_in)
    check_int("conv_cost", "c_out", c_out)
    k_h, k_w = check_pair("conv_cost", "kernel_size", kernel_size)
    o_h, o_w = check_pair("conv_cost", "out_size", out_size)
    params = c_out * c_in * k_h * k_w + c_out
    macs = c_out * o_h * o_w * c_in * k_h * k_w
    return params, macs
    # --8<-- [end:cost]

"""《从卷积层到卷积网络》一章的代码：卷积核看见什么、分组卷积、逐层统计一个网络。

页面 docs/conv-net.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_conv_net.py 把它们和 torch.nn.functional 对照。
"""

import torch
from torch import nn
from torch.nn import functional as F

from snippets.channels import conv_cost, corr2d_multi_in_out, corr2d_multi_in_out_1x1
from snippets.checks import (
    check_bool,
    check_elements,
    check_fits,
    check_int,
    check_loop,
    check_pair,
    check_tensor,
)

# ==== 区域 gallery 开始（助手 G） ====
# ==== 区域 gallery 结束 ====


# ==== 区域 groups 开始（助手 B） ====
# --8<-- [start:check_groups]
def check_groups(fn, X, K, groups, kernel="K"):
    """X 应为 (c_i, n_h, n_w)，K 应为 (c_o, c_i/groups, k_h, k_w)；c_i、c_o 都能被 groups 整除。

    kernel 是错误消息里卷积核的名字。
    """
    check_tensor(fn, "X", X, ndim=3)
    check_tensor(fn, kernel, K, ndim=4)
    check_int(fn, "groups", groups)
    c_i, c_o = X.shape[0], K.shape[0]
    if c_i % groups != 0:
        raise ValueError(f"{fn}: 输入 X 有 {c_i} 个通道，不能被 groups = {groups} 整除")
    if c_o % groups != 0:
        raise ValueError(f"{fn}: {kernel} 有 {c_o} 个输出通道，不能被 groups = {groups} 整除")
    if K.shape[1] != c_i // groups:
        raise ValueError(
            f"{fn}: {kernel} 每组应有 {c_i} / {groups} = {c_i // groups} 个输入通道，"
            f"得到 {K.shape[1]}（形状 {tuple(K.shape)}）"
        )
    check_fits(fn, K.shape[2:], X.shape[1:])
    # 每个 (输出通道, 组内的输入通道) 做一次 corr2d，每次走 o_h × o_w 步
    out_h, out_w = X.shape[1] - K.shape[2] + 1, X.shape[2] - K.shape[3] + 1
    check_loop(
        fn, c_o * K.shape[1] * out_h * out_w, instead="torch.nn.functional.conv2d(..., groups=...)"
    )
    # --8<-- [end:check_groups]


# --8<-- [start:grouped]
def conv2d_grouped(X, K, groups, bias=None):
    """分组卷积：通道分成 groups 组，第 m 组的输出通道只看第 m 组的输入通道。

    X 为 (c_i, n_h, n_w)，K 为 (c_o, c_i/groups, k_h, k_w)，bias 为 None 或 c_o 个偏置。
    """
    check_groups("conv2d_grouped", X, K, groups)
    if bias is not None:
        check_tensor("conv2d_grouped", "bias", bias, ndim=1)
        if len(bias) != K.shape[0]:
            raise ValueError(
                f"conv2d_grouped: bias 应有 {K.shape[0]} 个数（每个输出通道一个），得到 {len(bias)}"
            )
    c_in, c_out = X.shape[0] // groups, K.shape[0] // groups  # 每组的输入、输出通道数
    outputs = []
    for m in range(groups):
        X_m = X[m * c_in : (m + 1) * c_in]  # 第 m 组的输入通道
        K_m = K[m * c_out : (m + 1) * c_out]  # 第 m 组的输出通道用的卷积核
        outputs.append(corr2d_multi_in_out(X_m, K_m))
    Y = torch.cat(outputs)  # 各组的输出通道依次排好
    return Y if bias is None else Y + bias[:, None, None]
    # --8<-- [end:grouped]


# --8<-- [start:as_dense]
def grouped_as_dense(K, groups):
    """把分组卷积的卷积核 (c_o, c_i/groups, k_h, k_w) 摊成普通卷积的 (c_o, c_i, k_h, k_w)。

    第 m 组输出通道只在第 m 组输入通道的位置上有卷积核，其余位置是 0：按通道看是块对角的。
    只是搬运数值，对任何 dtype 都精确。
    """
    check_tensor("grouped_as_dense", "K", K, ndim=4, floating=False)
    check_int("grouped_as_dense", "groups", groups)
    c_o, c_in = K.shape[0], K.shape[1]  # c_in 是每组的输入通道数
    if c_o % groups != 0:
        raise ValueError(f"grouped_as_dense: K 有 {c_o} 个输出通道，不能被 groups = {groups} 整除")
    check_elements(
        "grouped_as_dense",
        K.numel() * groups,
        instead="torch.nn.functional.conv2d(..., groups=...)",
    )
    c_out = c_o // groups
    dense = torch.zeros(c_o, c_in * groups, *K.shape[2:], dtype=K.dtype)
    for m in range(groups):
        rows = slice(m * c_out, (m + 1) * c_out)  # 第 m 组的输出通道
        cols = slice(m * c_in, (m + 1) * c_in)  # 第 m 组的输入通道
        dense[rows, cols] = K[rows]
    return dense
    # --8<-- [end:as_dense]


# --8<-- [start:separable]
def depthwise_separable(X, K_depth, K_point):
    """深度可分离卷积：逐深度卷积（groups = c_i，每个输入通道一个卷积核）后接 1×1 卷积。

    X 为 (c_i, n_h, n_w)，K_depth 为 (c_i, 1, k_h, k_w)，K_point 为 (c_o, c_i, 1, 1)。
    """
    fn = "depthwise_separable"
    check_tensor(fn, "X", X, ndim=3)
    c_i = X.shape[0]
    check_groups(fn, X, K_depth, groups=c_i, kernel="K_depth")
    if K_depth.shape[0] != c_i:
        raise ValueError(
            f"{fn}: K_depth 应有 {c_i} 个卷积核（每个输入通道一个），得到 {K_depth.shape[0]}"
        )
    check_tensor(fn, "K_point", K_point, ndim=4)
    if K_point.shape[1:] != (c_i, 1, 1):
        raise ValueError(f"{fn}: K_point 应为 (c_o, {c_i}, 1, 1)，得到 {tuple(K_point.shape)}")
    Y = conv2d_grouped(X, K_depth, groups=c_i)  # 逐深度：每个通道只和自己的卷积核互相关
    return corr2d_multi_in_out_1x1(Y, K_point)  # 逐点：1×1 卷积在每个像素上混合通道
    # --8<-- [end:separable]


# --8<-- [start:cost]
def grouped_conv_cost(c_in, c_out, kernel_size, out_size, groups=1, bias=True):
    """分组卷积层的参数个数和乘加次数：它就是 groups 个 (c_in/groups → c_out/groups) 的小卷积层。

    每个输出元素做 (c_in/groups)·k_h·k_w 次乘加；bias=False 时不数偏置。
    """
    fn = "grouped_conv_cost"
    check_int(fn, "c_in", c_in)
    check_int(fn, "c_out", c_out)
    check_pair(fn, "kernel_size", kernel_size)
    check_pair(fn, "out_size", out_size)
    check_int(fn, "groups", groups)
    check_bool(fn, "bias", bias)
    for name, channels in (("c_in", c_in), ("c_out", c_out)):
        if channels % groups != 0:
            raise ValueError(f"{fn}: {name} = {channels} 不能被 groups = {groups} 整除")
    params, macs = conv_cost(c_in // groups, c_out // groups, kernel_size, out_size)
    if not bias:
        params -= c_out // groups  # conv_cost 给每个输出通道数了一个偏置
    return groups * params, groups * macs
    # --8<-- [end:cost]


# ==== 区域 groups 结束 ====


# ==== 区域 count 开始（主会话） ====
# ==== 区域 count 结束 ====

"""《图像卷积》一章的代码：互相关、卷积层、边缘检测与学习卷积核。

页面 docs/conv-layer.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_conv_layer.py 把它们逐一和 torch.nn.functional 对照。
"""

import torch
from torch import nn

from snippets.checks import (
    check_fits,
    check_int,
    check_loop,
    check_pair,
    check_positive_number,
    check_tensor,
)


# --8<-- [start:corr2d]
def corr2d(X, K):
    """二维互相关：K 在 X 上从左到右、从上到下滑动，每个位置按元素相乘再求和。"""
    check_tensor("corr2d", "X", X, ndim=2)
    check_tensor("corr2d", "K", K, ndim=2)
    check_fits("corr2d", K.shape, X.shape)
    h, w = K.shape
    out_h, out_w = X.shape[0] - h + 1, X.shape[1] - w + 1
    check_loop("corr2d", out_h * out_w, instead="torch.nn.functional.conv2d")
    # 输出的 dtype 跟随输入：float64 进 float64 出
    Y = torch.zeros(out_h, out_w, dtype=torch.result_type(X, K))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y
    # --8<-- [end:corr2d]


# --8<-- [start:conv2d_layer]
class Conv2D(nn.Module):
    """最简单的二维卷积层：一个可学习的卷积核 weight 和一个标量偏置 bias。"""

    def __init__(self, kernel_size):
        super().__init__()
        kernel_size = check_pair("Conv2D", "kernel_size", kernel_size)
        # 权重随机初始化；调用前用 torch.manual_seed 固定随机数，结果才可复现
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
        # --8<-- [end:conv2d_layer]


# --8<-- [start:example]
# 正文和图反复用到的小例子：3×3 的输入是 0 到 8，2×2 的卷积核是 0 到 3
# --8<-- [start:example_input]
X = torch.arange(9.0).reshape(3, 3)
# --8<-- [end:example_input]
K = torch.arange(4.0).reshape(2, 2)
# --8<-- [end:example]


# --8<-- [start:edge_data]
def edge_image():
    """6×8 的黑白图像：中间四列为 0（黑），两侧为 1（白）。"""
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    return X


# 左右相邻的两个像素相同时输出 0，不同时输出非 0
EDGE_KERNEL = torch.tensor([[1.0, -1.0]])
# --8<-- [end:edge_data]


# --8<-- [start:learn_kernel]
def learn_kernel(X, Y, kernel_size, steps=30, lr=0.014, seed=0):
    """只给输入 X 和输出 Y，用梯度下降学出卷积核。返回卷积层和每一步的损失。"""
    check_pair("learn_kernel", "kernel_size", kernel_size)
    check_int("learn_kernel", "steps", steps)
    check_positive_number("learn_kernel", "lr", lr)
    check_int("learn_kernel", "seed", seed, minimum=0)
    check_tensor("learn_kernel", "X", X, ndim=2)
    check_tensor("learn_kernel", "Y", Y, ndim=2)
    torch.manual_seed(seed)
    conv = Conv2D(kernel_size)
    out = conv(X)  # 卷积核比 X 大时，corr2d 在这里报错
    if Y.shape != out.shape:  # 否则相减时会悄悄广播，损失就算错了
        raise ValueError(
            f"learn_kernel: Y 的形状 {tuple(Y.shape)} 与卷积输出 {tuple(out.shape)} 不同"
        )
    check_loop("learn_kernel", steps * out.numel(), instead="torch.nn.Conv2d 和 torch.optim")
    losses = []
    for _ in range(steps):
        loss = ((conv(X) - Y) ** 2).sum()  # 对所有输出位置求和，所以学习率取得小
        conv.zero_grad()
        loss.backward()
        with torch.no_grad():  # 手写的梯度下降一步
            conv.weight -= lr * conv.weight.grad
            conv.bias -= lr * conv.bias.grad
        losses.append(loss.item())
    return conv, losses
    # --8<-- [end:learn_kernel]


# --8<-- [start:convolve2d]
def convolve2d(X, K):
    """二维严格卷积（数学中的卷积）：把卷积核上下、左右各翻转一次，再做互相关。"""
    check_tensor("convolve2d", "X", X, ndim=2)
    check_tensor("convolve2d", "K", K, ndim=2)  # 翻转之前先确认 K 是二维张量
    return corr2d(X, torch.flip(K, dims=(0, 1)))
    # --8<-- [end:convolve2d]


# --8<-- [start:corr1d]
def corr1d(x, k):
    """一维互相关：适合文本、语音、时间序列。"""
    check_tensor("corr1d", "x", x, ndim=1)
    check_tensor("corr1d", "k", k, ndim=1)
    check_fits("corr1d", k.shape, x.shape)
    y = torch.zeros(len(x) - len(k) + 1, dtype=torch.result_type(x, k))
    check_loop("corr1d", len(y), instead="torch.nn.functional.conv1d")
    for i in range(len(y)):
        y[i] = (x[i : i + len(k)] * k).sum()
    return y
    # --8<-- [end:corr1d]


# --8<-- [start:corr3d]
def corr3d(X, K):
    """三维互相关：适合视频、医学体数据、气象场。"""
    check_tensor("corr3d", "X", X, ndim=3)
    check_tensor("corr3d", "K", K, ndim=3)
    check_fits("corr3d", K.shape, X.shape)
    d, h, w = K.shape
    out_shape = [n - k + 1 for n, k in zip(X.shape, K.shape, strict=True)]
    check_loop(
        "corr3d", out_shape[0] * out_shape[1] * out_shape[2], instead="torch.nn.functional.conv3d"
    )
    Y = torch.zeros(out_shape, dtype=torch.result_type(X, K))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            for m in range(Y.shape[2]):
                Y[i, j, m] = (X[i : i + d, j : j + h, m : m + w] * K).sum()
    return Y
    # --8<-- [end:corr3d]

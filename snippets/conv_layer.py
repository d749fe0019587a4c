"""《图像卷积》一章的代码：互相关、卷积层、边缘检测与学习卷积核。

页面 docs/conv-layer.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_conv_layer.py 把它们逐一和 torch.nn.functional 对照。
"""

import torch
from torch import nn


# --8<-- [start:check]
def check_input_and_kernel(name, X, K, ndim):
    """检查 X 和 K 都是 ndim 维的非空张量，且 K 在每一维上都不比 X 大。

    出错时抛出 ValueError，消息里写明函数名和出问题的形状，
    免得错误的输入悄悄算出一个错误的结果。
    """
    for arg, t in (("X", X), ("K", K)):
        if not isinstance(t, torch.Tensor):
            raise ValueError(f"{name}: {arg} 应为 torch.Tensor，得到 {type(t).__name__}")
        if t.dim() != ndim:
            raise ValueError(f"{name}: {arg} 应为 {ndim} 维张量，得到形状 {tuple(t.shape)}")
        if t.numel() == 0:
            raise ValueError(f"{name}: {arg} 是空张量，形状 {tuple(t.shape)}")
    if any(k > n for k, n in zip(K.shape, X.shape, strict=True)):
        raise ValueError(f"{name}: 卷积核形状 {tuple(K.shape)} 大于输入形状 {tuple(X.shape)}")
    # --8<-- [end:check]


# --8<-- [start:corr2d]
def corr2d(X, K):
    """二维互相关：K 在 X 上从左到右、从上到下滑动，每个位置按元素相乘再求和。"""
    check_input_and_kernel("corr2d", X, K, ndim=2)
    h, w = K.shape
    # 输出的 dtype 跟随输入：整数进整数出，float64 进 float64 出
    Y = torch.zeros(X.shape[0] - h + 1, X.shape[1] - w + 1, dtype=torch.result_type(X, K))
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
        if not (
            isinstance(kernel_size, (tuple, list))
            and len(kernel_size) == 2
            and all(isinstance(k, int) and k >= 1 for k in kernel_size)
        ):
            raise ValueError(f"Conv2D: kernel_size 应为两个正整数，得到 {kernel_size}")
        # 权重随机初始化；调用前用 torch.manual_seed 固定随机数，结果才可复现
        self.weight = nn.Parameter(torch.rand(tuple(kernel_size)))
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
    torch.manual_seed(seed)
    conv = Conv2D(kernel_size)
    out_shape = tuple(conv(X).shape)
    if tuple(Y.shape) != out_shape:  # 否则相减时会悄悄广播，损失就算错了
        raise ValueError(f"learn_kernel: Y 的形状 {tuple(Y.shape)} 与卷积输出 {out_shape} 不同")
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
    """数学意义上的二维卷积：把卷积核上下、左右各翻转一次，再做互相关。"""
    check_input_and_kernel("convolve2d", X, K, ndim=2)
    return corr2d(X, torch.flip(K, dims=(0, 1)))
    # --8<-- [end:convolve2d]


# --8<-- [start:corr1d]
def corr1d(x, k):
    """一维互相关：适合文本、语音、时间序列。"""
    check_input_and_kernel("corr1d", x, k, ndim=1)
    y = torch.zeros(len(x) - len(k) + 1, dtype=torch.result_type(x, k))
    for i in range(len(y)):
        y[i] = (x[i : i + len(k)] * k).sum()
    return y
    # --8<-- [end:corr1d]


# --8<-- [start:corr3d]
def corr3d(X, K):
    """三维互相关：适合视频、医学体数据、气象场。"""
    check_input_and_kernel("corr3d", X, K, ndim=3)
    d, h, w = K.shape
    out_shape = [n - k + 1 for n, k in zip(X.shape, K.shape, strict=True)]
    Y = torch.zeros(out_shape, dtype=torch.result_type(X, K))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            for m in range(Y.shape[2]):
                Y[i, j, m] = (X[i : i + d, j : j + h, m : m + w] * K).sum()
    return Y
    # --8<-- [end:corr3d]

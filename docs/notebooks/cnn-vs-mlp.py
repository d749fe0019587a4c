# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 实验：全连接网络 vs 卷积网络
#
# 前面几章从原理上说明了卷积层为什么适合图像。这个实验在真实的手写数字上检验它：
# 用同样的训练预算，分别训练一个小的多层感知机（全连接网络）和一个小的卷积网络，
# 比较它们的参数个数、训练过程、测试准确率，再看看把测试图片挪动一两个像素之后，谁更经得起。
#
# 数据是 scikit-learn 自带的手写数字集：1797 张 $8\times 8$ 的灰度图，数字 0 到 9，
# 随 scikit-learn 一起安装，不需要下载。数据和模型都很小，整个实验只用 CPU，不需要 GPU。

# %%
import unicodedata

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

# %% [markdown]
# ## 数据
#
# 像素值原本是 0 到 16 的整数，除以 16 缩放到 $[0, 1]$。按 8:2 分出测试集，
# 并保证每个数字在两边的比例相同（`stratify`）。

# %%
digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32) / 16  # (1797, 8, 8)
labels = torch.tensor(digits.target)
train_idx, test_idx = train_test_split(
    range(len(labels)), test_size=0.2, random_state=0, stratify=labels
)
X_train, y_train = images[train_idx].unsqueeze(1), labels[train_idx]  # 加上通道维
X_test, y_test = images[test_idx].unsqueeze(1), labels[test_idx]
print("共", len(labels), "张图，像素值范围", digits.images.min(), "到", digits.images.max())
print("训练集", tuple(X_train.shape), "测试集", tuple(X_test.shape))

fig, axes = plt.subplots(2, 5, figsize=(4.5, 2.2))
for digit, ax in enumerate(axes.flat):
    ax.imshow(images[labels == digit][0], cmap="gray_r")
    ax.set_title(str(digit))
    ax.axis("off")
plt.show()

# %% [markdown]
# 图：每个数字的第一张样例，8×8 的灰度图，排成两行，从左到右、从上到下依次是 0 到 9，
# 每张上方标着它是几。

# %% [markdown]
# ## 两个模型
#
# 全连接网络把 $8\times 8$ 的图压平成 64 维向量，经过一个 32 个单元的隐藏层。
# 卷积网络只用前几章讲过的积木：两层 $3\times 3$ 卷积（填充 1，输出和输入一样大），
# 每层后面跟 ReLU 和 $2\times 2$ 最大汇聚，最后一个全连接层输出 10 类。
#
# 第三个模型是卷积网络的变体：第二层卷积之后不再保留 $2\times 2$ 的空间位置，
# 而是在整张特征映射上取最大值（**全局最大汇聚**），每个通道只剩一个数。
# 这样一来，最后的全连接层完全不知道特征出现在哪里——这是把平移不变性推到极致的做法。
# 三个模型的参数个数在同一个量级。


# %%
def make_mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))


def make_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 8×8 → 4×4
        nn.Conv2d(8, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 4×4 → 2×2
        nn.Flatten(),
        nn.Linear(16 * 2 * 2, 10),
    )


def make_cnn_global():
    return nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 8×8 → 4×4
        nn.Conv2d(8, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.AdaptiveMaxPool2d(1),  # 4×4 → 1×1
        nn.Flatten(),
        nn.Linear(16, 10),
    )


def count_params(model):
    return sum(p.numel() for p in model.parameters())


MAKERS = {"全连接网络": make_mlp, "卷积网络": make_cnn, "卷积 + 全局汇聚": make_cnn_global}
for name, make in MAKERS.items():
    print(f"{name}的参数：{count_params(make())}")

# %% [markdown]
# ## 同样的训练预算
#
# 三个模型用同样的优化器（Adam，学习率 0.01）、同样的批量大小（64）、同样的轮数（30 轮），
# 同样的随机数种子。每一轮记下训练损失和测试准确率。


# %%
def accuracy(model, X, y):
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).float().mean().item()


def train(model, epochs=30, batch_size=64, lr=0.01, seed=0):
    torch.manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"loss": [], "test_acc": []}
    for _ in range(epochs):
        order = torch.randperm(len(y_train))
        total = 0.0
        for batch in order.split(batch_size):
            loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        history["loss"].append(total / len(y_train))
        history["test_acc"].append(accuracy(model, X_test, y_test))
    return history


models, history = {}, {}
for name, make in MAKERS.items():
    torch.manual_seed(0)
    models[name] = make()
    history[name] = train(models[name])
    print(f"{name}：测试准确率 {accuracy(models[name], X_test, y_test):.1%}")

# %% [markdown]
# ## 训练曲线
#
# 三条线用线型和颜色两种方式区分；颜色取自 Okabe–Ito 配色，色弱的读者也分得清。

# %%
fig, (ax_loss, ax_acc) = plt.subplots(2, 1, figsize=(4.5, 5.4), sharex=True)
lines = [
    ("--", "#0072b2", "MLP"),
    ("-", "#d55e00", "CNN"),
    (":", "#009e73", "CNN + global max pool"),
]
for h, (style, color, label) in zip(history.values(), lines, strict=True):
    ax_loss.plot(range(1, 31), h["loss"], style, color=color, label=label)
    ax_acc.plot(range(1, 31), h["test_acc"], style, color=color, label=label)
ax_loss.set(ylabel="training loss", yscale="log")
ax_acc.set(xlabel="epoch", ylabel="test accuracy", ylim=(0.8, 1.0))
ax_loss.legend()
ax_acc.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# 图：横轴是训练轮数 1 到 30。上图是训练损失（纵轴为对数刻度），下图是测试准确率
# （纵轴从 0.8 到 1.0）。蓝色虚线（MLP）是全连接网络，朱红色实线（CNN）是卷积网络，
# 绿色点线（CNN + global max pool）是卷积 + 全局最大汇聚。

# %% [markdown]
# ## 卷积网络学到的第一层卷积核
#
# 第一层的 8 个 $3\times 3$ 卷积核画成小图，红色为正、蓝色为负。
# 找一找一侧正、一侧负的卷积核：它们和
# [图像卷积](../conv-layer.md#图像中目标的边缘检测)一章手工设计的 $[1, -1]$ 一样，
# 在响应明暗的变化，也就是边缘。

# %%
kernels = models["卷积网络"][0].weight.detach()[:, 0]  # (8, 3, 3)
limit = kernels.abs().max()
fig, axes = plt.subplots(2, 4, figsize=(4.5, 2.3))
for k, ax in zip(kernels, axes.flat, strict=True):
    ax.imshow(k, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.axis("off")
plt.show()

# %% [markdown]
# 图：卷积网络第一层的 8 个 3×3 卷积核，排成两行、每行 4 个。每个小方格是一个权重：
# 红色为正、蓝色为负，越接近 0 越接近背景色。

# %% [markdown]
# ## 把测试图片挪一挪
#
# 训练时的数字大致都在图的中央。把每张测试图整体向右挪 1 或 2 个像素（空出来的地方补 0），
# 模型没见过这样的图片。卷积层对平移等变、最大汇聚容忍小的挪动；
# 全连接层的每个权重却绑定在固定的像素上。


# %%
def shift(X, pixels):
    """把一批图像向右平移 pixels 个像素，移出去的丢掉，空出来的补 0。"""
    moved = torch.zeros_like(X)
    moved[..., pixels:] = X[..., : X.shape[-1] - pixels]
    return moved


shifted_acc = {
    name: [accuracy(model, shift(X_test, p), y_test) for p in (0, 1, 2)]
    for name, model in models.items()
}


def pad(text, width):
    """补空格到 width 列。汉字在等宽字体里占两列，f"{name:<16}" 却按字符个数补，表格会错开。"""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * (width - len(text) - wide)


print(pad("向右挪动的像素", 16) + "".join(f"{p:>8}" for p in (0, 1, 2)))
for name, accs in shifted_acc.items():
    print(pad(name, 16) + "".join(f"{a:>8.1%}" for a in accs))

# %% [markdown]
# 读上表时，比较每一行从左到右掉了多少。三个模型在原始测试集上都不错，图片一挪动就分出了高下：
# 全连接网络掉得最快，两个卷积网络都稳得多。普通的卷积网络最后的全连接层仍然记得特征落在
# $2\times 2$ 网格的哪一格；全局最大汇聚则把位置信息彻底丢掉，只问“有没有”，不问“在哪里”。
# 两种卷积网络谁更稳、稳多少，以上表为准；在这么小的数据上，结果会随随机种子有些起伏。
# 这正是[为什么要用卷积](../why-conv.md#归纳偏置帮忙还是添乱)一章讲的归纳偏置：
# 结构里写进了平移不变的假设，
# 模型就不必从数据里学会“挪一下还是同一个数字”。
#
# 在 $8\times 8$ 这么小的图上，挪 2 个像素已经是图宽的四分之一。要让网络更不在乎位置，
# 另一种常见的做法是在训练时就随机挪动图片（数据增强），这留给读者尝试。

# %% [markdown]
# ## 参考资料
#
# - 数据：scikit-learn 的 [`load_digits`](https://scikit-learn.org/stable/modules/generated/sklearn.datasets.load_digits.html)，
#   即 UCI 的 [Optical Recognition of Handwritten Digits](https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits)
#   数据集（E. Alpaydin、C. Kaynak，1998）中的测试部分。
# - 优化器：Diederik P. Kingma、Jimmy Ba，“Adam: A Method for Stochastic Optimization”，ICLR 2015：
#   [arXiv:1412.6980](https://arxiv.org/abs/1412.6980)。
# - PyTorch 文档，用到的优化器和层：
#     - [`torch.optim.Adam`](https://docs.pytorch.org/docs/stable/generated/torch.optim.Adam.html)
#     - [`torch.nn.Conv2d`](https://docs.pytorch.org/docs/stable/generated/torch.nn.Conv2d.html)
#     - [`torch.nn.MaxPool2d`](https://docs.pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html)
#     - [`torch.nn.AdaptiveMaxPool2d`](https://docs.pytorch.org/docs/stable/generated/torch.nn.AdaptiveMaxPool2d.html)
#     - [`torch.nn.Linear`](https://docs.pytorch.org/docs/stable/generated/torch.nn.Linear.html)

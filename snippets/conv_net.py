"""《从卷积层到卷积网络》一章的代码：卷积核看见什么、分组卷积、逐层统计一个网络。

页面 docs/conv-net.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_conv_net.py 把它们和 torch.nn.functional 对照。
"""

from dataclasses import dataclass

import torch
from torch import nn

from snippets.checks import check_int
from snippets.tables import display_width, pad

# ==== 区域 gallery 开始（助手 G） ====
# ==== 区域 gallery 结束 ====


# ==== 区域 groups 开始（助手 B） ====
# ==== 区域 groups 结束 ====


# ==== 区域 count 开始（主会话） ====
# --8<-- [start:count_layers]
@dataclass
class LayerCount:
    """逐层统计的一行：层的名字和类型、输出形状（不含批量维）、参数个数、乘加次数。"""

    name: str
    kind: str
    shape: tuple
    params: int
    macs: int


def layer_macs(layer, output):
    """一层对一个样本做多少次乘加。只数卷积层和全连接层，其余的层记 0（理由见正文）。"""
    if isinstance(layer, nn.Conv2d):
        k_h, k_w = layer.kernel_size
        per_output = layer.in_channels // layer.groups * k_h * k_w  # 每个输出元素的乘加
        return output[0].numel() * per_output
    if isinstance(layer, nn.Linear):
        return output[0].numel() * layer.in_features
    return 0


def count_layers(model, input_shape):
    """让一个形状为 input_shape 的样本（不含批量维）走一遍 model，逐层记下一行 LayerCount。

    前向钩子（forward hook）挂在每个叶子模块上：模块算完，钩子就拿到它的输出。
    同一个模块被调用两次时参数只算第一次，乘加每次都算。
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"count_layers: model 应为 nn.Module，得到 {type(model).__name__}")
    if not isinstance(input_shape, (tuple, list)) or not input_shape:
        raise ValueError(f"count_layers: input_shape 应为非空的整数元组，得到 {input_shape!r}")
    for i, size in enumerate(input_shape):
        check_int("count_layers", f"input_shape[{i}]", size)
    rows, seen = [], set()

    def record(name):
        def hook(layer, inputs, output):
            first = id(layer) not in seen
            seen.add(id(layer))
            params = sum(p.numel() for p in layer.parameters()) if first else 0
            kind = type(layer).__name__
            rows.append(
                LayerCount(name, kind, tuple(output.shape[1:]), params, layer_macs(layer, output))
            )

        return hook

    leaves = [(n, m) for n, m in model.named_modules() if not list(m.children())]
    handles = [m.register_forward_hook(record(n)) for n, m in leaves]
    try:
        with torch.no_grad():
            model(torch.zeros(1, *input_shape))
    finally:  # 出错也要摘掉钩子，否则下次调用 model 时它们还在记录
        for handle in handles:
            handle.remove()
    total = sum(p.numel() for p in model.parameters())
    if sum(r.params for r in rows) != total:
        raise ValueError("count_layers: 有参数不属于任何被调用过的叶子模块，逐层统计会漏掉它们")
    return rows
    # --8<-- [end:count_layers]


# --8<-- [start:show_counts]
def show_counts(rows, every_layer=True):
    """把 count_layers 的结果排成表，末行是合计；every_layer=False 时只打印合计。"""
    names = [f"{r.name} {r.kind}" for r in rows]
    first = max(12, *(display_width(n) + 2 for n in names))  # 第一列的宽度：放得下最长的层名
    if every_layer:
        print(pad("层", first) + pad("输出形状", 12) + pad("参数", 11, ">") + pad("乘加", 14, ">"))
        for name, r in zip(names, rows, strict=True):
            shape = "×".join(str(n) for n in r.shape)
            print(pad(name, first) + pad(shape, 12) + f"{r.params:>11,}{r.macs:>14,}")
    params, macs = sum(r.params for r in rows), sum(r.macs for r in rows)
    print(pad("合计", first + 12) + f"{params:>11,}{macs:>14,}")
    # --8<-- [end:show_counts]


# --8<-- [start:lenet]
def lenet():
    """LeNet-5，按《动手学深度学习》的写法：输入 1×28×28，第一层每侧补 2 圈 0。"""
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10),
    )  # fmt: skip
    # --8<-- [end:lenet]


# --8<-- [start:cifar_nets]
def conv3x3(c_in, c_out):
    """3×3 卷积加 ReLU，每侧补 1 圈 0，高和宽不变。"""
    check_int("conv3x3", "c_in", c_in)
    check_int("conv3x3", "c_out", c_out)
    return [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1), nn.ReLU()]


def mlp_for_cifar():
    """只有全连接层：3×32×32 压平成 3072 个数，再经过 1024、512 个隐藏单元。"""
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(3 * 32 * 32, 1024), nn.ReLU(),
        nn.Linear(1024, 512), nn.ReLU(),
        nn.Linear(512, 10),
    )  # fmt: skip


def basic_cnn():
    """五个 3×3 卷积层、两次 2×2 最大汇聚，汇聚到 128×4×4 后接两层全连接。"""
    return nn.Sequential(
        *conv3x3(3, 32), *conv3x3(32, 32), nn.MaxPool2d(2),
        *conv3x3(32, 64), *conv3x3(64, 64), nn.MaxPool2d(2),
        *conv3x3(64, 128), nn.AdaptiveAvgPool2d(4),
        nn.Flatten(),
        nn.Dropout(0.5), nn.Linear(128 * 4 * 4, 512), nn.ReLU(),
        nn.Dropout(0.5), nn.Linear(512, 10),
    )  # fmt: skip
    # --8<-- [end:cifar_nets]


# --8<-- [start:separable_cnn]
def separable_block(c_in, c_out, stride=1):
    """深度可分离块：每个通道各做 3×3 卷积（groups=c_in），再用 1×1 卷积混合通道。

    两个卷积后面各接批量规范化（BatchNorm2d，每个通道 2 个可学的参数）和 ReLU；
    规范化自带平移项，所以卷积不要偏置。
    """
    check_int("separable_block", "c_in", c_in)
    check_int("separable_block", "c_out", c_out)
    check_int("separable_block", "stride", stride)
    return [
        nn.Conv2d(c_in, c_in, 3, stride=stride, padding=1, groups=c_in, bias=False),
        nn.BatchNorm2d(c_in), nn.ReLU(),
        nn.Conv2d(c_in, c_out, 1, bias=False),
        nn.BatchNorm2d(c_out), nn.ReLU(),
    ]  # fmt: skip


def separable_cnn():
    """一个 3×3 卷积起头，六个深度可分离块（三次步幅 2），全局平均汇聚后接一层全连接。"""
    blocks = [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2)]
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        *[layer for block in blocks for layer in separable_block(*block)],
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Dropout(0.2), nn.Linear(512, 10),
    )  # fmt: skip
    # --8<-- [end:separable_cnn]


# --8<-- [start:wide_and_deep]
def shallow_wide():
    """浅而宽：两层大卷积核（7×7 出 128 个通道，5×5 出 256 个），全局平均汇聚。"""
    return nn.Sequential(
        nn.Conv2d(3, 128, 7, padding=3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(128, 256, 5, padding=2), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 10),
    )  # fmt: skip


def deep_narrow():
    """深而窄：四段，每段两层 3×3 卷积加一次 2×2 最大汇聚，通道 32、64、128、256。"""
    layers, c_in = [], 3
    for c_out in (32, 64, 128, 256):
        layers += [*conv3x3(c_in, c_out), *conv3x3(c_out, c_out), nn.MaxPool2d(2)]
        c_in = c_out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 10))
    # --8<-- [end:wide_and_deep]


# ==== 区域 count 结束 ====

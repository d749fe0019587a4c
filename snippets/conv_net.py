"""《从卷积层到卷积网络》一章的代码：卷积核看见什么、分组卷积、逐层统计一个网络。

页面 docs/conv-net.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_conv_net.py 把它们和 torch.nn.functional 对照。
"""

from dataclasses import dataclass

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
from snippets.tables import display_width, pad

# --8<-- [start:gray_photo]
SAMPLE_PHOTOS = ("china.jpg", "flower.jpg")  # scikit-learn 自带的两张照片
# 红、绿、蓝的权重（ITU-R BT.601）：人眼对绿光最敏感，对蓝光最不敏感
LUMA = (0.299, 0.587, 0.114)


def gray_photo(name="china.jpg", factor=4):
    """scikit-learn 自带的照片 -> 0 到 1 的灰度图 (高, 宽)，
    再用 factor×factor 的平均汇聚缩小（除不尽时舍去边上的几行几列）。"""
    from sklearn.datasets import load_sample_image  # 照片在安装包里，不联网

    if not isinstance(name, str) or name not in SAMPLE_PHOTOS:
        choices = " 或 ".join(SAMPLE_PHOTOS)
        raise ValueError(f"gray_photo: name 应为 {choices}，得到 {name!r}")
    # (高, 宽, 3)，0 到 255 的整数；照片数组是只读的，复制一份再交给 torch
    rgb = torch.from_numpy(load_sample_image(name).copy())
    check_int("gray_photo", "factor", factor, maximum=min(rgb.shape[:2]))
    gray = (rgb.float() / 255) @ torch.tensor(LUMA)  # 三种颜色加权求和
    return F.avg_pool2d(gray[None, None], factor)[0, 0]  # 补上批量、通道两维再去掉
    # --8<-- [end:gray_photo]


# --8<-- [start:kernels]
# 七个手工设计的 3×3 卷积核
KERNELS = {
    "恒等": torch.tensor([[0.0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "均值模糊": torch.full((3, 3), 1 / 9),
    "高斯模糊": torch.tensor([[1.0, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16,
    "锐化": torch.tensor([[0.0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "竖边索贝尔": torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "横边索贝尔": torch.tensor([[-1.0, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "拉普拉斯": torch.tensor([[0.0, 1, 0], [1, -4, 1], [0, 1, 0]]),
}
# --8<-- [end:kernels]


# --8<-- [start:gray_levels]
def signed_scale(Y):
    """返回 m：有正有负的输出画成灰度时，+m 画成纯白、-m 画成纯黑。

    m 取 |Y| 的第 99 百分位数，不取最大的绝对值：边缘图里少数几个极端的像素
    会把其余的都压成一片中灰。绝对值最大的那 1% 截断成纯黑、纯白。
    只有不到 1% 的数不为 0 时（百分位数是 0），退回最大的绝对值。
    """
    check_tensor("signed_scale", "Y", Y, ndim=2)
    m = Y.abs().flatten().quantile(0.99)
    return (m if m > 0 else Y.abs().max()).item()


def gray_levels(Y, signed):
    """把一张输出画成 0 到 255 的灰度（uint8），给图库用。

    signed=False：0 画成黑、1 画成白，超出 0 到 1 的截断成纯黑、纯白；
    signed=True：0 画成中灰（128），-m 最黑、+m 最白，m 是 signed_scale(Y)。
    """
    check_tensor("gray_levels", "Y", Y, ndim=2)
    check_bool("gray_levels", "signed", signed)
    if signed:
        m = signed_scale(Y)
        Y = 0.5 + Y / (2 * m) if m > 0 else torch.full_like(Y, 0.5)
    return (Y.clamp(0, 1) * 255).round().to(torch.uint8)
    # --8<-- [end:gray_levels]


# --8<-- [start:small_example]
# 手算也不难的小例子：4×4 的输入，卷积核是竖边索贝尔取负号
X_small = torch.tensor([[1.0, 2, 3, 4], [5, 6, 7, 8], [9, 1, 2, 3], [4, 5, 6, 7]])
K_negated_sobel = torch.tensor([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
# --8<-- [end:small_example]


# --8<-- [start:check_groups]
def check_groups(fn, X, K, groups, kernel_name="K"):
    """X 应为 (c_i, n_h, n_w)，K 应为 (c_o, c_i/groups, k_h, k_w)；c_i、c_o 都能被 groups 整除。

    kernel_name 是错误消息里卷积核的名字（一个字符串，比如 "K_depth"）。
    """
    check_tensor(fn, "X", X, ndim=3)
    check_tensor(fn, kernel_name, K, ndim=4)
    check_int(fn, "groups", groups)
    c_i, c_o = X.shape[0], K.shape[0]
    if c_i % groups != 0:
        raise ValueError(f"{fn}: 输入 X 有 {c_i} 个通道，不能被 groups = {groups} 整除")
    if c_o % groups != 0:
        raise ValueError(f"{fn}: {kernel_name} 有 {c_o} 个输出通道，不能被 groups = {groups} 整除")
    if K.shape[1] != c_i // groups:
        raise ValueError(
            f"{fn}: {kernel_name} 每组应有 {c_i} / {groups} = {c_i // groups} 个输入通道，"
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
    per_in, per_out = X.shape[0] // groups, K.shape[0] // groups  # 每组的输入、输出通道数
    outputs = []
    for m in range(groups):
        X_m = X[m * per_in : (m + 1) * per_in]  # 第 m 组的输入通道
        K_m = K[m * per_out : (m + 1) * per_out]  # 第 m 组的输出通道用的卷积核
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
    c_o, per_in = K.shape[0], K.shape[1]  # c_o 是输出通道的总数，per_in 是每组的输入通道数
    if c_o % groups != 0:
        raise ValueError(f"grouped_as_dense: K 有 {c_o} 个输出通道，不能被 groups = {groups} 整除")
    check_elements(
        "grouped_as_dense",
        K.numel() * groups,
        instead="torch.nn.functional.conv2d(..., groups=...)",
    )
    per_out = c_o // groups  # 每组的输出通道数
    dense = torch.zeros(c_o, per_in * groups, *K.shape[2:], dtype=K.dtype)
    for m in range(groups):
        rows = slice(m * per_out, (m + 1) * per_out)  # 第 m 组的输出通道
        cols = slice(m * per_in, (m + 1) * per_in)  # 第 m 组的输入通道
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
    check_groups(fn, X, K_depth, groups=c_i, kernel_name="K_depth")
    if K_depth.shape[0] != c_i:
        raise ValueError(
            f"{fn}: K_depth 应有 {c_i} 个卷积核（每个输入通道一个），得到 {K_depth.shape[0]}"
        )
    check_tensor(fn, "K_point", K_point, ndim=4)
    if K_point.shape[1:] != (c_i, 1, 1):
        raise ValueError(f"{fn}: K_point 应为 (c_o, {c_i}, 1, 1)，得到 {tuple(K_point.shape)}")
    Y = conv2d_grouped(X, K_depth, groups=c_i)  # 逐深度：每个通道只和自己的卷积核互相关
    # 与 corr2d 一样，dtype 跟随输入：三者有一个是 float64，结果就是 float64
    dtype = torch.result_type(Y, K_point)
    return corr2d_multi_in_out_1x1(Y.to(dtype), K_point.to(dtype))  # 逐点：在每个像素上混合通道
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
    """一层对一个样本做多少次乘加。只数二维卷积层和全连接层，其余的层记 0（理由见正文）。"""
    if not isinstance(layer, nn.Module):
        raise ValueError(f"layer_macs: layer 应为 nn.Module，得到 {type(layer).__name__}")
    if not isinstance(output, torch.Tensor):
        raise ValueError(f"layer_macs: {type(layer).__name__} 的输出应为张量，得到 {output!r}")
    if isinstance(layer, nn.Conv2d):
        k_h, k_w = layer.kernel_size
        per_output = layer.in_channels // layer.groups * k_h * k_w  # 每个输出元素的乘加
        return output[0].numel() * per_output
    if isinstance(layer, nn.Linear):
        return output[0].numel() * layer.in_features
    if isinstance(layer, nn.modules.conv._ConvNd):  # 一维、三维、转置卷积：记 0 就数错了
        raise ValueError(
            f"layer_macs: 只会数 Conv2d 和 Linear 的乘加，遇到了 {type(layer).__name__}"
        )
    return 0


def count_layers(model, input_shape):
    """让一个形状为 input_shape 的样本（不含批量维）走一遍 model，逐层记下一行 LayerCount。

    前向钩子（forward hook）挂在每个叶子模块上：模块算完，钩子就拿到它的输出。
    同一个模块被调用两次时参数只算第一次，乘加每次都算。
    统计时切到评估模式（eval），批量规范化的滑动平均就不会被这个全 0 的样本改掉；算完恢复原样。
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
            macs = layer_macs(layer, output)
            params = 0 if id(layer) in seen else sum(p.numel() for p in layer.parameters())
            seen.add(id(layer))
            rows.append(
                LayerCount(name, type(layer).__name__, tuple(output.shape[1:]), params, macs)
            )

        return hook

    leaves = [(n, m) for n, m in model.named_modules() if not list(m.children())]
    handles = [m.register_forward_hook(record(n)) for n, m in leaves]
    modes = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, *input_shape))
    finally:  # 出错也要摘掉钩子、恢复模式，否则下次调用 model 时钩子还在记录
        for handle in handles:
            handle.remove()
        for module, training in modes:
            module.training = training
    total = sum(p.numel() for p in model.parameters())
    if sum(r.params for r in rows) != total:
        raise ValueError("count_layers: 有参数不属于任何被调用过的叶子模块，逐层统计会漏掉它们")
    return rows
    # --8<-- [end:count_layers]


# --8<-- [start:show_counts]
def show_counts(rows, every_layer=True):
    """把 count_layers 的结果排成表，末行是合计；every_layer=False 时只打印合计。"""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, LayerCount) for r in rows):
        raise ValueError("show_counts: rows 应为 count_layers 返回的非空列表")
    check_bool("show_counts", "every_layer", every_layer)
    names = [f"{r.name} {r.kind}" for r in rows]
    # 第一列的宽度：逐层打印时放得下最长的层名；只打印合计时固定，几张表的合计上下对齐
    first = max(12, *(display_width(n) + 2 for n in names)) if every_layer else 12
    columns = pad("参数", 11, ">") + pad("乘加", 14, ">")
    print(
        (pad("层", first) + pad("输出形状", 12) if every_layer else pad("", first + 12)) + columns
    )
    if every_layer:
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
def conv3x3_relu(c_in, c_out):
    """3×3 卷积加 ReLU，每侧补 1 圈 0，高和宽不变。"""
    check_int("conv3x3_relu", "c_in", c_in)
    check_int("conv3x3_relu", "c_out", c_out)
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
        *conv3x3_relu(3, 32), *conv3x3_relu(32, 32), nn.MaxPool2d(2),
        *conv3x3_relu(32, 64), *conv3x3_relu(64, 64), nn.MaxPool2d(2),
        *conv3x3_relu(64, 128), nn.AdaptiveAvgPool2d(4),
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


def plain_block(c_in, c_out, stride=1):
    """在 separable_block 的位置上换回一个普通的 3×3 卷积，同样接批量规范化和 ReLU，用来对照。"""
    check_int("plain_block", "c_in", c_in)
    check_int("plain_block", "c_out", c_out)
    check_int("plain_block", "stride", stride)
    return [
        nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(c_out), nn.ReLU(),
    ]  # fmt: skip


def separable_cnn(block=separable_block):
    """一个 3×3 卷积起头，六个块（三次步幅 2），全局平均汇聚后接一层全连接。

    block 默认是深度可分离块；换成 plain_block，就得到只差在这六个块上的普通卷积网络。
    """
    if block not in (separable_block, plain_block):
        raise ValueError(
            f"separable_cnn: block 应为 separable_block 或 plain_block，得到 {block!r}"
        )
    blocks = [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2)]
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        *[layer for sizes in blocks for layer in block(*sizes)],
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
        layers += [*conv3x3_relu(c_in, c_out), *conv3x3_relu(c_out, c_out), nn.MaxPool2d(2)]
        c_in = c_out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 10))
    # --8<-- [end:wide_and_deep]

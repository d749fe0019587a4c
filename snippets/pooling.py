"""《汇聚层》一章的代码：最大汇聚与平均汇聚，以及一叠层的感受野。

页面 docs/pooling.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_pooling.py 把它们和 torch.nn.functional.max_pool2d / avg_pool2d 对照。
"""

import torch

from snippets.checks import check_bool, check_fits, check_int, check_loop, check_pair, check_tensor


# --8<-- [start:pool2d]
def pool2d(X, pool_size, mode="max", padding=0, stride=None):
    """二维汇聚。X 为 (高, 宽)，或 (通道, 高, 宽)——此时每个通道各自汇聚。

    步幅默认等于窗口大小（窗口互不重叠），与 PyTorch 相同。填充的格子在最大汇聚里
    永远不会被选中（补的是 −∞），在平均汇聚里按 0 计入平均（PyTorch 的 count_include_pad=True）。
    """
    if mode not in ("max", "avg"):
        raise ValueError(f"pool2d: mode 应为 'max' 或 'avg'，得到 {mode!r}")
    check_tensor("pool2d", "X", X, ndim=(2, 3))
    k_h, k_w = check_pair("pool2d", "pool_size", pool_size)
    s_h, s_w = check_pair("pool2d", "stride", pool_size if stride is None else stride)
    p_h, p_w = check_pair("pool2d", "padding", padding, minimum=0)
    if p_h > k_h // 2 or p_w > k_w // 2:  # PyTorch 同样不允许
        raise ValueError(f"pool2d: padding {padding!r} 不能超过窗口 {pool_size!r} 的一半")
    h, w = X.shape[-2] + 2 * p_h, X.shape[-1] + 2 * p_w
    check_fits("pool2d", (k_h, k_w), (h, w), window="窗口", within="填充后的输入")
    channels = X.shape[0] if X.dim() == 3 else 1
    steps = channels * ((h - k_h) // s_h + 1) * ((w - k_w) // s_w + 1)
    check_loop("pool2d", steps, instead="torch.nn.functional.max_pool2d / avg_pool2d")
    if X.dim() == 3:  # 多通道：逐个通道汇聚，通道数不变
        return torch.stack([pool2d(x, pool_size, mode, padding, stride) for x in X])
    padded = torch.full((h, w), float("-inf") if mode == "max" else 0.0, dtype=X.dtype)
    padded[p_h : h - p_h, p_w : w - p_w] = X
    Y = torch.zeros((h - k_h) // s_h + 1, (w - k_w) // s_w + 1, dtype=X.dtype)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            window = padded[i * s_h : i * s_h + k_h, j * s_w : j * s_w + k_w]
            Y[i, j] = window.max() if mode == "max" else window.mean()
    return Y
    # --8<-- [end:pool2d]


# --8<-- [start:pool_output_shape]
def pool_output_shape(input_size, kernel_size, padding=0, stride=None, dilation=1, ceil_mode=False):
    """汇聚层的输出形状，照 PyTorch 的规则，高和宽各算一次。

    o = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1，ceil_mode=True 时改为向上取整；但多出来的最后一个
    窗口的起点如果已经过了输入（在右侧、下侧的填充里或更远），就不算它。
    参数的约定同 conv_output_shape：整数或 (高, 宽)，全是整数时返回整数；
    stride=None 表示步幅等于窗口。
    """
    name = "pool_output_shape"
    n = check_pair(name, "input_size", input_size)
    k = check_pair(name, "kernel_size", kernel_size)
    p = check_pair(name, "padding", padding, minimum=0)
    stride = kernel_size if stride is None else stride
    s = check_pair(name, "stride", stride)
    d = check_pair(name, "dilation", dilation)
    check_bool(name, "ceil_mode", ceil_mode)
    out = []
    for n_, k_, p_, s_, d_ in zip(n, k, p, s, d, strict=True):
        # 比的是窗口本身的 k，不是空洞后的宽度：PyTorch 的 max_pool2d 最终按它检查
        if p_ > k_ // 2:
            raise ValueError(f"{name}: padding {padding!r} 不能超过窗口 {kernel_size!r} 的一半")
        reach = d_ * (k_ - 1) + 1  # 空洞窗口实际覆盖的宽度
        room = n_ + 2 * p_ - reach  # 第一个窗口之后还能往后挪的格数，可能是负数
        o = (-(-room // s_) if ceil_mode else room // s_) + 1  # 向上或向下取整
        if ceil_mode and (o - 1) * s_ >= n_ + p_:
            o -= 1  # 最后一个窗口的起点过了输入，一格真实输入也盖不到：PyTorch 丢掉它
        if o < 1:
            raise ValueError(
                f"{name}: 窗口覆盖 {reach} 格，填充后的输入只有 {n_ + 2 * p_} 格，得不到一个输出"
            )
        out.append(o)
    everything = (input_size, kernel_size, padding, stride, dilation)
    return out[0] if all(isinstance(v, int) for v in everything) else tuple(out)
    # --8<-- [end:pool_output_shape]


# --8<-- [start:receptive_field]
def receptive_fields(layers):
    """一叠卷积层、汇聚层的感受野：每层之后，一个输出元素能看到输入里多宽的一片。

    layers 的每项是 (窗口, 步幅) 或 (窗口, 步幅, 空洞)。递推关系：
    感受野 += (实际窗口 − 1) × 跳距，其中跳距是当前层相邻两个元素在输入上相隔的像素数，
    每经过一层就乘以该层的步幅。
    """
    size, jump, sizes = 1, 1, []
    if not isinstance(layers, (list, tuple)):
        raise ValueError(f"receptive_fields: layers 应为列表，得到 {type(layers).__name__}")
    for number, layer in enumerate(layers):
        if not (isinstance(layer, (tuple, list)) and len(layer) in (2, 3)):
            raise ValueError(
                f"receptive_fields: layers[{number}] 应为 (窗口, 步幅[, 空洞])，得到 {layer!r}"
            )
        kernel, stride, dilation = (*layer, 1)[:3]
        for index, (part, v) in enumerate((("窗口", kernel), ("步幅", stride), ("空洞", dilation))):
            check_int("receptive_fields", f"{part} layers[{number}][{index}]", v)
        effective = dilation * (kernel - 1) + 1  # 空洞窗口实际覆盖的宽度
        size += (effective - 1) * jump
        jump *= stride
        sizes.append(size)
    return sizes
    # --8<-- [end:receptive_field]

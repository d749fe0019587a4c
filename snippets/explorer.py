"""《卷积计算器》一页的代码：计算器的一组设置，交给 PyTorch 会算出什么。

计算器（explorer/src/，JavaScript）在浏览器里自己算；这里用 PyTorch 算同一组设置，
explorer/golden.py 用它写出金标准用例，tests/test_explorer.py 拿它们和计算器逐个核对。
状态的键与 explorer/src/conv.js 的相同：op、inChannels、outChannels、height、width、
kernel、padding、stride、dilation（都是 [高, 宽]）、ceilMode、countIncludePad、input、weight。
"""

import torch
import torch.nn.functional as F

from snippets.checks import check_bool, check_int


# --8<-- [start:pytorch_output]
def pytorch_output(state):
    """按计算器的状态调用 PyTorch（float64），返回输出 (c_o, o_h, o_w)。

    PyTorch 不接受这组设置时，它的 RuntimeError 原样抛出：计算器要拒绝的正是这些。
    """
    X = torch.tensor(state_tensor(state, "input"), dtype=torch.float64)[None]  # 加上批量维
    k, s, p, d = (state[name] for name in ("kernel", "stride", "padding", "dilation"))
    if state["op"] == "conv":
        W = torch.tensor(state_tensor(state, "weight"), dtype=torch.float64)
        return F.conv2d(X, W, stride=s, padding=p, dilation=d)[0]
    if state["op"] == "max":
        return F.max_pool2d(X, k, s, p, d, ceil_mode=state["ceilMode"])[0]
    # 平均汇聚没有空洞参数
    return F.avg_pool2d(X, k, s, p, state["ceilMode"], state["countIncludePad"])[0]
    # --8<-- [end:pytorch_output]


# --8<-- [start:state_tensor]
OPS = ("conv", "max", "avg")
PAIRS = ("kernel", "padding", "stride", "dilation")


def state_tensor(state, key):
    """检查状态的结构（不查 PyTorch 自己会查的取值），返回 input 或 weight 的数。"""
    fn = "pytorch_output"
    if not isinstance(state, dict):
        raise ValueError(f"{fn}: state 应为 dict，得到 {type(state).__name__}")
    if state.get("op") not in OPS:
        raise ValueError(f"{fn}: op 应为 {' / '.join(OPS)} 之一，得到 {state.get('op')!r}")
    for name in PAIRS:
        pair = state.get(name)
        if not (isinstance(pair, list) and len(pair) == 2):
            raise ValueError(f"{fn}: {name} 应为 [高, 宽] 两个整数，得到 {pair!r}")
        for index, v in enumerate(pair):
            check_int(fn, f"{name}[{index}]", v, minimum=-(2**31))
    check_bool(fn, "ceilMode", state.get("ceilMode"))
    check_bool(fn, "countIncludePad", state.get("countIncludePad"))
    c_i = check_int(fn, "inChannels", state.get("inChannels"))
    n = (check_int(fn, "height", state.get("height")), check_int(fn, "width", state.get("width")))
    if key == "input":
        shape = (c_i, *n)
    else:
        shape = (check_int(fn, "outChannels", state.get("outChannels")), c_i, *state["kernel"])
    values = state.get(key)
    try:
        found = tuple(torch.tensor(values, dtype=torch.float64).shape)
    except (TypeError, ValueError):
        found = None
    if found != shape:
        raise ValueError(f"{fn}: {key} 应为形状 {shape} 的嵌套列表，得到 {found or values!r}")
    return values
    # --8<-- [end:state_tensor]

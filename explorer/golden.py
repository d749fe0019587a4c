"""卷积计算器的金标准用例：让 PyTorch 把每个用例算一遍，写进 explorer/golden.json。

浏览器里的计算器（explorer/src/*.js）要在每个形状、每个数上都和 PyTorch 一样，
它的测试拿这个文件逐个比较；tests/test_explorer.py 再用 torch 把文件里的每个用例重算一遍。

用例有两种：手写的边界用例（HAND，每个带一句 why），和 Hypothesis 生成的配置（generated）。
生成固定了随机种子（derandomize=True）：同一个 Hypothesis、同一个 torch 版本下，
每次写出的文件逐字节相同。

运行：.venv/bin/python explorer/golden.py（或 make golden）；加 --check 只比较、不写文件。

Hypothesis 生成时会从已经导入的本地模块的源码里挑常数当作候选值，所以同一个种子在别的
进程里（比如 pytest 导入了测试和 snippets/ 之后）可能抽出不同的例子。文件只由单独运行的
这个脚本写出，测试也在子进程里运行 --check 来核对。
"""

import json
import re
import sys
from pathlib import Path

import torch
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# 作为脚本运行时（make golden），项目根目录不在 sys.path 上
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from snippets.explorer import pytorch_output  # noqa: E402

OUT = Path(__file__).with_name("golden.json")
TOLERANCE = "浏览器里的值与 torch float64 的值之差 ≤ 1e-9 × max(1, |torch|)"
OPS = ("conv", "max", "avg")
GENERATED = 1000  # Hypothesis 生成的例子数：去重后加上手写的，三种 op 各有 150 个以上

# torch 的错误信息 → 拒绝的类别。表里没有的信息说明 torch 的行为变了，生成器直接失败
REFUSALS = [
    ("stride", r"non-positive stride is not supported|stride should not be zero"),
    ("padding", r"negative padding is not supported|pad must be non-negative"),
    ("dilation", r"dilation should be greater than zero"),
    (
        "pool-padding",
        r"pad should be at most half of effective kernel size"
        r"|pad should be smaller than or equal to half of kernel size",
    ),
    ("kernel-too-large", r"Kernel size can't be greater than actual input size"),
    ("output-too-small", r"Output size is too small"),
]


class UnknownRefusal(RuntimeError):
    """torch 拒绝了一个用例，信息却不在 REFUSALS 里。"""


def refusal(message):
    """torch 错误信息的第一行所属的类别。"""
    for category, pattern in REFUSALS:
        if re.search(pattern, message):
            return category
    raise UnknownRefusal(f"torch 的这条错误信息不在 REFUSALS 里，请先弄清它属于哪一类：{message}")


def number(v):
    """张量里的一个 float64 → JSON 里的值：整数写成整数，−∞ 写成字符串 "-inf"（JSON 没有它）。"""
    if v == float("-inf"):
        return "-inf"
    if v != v or v == float("inf"):  # NaN、+∞ 不该出现：出现就是用例或 torch 出了问题
        raise ValueError(f"torch 算出了 {v}")
    return int(v) if v.is_integer() else v


def numbers(t):
    """张量 → 嵌套列表，每个数经过 number。"""
    if t.dim() == 0:
        return number(t.item())
    return [numbers(part) for part in t]


def run(case):
    """按用例调用 torch（snippets/explorer.py 的 pytorch_output，页面上展示的那个函数），
    返回 expect：{"shape", "output"} 或 {"error", "message"}。"""
    try:
        Y = pytorch_output(case)
    except RuntimeError as error:
        message = str(error).splitlines()[0]
        return {"error": refusal(message), "message": message}
    return {"shape": list(Y.shape), "output": numbers(Y)}


def values(shape, seed, decimals):
    """种子决定的一块数：−9..9 的整数，或 −9.9..9.9 的一位小数。

    一位小数算成 k / 10：它和 JSON 里的 "0.3" 在浏览器里解析出的是同一个 double。
    """
    gen = torch.Generator().manual_seed(seed)
    if decimals:
        ints = torch.randint(-99, 100, shape, generator=gen)
        return [[v / 10 for v in row] for row in ints.reshape(-1, shape[-1]).tolist()]
    return torch.randint(-9, 10, shape, generator=gen).reshape(-1, shape[-1]).tolist()


def nest(rows, shape):
    """把 values 的二维行表按 shape 摆回嵌套列表。"""
    if len(shape) == 2:
        return rows
    step = len(rows) // shape[0]
    return [nest(rows[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def make(op, kernel, padding=(0, 0), stride=None, dilation=(1, 1), **rest):
    """一个用例（expect 之外）：键的顺序和名字与计算器的状态对象一样。

    stride 不给时照 PyTorch 的默认：卷积是 1，汇聚等于窗口。
    rest 可以给 input（C×H×W 的嵌套列表）、weight（只有 conv）、inChannels、outChannels、
    height、width、ceilMode、countIncludePad、why；没给数时按 seed 和 decimals 抽。
    """
    shape = rest.get("input")
    c_in = len(shape) if shape else rest.get("inChannels", 1)
    height = len(shape[0]) if shape else rest["height"]
    width = len(shape[0][0]) if shape else rest["width"]
    c_out = rest.get("outChannels", 1) if op == "conv" else c_in
    seed, decimals = rest.get("seed", 0), rest.get("decimals", False)
    case = {"why": rest["why"]} if "why" in rest else {}
    case |= {
        "op": op,
        "inChannels": c_in,
        "outChannels": c_out,
        "height": height,
        "width": width,
        "kernel": list(kernel),
        "padding": list(padding),
        "stride": list(stride or ((1, 1) if op == "conv" else kernel)),  # 汇聚默认等于窗口
        "dilation": list(dilation),
        "ceilMode": rest.get("ceilMode", False),
        "countIncludePad": rest.get("countIncludePad", True),
        "input": rest.get("input")
        or nest(values((c_in, height, width), seed, decimals), (c_in, height, width)),
    }
    if op == "conv":
        w_shape = (c_out, c_in, *kernel)
        case["weight"] = rest.get("weight") or nest(values(w_shape, seed + 1, decimals), w_shape)
    return case


def grid(c, h, w, start=0):
    """start, start+1, … 按 C×H×W 摆好的嵌套列表。"""
    flat = list(range(start, start + c * h * w))
    return [[flat[(i * h + j) * w : (i * h + j + 1) * w] for j in range(h)] for i in range(c)]


def ones(c, h, w):
    return [[[1] * w for _ in range(h)] for _ in range(c)]


X9 = grid(1, 3, 3)  # 0..8 排成 3×3：填充页和汇聚页共用的例子
K4 = [[[[0, 1], [2, 3]]]]

# fmt: off
HAND = [
    # —— 页面上的预设 ——
    make("conv", (2, 2), (1, 1), input=X9, weight=K4,
         why="填充页的预设：0..8 的 3×3 输入、卷积核 [[0,1],[2,3]]、四周补一圈 0，输出 4×4"),
    make("conv", (2, 2), (1, 1), (3, 2), input=X9, weight=K4,
         why="填充页的步幅预设：同一输入和卷积核，补一圈，步幅 (3, 2)，输出 2×2"),
    make("conv", (2, 2), input=X9, weight=K4,
         why="图像卷积一章的例子：不补零、步幅 1，输出 [[19,25],[37,43]]"),
    make("max", (2, 2), stride=(1, 1), input=X9,
         why="汇聚页的预设：0..8 的 3×3 输入，2×2 最大汇聚、步幅 1，输出 [[4,5],[7,8]]"),
    make("avg", (2, 2), stride=(1, 1), input=X9,
         why="汇聚页同一设置的平均汇聚，输出 [[2,3],[5,6]]"),
    # —— ceil_mode ——
    make("max", (2, 2), input=grid(1, 5, 5), ceilMode=True,
         why="汇聚页的 ceil_mode 例子：5×5、2×2 窗口，向上取整多出一行一列，输出 3×3"),
    make("max", (2, 2), (1, 1), input=grid(1, 5, 5), ceilMode=True,
         why="ceil_mode 下直接向上取整得 4，但第 4 个窗口从右侧填充开始，PyTorch 丢掉它，输出 3×3"),
    make("avg", (1, 2), (0, 1), input=grid(1, 1, 5, 1), ceilMode=True,
         why="平均汇聚只在宽上同样丢弃：1×5 输入补一列，向上取整本该 4 个输出，实际 3 个"),
    make("avg", (2, 2), (1, 1), input=grid(1, 5, 5), ceilMode=True, countIncludePad=False,
         why="丢掉从填充开始的窗口后，count_include_pad=False 的分母只数真实像素"),
    make("max", (5, 5), stride=(2, 2), input=grid(1, 4, 4), ceilMode=True,
         why="窗口 5 比输入 4 还大：向下取整得 0 个输出（拒绝），ceil_mode 却给出 1 个"),
    make("avg", (5, 5), stride=(2, 2), input=grid(1, 4, 4), ceilMode=True,
         why="窗口比输入大时平均汇聚的分母：越界的部分不算，1 个输出是 16 个数的平均 7.5"),
    make("max", (8, 1), stride=(8, 1), input=grid(1, 1, 3), ceilMode=True,
         why="步幅 8 让向上取整能容下 7 格的差距：1 行的输入、8 行的窗口，仍有 1 个输出"),
    make("max", (9, 1), stride=(8, 1), input=grid(1, 1, 3), ceilMode=True,
         why="再大一格就不行了：窗口 9、步幅 8、输入 1，向上取整也是 0，输出太小被拒绝"),
    # —— 最大汇聚的 −∞ ——
    make("max", (2, 2), (1, 1), (1, 1), (2, 2), input=[[[5]]],
         why="最大汇聚带空洞：1×1 输入补一圈，空洞 2 的 2×2 窗口四个点全落在填充里，输出 −∞"),
    make("max", (2, 2), (1, 1), (1, 1), (3, 3), input=[[[-3, 4], [1, 2]]],
         why="2×2 输入、空洞 3：窗口的两点一个在左（上）填充、一个在右（下）填充，输出 −∞；"
             "这样的窗口只在 k=2、p=1、d=n+1 时出现，而且是那一维唯一的窗口"),
    make("max", (2, 2), (1, 0), (1, 1), (2, 1), input=grid(2, 1, 3), ceilMode=True,
         why="只在高上带空洞和填充：高上唯一的窗口两点都在填充里，两个通道的整行输出都是 −∞"),
    # —— 平均汇聚的分母 ——
    make("avg", (1, 3), (0, 1), (1, 2), input=ones(1, 1, 4), ceilMode=True,
         why="count_include_pad=True、ceil_mode 越界：最后一个窗口盖住 1 个像素、"
             "1 格填充、1 格界外，分母是 2 不是 3，输出 0.5"),
    make("avg", (3, 3), (1, 1), (2, 2), input=grid(1, 4, 4, 1), ceilMode=True,
         why="二维的同一情形：右下角的窗口伸出填充之外，分母只数像素和填充，不数界外"),
    make("avg", (1, 3), (0, 1), (1, 2), input=ones(1, 1, 4), ceilMode=True, countIncludePad=False,
         why="同一设置 count_include_pad=False：分母只数真实像素，全 1 的输入处处得 1"),
    make("avg", (3, 3), (1, 1), (1, 1), input=ones(1, 3, 3),
         why="汇聚页 count_include_pad 一节的例子：全 1 输入，角上 9 格里有 5 格是补的 0，得 4/9"),
    make("avg", (3, 3), (1, 1), (1, 1), input=ones(1, 3, 3), countIncludePad=False,
         why="同一例子 count_include_pad=False：处处是 1"),
    # —— 拒绝：stride ——
    make("conv", (2, 2), stride=(0, 0), input=X9, weight=K4,
         why="卷积的步幅 0：non-positive stride is not supported"),
    make("conv", (5, 5), stride=(1, 0), input=X9,
         why="卷积先查步幅再查卷积核大小：宽的步幅 0、卷积核也放不进，报的是步幅"),
    make("max", (2, 2), stride=(0, 1), padding=(0, -1), input=X9,
         why="汇聚按高、宽依次检查：高的步幅 0 先于宽的负填充被发现"),
    make("avg", (5, 5), stride=(0, 1), padding=(3, 3), input=X9,
         why="平均汇聚高的步幅 0，另有填充过大、窗口过大：报的是 stride should not be zero"),
    # —— 拒绝：padding ——
    make("conv", (2, 2), (-1, 0), input=X9, weight=K4,
         why="卷积的负填充：negative padding is not supported"),
    make("conv", (5, 5), (0, -1), (0, 0), (0, 0), input=X9,
         why="卷积最先查填充：负填充、步幅 0、空洞 0、卷积核太大同时出现，报的是填充"),
    make("max", (2, 2), (-1, 0), (1, 0), (0, 0), input=X9,
         why="汇聚：高的负填充先于宽的步幅 0 和空洞 0 被发现"),
    make("avg", (2, 2), (0, -1), input=X9,
         why="平均汇聚只在宽上负填充：pad must be non-negative"),
    # —— 拒绝：dilation ——
    make("conv", (2, 2), dilation=(0, 0), input=X9, weight=K4,
         why="卷积的空洞 0：dilation should be greater than zero"),
    make("conv", (5, 2), dilation=(0, 1), input=X9,
         why="空洞 0 时卷积核在这一维只占 1 格，放得进，于是报空洞"),
    make("max", (2, 2), dilation=(1, 0), input=X9,
         why="最大汇聚的空洞 0、填充 0：dilation should be greater than zero"),
    make("max", (4, 4), stride=(1, 1), dilation=(0, 0), input=X9,
         why="最大汇聚的空洞 0 先于“输出太小”被发现（窗口 4 放不进 3，但空洞 0 时只占 1 格）"),
    make("conv", (2, 2), stride=(2, 1), dilation=(1, 0), input=grid(3, 4, 4), outChannels=2,
         why="多通道卷积只在宽上空洞 0"),
    make("max", (3, 2), stride=(1, 1), dilation=(0, 0), input=grid(2, 2, 2), ceilMode=True,
         why="最大汇聚的空洞 0、填充 0，两个通道、ceil_mode：报空洞"),
    # —— 拒绝：pool-padding ——
    make("max", (2, 2), (2, 0), input=X9,
         why="填充 2 超过窗口 2 的一半：pad should be at most half of effective kernel size"),
    make("avg", (3, 3), (0, 2), input=X9,
         why="平均汇聚宽的填充 2 超过窗口 3 的一半"),
    make("max", (3, 3), (2, 2), (1, 1), (2, 2), input=grid(1, 5, 5),
         why="空洞 2 的 3×3 窗口覆盖 5 格，填充 2 不超过它的一半，PyTorch 仍按窗口本身的 3 拒绝"),
    make("max", (2, 2), (1, 0), dilation=(0, 1), input=X9,
         why="空洞 0、填充 1：PyTorch 先按空洞后的宽度 1 查填充，报的是填充而不是空洞"),
    make("max", (2, 2), (2, 0), (1, 0), input=X9,
         why="高的填充过大先于宽的步幅 0 被发现：汇聚逐维检查，高在前"),
    # —— 拒绝：kernel-too-large ——
    make("conv", (5, 5), input=X9,
         why="5×5 卷积核放不进 3×3 输入：Kernel size can't be greater than actual input size"),
    make("conv", (2, 2), dilation=(3, 3), input=X9, weight=K4,
         why="空洞 3 的 2×2 卷积核覆盖 4 格，放不进 3×3"),
    make("conv", (5, 5), dilation=(0, 1), input=X9,
         why="空洞 0 与卷积核过大同时出现：卷积先查大小（宽上 5 格放不进 3），后查空洞"),
    make("conv", (4, 1), (0, 1), input=grid(2, 3, 3), outChannels=2,
         why="宽的填充救不了高：高 3、卷积核 4，双通道"),
    # —— 拒绝：output-too-small ——
    make("max", (5, 5), input=X9,
         why="5×5 窗口放不进 3×3 输入：Output size is too small"),
    make("avg", (4, 1), (1, 0), input=grid(2, 1, 3),
         why="平均汇聚：高 1 补成 3，窗口 4 仍然放不下"),
    make("max", (2, 2), stride=(1, 1), dilation=(4, 1), input=X9,
         why="空洞 4 的窗口覆盖 5 行，放不进 3 行"),
]
# fmt: on


@st.composite
def configs(draw):
    """计算器范围内的一个随机配置。多数小而合法；约六分之一取大尺寸，约八分之一故意放一个坏参数。"""

    def rare():
        return draw(st.integers(0, 5)) == 0

    def pair(low, high):
        return [draw(st.integers(low, high)) for _ in range(2)]

    op = draw(st.sampled_from(OPS))
    c_in = draw(st.integers(1, 3))
    c_out = draw(st.integers(1, 3)) if op == "conv" else c_in
    size = pair(1, 16) if rare() else pair(1, 6)
    wild = rare()  # 约六分之一在整个范围里抽，多半被拒绝
    kernel, padding, stride, dilation = [], [], [], []
    for n in size:
        if wild:
            k, p = draw(st.integers(1, 16)), draw(st.integers(0, 8))
            s, d = draw(st.integers(1, 8)), draw(st.integers(1, 8))
        else:  # 多数放得下：卷积核不超过补过的输入，汇聚的填充不超过窗口的一半
            if op == "conv":
                p = draw(st.integers(0, 2))
                k = draw(st.integers(1, min(n + 2 * p, 5)))
            else:
                k = draw(st.integers(1, min(n + 1, 5)))
                p = draw(st.integers(0, k // 2))
            s, d = draw(st.integers(1, 3)), draw(st.sampled_from([1, 1, 1, 2, 3]))
            if d * (k - 1) + 1 > n + 2 * p:
                d = 1
        kernel.append(k)
        padding.append(p)
        stride.append(s)
        dilation.append(1 if op == "avg" else d)  # 平均汇聚没有空洞
    if op != "conv" and draw(st.integers(0, 2)) == 0:
        stride = [min(k, 8) for k in kernel]  # 汇聚最常见的设置：步幅等于窗口
    if draw(st.integers(0, 7)) == 0:  # 坏参数：步幅 0、填充 −1、空洞 0，可以同时几个
        for values_, bad in ((stride, 0), (padding, -1)) + (
            () if op == "avg" else ((dilation, 0),)
        ):
            for i in range(2):
                if draw(st.integers(0, 2)) == 0:
                    values_[i] = bad
    pooling = op != "conv"
    return make(
        op,
        kernel,
        padding,
        stride,
        dilation,
        inChannels=c_in,
        outChannels=c_out,
        height=size[0],
        width=size[1],
        ceilMode=pooling and draw(st.booleans()),
        countIncludePad=op != "avg" or draw(st.booleans()),
        seed=draw(st.integers(0, 2**31 - 1)),
        decimals=draw(st.integers(0, 4)) == 0,  # 约五分之一是一位小数
    )


def generated():
    """Hypothesis 按固定的种子生成的配置（可能有重复，build 去重）。"""
    found = []

    @settings(
        database=None,
        derandomize=True,
        max_examples=GENERATED,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=configs())
    def collect(case):
        found.append(case)

    collect()
    return found


def key(case):
    """两个用例相同，当且仅当配置和数都相同（id、why 和 torch 的结果不算）。"""
    kept = {k: v for k, v in case.items() if k not in ("id", "why", "expect")}
    return json.dumps(kept, sort_keys=True)


def build():
    """整个文件的内容：手写的在前，生成的在后，去重，按 op 编号，各自附上 torch 的结果。"""
    cases, seen, counts = [], set(), dict.fromkeys(OPS, 0)
    for case in HAND + generated():
        if key(case) in seen:
            continue
        seen.add(key(case))
        counts[case["op"]] += 1
        cases.append({"id": f"{case['op']}-{counts[case['op']]:04d}", **case, "expect": run(case)})
    return {"torch": torch.__version__, "tolerance": TOLERANCE, "cases": cases}


def render(document):
    """紧凑的 JSON，一行一个用例，UTF-8（中文不转义）。"""
    head = {k: v for k, v in document.items() if k != "cases"}
    lines = [
        json.dumps(case, ensure_ascii=False, separators=(",", ":")) for case in document["cases"]
    ]
    return (
        json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
        + ',"cases":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )


def main(argv):
    text = render(build())
    size = f"{len(json.loads(text)['cases'])} 个用例，{len(text.encode()) / 1e6:.2f} MB"
    if argv == ["--check"]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT.name} 与生成器现在写出的（{size}）不同：运行 make golden 重新生成")
        print(f"{OUT.name}: 与生成器写出的相同，{size}", file=sys.stderr)
        return
    if argv:
        sys.exit(f"用法：python {Path(__file__).name} [--check]")
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.name}: {size}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

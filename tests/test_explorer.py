"""卷积计算器（explorer/）的测试。

不开浏览器的一半：explorer/golden.json 里的金标准用例用 torch 重算一遍，查它覆盖得够不够，
再让 conv_output_shape、pool_output_shape 在全部用例上与 torch 对照。
torch 或 Hypothesis 的版本一变，这里会说 golden.json 该重新生成了（make golden）。
"""

import json
import re
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from explorer import golden
from sitebuild.project import ROOT
from snippets.padding_and_strides import conv_output_shape
from snippets.pooling import pool_output_shape

TEXT = golden.OUT.read_text(encoding="utf-8")
DOCUMENT = json.loads(TEXT)
CASES = DOCUMENT["cases"]
IDS = [case["id"] for case in CASES]
CATEGORIES = [category for category, _ in golden.REFUSALS]
KEYS = [
    "op",
    "inChannels",
    "outChannels",
    "height",
    "width",
    "kernel",
    "padding",
    "stride",
    "dilation",
    "ceilMode",
    "countIncludePad",
    "input",
]
REGENERATE = "golden.json 与生成器现在写出的不同：运行 make golden 重新生成，再看 git diff"


def dims(nested):
    """嵌套列表的形状。"""
    shape = []
    while isinstance(nested, list):
        shape.append(len(nested))
        nested = nested[0]
    return shape


def flat(nested):
    return [v for part in nested for v in flat(part)] if isinstance(nested, list) else [nested]


def tensor(nested):
    """JSON 里的数（"-inf" 是字符串）→ float64 张量。"""
    if isinstance(nested, list):
        return torch.stack([tensor(part) for part in nested])
    return torch.tensor(float(nested), dtype=torch.float64)


def accepted(case):
    return "shape" in case["expect"]


def decimals(case):
    return any(isinstance(v, float) and not v.is_integer() for v in flat(case["input"]))


def test_the_file_is_what_the_generator_writes_today():
    """同一个 torch、同一个 Hypothesis 下生成器逐字节写出同一个文件；版本变了就在这里失败。

    在子进程里跑：Hypothesis 会从已导入的本地模块里挑常数，pytest 进程里抽出的例子不一样。
    """
    assert DOCUMENT["torch"] == torch.__version__, REGENERATE
    check = [sys.executable, str(golden.OUT.with_name("golden.py")), "--check"]
    result = subprocess.run(check, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_top_level_and_every_case_have_the_documented_keys():
    assert list(DOCUMENT) == ["torch", "tolerance", "cases"]
    assert DOCUMENT["tolerance"] == "浏览器里的值与 torch float64 的值之差 ≤ 1e-9 × max(1, |torch|)"
    assert len(set(IDS)) == len(IDS)
    for case in CASES:
        why = ["why"] if "why" in case else []
        weight = ["weight"] if case["op"] == "conv" else []
        assert list(case) == ["id", *why, *KEYS, *weight, "expect"], case["id"]
        assert re.fullmatch(rf"{case['op']}-\d{{4}}", case["id"])
        assert list(case["expect"]) in (["shape", "output"], ["error", "message"]), case["id"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_case_is_in_the_calculator_range(case):
    pooling = case["op"] != "conv"
    assert case["op"] in golden.OPS
    assert 1 <= case["inChannels"] <= 3 and 1 <= case["outChannels"] <= 3
    assert case["outChannels"] == case["inChannels"] or not pooling
    assert 1 <= case["height"] <= 16 and 1 <= case["width"] <= 16
    for name, low, high in [
        ("kernel", 1, 16),
        ("padding", -1, 8),
        ("stride", 0, 8),
        ("dilation", 0, 8),
    ]:
        assert len(case[name]) == 2 and all(low <= v <= high for v in case[name]), name
    if -1 in case["padding"] or 0 in case["stride"] or 0 in case["dilation"]:
        assert not accepted(case)  # 这些取值只出现在被拒绝的用例里
    assert case["dilation"] == [1, 1] or case["op"] != "avg"  # 平均汇聚没有空洞
    assert case["ceilMode"] in (True, False) and (pooling or not case["ceilMode"])
    assert case["countIncludePad"] in (True, False)
    assert case["countIncludePad"] or case["op"] == "avg"  # 只对平均汇聚有意义，其他写 true
    assert dims(case["input"]) == [case["inChannels"], case["height"], case["width"]]
    if not pooling:
        assert dims(case["weight"]) == [case["outChannels"], case["inChannels"], *case["kernel"]]
    numbers = flat(case["input"]) + flat(case.get("weight", []))
    # 整数，或一位小数（k / 10 正是 JSON 里那个十进制数最近的 double）；一个用例里只有一种
    assert all(round(v * 10) / 10 == v for v in numbers)
    assert len({type(v) for v in numbers}) == 1
    if "why" not in case:  # 生成的用例都在 −9..9（小数 −9.9..9.9）；手写的可以用 0..24 这样的例子
        assert all(-9.9 <= v <= 9.9 for v in numbers)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_torch_recomputes_each_case_to_the_same_shape_numbers_or_refusal(case):
    """用 torch 重算（float64）：形状、每个数（1e-12 以内）、拒绝的类别和信息都与文件相同。"""
    X = tensor(case["input"])[None]
    common = {"stride": case["stride"], "padding": case["padding"]}
    try:
        if case["op"] == "conv":
            Y = F.conv2d(X, tensor(case["weight"]), dilation=case["dilation"], **common)
        elif case["op"] == "max":
            Y = F.max_pool2d(
                X, case["kernel"], dilation=case["dilation"], ceil_mode=case["ceilMode"], **common
            )
        else:
            Y = F.avg_pool2d(
                X,
                case["kernel"],
                ceil_mode=case["ceilMode"],
                count_include_pad=case["countIncludePad"],
                **common,
            )
    except RuntimeError as error:
        message = str(error).splitlines()[0]
        assert case["expect"] == {"error": golden.refusal(message), "message": message}
        return
    expect = case["expect"]
    assert "error" not in expect, f"torch 接受了，文件却说拒绝：{expect}"
    assert expect["shape"] == list(Y.shape[1:]) == dims(expect["output"])
    assert all(v == "-inf" or isinstance(v, int | float) for v in flat(expect["output"]))
    torch.testing.assert_close(Y[0], tensor(expect["output"]), rtol=1e-12, atol=1e-12)


def first_refusal(case):
    """torch 报的是哪一类拒绝（接受时是 None）：生成器量出的检查顺序，写成代码。

    卷积：负填充 → 步幅 0 → 卷积核（空洞后，空洞 0 时占 1 格）放不进补过的输入 → 空洞 0。
    汇聚：先高后宽，每一维依次查步幅 0、负填充、填充超过空洞后窗口 d·(k−1)+1 的一半（整除）；
    两维都过了才查空洞 0，再查填充超过窗口本身 k 的一半，最后查输出是否小于 1。
    """
    n = [case["height"], case["width"]]
    k, p, s, d = (case[name] for name in ("kernel", "padding", "stride", "dilation"))
    if case["op"] == "conv":
        if min(p) < 0:
            return "padding"
        if min(s) < 1:
            return "stride"
        if any(d[i] * (k[i] - 1) + 1 > n[i] + 2 * p[i] for i in range(2)):
            return "kernel-too-large"
        return "dilation" if min(d) < 1 else None
    for i in range(2):
        if s[i] == 0:
            return "stride"
        if p[i] < 0:
            return "padding"
        if p[i] > (d[i] * (k[i] - 1) + 1) // 2:
            return "pool-padding"
    if min(d) < 1:
        return "dilation"
    if any(p[i] > k[i] // 2 for i in range(2)):
        return "pool-padding"
    for i in range(2):
        room = n[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1
        o = (-(-room // s[i]) if case["ceilMode"] else room // s[i]) + 1
        if case["ceilMode"] and (o - 1) * s[i] >= n[i] + p[i]:
            o -= 1
        if o < 1:
            return "output-too-small"
    return None


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_torch_reports_the_first_failed_check_in_a_fixed_order(case):
    assert first_refusal(case) == case["expect"].get("error")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_shape_formulas_accept_refuse_and_size_like_torch(case):
    """conv_output_shape（卷积）、pool_output_shape（汇聚）与 torch 对照。

    torch 接受时形状相同，拒绝时抛 ValueError。
    """
    n = (case["height"], case["width"])
    k, p, s, d = (tuple(case[name]) for name in ("kernel", "padding", "stride", "dilation"))
    if case["op"] == "conv":
        shape = lambda: conv_output_shape(n, k, p, s, d)  # noqa: E731
    else:
        shape = lambda: pool_output_shape(n, k, p, s, d, case["ceilMode"])  # noqa: E731
    if accepted(case):
        assert list(shape()) == case["expect"]["shape"][1:]
    else:
        with pytest.raises(ValueError, match=r"^(conv|pool)_output_shape: "):
            shape()


def test_coverage_of_ops_refusals_and_options():
    def count(condition):
        return sum(1 for case in CASES if condition(case))

    assert len(CASES) >= 600
    assert len(TEXT.encode()) <= 1_500_000
    for op in golden.OPS:
        assert count(lambda c, op=op: c["op"] == op) >= 150, op
        assert count(lambda c, op=op: c["op"] == op and accepted(c)) >= 100, op
    for category in CATEGORIES:
        assert count(lambda c, cat=category: c["expect"].get("error") == cat) >= 3, category
    assert count(lambda c: c["ceilMode"] and accepted(c)) >= 60
    assert count(lambda c: not c["countIncludePad"] and accepted(c)) >= 40
    assert count(lambda c: max(c["dilation"]) > 1 and accepted(c)) >= 50
    assert count(lambda c: c["inChannels"] > 1 and accepted(c)) >= 100
    assert count(lambda c: c["outChannels"] > 1 and c["op"] == "conv" and accepted(c)) >= 50
    assert count(lambda c: decimals(c) and accepted(c)) >= 60
    assert count(lambda c: max(c["height"], c["width"]) > 8 and accepted(c)) >= 20
    assert count(lambda c: "-inf" in flat(c["expect"].get("output", []))) >= 3


def test_every_hand_written_edge_case_is_in_the_file():
    in_file = {golden.key(case): case.get("why") for case in CASES}
    for case in golden.HAND:
        assert in_file.get(golden.key(case)) == case["why"], case["why"]
    assert sum("why" in case for case in CASES) == len(golden.HAND)


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("non-positive stride is not supported", "stride"),
        ("stride should not be zero", "stride"),
        ("negative padding is not supported", "padding"),
        ("pad must be non-negative, but got pad: -1", "padding"),
        ("dilation should be greater than zero, but got [0, 1]", "dilation"),
        ("pad should be at most half of effective kernel size, but got pad=2", "pool-padding"),
        ("pad should be smaller than or equal to half of kernel size, but got", "pool-padding"),
        (
            "Kernel size: (5 x 5). Kernel size can't be greater than actual input size",
            "kernel-too-large",
        ),
        ("Calculated output size: (1x0x0). Output size is too small", "output-too-small"),
    ],
)
def test_refusal_messages_map_to_categories(message, category):
    assert golden.refusal(message) == category


def test_an_unknown_refusal_message_stops_the_generator():
    with pytest.raises(golden.UnknownRefusal, match="不在 REFUSALS 里.*weight of size"):
        golden.refusal(
            "Given groups=1, weight of size [1, 2, 3, 3], expected input to have 2 channels"
        )
    # run 遇到它也一样：卷积核的通道数与输入不符，是表里没有的一种拒绝
    case = golden.make("conv", (2, 2), input=golden.grid(1, 3, 3))
    case["weight"] = [[[[1, 2], [3, 4]]] * 2]  # 1 个输出通道、2 个输入通道
    with pytest.raises(golden.UnknownRefusal):
        golden.run(case)


def test_numbers_in_the_file_are_json_numbers_or_minus_infinity():
    assert golden.number(3.0) == 3 and isinstance(golden.number(3.0), int)
    assert golden.number(-0.0) == 0 and golden.number(0.25) == 0.25
    assert golden.number(float("-inf")) == "-inf"
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="torch 算出了"):
            golden.number(bad)


# ---- 浏览器测试（主会话）----

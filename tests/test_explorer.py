"""卷积计算器（explorer/）的测试。

不开浏览器的一半：explorer/golden.json 里的金标准用例用 torch 重算一遍，查它覆盖得够不够，
再让 conv_output_shape、pool_output_shape 在全部用例上与 torch 对照。
torch 或 Hypothesis 的版本一变，这里会说 golden.json 该重新生成了（make golden）。

开浏览器的一半（文件后部）：构建好的站点在 Chromium 里打开，每个金标准用例都经过计算器的 load()
（页面预设走的同一条路），再从读者看到的 DOM（格子的 data-value、题头的形状、报错里的原文）读出
结果与 torch 比较；还测控件、键盘、悬停、点按、逐步播放、自己填数、复制出的代码、没有脚本时的
静态图，以及三种状态下的 axe。浮点容差：与 torch float64 之差 ≤ 1e-9 × max(1, |y|)。
"""

import json
import math
import re
import subprocess
import sys

import pytest
import torch
from chromium import VIEW_IDS, VIEWS, view_context, watch
from svgread import grid_numbers
from test_accessibility import AXE, AXE_OPTIONS

from explorer import golden
from figures.explorer import first_window, stand_in
from sitebuild.project import ROOT
from snippets.explorer import pytorch_output
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
    """用 torch 重算（float64，页面上的 pytorch_output）：形状、每个数（1e-12 以内）、
    拒绝的类别和信息都与文件相同。"""
    try:
        Y = pytorch_output(case)
    except RuntimeError as error:
        message = str(error).splitlines()[0]
        assert case["expect"] == {"error": golden.refusal(message), "message": message}
        return
    expect = case["expect"]
    assert "error" not in expect, f"torch 接受了，文件却说拒绝：{expect}"
    assert expect["shape"] == list(Y.shape) == dims(expect["output"])
    assert all(v == "-inf" or isinstance(v, int | float) for v in flat(expect["output"]))
    torch.testing.assert_close(Y, tensor(expect["output"]), rtol=1e-12, atol=1e-12)


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
    # run 遇到它也一样：汇聚的负步幅（计算器的范围外）是表里没有的一种拒绝
    case = golden.make("max", (2, 2), stride=(1, -1), input=golden.grid(1, 3, 3))
    with pytest.raises(golden.UnknownRefusal, match="stride should be greater than zero"):
        golden.run(case)


def test_numbers_in_the_file_are_json_numbers_or_minus_infinity():
    assert golden.number(3.0) == 3 and isinstance(golden.number(3.0), int)
    assert golden.number(-0.0) == 0 and golden.number(0.25) == 0.25
    assert golden.number(float("-inf")) == "-inf"
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="torch 算出了"):
            golden.number(bad)


# —— snippets/explorer.py 和 figures/explorer.py ——

PRESETS = json.loads((ROOT / "explorer" / "presets.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_pytorch_output_runs_each_preset_in_float64_with_the_formula_shape(name):
    state = PRESETS[name]
    Y = pytorch_output(state)
    size = (state["height"], state["width"])
    k, p, s, d = (tuple(state[key]) for key in ("kernel", "padding", "stride", "dilation"))
    if state["op"] == "conv":
        channels, shape = state["outChannels"], conv_output_shape(size, k, p, s, d)
    else:
        shape = pool_output_shape(size, k, p, s, d, state["ceilMode"])
        channels = state["inChannels"]
    assert Y.dtype == torch.float64
    assert tuple(Y.shape) == (channels, *shape)


def test_pytorch_output_of_average_pooling_ignores_dilation():
    state = {**PRESETS["pooling"], "op": "avg", "dilation": [5, 5], "ceilMode": True}
    assert pytorch_output(state).tolist() == [[[2.0, 3.0], [5.0, 6.0]]]


BAD_STATES = [
    ("不是 dict", [1, 2], "state 应为 dict"),
    ("op", {"op": "sum"}, "op 应为 conv / max / avg 之一"),
    ("kernel 不是两个数", {"kernel": [3]}, "kernel 应为 [高, 宽]"),
    ("kernel 是元组", {"kernel": (3, 3)}, "kernel 应为 [高, 宽]"),
    ("stride 不是整数", {"stride": [1, 1.5]}, "stride[1] 应为整数"),
    ("ceilMode", {"ceilMode": "no"}, "ceilMode 应为 True 或 False"),
    ("countIncludePad", {"countIncludePad": 1}, "countIncludePad 应为 True 或 False"),
    ("inChannels", {"inChannels": 0}, "inChannels 应为不小于 1 的整数"),
    ("height", {"height": 4}, "input 应为形状 (1, 4, 3)"),
    ("input 参差", {"input": [[[0, 1], [2]]]}, "input 应为形状"),
    ("input 不是数", {"input": [[["a"]]]}, "input 应为形状"),
    ("weight 形状", {"weight": [[[[1, 2, 3]]]]}, "weight 应为形状 (1, 1, 2, 2)"),
    ("outChannels", {"outChannels": 2}, "weight 应为形状 (2, 1, 2, 2)"),
]


@pytest.mark.parametrize(
    ("change", "words"), [b[1:] for b in BAD_STATES], ids=[b[0] for b in BAD_STATES]
)
def test_pytorch_output_names_what_is_wrong_with_a_state(change, words):
    state = change if not isinstance(change, dict) else {**PRESETS["padding"], **change}
    with pytest.raises(ValueError, match=re.escape(f"pytorch_output: {words}")):
        pytorch_output(state)


def test_pytorch_refusals_pass_through_unchanged():
    with pytest.raises(RuntimeError, match="non-positive stride is not supported"):
        pytorch_output({**PRESETS["padding"], "stride": [0, 1]})


def test_the_stand_in_figures_show_the_presets_numbers():
    for name, state in PRESETS.items():
        html, alt = stand_in(name)
        Y = pytorch_output(state)
        assert grid_numbers(html, "output") == Y[0].flatten().tolist(), name
        assert f"得到 {Y.shape[1]}×{Y.shape[2]} 的输出" in alt
    # 没有空洞的平均汇聚：第一个窗口就是左上角 k_h×k_w 的一块
    avg = {**PRESETS["pooling"], "op": "avg", "dilation": [3, 3]}
    assert first_window(avg) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert first_window({**avg, "op": "max"}) == {(0, 0), (0, 3), (3, 0), (3, 3)}


# ---- 浏览器里的计算器 ----

EXPLORER = "explorer/"
# 与 PyTorch float64 的差不超过 1e-9 × max(1, |y|)（golden.json 顶层的 tolerance 写的也是这一句）
RELATIVE = 1e-9

READ_ALL = """(cases) => {
  const root = document.querySelector(".cfc-explorer");
  const panel = root.querySelector(".cfc-x");
  return cases.map((c) => {
    root.cfcExplorer.load(c);
    if (panel.dataset.valid !== "true") {
      const torch = panel.querySelector(".cfc-x-torch");
      return { error: panel.dataset.category, message: torch ? torch.textContent : null };
    }
    const grids = [...panel.querySelectorAll('.cfc-x-grid[data-kind="output"]')];
    const output = grids.map((g) =>
      [...g.querySelectorAll('[role="row"]')].map((row) =>
        [...row.querySelectorAll("[data-value]")].map((cell) => cell.dataset.value),
      ),
    );
    return { shape: panel.dataset.shape.split("x").map(Number), output };
  });
}"""


def as_number(text):
    return {"-inf": -math.inf, "-Infinity": -math.inf, "inf": math.inf}.get(text) or float(text)


def differences(case, seen):
    """一个用例里计算器和 PyTorch 不一样的地方（空列表表示一样）。"""
    want = case["expect"]
    if "error" in want:
        if "error" not in seen:
            return [f"PyTorch 拒绝（{want['error']}），计算器接受了"]
        expected = f"RuntimeError: {want['message']}"
        if (seen["error"], seen["message"]) != (want["error"], expected):
            return [f"拒绝理由 {seen['error']} {seen['message']} ≠ {want['error']} {expected}"]
        return []
    if "error" in seen:
        return [f"PyTorch 接受，计算器拒绝（{seen['error']}）"]
    if seen["shape"] != want["shape"]:
        return [f"形状 {seen['shape']} ≠ {want['shape']}"]
    got = [as_number(v) for channel in seen["output"] for row in channel for v in row]
    expected = [
        -math.inf if v == "-inf" else v
        for channel in want["output"]
        for row in channel
        for v in row
    ]
    if len(got) != len(expected):
        return [f"格子数 {len(got)} ≠ {len(expected)}"]
    return [
        f"第 {k} 个数 {g} ≠ {e}"
        for k, (g, e) in enumerate(zip(got, expected, strict=True))
        if not (g == e or abs(g - e) <= RELATIVE * max(1.0, abs(e)))
    ]


def open_explorer(browser, site_url, path=EXPLORER, screen="desktop", scheme="light"):
    context = view_context(browser, screen, scheme)
    tab = watch(context.new_page(), site_url)
    tab.goto(site_url + path)
    tab.wait_for_selector(".cfc-x")
    return context, tab


def test_the_widget_agrees_with_pytorch_on_every_golden_case(browser, site_url):
    cases = CASES
    context, tab = open_explorer(browser, site_url)
    seen = tab.evaluate(READ_ALL, cases)
    problems = [
        f"{c['id']}: {d}" for c, s in zip(cases, seen, strict=True) for d in differences(c, s)
    ]
    assert problems == []
    assert tab.problems == []
    context.close()


def test_the_comparison_catches_a_wrong_number_a_wrong_shape_and_a_wrong_verdict():
    case = next(c for c in CASES if "output" in c["expect"])
    values = [[[str(v) for v in row] for row in channel] for channel in case["expect"]["output"]]
    right = {"shape": case["expect"]["shape"], "output": values}
    assert differences(case, right) == []
    nudged = json.loads(json.dumps(right))
    first = float(nudged["output"][0][0][0])
    nudged["output"][0][0][0] = repr(first + 1e-6 * max(1.0, abs(first)))
    assert differences(case, nudged)
    assert differences(case, {**right, "shape": [9, 9, 9]})
    assert differences(case, {"error": "stride", "message": "x"})
    refused = next(c for c in CASES if "error" in c["expect"])
    assert differences(refused, right)


def cells(tab, kind, attribute="data-value", channel=0):
    return tab.eval_on_selector_all(
        f'.cfc-x-grid[data-kind="{kind}"][data-channel="{channel}"] [data-r]',
        f"els => els.map(e => e.getAttribute('{attribute}'))",
    )


def output_rows(tab, channel=0):
    return tab.eval_on_selector_all(
        f'.cfc-x-grid[data-kind="output"][data-channel="{channel}"] [role="row"]',
        "rows => rows.map(r => [...r.children].map(c => Number(c.dataset.value)))",
    )


def test_the_padding_preset_is_the_chapters_example_and_the_controls_reach_its_stride_figure(
    browser, site_url
):
    context, tab = open_explorer(browser, site_url, "padding-and-strides/")
    assert tab.locator(".cfc-explorer .cfc-figure").is_hidden()  # 有脚本时静态图让位
    assert output_rows(tab) == [[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]
    assert tab.inner_text(".cfc-x-call") == "nn.Conv2d(1, 1, kernel_size=2, padding=1, bias=False)"
    # 步幅图的例子：向下跳 3 行、向右跳 2 列（页面上印出的 [[0, 8], [6, 8]]）
    tab.fill('[data-field="stride-0"]', "3")
    tab.fill('[data-field="stride-1"]', "2")
    assert output_rows(tab) == [[0, 8], [6, 8]]
    assert "stride=(3, 2)" in tab.inner_text(".cfc-x-call")
    # 卷积核大过填充后的输入：中文的说明和 PyTorch 的原话
    tab.fill('[data-field="kernel-0"]', "6")
    error = tab.inner_text(".cfc-x-error")
    assert "比填充后的输入（5 格）还大" in error
    assert "Kernel size can't be greater than actual input size" in error
    assert cells(tab, "output") == []
    assert tab.problems == []
    context.close()


def test_the_pooling_preset_switches_modes_and_explains_refusals(browser, site_url):
    context, tab = open_explorer(browser, site_url, "pooling/")
    assert output_rows(tab) == [[4, 5], [7, 8]]
    assert tab.is_hidden('[data-field="outChannels"]')
    tab.check('input[data-field="op"][value="avg"]')
    assert output_rows(tab) == [[2, 3], [5, 6]]
    assert tab.is_hidden('[data-field="dilation-0"]')  # nn.AvgPool2d 没有空洞
    assert tab.is_visible('[data-field="countIncludePad"]')
    tab.fill('[data-field="padding-0"]', "2")
    error = tab.inner_text(".cfc-x-error")
    assert "填充最多 1，现在是 2" in error
    assert "pad should be at most half of effective kernel size" in error
    tab.fill('[data-field="padding-0"]', "1")
    tab.check('[data-field="ceilMode"]')
    assert "ceil_mode=True" in tab.inner_text(".cfc-x-call")
    assert "⌈" in tab.inner_text(".cfc-x-shape")
    assert tab.problems == []
    context.close()


def test_focus_hover_and_tap_light_up_the_window_and_write_out_the_sum(browser, site_url):
    context, tab = open_explorer(browser, site_url, "padding-and-strides/")
    explain = ".cfc-x-explain"
    # 键盘：Tab 进到输出的格子阵，方向键移动
    tab.focus('.cfc-x-grid[data-kind="output"] [tabindex="0"]')
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowDown")
    assert tab.inner_text(explain) == "Y[0, 1, 1] = 0×0 + 1×1 + 3×2 + 4×3 = 19"
    lit = tab.eval_on_selector_all(
        '.cfc-x-grid[data-kind="input"] [data-on="window"]',
        "els => els.map(e => [Number(e.dataset.r), Number(e.dataset.c)])",
    )
    assert sorted(lit) == [[1, 1], [1, 2], [2, 1], [2, 2]]
    # 输入格：受它影响的输出亮起来
    tab.focus('.cfc-x-grid[data-kind="input"] [tabindex="0"]')
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowDown")  # 填充后的 (1, 1)，即 X[0, 0] = 0
    affected = tab.eval_on_selector_all(
        '.cfc-x-grid[data-kind="output"] [data-on="affected"]',
        "els => els.map(e => [Number(e.dataset.r), Number(e.dataset.c)])",
    )
    assert sorted(affected) == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert "X[0, 0, 0] 落在 4 个窗口里" in tab.inner_text(explain)
    # 鼠标悬停
    tab.hover('.cfc-x-grid[data-kind="output"] [data-r="3"][data-c="3"]')
    assert tab.inner_text(explain).startswith("Y[0, 3, 3] = 8×0 + 0×1 + 0×2 + 0×3 = 0")
    context.close()
    # 手机上点一下
    context, tab = open_explorer(browser, site_url, "padding-and-strides/", screen="phone")
    tab.tap('.cfc-x-grid[data-kind="output"] [data-r="0"][data-c="2"]')
    assert tab.inner_text(explain).startswith("Y[0, 0, 2] = 0×0 + 0×1 + 1×2 + 2×3 = 8")
    assert tab.problems == []
    context.close()


def test_step_and_play_walk_the_window_in_output_order(browser, site_url):
    context, tab = open_explorer(browser, site_url)
    explain = ".cfc-x-explain"
    assert tab.inner_text(explain).startswith("Y[0, 0, 0]")
    tab.click("text=下一个位置")
    assert tab.inner_text(explain).startswith("Y[0, 0, 1]")
    tab.click("text=上一个位置")
    tab.click("text=上一个位置")  # 从第一个位置再往回，绕到最后一个
    assert tab.inner_text(explain).startswith("Y[0, 2, 2]")
    play = tab.locator(".cfc-x-buttons button[aria-pressed]")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    tab.wait_for_function(
        "() => document.querySelector('.cfc-x-explain').textContent.startsWith('Y[0, 0, 1]')"
    )
    play.click()
    assert play.inner_text() == "播放"
    context.close()


def test_typed_values_set_the_shape_and_bad_text_is_explained(browser, site_url):
    context, tab = open_explorer(browser, site_url)
    tab.click("text=数值：换一组随机数，或者自己填")
    tab.fill('textarea[id$="input-text"]', "1 2 3\n4 5 6\n7 8 9\n\n1 1 1\n1 1 1\n1 1 1")
    tab.fill('textarea[id$="weight-text"]', "1 0\n0 1\n\n0 0\n0 -1")
    tab.click("text=用这些数")
    assert tab.input_value('[data-field="inChannels"]') == "2"
    assert tab.input_value('[data-field="height"]') == "3"
    assert tab.input_value('[data-field="kernel-0"]') == "2"
    tab.fill('[data-field="padding-0"]', "0")
    tab.fill('[data-field="padding-1"]', "0")
    tab.fill('[data-field="stride-0"]', "1")
    tab.fill('[data-field="stride-1"]', "1")
    # 通道 0 与 [[1, 0], [0, 1]] 互相关，加上通道 1 与 [[0, 0], [0, -1]] 互相关
    assert output_rows(tab) == [[1 + 5 - 1, 2 + 6 - 1], [4 + 8 - 1, 5 + 9 - 1]]
    tab.fill('textarea[id$="input-text"]', "1 2\n3")
    tab.click("text=用这些数")
    assert "第 1 块第 2 行有 1 个数，第 1 行有 2 个" in tab.inner_text(".cfc-x-values")
    assert output_rows(tab) == [[5, 7], [11, 13]]  # 填错时保留原来的数
    # 从 Python 粘贴的嵌套列表，写在一行里也认：形状由列表决定
    tab.fill('textarea[id$="input-text"]', "torch.tensor([[1., 2., 3.], [4., 5., 6.]])")
    tab.get_by_role("button", name="用这些数").click()
    assert tab.input_value('[data-field="inChannels"]') == "1"
    assert tab.input_value('[data-field="height"]') == "2"
    assert tab.input_value('[data-field="width"]') == "3"
    # 超出计算器范围的设置写不成代码：代码一栏不留着上一组设置的代码
    tab.fill('[data-field="stride-0"]', "17")
    assert "本计算器里步幅（高）最大取 16" in tab.inner_text(".cfc-x-error")
    assert tab.eval_on_selector(".cfc-x-code pre code", "e => e.textContent").startswith("# ")
    context.close()


def test_the_copied_code_prints_what_the_widget_shows(browser, site_url):
    """复制出的代码在 Python 里运行：接受的设置得到同样的输出，拒绝的得到同一条报错。"""
    chosen = [c for c in CASES if c["op"] == "conv"][:6]
    chosen += [c for c in CASES if c["op"] == "max" and c["ceilMode"]][:6]
    chosen += [c for c in CASES if c["op"] == "avg" and not c["countIncludePad"]][:6]
    chosen += [c for c in CASES if "error" in c["expect"]][:6]
    context, tab = open_explorer(browser, site_url)
    for case in chosen:
        tab.evaluate("c => document.querySelector('.cfc-explorer').cfcExplorer.load(c)", case)
        code = tab.eval_on_selector(".cfc-x-code pre code", "e => e.textContent")
        namespace = {}
        if "error" in case["expect"]:
            with pytest.raises(RuntimeError, match=re.escape(case["expect"]["message"])):
                exec(code.replace("print(Y)", ""), namespace)
            continue
        exec(code.replace("print(Y)", ""), namespace)
        want = torch.tensor(
            [
                [[-math.inf if v == "-inf" else v for v in r] for r in ch]
                for ch in case["expect"]["output"]
            ],
            dtype=torch.float64,
        )
        # 复制出的代码和计算器一样用 float64：与 golden 的差在同一个容差里
        torch.testing.assert_close(namespace["Y"][0], want, rtol=RELATIVE, atol=RELATIVE)
    context.close()


def test_without_javascript_the_static_figure_stands_in(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    for path in (EXPLORER, "padding-and-strides/", "pooling/"):
        tab.goto(site_url + path)
        figure = tab.locator(".cfc-explorer .cfc-figure")
        assert figure.count() == 1
        assert figure.is_visible()
        assert tab.locator(".cfc-x").count() == 0
    context.close()


@pytest.mark.parametrize(("screen", "scheme"), VIEWS, ids=VIEW_IDS)
def test_the_widget_has_no_serious_accessibility_problems_in_any_state(
    browser, site_url, screen, scheme
):
    context, tab = open_explorer(browser, site_url, screen=screen, scheme=scheme)
    tab.add_script_tag(path=str(AXE))
    states = {
        "初始": "() => {}",
        "汇聚、展开": """() => {
            document.querySelector('input[data-field="op"][value="avg"]').click();
            document.querySelectorAll('.cfc-x details').forEach((d) => (d.open = true));
        }""",
        "报错、选中输入格": """() => {
            const input = document.querySelector('.cfc-x-grid[data-kind="input"] [data-r="1"]');
            input.focus();
            const field = document.querySelector('[data-field="padding-0"]');
            field.value = '5';
            field.dispatchEvent(new Event('input'));
        }""",
    }
    problems = []
    for name, script in states.items():
        tab.evaluate(script)
        result = tab.evaluate(
            "async (options) => await axe.run(document.querySelector('.cfc-x'), options)",
            AXE_OPTIONS,
        )
        problems += [
            f"{name}：{v['id']}（{v['impact']}）{v['help']} {v['nodes'][0]['target']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    assert problems == []
    context.close()


def test_a_seed_gives_the_same_random_numbers_every_time(browser, site_url):
    context, tab = open_explorer(browser, site_url)
    tab.click("text=数值：换一组随机数，或者自己填")
    seed = tab.locator('input[id$="-seed"]')
    assert seed.input_value() == ""  # 预设给了具体的数
    seed.fill("7")
    first = cells(tab, "input")
    assert first != ["0"] * len(first)
    tab.get_by_role("button", name="换一组随机数").click()
    assert seed.input_value() == "8"
    assert cells(tab, "input") != first
    seed.fill("7")
    assert cells(tab, "input") == first
    values = [float(v) for v in first]
    assert all(v.is_integer() and 0 <= v <= 9 for v in values)
    context.close()


def test_back_to_the_preset_restores_settings_and_numbers(browser, site_url):
    context, tab = open_explorer(browser, site_url, "pooling/")
    tab.click("text=数值：换一组随机数，或者自己填")
    seed = tab.locator('input[id$="-seed"]')
    seed.fill("3")
    tab.fill('[data-field="height"]', "5")
    assert output_rows(tab) != [[4, 5], [7, 8]]
    seed.fill("")  # 清空种子一栏不会悄悄换成种子 0 的数
    status = tab.locator(".cfc-x-values .cfc-x-note[aria-live]")
    assert status.inner_text() == "已换成种子 3 的随机数。"
    tab.get_by_role("button", name="回到预设").click()
    assert tab.input_value('[data-field="height"]') == "3"
    assert output_rows(tab) == [[4, 5], [7, 8]]
    assert tab.locator('[data-field="inChannels"]').evaluate("e => e.labels[0].innerText") == "个数"
    context.close()


def test_wide_grids_scroll_with_the_sites_cue_and_take_keyboard_focus(browser, site_url):
    """格子放不下时，站点的 scroll-focus.js（计算器向它登记）让滚动框能聚焦、标出能滚的一侧。"""
    context, tab = open_explorer(browser, site_url, screen="phone")
    scroller = tab.locator(".cfc-x-scroll")
    assert scroller.get_attribute("tabindex") is None
    tab.fill('[data-field="width"]', "16")
    tab.fill('[data-field="padding-1"]', "4")
    tab.wait_for_function("() => document.querySelector('.cfc-x-scroll').tabIndex === 0")
    assert scroller.get_attribute("data-cfc-more") == "right"
    tab.fill('[data-field="width"]', "4")
    tab.fill('[data-field="padding-1"]', "0")
    tab.wait_for_function("() => !document.querySelector('.cfc-x-scroll').hasAttribute('tabindex')")
    assert scroller.get_attribute("data-cfc-more") is None
    context.close()

import json
import math
import re

import pytest
import torch
from chromium import VIEW_IDS, VIEWS, view_context, watch
from test_accessibility import AXE, AXE_OPTIONS

from sitebuild.project import ROOT

GOLDEN = ROOT / "explorer" / "golden.json"

# ---- 浏览器测试（主会话）----
# 构建好的站点在 Chromium 里打开，计算器从页面上读出的东西和 PyTorch 比：
# 每个金标准用例都经过计算器的 load()（页面预设走的同一条路），再从格子里读出形状、数值和报错。
# 读的是读者看到的 DOM（格子的 data-value、题头的形状、报错里的原文），不是 JS 内部的变量。

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


def golden_cases():
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]


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
    cases = golden_cases()
    context, tab = open_explorer(browser, site_url)
    seen = tab.evaluate(READ_ALL, cases)
    problems = [
        f"{c['id']}: {d}" for c, s in zip(cases, seen, strict=True) for d in differences(c, s)
    ]
    assert problems == []
    assert tab.problems == []
    context.close()


def test_the_comparison_catches_a_wrong_number_a_wrong_shape_and_a_wrong_verdict():
    case = next(c for c in golden_cases() if "output" in c["expect"])
    values = [[[str(v) for v in row] for row in channel] for channel in case["expect"]["output"]]
    right = {"shape": case["expect"]["shape"], "output": values}
    assert differences(case, right) == []
    nudged = json.loads(json.dumps(right))
    first = float(nudged["output"][0][0][0])
    nudged["output"][0][0][0] = repr(first + 1e-6 * max(1.0, abs(first)))
    assert differences(case, nudged)
    assert differences(case, {**right, "shape": [9, 9, 9]})
    assert differences(case, {"error": "stride", "message": "x"})
    refused = next(c for c in golden_cases() if "error" in c["expect"])
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
    tab.click("text=数值：随机生成，也可以自己填")
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
    context.close()


def test_the_copied_code_prints_what_the_widget_shows(browser, site_url):
    """复制出的代码在 Python 里运行：接受的设置得到同样的输出，拒绝的得到同一条报错。"""
    chosen = [c for c in golden_cases() if c["op"] == "conv"][:6]
    chosen += [c for c in golden_cases() if c["op"] == "max" and c["ceilMode"]][:6]
    chosen += [c for c in golden_cases() if c["op"] == "avg" and not c["countIncludePad"]][:6]
    chosen += [c for c in golden_cases() if "error" in c["expect"]][:6]
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
            ]
        )
        # 复制出的代码用 PyTorch 默认的 float32
        torch.testing.assert_close(namespace["Y"][0], want.float(), rtol=1e-5, atol=1e-5)
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

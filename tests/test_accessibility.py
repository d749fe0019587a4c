"""无障碍：axe-core 在每一页、四种视图（手机/桌面 × 浅色/深色）下都找不到 serious、critical 级问题。

axe-core 是 npm 上钉死版本的测试工具（package.json），不是站点的资源：测试从 node_modules 读出
axe.min.js，用 Playwright 注入页面，不会进 site/。规则是 WCAG 2.0/2.1 的 A、AA 级加上 axe 的
最佳实践，一条也没有关。moderate、minor 级的不算失败（剩下的都在 Material 自己的界面上：
每个代码块的按钮栏是一个没有名字的 <nav>，悬停提示不在任何地标里）；serious、critical 级的
逐条报出规则、影响、选择器和 axe 的说明。

页面上折叠着的内容（练习答案、辅助函数）也要查：先展开所有折叠块再跑 axe。
页面之外还查几种交互状态：搜索框打开并有结果、手机上的导航抽屉、术语的悬停提示。
axe 只看元素平常的样子、不查图标：下载笔记本的按钮、正文链接、编辑和复制图标在平常、悬停、
聚焦时的对比度另外实测；能滚动的区域能否用键盘聚焦，也在窗口变宽、变窄后再查一次。
"""

import contextlib
import json
import re

import pytest
from chromium import SCHEMES, SCREENS, VIEW_IDS, VIEWS, site_pages, view_context, watch
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sitebuild.project import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = ("critical", "serious")

# 展开正文里所有的折叠块，等两帧：让尺寸观察者（scroll-focus.js、Material）处理新露出来的内容
OPEN_DETAILS = """async () => {
  document.querySelectorAll("article details").forEach((d) => { d.open = true; });
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""

# 一个元素的文字（或图标的 currentColor）对它身后的背景的对比度（WCAG 2.x 的算法）。
# “身后”按元素中心点上叠着的元素算（elementsFromPoint，绝对定位的按钮栏也算对），
# 半透明的背景逐层叠加，直到不透明的一层；找不到、或读不懂颜色时抛出错误，而不是猜一个白底。
CONTRAST = """(el) => {
  const parse = (text) => {
    const m = text.match(/^rgba?\\(([\\d.]+),? ([\\d.]+),? ([\\d.]+)(?:,? \\/? ?([\\d.]+))?\\)$/);
    if (!m) throw new Error("读不懂的颜色：" + text);
    return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
  };
  const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3]));
  const box = el.getBoundingClientRect();
  const stack = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  const layers = [];
  for (const node of stack) {
    if (node !== el && el.contains(node)) continue;
    const layer = parse(getComputedStyle(node).backgroundColor);
    if (layer[3] > 0) layers.push(layer);
    if (layer[3] === 1) break;
  }
  if (!layers.length || layers[layers.length - 1][3] !== 1) throw new Error("找不到不透明的背景");
  let bg = layers.pop().slice(0, 3);
  while (layers.length) bg = over(layers.pop(), bg);
  const fg = over(parse(getComputedStyle(el).color), bg);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const hex = (c) => "#" + c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  return { ratio: (hi + 0.05) / (lo + 0.05), fg: hex(fg), bg: hex(bg) };
}"""

# 等过渡动画（Material 的按钮颜色渐变 125ms）结束再量
SETTLE = """(el) => new Promise((done) => {
  const check = () => (el.getAnimations().length ? requestAnimationFrame(check) : done());
  check();
})"""


@pytest.fixture(scope="module")
def axe_source():
    assert AXE.exists(), f"没有 {AXE}：先运行 make install（npm ci 会装上钉死版本的 axe-core）"
    return AXE.read_text(encoding="utf-8")


def run_axe(tab, axe_source, include=None):
    """在 tab 当前的页面上跑 axe，返回 violations；include 是 CSS 选择器时只查那一部分。"""
    if not tab.evaluate("typeof window.axe === 'object'"):
        tab.add_script_tag(content=axe_source)
    context = {"include": [[include]]} if include else None
    return tab.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, AXE_OPTIONS]
    )["violations"]


def blocking(where, violations):
    """serious、critical 级的问题，每条一段：规则、影响、几处、说明，每处的选择器和 axe 的提示。"""
    found = []
    for rule in violations:
        if rule["impact"] not in BLOCKING:
            continue
        lines = [
            f"{where}：{rule['id']}（{rule['impact']}）{len(rule['nodes'])} 处 —— {rule['help']}"
        ]
        for node in rule["nodes"][:6]:
            hint = " / ".join(
                line.strip() for line in node["failureSummary"].splitlines()[1:3] if line.strip()
            )
            lines.append(f"    {' '.join(map(str, node['target']))}：{hint}")
        if len(rule["nodes"]) > 6:
            lines.append(f"    ……另有 {len(rule['nodes']) - 6} 处")
        found.append("\n".join(lines))
    return found


def test_axe_is_the_pinned_test_tool_and_stays_out_of_the_site(built_site):
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), f"axe-core 要钉死确切的版本，现在是 {pinned}"
    installed = json.loads((AXE.parent / "package.json").read_text())["version"]
    assert pinned == installed, (
        f"package.json 钉的是 {pinned}，node_modules 里是 {installed}：npm ci"
    )
    banner = AXE.read_text(encoding="utf-8")[:40]
    assert f"axe v{pinned}" in banner, banner
    copied = [
        path.relative_to(built_site).as_posix()
        for path in built_site.rglob("*.js")
        if "axe v" in path.read_text(encoding="utf-8", errors="replace")[:200]
    ]
    assert copied == [], "axe-core 是测试工具，不该出现在 site/ 里"


@pytest.mark.parametrize(("screen", "scheme"), VIEWS, ids=VIEW_IDS)
def test_no_page_has_serious_or_critical_violations(
    browser, site_url, built_site, axe_source, screen, scheme
):
    context = view_context(browser, screen, scheme)
    tab = watch(context.new_page(), site_url)
    failures = []
    for path in site_pages(built_site):
        tab.goto(site_url + path, wait_until="load")
        tab.evaluate(OPEN_DETAILS)
        failures += blocking(f"/{path}（{screen}-{scheme}）", run_axe(tab, axe_source))
    context.close()
    assert not failures, "axe-core 找到的问题：\n" + "\n".join(failures)
    assert tab.problems == []


@pytest.mark.parametrize(("screen", "scheme"), VIEWS, ids=VIEW_IDS)
def test_search_drawer_and_tooltips_have_no_serious_violations(
    browser, site_url, axe_source, screen, scheme
):
    """Material 的几处要操作才出现的界面：有结果的搜索框、手机上的导航抽屉、术语的悬停提示。"""
    context = view_context(browser, screen, scheme)
    tab = watch(context.new_page(), site_url)
    tab.goto(site_url + "conv-layer/", wait_until="load")
    failures = []

    tab.locator("article abbr").first.hover()
    tooltip = tab.locator(".md-tooltip2--active")
    tooltip.wait_for()
    failures += blocking("术语的悬停提示", run_axe(tab, axe_source, ".md-tooltip2--active"))

    if screen == "phone":
        tab.locator("label.md-header__button[for=__drawer]").click()
        tab.locator(".md-sidebar--primary").wait_for()
        tab.wait_for_function("document.getElementById('__drawer').checked")
        failures += blocking("导航抽屉", run_axe(tab, axe_source, ".md-sidebar--primary"))
        tab.reload(wait_until="load")

    tab.keyboard.press("/")  # Material 的快捷键：打开搜索
    search = tab.locator("input.md-search__input")
    search.fill("卷积")
    search.press("End")  # Material 在 keyup 时才查询；fill 只触发 input 事件
    tab.locator(".md-search-result__item").first.wait_for()
    failures += blocking("有结果的搜索框", run_axe(tab, axe_source, ".md-search"))
    context.close()
    assert not failures, "axe-core 找到的问题：\n" + "\n".join(failures)
    assert tab.problems == []


# 要实测对比度的页面元素：名字、选择器、要求（文字 4.5:1；图标是非文字的界面元素，3:1）
MEASURED = [
    ("下载笔记本的按钮", "article a.md-button[download]", 4.5),
    ("正文链接", "article :is(p, li) > a[href]:not(.md-button)", 4.5),
    ("编辑本页的图标", "article a.md-content__button", 3.0),
    ("复制代码的图标", "article .md-code__button[data-md-type=copy]", 3.0),
]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_download_button_links_and_icons_reach_their_contrast_in_every_state(
    browser, site_url, built_site, scheme
):
    """下载笔记本的按钮（深色方案里曾是 2.3:1）、正文链接、编辑和复制图标：各种状态下都够对比度。

    悬停、聚焦时 Material 换成强调色，axe 只看平常的样子、不查图标，所以这里逐个状态实测。
    在手机视图里量：复制图标在能悬停的设备上平时是隐去的（鼠标移到代码块上才显出），手机上常显。
    """
    context = view_context(browser, "phone", scheme)
    tab = context.new_page()
    measured, seen, chapters = [], set(), 0
    for path in site_pages(built_site):
        tab.goto(site_url + path, wait_until="load")
        chapters += tab.locator(MEASURED[0][1]).count()
        for name, selector, needed in MEASURED:
            found = tab.locator(selector)
            # 按钮每一章都量；链接和图标的样式全站一样，量到一处就够了
            if found.count() == 0 or (name in seen and selector != MEASURED[0][1]):
                continue
            element, seen = found.first, seen | {name}
            for state in ("平常", "悬停", "聚焦"):
                tab.mouse.move(0, 0)
                tab.evaluate("document.activeElement && document.activeElement.blur()")
                if state == "悬停":
                    element.hover()
                elif state == "聚焦":
                    element.focus()
                else:
                    element.scroll_into_view_if_needed()
                element.evaluate(SETTLE)
                result = element.evaluate(CONTRAST)
                measured.append((f"/{path} {name}（{state}）", needed, result))
    context.close()
    assert chapters >= 5, f"只在 {chapters} 个页面上找到下载按钮"
    assert seen == {name for name, _, _ in MEASURED}, f"只量到了 {seen}"
    low = [
        f"{where}：{r['ratio']:.2f}:1，要 {needed}:1（字 {r['fg']}，底 {r['bg']}）"
        for where, needed, r in measured
        if r["ratio"] < needed
    ]
    assert not low, f"{scheme} 方案里对比度不够：\n" + "\n".join(low)


# 正文里溢出（能滚动）却既不能聚焦、里面也没有可聚焦元素的区域
UNREACHABLE = """() => [...document.querySelectorAll(".md-content :is(pre, code, div, table)")]
  .filter((el) => {
    const s = getComputedStyle(el);
    const x = /auto|scroll/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const y = /auto|scroll/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const inside = el.querySelector("a[href], button, [tabindex]:not([tabindex^='-'])");
    return (x || y) && el.tabIndex < 0 && !inside;
  })
  .map((el) => el.outerHTML.slice(0, 100))"""
# scroll-focus.js 加上的 tabindex
ADDED = "document.querySelectorAll('.md-content [data-cfc-scroll]').length"


def eventually(tab, expression, until):
    """等 expression 的值满足 until（尺寸观察者的回调是异步的），最多 5 秒；返回最后的值。"""
    with contextlib.suppress(PlaywrightTimeout):
        tab.wait_for_function(f"({until})(({expression})())", timeout=5000)
    return tab.evaluate(expression)


@pytest.mark.parametrize("screen", SCREENS)
def test_every_region_that_scrolls_can_take_keyboard_focus(browser, site_url, screen):
    """溢出的代码块、公式能用键盘聚焦（手机上 Material 不管，由 scroll-focus.js 补上）；
    窗口变宽、不再溢出时，scroll-focus.js 加的 tabindex 又去掉，不多出无用的 Tab 停靠点。"""
    context = view_context(browser, screen, "light")
    tab = context.new_page()
    tab.goto(site_url + "padding-and-strides/", wait_until="load")
    tab.evaluate(OPEN_DETAILS)
    empty = "(found) => found.length === 0"
    assert eventually(tab, UNREACHABLE, empty) == [], "溢出却不能用键盘聚焦"
    if screen == "phone":
        added = tab.evaluate(ADDED)
        assert added > 0, "手机上这一页总有放不下、要横向滚动的代码块，tabindex 要由脚本补上"
        tab.set_viewport_size({"width": 1280, "height": 800})
        now = eventually(tab, f"() => {ADDED}", f"(n) => n < {added}")
        assert now < added, "窗口变宽后不再溢出的区域，脚本加的 tabindex 应当去掉"
    tab.set_viewport_size({"width": 320, "height": 640})
    assert eventually(tab, UNREACHABLE, empty) == [], "窄到 320 px 时溢出却不能用键盘聚焦"
    context.close()

"""实验页面（实验：全连接网络 vs 卷积网络）：读者在手机和桌面、浅色和深色下看到的样子。

前半是 sitebuild.css 的单元测试（删掉用不上的 mkdocs-jupyter 样式）；后半在 Chromium 里
打开构建好的实验页，量一量：下载按钮、输出、图的替代文字、提示符那一栏、横向滚动、图的底色和字的对比度。
"""

import base64
import io
import json
import re
from collections import Counter

import nbformat
import pytest
import tinycss2
from chromium import VIEW_IDS, VIEWS, contrast, view_context, watch
from matplotlib import rcParams
from PIL import Image

from sitebuild.css import (
    Names,
    may_match,
    page_names,
    prune,
    prune_page_styles,
    selector_needs,
    split_selectors,
)
from sitebuild.notebooks import PLACEHOLDER_ALT, figure_captions, lab_styles

LAB = "notebooks/cnn-vs-mlp/"
LAB_HTML = ("notebooks", "cnn-vs-mlp", "index.html")

# ---- sitebuild.css ------------------------------------------------------------------


def tokens(selector):
    return tinycss2.parse_component_value_list(selector)


def test_page_names_collects_classes_ids_and_tags():
    names = page_names(
        """<DIV class="a  b" id='x'><span class='c'>…</span><clipboard-copy></clipboard-copy>"""
    )
    assert names.classes == {"a", "b", "c"} and names.ids == {"x"}
    assert names.tags == {"div", "span", "clipboard-copy"}


@pytest.mark.parametrize(
    ("selector", "classes", "ids", "tags"),
    [
        (".a .b>p", {"a", "b"}, set(), {"p"}),
        ("#main a:hover::before", set(), {"main"}, {"a"}),
        (".a:not(.b)", {"a"}, set(), set()),  # :not 里的条件不算要求
        ("[data-md-color-scheme=slate] .a", {"a"}, set(), set()),  # 属性选择器也不算
        ("*", set(), set(), set()),
    ],
)
def test_selector_needs_only_what_must_be_on_the_page(selector, classes, ids, tags):
    assert selector_needs(tokens(selector)) == (classes, ids, tags)


def test_selectors_split_at_top_level_commas_only():
    parts = split_selectors(tokens(".a, .b:is(.c, .d)"))
    assert len(parts) == 2 and "".join(t.serialize() for t in parts[1]).strip() == ".b:is(.c, .d)"


def test_a_selector_may_match_when_the_page_has_everything_it_names():
    names = Names({"jupyter-wrapper", "jp-Cell"}, {"top"}, {"div", "pre"})
    assert may_match(tokens(".jupyter-wrapper .jp-Cell pre"), names)
    assert may_match(tokens("body .jupyter-wrapper"), names)  # body 一定在
    assert may_match(tokens(".jupyter-wrapper .md-typeset__scrollwrap"), names)  # Material 运行时加
    assert not may_match(tokens(".jupyter-wrapper .bp3-icon"), names)
    assert not may_match(tokens("#elsewhere"), names)
    assert not may_match(tokens(".jupyter-wrapper table"), names)


def test_prune_keeps_only_rules_and_variables_the_page_can_use():
    css = (
        '@charset "UTF-8";'
        ".w{--used:var(--chain);--chain:red;--unused:blue;--dead:var(--chain)}"
        ".w .a{color:var(--used)!important}"
        ".w .gone, .w .b{margin:0}"
        ".w .gone{color:var(--unused)}"
        "@media (max-width:10px){.w .a{padding:0}.w .gone{padding:0}}"
        "@media print{.w .gone{display:none}}"
        "@keyframes spin{to{transform:rotate(1turn)}}"
        "@keyframes fade{to{opacity:0}}"
        ".w .b{animation:spin 1s}"
        "@font-face{font-family:x;src:url(x.woff2)}"
        "['pre { broken }']"  # mkdocs-jupyter 0.26 真的塞进页面的东西：Python 列表的 repr
    )
    out = prune([css], Names({"w", "a", "b"}, set(), set()))
    assert "--used:var(--chain)" in out and "--chain:red" in out  # 间接引用的也留下
    assert "--unused" not in out and "--dead" not in out
    assert ".w .a{color:var(--used)!important}" in out
    assert ".w .b{margin:0}" in out and "gone" not in out
    assert "@media (max-width:10px){.w .a{padding:0}}" in out and "print" not in out
    assert "@keyframes spin" in out and "fade" not in out
    assert "@font-face" in out and "charset" not in out and "broken" not in out


def test_prune_keeps_variables_that_other_text_refers_to():
    css = ".w{--kept:1px;--dropped:2px}.w .a{margin:0}"
    out = prune([css], Names({"w", "a"}, set(), set()), extra="padding: var(--kept)")
    assert "--kept:1px" in out and "--dropped" not in out


def test_variables_are_shared_across_the_style_blocks_of_a_page():
    html = (
        "<style>.w{--c:red}</style><p>正文</p>"
        '<div class="w"><span class="a">字</span></div><style>.w .a{color:var(--c)}</style>'
    )
    out = prune_page_styles(html, extra_css=".w .a{font-weight:bold}")
    assert out.count("<style>") == 1 and out.startswith("<style>.w{--c:red}.w .a{color:var(--c)}")
    assert out.index(".w .a{font-weight:bold}") < out.index("</style>") < out.index("<p>")
    assert prune_page_styles("<p>没有样式</p>") == "<p>没有样式</p>"
    assert prune_page_styles("<p>x</p>", extra_css="p{margin:0}") == (
        "<style>p{margin:0}</style><p>x</p>"
    )


def test_lab_styles_adds_the_lab_css_without_its_comments():
    html = '<style>.jupyter-wrapper .jp-X{color:red}</style><div class="jupyter-wrapper"></div>'
    lab_css = "/* 说明 */\n.jupyter-wrapper  pre {\n  white-space: pre;\n}\n"
    out = lab_styles(html, extra=lab_css, others=[])
    assert out.startswith("<style>.jupyter-wrapper pre { white-space: pre; }</style>")
    assert "mix-blend-mode" in lab_styles(html)  # 默认用 sitebuild/lab.css


def test_lab_styles_keep_the_variables_the_site_stylesheets_use():
    html = '<style>.w{--jp-a:1px;--jp-b:2px}</style><div class="w"></div>'
    out = lab_styles(html, extra="", others=[".md-typeset .x{margin:var(--jp-a)}"])
    assert "--jp-a:1px" in out and "--jp-b" not in out


# ---- 构建出的实验页 -------------------------------------------------------------------


def lab_html(built_site):
    return built_site.joinpath(*LAB_HTML).read_text(encoding="utf-8")


def test_the_lab_page_carries_only_the_css_it_uses(built_site):
    """mkdocs-jupyter 内联了约 570 KB 的 JupyterLab 样式；删减后只剩一个小的 <style>。"""
    styles = re.findall(r"<style\b[^>]*>(.*?)</style>", lab_html(built_site), re.S)
    assert len(styles) == 1 and len(styles[0]) < 40_000
    assert "bp3-icon" not in styles[0] and ".jp-InputPrompt" in styles[0]


def test_lab_outputs_show_no_object_reprs_or_run_times(built_site):
    """读者看到的输出在每台机器、每次运行都一样：没有对象地址，也没有这台机器的用时。"""
    outputs = re.findall(
        r'<div class="jp-RenderedText[^"]*"[^>]*>\s*<pre>(.*?)</pre>', lab_html(built_site), re.S
    )
    assert len(outputs) >= 4
    text = "".join(outputs)
    assert "Generator" not in text and not re.search(r"at 0x[0-9a-f]+|&lt;\w[\w.]* object", text)
    assert "用时" not in text and not re.search(r"\d\s*(?:秒|s\b|ms\b)", text)


def test_every_lab_figure_has_its_caption_as_alt_text(built_site):
    html = lab_html(built_site)
    alts = re.findall(r'<img\b[^>]*\balt="([^"]*)"', html)
    notebook = nbformat.read(built_site / "notebooks" / "cnn-vs-mlp" / "cnn-vs-mlp.ipynb", 4)
    assert alts == figure_captions(notebook) and len(alts) >= 3
    assert not PLACEHOLDER_ALT.search(html) and all(len(alt) > 20 for alt in alts)
    assert len(re.findall(r"<img\b", html)) == len(alts)


# ---- 在浏览器里 ---------------------------------------------------------------------


@pytest.fixture
def lab(browser, site_url, request):
    """在某一种视图（手机/桌面 × 浅色/深色）里打开实验页。"""
    screen, scheme = request.param
    context = view_context(browser, screen, scheme)
    tab = watch(context.new_page(), site_url)
    tab.goto(site_url + LAB, wait_until="networkidle")
    tab.screen, tab.scheme = screen, scheme
    yield tab
    assert tab.problems == []
    context.close()


each_view = pytest.mark.parametrize("lab", VIEWS, ids=VIEW_IDS, indirect=True)


@each_view
def test_lab_offers_the_executed_notebook_under_its_title(lab, site_url):
    button = lab.locator("article h1 + p a.md-button")
    assert button.is_visible() and button.get_attribute("download") == "cnn-vs-mlp.ipynb"
    response = lab.request.get(button.evaluate("a => a.href"))
    assert response.ok
    notebook = nbformat.reads(response.text(), as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)  # 执行过，带着输出
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs)
    assert not any("execution" in c.metadata for c in code)  # 没有这台机器执行时的时刻
    assert json.loads(response.text())["metadata"]["kernelspec"]["name"] == "python3"


@each_view
def test_lab_page_never_scrolls_sideways(lab):
    width = lab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"页面宽 {width[0]} px，窗口只有 {width[1]} px"


@each_view
def test_prompt_column_leaves_the_width_to_the_code(lab):
    """In [ ]: / Out[ ]: 那一栏：手机上不显示，桌面上不超过笔记本宽度的 15%。"""
    widths = lab.evaluate(
        """() => {
          const notebook = document.querySelector(".jp-Notebook").clientWidth;
          return [...document.querySelectorAll(".jp-InputPrompt, .jp-OutputPrompt")]
            .map(e => e.getBoundingClientRect().width / notebook);
        }"""
    )
    assert widths and max(widths) <= 0.15
    if lab.screen == "phone":
        assert max(widths) == 0
    # 代码格、输出和图用满正文的宽度（不给“编辑此页”的浮动按钮让出一栏）
    full = lab.evaluate(
        """() => {
          const article = document.querySelector("article").clientWidth;
          return document.querySelector(".jp-Notebook").clientWidth / article;
        }"""
    )
    assert full > 0.99


@each_view
def test_printed_lines_never_wrap_and_scroll_inside_their_box(lab):
    """打印的每一行在页面上只占一行（不在数字中间折断）；放不下的在自己的框里滚动。"""
    outputs = lab.evaluate(
        """() => [...document.querySelectorAll(".jp-OutputArea-output pre")].map(pre => {
          const lines = pre.textContent.replace(/\\n$/, "").split("\\n").length;
          const range = document.createRange();
          range.selectNodeContents(pre);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          const style = getComputedStyle(pre);
          return {lines, rendered: tops.size, text: pre.textContent.slice(0, 30),
                  scrolls: ["auto", "scroll"].includes(style.overflowX),
                  fits: pre.scrollWidth <= pre.clientWidth};
        })"""
    )
    assert len(outputs) >= 4
    for output in outputs:
        assert output["rendered"] == output["lines"], output
        assert output["fits"] or output["scrolls"], output


@each_view
def test_plots_sit_on_the_page_background_and_their_ink_is_readable(lab):
    """每张图的底色就是页面的底色（深色模式下不是一块白板）；图上最深的墨色（字、坐标轴、
    数据里最显眼的格子）与底色的对比度至少 4.5:1；手机上图上的字不小于 10 px。"""
    page_bg = tuple(
        int(n)
        for n in re.findall(r"\d+", lab.evaluate("getComputedStyle(document.body).backgroundColor"))
    )[:3]
    images = lab.locator(".jp-RenderedImage img")
    assert images.count() >= 3
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        shot = Image.open(io.BytesIO(image.screenshot(animations="disabled"))).convert("RGB")
        # getcolors 给出 (个数, 颜色)；上限取像素总数，就不会因颜色太多而返回 None
        colors = Counter({c: n for n, c in shot.getcolors(shot.width * shot.height)})
        background, _ = colors.most_common(1)[0]
        assert max(abs(a - b) for a, b in zip(background, page_bg, strict=True)) <= 3, (
            f"第 {i + 1} 张图的底色 {background}，页面是 {page_bg}"
        )
        # 墨色：与底色对比最强、又占了一定面积（至少 0.2% 的像素，不是抗锯齿的零星几点）的颜色
        enough = shot.width * shot.height * 0.002
        ink = max(
            (c for c, n in colors.items() if n >= enough), key=lambda c: contrast(c, background)
        )
        assert contrast(ink, background) >= 4.5, (i + 1, ink, background)
        # 图上最小的字是 matplotlib 的 font.size（磅）按 PNG 的 dpi 画出来的，再随图缩放
        natural, shown = image.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
        dpi = image_dpi(image)
        text_px = rcParams["font.size"] * dpi / 72 * shown / natural
        assert text_px >= 10, f"第 {i + 1} 张图上的字只有 {text_px:.1f} px"


def image_dpi(image):
    """PNG 里记下的 dpi（matplotlib 按 figure.dpi 写进 pHYs 块）。"""
    data = base64.b64decode(image.evaluate("i => i.src.split(',')[1]"))
    return round(Image.open(io.BytesIO(data)).info["dpi"][0])

"""读者在手机和深色模式下看到的页面：公式、图、表格和中文排版，在 Chromium 里量。

每一页、四种视图（375x812 的手机和 1280x800 的桌面，各有浅色、深色）都运行 reading.js，
它报出读者会碰到的问题（各类的定义见 reading.js 开头）：
- 整页能横向滚动；公式、图、表格、代码被裁掉，或者能横向滚动却没有提示；
- 图里的字渲染出来小于 10 px；图里的字对背景不到 4.5:1，线条和色标不到 3:1；
- 中文的收尾标点排在行首；短公式（如 1×1）被拆在两行。
滚动提示（边缘的阴影）是不是真的看得见、是不是只在还有内容的那一侧出现，另用截图量。
"""

import io
from pathlib import Path
from statistics import median

import pytest
from chromium import VIEW_IDS, VIEWS, load_images, site_pages, view_context, watch
from PIL import Image

CHECKS = Path(__file__).with_name("reading.js").read_text(encoding="utf-8")


def read(tab):
    """在当前页面上运行 reading.js：(有问题的类别 → 问题列表, 量过的数目)。"""
    load_images(tab)
    result = tab.evaluate(CHECKS)
    return {kind: found for kind, found in result["problems"].items() if found}, result["seen"]


@pytest.mark.parametrize(("screen", "scheme"), VIEWS, ids=VIEW_IDS)
def test_every_page_reads_well(browser, site_url, built_site, screen, scheme):
    context = view_context(browser, screen, scheme)
    tab = watch(context.new_page(), site_url)
    pages = site_pages(built_site)
    assert "notebooks/cnn-vs-mlp/" in pages and "glossary/" in pages
    problems, seen = {}, {}
    for path in pages:
        tab.goto(site_url + path, wait_until="networkidle")
        found, counts = read(tab)
        if found:
            problems[path or "/"] = found
        for kind, n in counts.items():
            seen[kind] = seen.get(kind, 0) + n
    context.close()
    assert problems == {}
    # 检查确实量到了东西：图里的字、行内公式、中文标点都有几百个
    assert seen["figureText"] > 300 and seen["inlineMath"] > 200 and seen["punctuation"] > 1000
    assert seen["scrollers"] > 0
    assert tab.problems == []


def test_display_formulas_fit_a_phone_without_scrolling(browser, site_url, built_site):
    """滚动加提示只是退路：现在每个行间公式都在 375 px 的手机上放得下（包括折叠的答案里的）。"""
    context = view_context(browser, "phone", "light")
    tab = context.new_page()
    wide = {}
    for path in site_pages(built_site):
        tab.goto(site_url + path, wait_until="networkidle")
        found = tab.evaluate(
            """() => {
              document.querySelectorAll("details").forEach((d) => (d.open = true));
              return [...document.querySelectorAll(".md-content div.arithmatex")]
                .filter((d) => d.scrollWidth > d.clientWidth + 1)
                .map((d) => `${d.scrollWidth}/${d.clientWidth} ${d.textContent.slice(0, 30)}`);
            }"""
        )
        if found:
            wide[path] = found
    context.close()
    assert wide == {}


def edge_shades(shot):
    """一张截图最左、最右 4 列像素亮度的中位数：字形稀疏，中位数就是那里的底色。"""
    image = Image.open(io.BytesIO(shot)).convert("L")
    width, height = image.size
    columns = {"left": range(0, 4), "right": range(width - 4, width)}
    return {
        side: median(image.getpixel((x, y)) for x in xs for y in range(height))
        for side, xs in columns.items()
    }


# 在哪一页、多宽的窗口里，哪种盒子会横向滚动：代码，以及窄到 300 px 时的行间公式。
# 站上的表格在任何宽度都不滚动了（术语表在手机上排成卡片）；哪天有表格要滚动，
# test_every_page_reads_well 会要求它也带上阴影。
SCROLLERS = [
    ("conv-layer/", "pre > code", 375),
    ("conv-layer/", "div.arithmatex", 300),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("path", "selector", "width"), SCROLLERS)
def test_the_scroll_cue_shows_only_on_the_side_with_more_to_see(
    browser, site_url, scheme, path, selector, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 812}, is_mobile=True, color_scheme=scheme
    )
    tab = context.new_page()
    tab.goto(site_url + path, wait_until="networkidle")
    # 第一个看得见、放不下的这种盒子；clip 只截它的上面 240 px，长表格也快
    found = tab.evaluate(
        """(selector) => {
          const box = [...document.querySelectorAll(".md-content " + selector)].find(
            (e) => e.checkVisibility() && e.clientHeight > 0 && e.scrollWidth > e.clientWidth + 20);
          if (!box) return false;
          box.id = "cfc-cue-probe";
          box.scrollIntoView();
          return true;
        }""",
        selector,
    )
    assert found, f"{path} 在 {width} px 宽时没有会横向滚动的 {selector}"
    probe = tab.locator("#cfc-cue-probe")

    def shades():
        box = probe.bounding_box()
        clip = {**box, "height": min(box["height"], 240)}
        return edge_shades(tab.screenshot(clip=clip))

    start = shades()
    probe.evaluate("(e) => (e.scrollLeft = e.scrollWidth)")
    tab.wait_for_timeout(100)  # scroll-focus.js 在 scroll 事件里换边
    end = shades()
    context.close()
    # 开头：右边还有内容，右缘有阴影，左缘是底色；滚到头：反过来
    assert abs(start["right"] - start["left"]) >= 15, start
    assert abs(end["left"] - end["right"]) >= 15, end
    assert abs(end["right"] - start["left"]) <= 3, (start, end)


BROKEN = """
<html lang="zh"><body style="margin: 0; font: 16px sans-serif">
<div class="md-content" style="width: 300px"><article>
  <p style="width: 100px">一二三四五六<span style="display: inline-block; width: 4px"></span>，后面</p>
  <div id="scroll" style="overflow-x: auto"><div style="width: 600px">能滚动，却没有提示</div></div>
  <div style="overflow: hidden; width: 100px"><div style="width: 300px">被裁掉的一行字</div></div>
  <pre style="width: 400px; margin: 0">伸出正文</pre>
  <figure class="cfc-figure"><svg viewBox="0 0 1000 300" width="200" height="60">
    <text x="10" y="100" style="font-size: 20px; fill: #ddd">小而浅</text>
    <rect x="10" y="150" width="300" height="100" style="fill: none; stroke: #eee"/>
  </svg><svg width="100" height="30"></svg></figure>
  <figure class="cfc-figure" data-figure="photos"><img src="data:," alt="没读到的图" width="80" height="40" style="border: 1px solid #eee"></figure>
  <p style="width: 70px">一二三<span class="katex"><span class="katex-mathml" style="position: absolute; width: 1px; overflow: hidden"><annotation>1\\times 1</annotation></span><span class="katex-html"><span style="display: inline-block; width: 20px">1×</span><span style="display: inline-block; width: 20px">1</span></span></span></p>
</article></div>
<div style="width: 2000px">把整页撑宽</div>
</body></html>
"""  # noqa: E501


def test_the_checks_catch_each_kind_of_problem(browser):
    """reading.js 不是空跑：一页故意写坏的 HTML，每一类问题它都报出来。"""
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.set_content(BROKEN)
    problems, seen = read(page)
    page.close()
    assert set(problems) == {
        "hscroll",
        "clipped",
        "uncued",
        "smallText",
        "lineStart",
        "splitMath",
        "lowContrastText",
        "lowContrastMarks",
        "figures",
    }
    assert any("伸出正文" in p for p in problems["clipped"])
    assert any("被裁掉" in p for p in problems["clipped"])
    assert problems["lineStart"] == ["「一二三四五六⏎，后面」"]
    assert problems["figures"][-1] == "photos 的 data:, 没有显示出来"
    assert any("边框" in p for p in problems["lowContrastMarks"])
    assert seen["figureText"] == 1 and seen["inlineMath"] == 1

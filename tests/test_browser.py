"""在真正的浏览器里检查构建好的站点：Playwright 驱动 Debian 的 Chromium。

站点只构建一次（conftest.built_site），在 127.0.0.1 上提供服务。每一页都要：
没有控制台错误、没有失败的请求、没有发往其他主机的请求、没有 KaTeX 错误、
正文里没有露出原始 TeX、每张图片都加载成功。搜索的测试在 test_search.py。
"""

from chromium import load_images, site_pages, view_context

# 在文本里找露出来的 TeX：去掉代码和 KaTeX 给读屏软件的 MathML 后，看剩下的文字
VISIBLE_TEXT = """() => {
  const root = document.querySelector("article").cloneNode(true);
  root.querySelectorAll("pre, code, script, style, .katex-mathml").forEach((e) => e.remove());
  return root.textContent;
}"""


def test_the_site_has_the_pages_we_expect(built_site):
    assert {"", "conv-layer/", "glossary/"} <= set(site_pages(built_site))


def test_every_page_is_clean(page, site_url, built_site):
    for path in site_pages(built_site):
        page.goto(site_url + path, wait_until="networkidle")
        assert page.locator(".katex-error").count() == 0, path
        text = page.evaluate(VISIBLE_TEXT)
        for raw in ("$", "\\(", "\\[", "[[figure"):
            assert raw not in text, f"{path} 的正文里露出了 {raw}"
        load_images(page)  # 懒加载的位图也要真的读得到
        broken = page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == [], f"{path} 有图片没加载出来"
    assert page.problems == []


def test_math_is_typeset_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "conv-layer/")
    assert tab.locator(".katex").count() > 40
    assert tab.locator(".katex-display").count() >= 5
    assert "\\(" not in tab.evaluate(VISIBLE_TEXT)
    context.close()


def test_instant_navigation_and_dark_mode_keep_the_math(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    page.locator(".md-content a[href*='conv-layer']").first.click()
    page.wait_for_url("**/conv-layer/")
    assert page.locator(".katex").count() > 40
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.dataset.mdColorScheme") != scheme
    assert page.problems == []


def test_the_chinese_font_stack_reaches_the_text_and_the_code(page, site_url):
    """extra.css 的字体栈真的用在正文和代码上（Material 在 body 上的定义曾经把它盖掉）。"""
    page.goto(site_url + "conv-layer/")
    text = page.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily")
    code = page.evaluate("getComputedStyle(document.querySelector('article pre code')).fontFamily")
    assert "PingFang SC" in text and "Noto Sans CJK SC" in text, text
    assert "Noto Sans Mono CJK SC" in code, code


def test_a_phone_screen_does_not_scroll_sideways(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    tab = context.new_page()
    tab.goto(site_url + "conv-layer/", wait_until="networkidle")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


# 含 marker 的输出块里，每一行各格（两个以上空格隔开）在屏幕上的 [左边缘, 右边缘]
TABLE_EDGES = """(marker) => {
  // 代码块里也有 marker（打印它的代码），输出块在它后面
  const pre = [...document.querySelectorAll("article pre")]
    .filter((p) => p.textContent.includes(marker))
    .pop();
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  const chars = [];  // 每个字符所在的文字节点和偏移
  for (let node; (node = walker.nextNode()); ) {
    for (let i = 0; i < node.data.length; i++) chars.push([node, i]);
  }
  const text = chars.map(([node, i]) => node.data[i]).join("");
  const rows = [];
  let start = 0;
  for (const line of text.split("\\n")) {
    const cells = [];
    for (const m of line.matchAll(/\\S+(?: \\S+)*/g)) {
      const range = document.createRange();
      range.setStart(...chars[start + m.index]);
      const [node, i] = chars[start + m.index + m[0].length - 1];
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      cells.push([box.left, box.right]);
    }
    if (cells.length) rows.push(cells);
    start += line.length + 1;
  }
  return rows;
}"""


def test_printed_chinese_tables_line_up_on_screen(page, site_url):
    """页面上的中文表格在读者的屏幕上也对齐：同一列各行的左边缘或右边缘在同一处（差不到 1 px）。"""
    page.goto(site_url + "channels/", wait_until="networkidle")
    rows = page.evaluate(TABLE_EDGES, "3→64，3×3，224×224")
    assert len(rows) == 5 and {len(r) for r in rows} == {5}, rows
    for column in zip(*rows, strict=True):
        lefts, rights = [c[0] for c in column], [c[1] for c in column]
        assert max(lefts) - min(lefts) < 1 or max(rights) - min(rights) < 1, column


def test_the_glossary_fits_a_phone_without_scrolling(browser, site_url):
    """手机上术语表每个术语排成一张卡片：每一格、每个“在哪里讲”的链接都在屏幕以内。"""
    context = view_context(browser, "phone", "light")
    tab = context.new_page()
    tab.goto(site_url + "glossary/", wait_until="networkidle")
    outside = tab.evaluate(
        """() => [...document.querySelectorAll('.cfc-glossary td, .cfc-glossary td a')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth)
          .map((e) => e.textContent)"""
    )
    rows = tab.locator(".cfc-glossary tbody tr").count()
    context.close()
    assert rows >= 20 and outside == []


def test_a_block_that_scrolls_shows_which_side_has_more(browser, site_url):
    """手机上放不下的输出：还有内容的一侧标出 data-cfc-more（extra.css 在那一侧画阴影），
    滚到头时换边。只多出几个像素也要标出来。"""
    context = view_context(browser, "phone", "dark")
    tab = context.new_page()
    tab.goto(site_url + "channels/", wait_until="networkidle")
    sides = """(scroll) => {
      const code = [...document.querySelectorAll("article pre > code")]
        .filter((c) => c.textContent.includes("3→64，3×3，224×224")).pop();
      if (scroll) code.scrollLeft = code.scrollWidth;
      return new Promise((done) => setTimeout(() => done([
        code.getAttribute("data-cfc-more"), getComputedStyle(code).boxShadow]), 100));
    }"""
    before, shadow = tab.evaluate(sides, False)
    after, _ = tab.evaluate(sides, True)
    context.close()
    assert (before, after) == ("right", "left") and "inset" in shadow

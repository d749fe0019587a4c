"""在真正的浏览器里检查构建好的站点：Playwright 驱动 Debian 的 Chromium。

站点只构建一次（conftest.built_site），在 127.0.0.1 上提供服务。每一页都要：
没有控制台错误、没有失败的请求、没有发往其他主机的请求、没有 KaTeX 错误、
正文里没有露出原始 TeX、每张图片都加载成功。搜索的测试在 test_search.py。
"""

from chromium import site_pages

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

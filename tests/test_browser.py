"""在真正的浏览器里检查构建好的站点：Playwright 驱动 Debian 的 Chromium。

站点只构建一次（conftest.built_site），在 127.0.0.1 上提供服务。每一页都要：
没有控制台错误、没有失败的请求、没有发往其他主机的请求、没有 KaTeX 错误、
正文里没有露出原始 TeX、每张图片都加载成功。另外检查术语表里的每个术语都能搜到讲它的页面。
"""

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitebuild.glossary import glossary_terms

# 默认用 Debian 的 Chromium；别的系统可用环境变量 CHROMIUM 指定已装好的浏览器
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# 本机网络是封闭的：关掉 Chromium 自己的后台联网，否则它会不停地连 Google 的主机
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# 在文本里找露出来的 TeX：去掉代码和 KaTeX 给读屏软件的 MathML 后，看剩下的文字
VISIBLE_TEXT = """() => {
  const root = document.querySelector("article").cloneNode(true);
  root.querySelectorAll("pre, code, script, style, .katex-mathml").forEach((e) => e.remove());
  return root.textContent;
}"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"没有 {CHROMIUM}，浏览器测试需要它：sudo apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def site_pages(site):
    """站点的每个页面（相对路径）。404.html 用 site_url 的绝对路径引用资源，只在部署后可用。"""
    return sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if p.name != "404.html"
    )


@pytest.fixture
def page(browser, site_url):
    """一个新页面，记录控制台错误、失败的请求和发往其他主机的请求。"""
    context = browser.new_context()
    tab = context.new_page()
    tab.problems = []
    own = urlsplit(site_url).netloc

    def on_request(request):
        url = urlsplit(request.url)
        if url.scheme in ("http", "https") and url.netloc != own:
            tab.problems.append(f"站外请求：{request.url}")

    tab.on("console", lambda m: m.type == "error" and tab.problems.append(f"控制台：{m.text}"))
    tab.on("pageerror", lambda e: tab.problems.append(f"脚本错误：{e}"))
    tab.on("requestfailed", lambda r: tab.problems.append(f"请求失败：{r.url}"))
    tab.on("request", on_request)
    tab.on("response", lambda r: r.status >= 400 and tab.problems.append(f"{r.status}：{r.url}"))
    yield tab
    context.close()


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


def test_searching_each_glossary_term_finds_the_page_that_teaches_it(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    search = page.locator("input.md-search__input")
    missing = []
    for term in glossary_terms():
        # 还没写的章节：至少能在术语表里搜到
        wanted = term.taught.split("#")[0].removesuffix(".md") if term.taught else "glossary"
        search.click()
        search.fill(term.zh)
        search.press("End")  # Material 在 keyup 时才查询；fill 只触发 input 事件
        # 结果里出现高亮的整个术语，说明它作为一个词被索引、被查到了
        page.wait_for_function(
            "t => [...document.querySelectorAll('.md-search-result mark')]"
            ".some(m => m.textContent === t)",
            arg=term.zh,
            timeout=5000,
        )
        hrefs = page.locator(".md-search-result__item a").evaluate_all(
            "(els) => els.map((e) => e.getAttribute('href'))"
        )
        if not any(f"{wanted}/" in h for h in hrefs):
            missing.append((term.zh, wanted, hrefs))
        search.fill("")
    assert missing == []
    assert page.problems == []

"""浏览器测试的辅助：Debian 的 Chromium、在本机上提供站点、记录页面上的问题、读者的几种视图。

夹具（browser、site_url、page）在 conftest.py 里，用的是这里的函数。
"""

import contextlib
import functools
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

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

# 读者的四种视图：手机（375x812）和桌面（1280x800），各有浅色、深色
SCREENS = {"phone": (375, 812), "desktop": (1280, 800)}
SCHEMES = ("light", "dark")
VIEWS = [(screen, scheme) for screen in SCREENS for scheme in SCHEMES]
VIEW_IDS = [f"{screen}-{scheme}" for screen, scheme in VIEWS]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory, handler_class=QuietHandler):
    """在 127.0.0.1 的随机端口上提供 directory，给出站点的网址。"""
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def site_pages(site):
    """站点的每个页面（相对路径）。404.html 另有测试。"""
    return sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if p.name != "404.html"
    )


def watch(tab, site_url):
    """让 tab.problems 记下控制台错误、脚本错误、失败的请求和发往其他主机的请求。"""
    tab.problems = []
    own = urlsplit(site_url).netloc

    def on_request(request):
        url = urlsplit(request.url)
        if url.scheme in ("http", "https") and url.netloc != own:
            tab.problems.append(f"站外请求：{request.url}")

    tab.on("console", lambda m: m.type == "error" and tab.problems.append(f"控制台：{m.text}"))
    tab.on("pageerror", lambda e: tab.problems.append(f"脚本错误：{e}"))

    def on_failed(request):
        # 图标是浏览器在页面加载完之后自己去取的：测试紧接着换页，这个请求就被浏览器取消
        # （net::ERR_ABORTED），不是站点的毛病。图标真缺了是 404，下面的 response 监听照样记下
        favicon = urlsplit(request.url).path.endswith("/favicon.png")
        if not (favicon and request.failure == "net::ERR_ABORTED"):
            tab.problems.append(f"请求失败：{request.url}")

    tab.on("requestfailed", on_failed)
    tab.on("request", on_request)
    tab.on("response", lambda r: r.status >= 400 and tab.problems.append(f"{r.status}：{r.url}"))
    return tab


def view_context(browser, screen, scheme):
    """一种视图的浏览器上下文：窗口大小、手机模式，以及系统的浅色/深色偏好。

    站点的调色板跟随 prefers-color-scheme（mkdocs.yml 的 palette.media），读者没有手动切换时
    看到的就是这里设定的方案。
    """
    width, height = SCREENS[screen]
    return browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=screen == "phone",
        has_touch=screen == "phone",
        color_scheme=scheme,
    )


def luminance(colour):
    """WCAG 的相对亮度。colour 是 (r, g, b[, a]) 或 CSS 的 "rgb(…)"/"rgba(…)" 字符串，0–255。"""
    if isinstance(colour, str):
        colour = [float(c) for c in re.findall(r"[\d.]+", colour)]

    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """两种颜色的 WCAG 对比度（1 到 21）。"""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# 位图用 loading="lazy"（figures/raster.py）：不滚到附近不下载。量图之前先让每张都下载、解码完
LOAD_IMAGES = """Promise.all([...document.images].map((i) => {
  i.loading = "eager";
  return i.decode().catch(() => null);
}))"""


def load_images(tab):
    """让页面上懒加载的位图全部读进来（读不到的留给检查去报）。"""
    tab.evaluate(LOAD_IMAGES)

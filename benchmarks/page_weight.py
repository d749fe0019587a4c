"""量一量读者打开最大的一章要传输多少字节，按 HTML、CSS、JS、字体分类。

用法：make weigh（先构建站点到 site/，再在 Debian 的 Chromium 里打开页面）。
表中“传输”是本地服务器未压缩时浏览器实际收到的响应体字节数；“gzip”是同一批文件
用 gzip -9 压缩后的大小，接近 GitHub Pages 这类会压缩的服务器上的传输量。
"""

import functools
import gzip
import os
import sys
import threading
from collections import defaultdict
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

SITE = Path(__file__).resolve().parent.parent / "site"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "font": "字体"}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def largest_chapter():
    pages = [p for p in SITE.glob("*/index.html") if p.parent.name not in ("glossary", "search")]
    return max(pages, key=lambda p: p.stat().st_size).parent.name


def main():
    if not (SITE / "index.html").is_file():
        sys.exit("先运行 make build")
    handler = functools.partial(Quiet, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chapter = largest_chapter()
    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("requestfinished", lambda request: requests.append(request))
        page.goto(f"http://127.0.0.1:{server.server_port}/{chapter}/", wait_until="networkidle")
        sent, packed = defaultdict(int), defaultdict(int)
        for request in requests:
            kind = KINDS.get(request.resource_type, "其他")
            sent[kind] += request.sizes()["responseBodySize"]
            local = SITE / urlsplit(request.url).path.lstrip("/")
            local = local / "index.html" if local.is_dir() else local
            packed[kind] += len(gzip.compress(local.read_bytes(), 9))
        browser.close()
    server.shutdown()
    print(f"页面：{chapter}/，共 {len(requests)} 个请求")
    print(f"{'类型':<6}{'传输（字节）':>14}{'gzip（字节）':>14}")
    for kind in [*KINDS.values(), "其他"]:
        if sent[kind]:
            print(f"{kind:<6}{sent[kind]:>14,}{packed[kind]:>14,}")
    print(f"{'合计':<6}{sum(sent.values()):>14,}{sum(packed.values()):>14,}")


if __name__ == "__main__":
    main()

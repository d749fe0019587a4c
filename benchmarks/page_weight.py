"""量一量读者第一次打开一页要下载多少字节：最重的一章和实验页，按 HTML、CSS、JS、字体、其他分类，
再和目标比较。这是基准，不是测试：不达标只是报出来，退出码仍是 0。

用法：make weigh（先构建站点到 site/，再在 Debian 的 Chromium 里逐页打开，等网络空闲）；
量别处构建的站点：python benchmarks/page_weight.py 站点目录。
“原始”是文件本身的字节数（本地服务器不压缩，浏览器收到的就是这么多）；“gzip”是同一批文件
用 gzip -9 压缩后的大小，接近 GitHub Pages 这类会压缩的服务器上实际传输的量。
同一个地址只算一次；浏览器缓存是空的（第一次打开）。1 KB = 1000 字节。

目标：最重的一章 ≤ 250 KB，实验页 ≤ 300 KB，
卷积计算器的脚本（连同它的样式和加载器）≤ 30 KB（都按 gzip）。
"""

import gzip
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from chromium import CHROMIUM, FLAGS, serve  # noqa: E402

from sitebuild.project import chapters  # noqa: E402

SITE = ROOT / "site"
LAB = "notebooks/cnn-vs-mlp/"
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "font": "字体"}
ORDER = [*KINDS.values(), "其他"]
GOALS = {"chapter": 250_000, "lab": 300_000, "explorer": 30_000}  # gzip 字节
# 卷积计算器的脚本：打包后的计算器（样式在里面）和每页都有的加载器
EXPLORER_JS = ("javascripts/cfc-explorer.js", "javascripts/explorer.js")


def width(text):
    """显示宽度：汉字和全角符号占两格。"""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cell(text, size, right=True):
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def weigh(browser, site, site_url, path):
    """打开一页，返回 {地址路径: (类型, 原始字节, gzip 字节)}。"""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    seen = {}

    def record(request):
        url = urlsplit(request.url).path
        local = site / url.lstrip("/")
        local = local / "index.html" if local.is_dir() else local
        if url not in seen and local.is_file():
            data = local.read_bytes()
            kind = KINDS.get(request.resource_type, "其他")
            seen[url] = (kind, len(data), len(gzip.compress(data, 9)))

    tab.on("requestfinished", record)
    tab.goto(site_url + path, wait_until="networkidle")
    context.close()
    return seen


def totals(files):
    raw, packed = defaultdict(int), defaultdict(int)
    for kind, size, zipped in files.values():
        raw[kind] += size
        packed[kind] += zipped
    return raw, packed


def report(title, path, files, goal):
    raw, packed = totals(files)
    total = sum(packed.values())
    print(f"\n{title}：/{path}，{len(files)} 个请求")
    print(cell("类型", 6, right=False) + cell("原始（字节）", 14) + cell("gzip（字节）", 14))
    for kind in ORDER:
        if raw[kind]:
            print(
                cell(kind, 6, right=False)
                + cell(f"{raw[kind]:,}", 14)
                + cell(f"{packed[kind]:,}", 14)
            )
    print(
        cell("合计", 6, right=False) + cell(f"{sum(raw.values()):,}", 14) + cell(f"{total:,}", 14)
    )
    fonts = sorted(Path(u).name for u, (k, _, _) in files.items() if k == "字体")
    if fonts:
        formats = sorted({name.rsplit(".", 1)[-1] for name in fonts})
        print(f"字体 {len(fonts)} 个，格式：{'、'.join(formats)}")
    verdict = "达标" if total <= goal else "未达标"
    print(f"目标 gzip ≤ {goal / 1000:.0f} KB：实际 {total / 1000:.1f} KB，{verdict}")
    return total <= goal


def main(site=SITE):
    if not (site / "index.html").is_file():
        sys.exit("先运行 make build")
    pages = [chapter.page.stem + "/" for chapter in chapters()]
    with serve(site) as site_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        weights = {path: weigh(browser, site, site_url, path) for path in [*pages, LAB]}
        browser.close()
    print("各章第一次打开（gzip 字节）：")
    gzipped = {path: sum(totals(weights[path])[1].values()) for path in pages}
    longest = max(len(path) for path in pages) + 1
    for path in pages:
        print(f"  {cell('/' + path, longest, right=False)}{gzipped[path]:>10,}")
    heaviest = max(pages, key=gzipped.get)
    results = [
        report("最重的一章", heaviest, weights[heaviest], GOALS["chapter"]),
        report("实验页", LAB, weights[LAB], GOALS["lab"]),
    ]
    results.append(report_explorer(site))
    print(f"\n{sum(results)} / {len(results)} 个目标达标")


def report_explorer(site):
    sizes = {name: (site / name).read_bytes() for name in EXPLORER_JS}
    print("\n卷积计算器的脚本：")
    for name, data in sizes.items():
        packed = len(gzip.compress(data, 9))
        print(f"  {cell(name, 30, right=False)}{len(data):>10,} 原始{packed:>10,} gzip")
    total = sum(len(gzip.compress(data, 9)) for data in sizes.values())
    goal = GOALS["explorer"]
    verdict = "达标" if total <= goal else "未达标"
    print(f"目标 gzip ≤ {goal / 1000:.0f} KB：实际 {total / 1000:.1f} KB，{verdict}")
    return total <= goal


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SITE)

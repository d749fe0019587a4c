"""离线版：一份能从磁盘（file://）打开的站点，打成一个 zip，读者解压后打开 index.html。

构建用 Material 自带的 offline 插件（mkdocs.yml 里只在 OFFLINE=true 时启用）：它关掉目录式网址，
把搜索索引另写成一个脚本（file:// 下浏览器不许 fetch），并给页面加上 iframe-worker 垫片
（file:// 下不能启动 Web Worker，搜索的 worker 改在一个隐藏的 iframe 里跑）。插件默认从
unpkg.com 取这个垫片；这里换成 npm 包 iframe-worker 里钉住版本的一份，由站点自己提供。

zip 不在普通构建里生成（那要把整个站点再构建一遍），而由 `make offline` 另外构建、打包；
部署时把它放进已发布站点的 ZIP_URI。首页链接它，所以普通构建的死链检查只为这一个文件
破例（ZIP_URI 由 hooks/site.py 交给 links.dead_links）；离线版自己的首页把这个链接
改成网站上的地址（zip 里不会再装一个 zip）。
"""

import os
import zipfile
from pathlib import Path, PurePosixPath

from . import BuildError
from .project import ROOT

SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
SHIM_URI = "assets/javascripts/iframe-worker/shim.js"
# 发布的站点里 zip 所在的位置（首页的链接、部署工作流都用它）；zip 里的顶层文件夹同名
ZIP_URI = "downloads/conv-from-fc-offline.zip"
FOLDER = PurePosixPath(ZIP_URI).stem
# 离线版用不上的文件：源码映射（调试用）、JSON 版的搜索索引（file:// 下读的是 search_index.js），
# 以及只有服务器才用的 404 页和站点地图
SKIPPED = ("*.map", "search/search_index.json", "404.html", "sitemap.xml", "sitemap.xml.gz")
# zip 里每个文件的时间戳固定下来：内容相同的站点打出逐字节相同的 zip
EPOCH = (1980, 1, 1, 0, 0, 0)
README = """从全连接层到卷积 · 离线版

用浏览器打开这个文件夹里的 index.html 即可阅读：导航、搜索、公式和图都不需要网络。
各章的 Jupyter 笔记本在 downloads/ 里，实验笔记本在 notebooks/ 里。
"""


def with_local_shim(polyfills):
    """extra.polyfills 加上站点自带的 iframe-worker 垫片（已有就不重复）。

    Material 的 offline 插件只在列表里没有含 "iframe-worker" 的地址时才去加 unpkg 上的那个，
    所以这一步要在插件之前做（hooks/site.py 的 on_config 提前运行）。
    """
    if any("iframe-worker" in str(url) for url in polyfills):
        return list(polyfills)
    return [*polyfills, SHIM_URI]


def shim_asset(shim=SHIM):
    """离线版要带上的垫片：(站内路径, 本地文件)。"""
    if not shim.is_file():
        raise BuildError(
            f"找不到 iframe-worker：{shim}。请先运行 `make install`（其中执行 npm ci）。"
        )
    return SHIM_URI, shim


def point_zip_online(html, site_url):
    """离线版的页面里，指向 zip 的相对链接改成网站上的地址；别的都不动。"""
    online = f"{site_url.rstrip('/')}/{ZIP_URI}"
    return html.replace(f'href="{ZIP_URI}"', f'href="{online}"')


def skipped(path):
    """站点里的这个文件（相对路径）不放进离线版。"""
    return any(PurePosixPath(path).match(pattern) for pattern in SKIPPED)


def zip_site(site_dir, zip_path):
    """把构建好的离线版站点打成 zip：顶层一个文件夹 FOLDER，站点和一份说明（README.txt）在里面。

    返回 zip 里的文件数。文件按路径排序、时间戳固定，同一份站点总是打出同样的 zip。
    """
    site_dir, zip_path = Path(site_dir), Path(zip_path)
    if not (site_dir / "index.html").is_file():
        raise BuildError(
            f"{site_dir} 里没有 index.html：先用 OFFLINE=true 构建离线版（make offline）"
        )
    paths = sorted(
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*")
        if p.is_file() and not skipped(p.relative_to(site_dir).as_posix())
    )
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        entries = [("README.txt", README.encode("utf-8"))]
        entries += [(path, (site_dir / path).read_bytes()) for path in paths]
        for path, data in entries:
            info = zipfile.ZipInfo(f"{FOLDER}/{path}", date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    os.replace(partial, zip_path)
    return len(entries)

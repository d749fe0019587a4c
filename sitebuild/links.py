"""站内链接：构建出的每一页里，指向站内的 href、src 都要有目标，`#锚点` 要对得上一个 id。

MkDocs 的 validation 只查 Markdown 页面里用 Markdown 写的链接；实验笔记本（mkdocs-jupyter
渲染）、页面里手写的 HTML、主题模板生成的链接它都不查。这里在构建完之后读整个站点的 HTML，
所有种类的页面一视同仁。注释、脚本和样式表里的文字不是链接，不看。
"""

import re
from html import unescape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# 用正则而不是 html.parser：公式、图让每页有上万个标签，html.parser 要多花半秒
# 读者看不见、也不是链接的部分：注释，脚本、样式表的内容（开始标签留下，它的 src 还要查）
HIDDEN = re.compile(r"<!--.*?-->|(<(script|style|textarea)\b[^>]*>).*?</\2\s*>", re.S | re.I)
VALUE = r"""(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
TAG = re.compile(rf"<([a-zA-Z][^\s/>]*)((?:\s+[^\s/>\"'=]+(?:\s*=\s*{VALUE})?)*)\s*/?>")
ATTRIBUTE = re.compile(rf"([^\s/>\"'=]+)(?:\s*=\s*{VALUE})?")
WANTED = re.compile(r"(?:^|\s)(?:id|name|href|src)\s*=", re.I)  # 先粗筛，绝大多数标签不用细看


def page_links(html):
    """一页 HTML -> (它的全部 id 和 a 的 name, 它的全部 href、src)。"""
    ids, urls = set(), []
    for tag in TAG.finditer(HIDDEN.sub(lambda m: m[1] or "", html)):
        if not WANTED.search(tag[2]):
            continue
        for attribute in ATTRIBUTE.finditer(tag[2]):
            name, values = attribute[1].lower(), attribute.groups()[1:]
            value = next((unescape(v) for v in values if v is not None), None)
            if value is None:
                continue
            if name == "id" or (name == "name" and tag[1].lower() == "a"):
                ids.add(value)
            elif name in ("href", "src"):
                urls.append(value)
    return ids, urls


def target(url, page, base="/"):
    """页面 page（站点里的路径，如 conv-layer/index.html）上的链接 url 指向哪里。

    返回 (目标在站点里的路径, 锚点)，路径 "" 是站点的根；站外的地址（http:、mailto:、data:、
    //主机……）返回 None。以 / 开头的地址相对站点的根 base（site_url 的路径部分，以 / 结尾）；
    不在 base 之下的、跑到站点外面的（../ 太多），路径为 None：部署后一定找不到。
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    if not path:
        return page, anchor
    if path.startswith("/"):
        if not path.startswith(base):
            return None, anchor
        path = path.removeprefix(base)
    else:
        path = f"{PurePosixPath(page).parent}/{path}"
    resolved = []
    for part in path.split("/"):
        if part == "..":
            if not resolved:
                return None, anchor
            resolved.pop()
        elif part not in ("", "."):
            resolved.append(part)
    return "/".join(resolved), anchor


def dead_links(site_dir, base="/", published=()):
    """站点里找不到目标的链接：[“页面：地址”]。base 是 site_url 的路径部分，如 /conv-from-fc/。

    指向目录的地址指向其中的 index.html；锚点只在指向 HTML 页面时核对，空锚点（#）指页首。
    published 是构建之外另行生成、部署时才放进站点的文件（站内路径），指向它们的链接不算死链。
    """
    site_dir = Path(site_dir)
    base = base if base.endswith("/") else f"{base}/"
    pages = {
        path.relative_to(site_dir).as_posix(): page_links(path.read_text(encoding="utf-8"))
        for path in sorted(site_dir.rglob("*.html"))
    }
    dead = []
    for page, (_, urls) in pages.items():
        for url in urls:
            found = target(url, page, base)
            if found is None:
                continue
            path, anchor = found
            if path is not None and (site_dir / path).is_dir():
                path = f"{path}/index.html".removeprefix("/")
            if path in published:
                continue
            if path is None or not (site_dir / path).is_file():
                dead.append(f"{page}：{url}")
            elif anchor and path in pages and anchor not in pages[path][0]:
                dead.append(f"{page}：{url}（目标页面里没有 id 为 {anchor} 的元素）")
    return dead

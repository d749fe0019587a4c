"""由代码生成的图。页面里单独一段 `[[figure 名字]]` 在构建时换成这里画出的图
（sitebuild/figures.py）。每章的图在 figures/<章的模块名>.py 里，模块末尾的 FIGURES
把图的名字对应到画图的函数；函数返回 (HTML, alt)，HTML 多是内联的 SVG（svg.py）。
照片一类的图另有位图文件：模块里的 IMAGES 把文件名对应到返回文件字节的函数（raster.py）。
这里把各章的 FIGURES、IMAGES 分别收在一起。
"""

import importlib
import pkgutil
import re
from html import escape

from .raster import IMAGE_DIR

HELPERS = {"svg", "raster"}  # 画图用的工具模块，不是某一章的图
WHAT = {"FIGURES": "图的名字", "IMAGES": "位图的文件名"}


def collect(attribute="FIGURES"):
    """各章模块里的 FIGURES（或 IMAGES）合成一个字典；两章用了同一个名字时抛出 ValueError。"""
    found = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name in HELPERS:
            continue
        chapter = importlib.import_module(f"{__name__}.{module.name}")
        for name, draw in getattr(chapter, attribute, {}).items():
            if name in found:
                raise ValueError(f"{WHAT[attribute]} {name!r} 在两个模块里都有")
            found[name] = draw
    return found


FIGURES = collect()
IMAGES = collect("IMAGES")
# 图的 HTML 里引用的位图：相对站点根的地址（raster.image_src）
IMAGE_SRC = re.compile(rf'\bsrc="({re.escape(IMAGE_DIR)}/[^"]+)"')


def draw(name):
    """画出名为 name 的图：(HTML, alt)。名字不存在时抛出 ValueError。"""
    if name not in FIGURES:
        raise ValueError(f"未知的图 {name!r}；已有：{', '.join(sorted(FIGURES))}")
    return FIGURES[name]()


def wrap(name, html, url=None):
    """把画好的图包进 <figure>。SVG 的题注就是 alt 文字，已写进 SVG 的 <title>。

    url(站内路径) 给出从当前页面到站点里那个文件的相对地址（没有时 None）：给了它，图里的
    位图地址就换成从这一页出发的；引用的位图不在站点里（没有登记在 IMAGES 里）时抛出 ValueError。
    """
    if url is not None:

        def resolve(match):
            found = url(match.group(1))
            if found is None:
                raise ValueError(
                    f"图 {name!r} 用到的 {match.group(1)} 不在站点里：文件名要登记在 IMAGES 里"
                )
            return f'src="{escape(found)}"'

        html = IMAGE_SRC.sub(resolve, html)
    return f'<figure class="cfc-figure" data-figure="{escape(name)}">{html}</figure>'


def render(name, url=None):
    """画出名为 name 的图并包进 <figure>（见 draw、wrap）。"""
    html, _alt = draw(name)
    return wrap(name, html, url)

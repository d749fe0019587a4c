"""由代码生成的图。页面里单独一段 `[[figure 名字]]` 在构建时换成这里画出的 SVG
（sitebuild/figures.py）。每章的图在 figures/<章的模块名>.py 里，模块末尾的 FIGURES
把图的名字对应到画图的函数；函数返回 (svg, alt)。这里把各章的 FIGURES 收在一起。
"""

import importlib
import pkgutil
from html import escape

HELPERS = {"svg"}  # 画图用的工具模块，不是某一章的图


def collect():
    """各章模块里的 FIGURES 合成一个字典；两章用了同一个名字时抛出 ValueError。"""
    found = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name in HELPERS:
            continue
        chapter = importlib.import_module(f"{__name__}.{module.name}")
        for name, draw in chapter.FIGURES.items():
            if name in found:
                raise ValueError(f"图的名字 {name!r} 在两个模块里都有")
            found[name] = draw
    return found


FIGURES = collect()


def render(name):
    """把图包进 <figure>，题注就是 alt 文字。名字不存在时抛出 ValueError。"""
    if name not in FIGURES:
        raise ValueError(f"未知的图 {name!r}；已有：{', '.join(sorted(FIGURES))}")
    svg, _alt = FIGURES[name]()  # alt 已写进 SVG 的 <title>
    return f'<figure class="cfc-figure" data-figure="{escape(name)}">{svg}</figure>'

"""站内搜索的索引里放什么。

Material 的搜索插件在 on_page_context 里读页面 HTML 的文字建索引，照原样读有几处不对：
KaTeX 排出的每个公式在 HTML 里有三份文字（给读屏软件的 MathML、TeX 注解、显示用的字形），
结果预览成了“3×33\\times 33×3”；图里格子上的每个数都进了索引；章首折叠起来、注明“详见”
别的章的代码（如 channels.md 开头的 corr2d）让这一章在搜 corr2d 时排到讲它的那一章前面；
实验笔记本的小标题藏在单元格的 <div> 里，插件分不出小节，整本笔记本的代码（每个单元格还有
一份给复制按钮的副本）都算在页首一条里。

search_view 给搜索插件另一个版本的页面，修正这几处；索引建完，读者拿到的仍是原来的页面
（换进换出在 hooks/site.py）。
"""

import re

KATEX = re.compile(r'<span class="katex">')
SPAN = re.compile(r"<(/?)span\b[^>]*>")
TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)
SVG = re.compile(r"<svg\b[^>]*>(.*?)</svg>", re.S)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
# 折叠的说明块，标题里链到别的页面（“详见[图像卷积](conv-layer.md#…)”）：借来的代码
BORROWED = re.compile(
    r'<details class="note">\s*<summary>(?:(?!</summary>).)*<a href="(?!#)[^"]*"'
    r".*?</summary>.*?</details>",
    re.S,
)
# 实验笔记本里读者不读、却会进索引的字：复制按钮用的代码副本、“Copied!”、In [2]: 之类的
# 提示符、小标题后的 ¶
NOTEBOOK_NOISE = re.compile(
    r'<div class="clipboard-copy-txt"[^>]*>.*?</div>'
    r'|<span class="notice"[^>]*>.*?</span>'
    r'|<div class="jp-(?:In|Out)putPrompt[^"]*"[^>]*>.*?</div>'
    r'|<a class="anchor-link"[^>]*>.*?</a>',
    re.S,
)
DIV = re.compile(r"</?div\b[^>]*>")


def span_end(html, start):
    """从 start 处的 <span …> 起，找到与它配对的 </span> 之后的位置。"""
    depth = 0
    for tag in SPAN.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    raise ValueError(f"公式的 <span> 没有闭合：{html[start : start + 60]!r}")


def search_view(html, notebook=False):
    """搜索插件看到的页面：每个 KaTeX 公式换成它的 TeX，每张 SVG 图换成它的 <title>，
    借来的代码块去掉；实验笔记本（notebook=True）再去掉上面说的杂字和所有 <div>，
    小标题和代码回到同一层，插件才按小标题分节。
    """
    if notebook:
        html = DIV.sub("", NOTEBOOK_NOISE.sub("", html))
    html = BORROWED.sub("", html)
    out, position = [], 0
    for found in KATEX.finditer(html):
        end = span_end(html, found.start())
        tex = TEX.search(html, found.start(), end)
        # 前后留空格：TeX 不与旁边的汉字、标点粘成一个词
        out += [html[position : found.start()], " ", tex.group(1) if tex else "", " "]
        position = end
    out.append(html[position:])

    def caption(svg):
        title = TITLE.search(svg.group(1))
        return title.group(1) if title else ""

    return SVG.sub(caption, "".join(out))

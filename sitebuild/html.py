"""一页 HTML 的收尾：Markdown 渲染完之后的几步，顺序写在这里，也只写在这里。

1. 实验笔记本：去掉 CDN 脚本，把 $…$ 包成 arithmatex 的形式 —— 第 2、3 步只认这种包装；
2. 行内公式与挨着它的中文标点包进不换行的 <span>，短公式也包上 —— 在第 3 步之前：
   要看 TeX 才知道公式多长，排版之后只剩一堆 <span>；
3. 公式交给 KaTeX 排版 —— 在第 6、8 步之前：它们改的是文字，不能改进 TeX 里；
4. `[[figure 名字]]` 换成图：SVG，或引用位图的网格（第 8 步认得 <svg>，不会往图里的字上加提示）；
5. 跳过标记（HTML 注释，读者看不见）换成写明原因的一段话；
6. 去掉汉字之间的换行 —— 在第 8 步之前：断在两行的术语先接上，才认得出来；
7. 代码和输出里的全宽字符对齐到两列（monospace）—— 只动 <pre> 里的文字，与前后各步无关；
   输出块不要复制按钮（quiet_outputs）：读者复制的是代码，而手机上按钮压在输出的第一行上；
8. 术语第一次出现时加悬停提示 —— 它跳过公式、图、代码和链接，要等它们都就位；
9. 实验笔记本：删掉 mkdocs-jupyter 内联的样式里用不上的部分（notebooks.lab_styles）——
   最后：按页面最终有哪些类名、标签来删。


收尾之前，Markdown 页面先过 check_code_blocks：渲染出的代码块必须正是扫描器找到的那些围栏
（缩进的代码块、引用块里的围栏读者看得见，扫描器却看不见，也就从不运行）；实验笔记本先给
小标题换上与目录一致的锚点（notebooks.heading_ids），再配上图的替代文字和下载按钮
（notebooks.dress_lab）。整站构建完再查站内链接（links）。
"""

import re
from dataclasses import dataclass
from html import escape

from .cjk import bind_inline_math, join_cjk_lines
from .fences import MARK, parse_mark, scan
from .figures import insert_figures
from .glossary import add_tooltips
from .math import typeset, wrap_dollar_math
from .monospace import align_wide_glyphs
from .notebooks import lab_styles, strip_cdn_scripts

COMMENT = re.compile(r"<!--.*?-->", re.S)
# 一个代码块一个 <pre>；带行号的代码块，行号栏另有一个 <pre>，不算
PRE = re.compile(r'(?<!<div class="linenodiv">)<pre\b', re.I)


@dataclass
class Page:
    """收尾需要知道的关于一页的事。"""

    src_uri: str  # 如 conv-layer.md、notebooks/cnn-vs-mlp.py
    is_notebook: bool = False  # mkdocs-jupyter 渲染的实验笔记本
    is_glossary: bool = False  # 术语表本身不加提示


def page_kind(src_uri):
    """按页面的源文件判断它是哪一种页面。"""
    return Page(
        src_uri,
        is_notebook=src_uri.endswith((".py", ".ipynb")),
        is_glossary=src_uri == "glossary.md",
    )


def check_code_blocks(html, expanded):
    """读者看到的代码块就是测试看到的代码块：页面 HTML 里的 <pre>（HTML 注释里的不算）与
    展开 `--8<--` 之后的 Markdown 里扫描到的围栏一样多，否则抛出 ValueError。

    在插入图之前调用。多出来的是扫描器看不见的代码：缩进四格的代码块、引用块（>）里的围栏、
    手写的 <pre>；少了的是测试会运行、读者却看不见的代码。
    """
    rendered = len(PRE.findall(COMMENT.sub("", html)))
    scanned = len(scan(expanded))
    if rendered > scanned:
        raise ValueError(
            f"页面上有 {rendered} 个代码块，扫描器只找到 {scanned} 个围栏：多出来的多半是"
            "缩进四格的代码块、引用块（>）里的围栏或手写的 <pre>，读者看得见，测试却看不见、"
            "从不运行。写成不缩进、不在引用块里的围栏（```python，或写明语言）"
        )
    if rendered < scanned:
        raise ValueError(
            f"扫描器找到 {scanned} 个围栏，页面上却只有 {rendered} 个代码块："
            "有测试会运行、读者却看不见的代码（比如在 HTML 注释里，或没有渲染成代码块）"
        )


def show_skip_reasons(html):
    """把 `<!--pytest.mark.skip(reason="…")-->` 换成读者看得见的一段说明。"""

    def replace(match):
        found = MARK.match(match.group(0))
        mark = parse_mark(found["text"]) if found else None
        if mark is None or mark.kind != "skip":
            return match.group(0)
        return f'<p class="cfc-untested">下面的代码不在测试中运行：{escape(mark.reason)}</p>'

    return COMMENT.sub(replace, html)


# 标题为“输出”的代码块（页面上代码打印的内容）
OUTPUT_BLOCK = re.compile(r'<div class="highlight">(?=<span class="filename">输出</span>)')


def quiet_outputs(html):
    """输出块加上 Material 认得的 no-copy 类：它不给这样的代码块加复制按钮。"""
    return OUTPUT_BLOCK.sub('<div class="highlight no-copy">', html)


def finish(html, page, render_math, render_figure, terms):
    """按上面的顺序完成一页。render_math 即 math.Katex.render；render_figure(名字) 给出那张图的
    <figure>，即 figures.Drawings.render 绑定了从这一页出发的地址（图里的位图要用）。"""
    if page.is_notebook:
        html = wrap_dollar_math(strip_cdn_scripts(html))
    html = bind_inline_math(html)
    html = typeset(html, render_math)
    html = insert_figures(html, render_figure)
    html = show_skip_reasons(html)
    html = join_cjk_lines(html)
    html = quiet_outputs(align_wide_glyphs(html))
    html = html if page.is_glossary else add_tooltips(html, terms)
    return lab_styles(html) if page.is_notebook else html

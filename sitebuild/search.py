"""站内搜索：索引里放什么，浏览器端按什么词查。

Material 的搜索插件在 on_page_context 里读页面 HTML 的文字建索引，照原样读有几处不对：
KaTeX 排出的每个公式在 HTML 里有三份文字（给读屏软件的 MathML、TeX 注解、显示用的字形），
结果预览成了“3×33\\times 33×3”；图里格子上的每个数都进了索引；章首折叠起来、借自
别的章的代码（如 channels.md 开头的 corr2d）让这一章在搜 corr2d 时排到讲它的那一章前面；
实验笔记本的小标题藏在单元格的 <div> 里，插件分不出小节，整本笔记本的代码（每个单元格还有
一份给复制按钮的副本）都算在页首一条里。

search_view 给搜索插件另一个版本的页面，修正这几处；索引建完，读者拿到的仍是原来的页面
（换进换出在 hooks/site.py）。

浏览器端（overrides/assets/javascripts/cfc-search-worker.js）按索引里的词切分查询，把术语表
“也叫”一栏的别名换成本站的叫法；整个查询就是一个术语（或它的别名、英文名）、或者某一章的代码
定义的函数名时，讲它的那一页排在第一（像 Sphinx 的搜索先列出术语和 API 的定义处）。
terms_script 生成 worker 读的这两张表。
"""

import ast
import json
import re
from pathlib import Path

from .project import ROOT, chapters

KATEX = re.compile(r'<span class="katex">')
SPAN = re.compile(r"<(/?)span\b[^>]*>")
TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)
SVG = re.compile(r"<svg\b[^>]*>(.*?)</svg>", re.S)
# 带题注（<figcaption>）的图，如照片网格（figures/raster.py）：整张图只留题注
CAPTIONED = re.compile(
    r'(<figure class="cfc-figure"[^>]*>)(?:(?!</figure>).)*?'
    r"<figcaption>(.*?)</figcaption>\s*</figure>",
    re.S,
)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
# 借来的代码：章首折叠起来、别的章讲过的代码（Markdown 里写作 ??? note cfc-borrowed "…"，
# tests/test_docs.py 检查别的章的片段都放在这样的块里）
BORROWED = re.compile(r'<details class="note cfc-borrowed">.*?</details>', re.S)
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
    带题注的图（照片网格）只留题注，借来的代码块去掉；实验笔记本（notebook=True）再去掉
    上面说的杂字和所有 <div>，小标题和代码回到同一层，插件才按小标题分节。
    """
    if notebook:
        html = DIV.sub("", NOTEBOOK_NOISE.sub("", html))
    html = CAPTIONED.sub(r"\1\2</figure>", BORROWED.sub("", html))
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


def synonyms(terms):
    """{别名: 术语}：术语表里每个别名对应的本站叫法。"""
    return {alias: term.zh for term in terms for alias in term.aliases}


def english_names(en):
    """英文一栏里的名字：“convolution kernel (filter)” -> ["convolution kernel", "filter"]。"""
    inside = re.findall(r"\(([^)]*)\)", en)
    return [name.strip().lower() for name in [re.sub(r"\(.*?\)", "", en), *inside] if name.strip()]


def defined_names(source):
    """一个 snippets 模块在顶层定义的公开函数和类的名字。"""
    tree = ast.parse(source)
    return [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
    ]


def chapter_modules(root=ROOT):
    """[(页面源文件，相对 docs/, 这一章 snippets 模块的源代码)]，按目录顺序。"""
    docs = Path(root) / "docs"
    return [
        (c.page.relative_to(docs).as_posix(), c.snippets.read_text(encoding="utf-8"))
        for c in chapters(root)
    ]


def taught_pages(terms, modules, url):
    """{名字: 讲它的页面的网址}，搜索时整个查询等于这个名字，就把这一页排在第一。

    名字是术语、别名、英文名（小写），以及各章 snippets 模块定义的函数和类（区分大小写）。
    terms 是术语表；modules 是 [(页面源文件, 模块源代码)]；url(页面源文件) 给出页面的网址。
    还没有讲它的章节的术语不在表里；同一个名字出现两次时，先出现的为准。
    """
    table = {}
    for term in terms:
        if term.taught:
            page = url(term.taught.split("#")[0])
            for name in (term.zh, *term.aliases, *english_names(term.en)):
                table.setdefault(name, page)
    for page, source in modules:
        for name in defined_names(source):
            table.setdefault(name, url(page))
    return table


def terms_script(terms, taught):
    """搜索 worker 用 importScripts 读的脚本：同义词表和“讲它的页面”表。

    写成脚本而不是 JSON：从磁盘打开的离线站点里，worker 读不了 JSON，却能 importScripts。
    """

    def dump(table):
        return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=2)

    return (
        "// 由 sitebuild/search.py 从 docs/glossary.md 和各章的 snippets 模块生成\n"
        f"// 别名 -> 本站的叫法\nself.cfcSynonyms = {dump(synonyms(terms))};\n"
        f"// 术语、别名、英文名、代码里的名字 -> 讲它的页面\nself.cfcTaught = {dump(taught)};\n"
    )

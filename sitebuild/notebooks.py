"""笔记本。

1. 章节笔记本：每个章节页面生成一个 Jupyter 笔记本（不带输出）。用与页面相同的 Markdown，
   `--8<--` 展开后按 fences 的扫描结果切分：正文成为 Markdown 单元，运行的代码块成为代码单元。
2. 实验笔记本（docs/notebooks/*.py，jupytext 的 percent 格式）：在全新内核里执行一次，
   结果按内容缓存。构建（mkdocs-jupyter 渲染缓存里的 .ipynb）和测试读同一份结果，
   所以一次 `make test` 里实验只跑一次；笔记本和环境不变，就一次也不跑。
3. 实验页面的收尾（dress_lab）：图的替代文字取自笔记本里写的图说明，标题下加下载按钮，
   复制按钮的文字换成中文；样式见 html.finish 的最后一步（删掉用不上的 nbconvert 样式）。
"""

import hashlib
import importlib.metadata
import os
import platform
import posixpath
import re
import shutil
import tempfile
import textwrap
from html import escape, unescape
from pathlib import Path

import jupytext
import markdown.extensions.toc as toc
import mistune
import nbformat

from . import BuildError
from .cjk import chinese_between
from .css import prune_page_styles
from .fences import LOOKS_PYTHON, fence_for, mark_on, scan
from .project import ROOT, expand, is_chapter, mkdocs_config

ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"(?P<title>[^"]*)")?\s*$')
FIGURE = re.compile(r"^\s*\[\[figure [\w-]+\]\]\s*$")
PAGE_LINK = re.compile(r"\]\(((?:\./)?[\w/-]+)\.md(#[^)]*)?\)")
PRE = re.compile(r"<pre\b", re.I)
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


# ---- 章节页面 -> 笔记本 -------------------------------------------------------


def site_link(match, site_url):
    """站内的 .md 链接 -> 网站上的地址（笔记本离开了站点，相对链接就断了）。"""
    page, anchor = match[1].removeprefix("./"), match[2] or ""
    path = "" if page == "index" else f"{page.removesuffix('/index')}/"
    return f"]({site_url}{path}{anchor})"


def notebook_cells(expanded, site_url=""):
    """展开后的页面 Markdown -> [("markdown" 或 "code", 文本)]，顺序同页面。

    会运行的代码块成为代码单元（去掉列表、折叠块带来的缩进）；跳过的代码块留在 Markdown 里；
    页面上展示的输出块去掉；折叠块的标记换成粗体标题，图的标记换成一句说明，
    站内链接换成网站上的地址。直接按 fences 的扫描结果切分，不再让别的解析器猜围栏。
    """
    lines = expanded.split("\n")
    fences = {fence.line: fence for fence in scan(expanded)}
    cells, prose, number = [], [], 1

    def links(text):
        return PAGE_LINK.sub(lambda m: site_link(m, site_url), text)

    def flush():
        text = "\n".join(prose).strip("\n")
        if text.strip():
            cells.append(("markdown", re.sub(r"\n{3,}", "\n\n", text)))
        prose.clear()

    while number <= len(lines):
        line, fence = lines[number - 1], fences.get(number)
        if fence is not None:
            body = textwrap.dedent(fence.body).rstrip("\n")
            if fence.runs and fence.skip is None and not fence.is_output:
                flush()
                cells.append(("code", body))
            elif not fence.is_output:
                ticks = fence_for(body)
                prose.extend(["", f"{ticks}{fence.info.split()[0] if fence.info else ''}"])
                prose.extend([body, ticks, ""])
            number = fence.end + 1
            continue
        if admonition := ADMONITION.match(line):
            prose.extend(["", links(f"**{admonition['title'] or '提示'}**"), ""])
        elif FIGURE.match(line):
            prose.append("*（这里的图由网页版在构建时根据代码绘制，请在网页上查看。）*")
        elif mark_on(line, number) is None:
            prose.append(links(line.strip()))
        number += 1
    flush()
    return cells


def chapter_notebook(expanded, site_url=""):
    """展开后的页面 Markdown -> 不带输出的 nbformat 笔记本。"""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": dict(KERNEL), "language_info": {"name": "python"}}
    notebook.cells = [
        nbformat.v4.new_code_cell(text) if kind == "code" else nbformat.v4.new_markdown_cell(text)
        for kind, text in notebook_cells(expanded, site_url)
    ]
    return notebook


def chapter_ipynb(expanded, site_url=""):
    """章节笔记本的 .ipynb 文本。"""
    return nbformat.writes(chapter_notebook(expanded, site_url))


def chapter_downloads(pages, options, site_url=""):
    """[(页面的 src_uri, Markdown 源文本)] -> 每个章节页面的 [(笔记本的站内路径, .ipynb 文本)]。"""
    return [
        (notebook_uri(uri), chapter_ipynb(expand(source, options), site_url))
        for uri, source in pages
        if uri.endswith(".md") and is_chapter(source)
    ]


def lab_problems(source):
    """实验笔记本的 Markdown 单元里读者会当成代码、却不会执行的块。

    读者看到的代码块以 Markdown 单元渲染出的为准（rendered_code，用 nbconvert 用的 mistune）：
    只有写明了语言、又不是 Python 的围栏（```text 之类）可以留在 Markdown 单元里；
    Python 代码块、缩进的代码块、没写语言的围栏、手写的 <pre> 都是问题。
    """
    notebook = jupytext.reads(source, fmt="py:percent")
    return [
        f"第 {number} 个单元里{problem}"
        for number, cell in enumerate(notebook.cells, start=1)
        if cell.cell_type == "markdown"
        for problem in map(code_problem, rendered_code(cell.source))
        if problem
    ]


def rendered_code(markdown_text):
    """Markdown 文本渲染出的每个代码块：[(种类, 围栏, 信息串)]，种类是 fenced、indent 或 html。

    引用块、列表里的也算；html 是手写了 <pre> 的 HTML 块。
    """
    found = []

    def walk(tokens):
        for token in tokens:
            if token["type"] == "block_code":
                info = token.get("attrs", {}).get("info", "").strip()
                found.append((token["style"], token.get("marker", ""), info))
            elif token["type"] == "block_html" and PRE.search(token["raw"]):
                found.append(("html", "", ""))
            walk(token.get("children", ()))

    walk(mistune.create_markdown(renderer=None)(markdown_text))
    return found


RUN_OR_SHOW = "要运行就写成代码单元（# %%），只是展示就写成写明语言的围栏（如 ```text）"


def code_problem(block):
    """Markdown 单元里的一个代码块（rendered_code 的一项）有什么问题；没有问题是空串。"""
    kind, marker, info = block
    if kind == "indent":
        return f"有缩进的代码块，读者看来是代码，却不会执行：{RUN_OR_SHOW}"
    if kind == "html":
        return f"手写了 <pre>，读者看来是代码，却不会执行：{RUN_OR_SHOW}"
    if not info:
        return f"的 {marker} 代码块没有写语言：{RUN_OR_SHOW}"
    if LOOKS_PYTHON.search(info):
        return f"的 {marker}{info} 代码块不会执行：写成代码单元（# %%）"
    return ""


def is_lab(src_uri):
    """实验笔记本：docs/notebooks/ 下的 jupytext .py（mkdocs-jupyter 的 include 与此一致）。"""
    return src_uri.startswith("notebooks/") and src_uri.endswith(".py")


def notebook_uri(src_uri):
    """章节笔记本在站点里的路径。"""
    return "downloads/" + src_uri.removesuffix(".md").replace("/", "-") + ".ipynb"


def add_download_button(markdown, src_uri):
    """章节页面的一级标题下面加一个下载本章笔记本的按钮；别的页面原样返回。"""
    if not (src_uri.endswith(".md") and is_chapter(markdown)):
        return markdown
    uri = notebook_uri(src_uri)
    name = uri.rsplit("/", 1)[-1]
    depth = src_uri.count("/")
    button = (
        f"[下载本章的 Jupyter 笔记本]({'../' * depth}{uri})"
        f'{{ .md-button download="{name}" title="页面上的全部代码，按顺序放在一个笔记本里" }}'
    )
    return re.sub(
        r"^(# .+)$", lambda m: f"{m.group(1)}\n\n{button}\n", markdown, count=1, flags=re.M
    )


# ---- 实验笔记本：执行一次，按内容缓存 -----------------------------------------

# 这些包的版本会改变实验的输出，换了版本就要重新执行
ENVIRONMENT = ("torch", "numpy", "scikit-learn", "matplotlib", "ipykernel", "nbclient", "jupytext")
CDN_SCRIPTS = re.compile(
    r'<script src="">\s*</script>'  # nbconvert 模板里空地址的 MathJax
    r"|<script[^>]*>(?:(?!</script>).)*?(?:MathJax|mermaid)(?:(?!</script>).)*</script>",
    re.S,
)


def cache_dir():
    """执行结果的缓存目录：环境变量 CFC_CACHE_DIR，默认仓库里的 .cache/。"""
    return Path(os.environ.get("CFC_CACHE_DIR") or ROOT / ".cache") / "notebooks"


def cache_key(source):
    """笔记本内容、机器架构、Python 和相关包的版本一起决定执行结果。"""
    versions = [platform.machine(), platform.python_version()]
    versions += [f"{name}=={importlib.metadata.version(name)}" for name in ENVIRONMENT]
    digest = hashlib.sha256(source.encode("utf-8"))
    digest.update("\n".join(versions).encode("utf-8"))
    return digest.hexdigest()[:20]


def executed_lab(path, cache=None, timeout=600):
    """执行实验笔记本（jupytext .py），返回执行后的 .ipynb 路径；内容不变时直接用缓存。

    缓存文件名保留笔记本的名字（cnn-vs-mlp.ipynb），站点提供它下载。
    单元出错、超时或内核死掉都抛出 BuildError，写明是哪个单元；失败的执行不进缓存。
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, DeadKernelError

    path = Path(path)
    source = path.read_text(encoding="utf-8")
    target = (cache or cache_dir()) / cache_key(source) / f"{path.stem}.ipynb"
    if target.is_file():
        return target
    notebook = jupytext.reads(source, fmt="py:percent")
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": path.parent}},
        record_timing=False,  # 不记下执行的时刻：供下载的笔记本里没有这台机器、这一次的痕迹
    )
    try:
        client.execute()
    except (CellControlSignal, DeadKernelError) as error:  # 单元出错、超时、内核死掉
        raise BuildError(f"{path.name} 执行出错：\n{error}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    # 先写进一个独有的临时文件再换名：中途被打断、或两次构建同时在写，都不会留下半个缓存
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        nbformat.write(notebook, file)
    os.replace(partial, target)
    for old in target.parent.parent.glob(f"*/{target.name}"):
        if old != target:  # 同一个笔记本的旧结果不会再用到
            shutil.rmtree(old.parent, ignore_errors=True)
    return target


def printed_text(notebook):
    """笔记本各代码单元打印的全部文字。"""
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="[^"]*">(.*?)</a>', re.S)
ID = re.compile(r"""\sid=(?:"[^"]*"|'[^']*'|[^\s>]*)""")
TAG = re.compile(r"<[^>]*>")


def heading_ids(html, slugify=toc.slugify):
    """实验笔记本的小标题换上与章节页面同样规则的锚点，返回 (新的 HTML, 按顺序的锚点)。

    slugify 用 mkdocs.yml 里 toc 的那一个。mkdocs-jupyter 生成的 id 去掉了全部汉字
    （“## 数据”的 id 是空的），它的目录却按 Python-Markdown 的规则指向 #_1、#_2……，
    目录里的链接就全是死链。钩子按这里返回的锚点改写目录。
    """
    anchors, taken = [], set()

    def replace(match):
        level, attributes, inner = match.groups()
        text = unescape(TAG.sub("", ANCHOR_LINK.sub("", inner))).strip()
        anchor = toc.unique(slugify(text, "-"), taken)
        anchors.append(anchor)
        link = f'<a class="anchor-link" href="#{escape(anchor)}">'
        inner = ANCHOR_LINK.sub(lambda m: f"{link}{m[1]}</a>", inner)
        return f'<h{level} id="{escape(anchor)}"{ID.sub("", attributes)}>{inner}</h{level}>'

    return HEADING.sub(replace, html), anchors


def strip_cdn_scripts(html):
    """去掉 nbconvert 模板里从 CDN 加载 MathJax、Mermaid 的脚本：公式由 KaTeX 在构建时排好。"""
    return CDN_SCRIPTS.sub("", html)


# ---- 实验页面的收尾 -------------------------------------------------------------

CAPTION = "图："
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
# nbconvert 给没有替代文字的 <img> 填上的话（nbconvert/exporters/html.py）
PLACEHOLDER_ALT = re.compile(r'\salt="No description has been provided for this image"')
CAPTION_MARKUP = re.compile(r"[$`*_\[\]<>]")
H1_END = re.compile(r"</h1>", re.I)
# mkdocs-jupyter 的复制按钮：英文换成中文；它的模板里多写的一个逗号成了名为“,”的属性
CLIPBOARD_FIXES = [
    (
        '<clipboard-copy ,="" aria-label="Copy to Clipboard"',
        '<clipboard-copy aria-label="复制这段代码"',
    ),
    (
        '<span class="notice" hidden="">Copied!</span>',
        '<span class="notice" hidden="">已复制</span>',
    ),
]


def join_lines(text):
    """Markdown 里断开的一段文字接成一行：两个汉字（或中文标点）之间的换行去掉，别处换成空格。"""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        joined += ("" if chinese_between(joined[-1], line[0]) else " ") + line
    return joined


def figure_captions(notebook):
    """实验笔记本里每张图的说明（替代文字），按图在页面上出现的顺序。

    画图的代码单元后面紧跟一个以“图：”开头的 Markdown 单元，那就是这张图的说明：
    页面上它显示在图的下面，读屏软件读图时念它（去掉“图：”）。说明只能是纯文字
    （替代文字里放不下公式和格式）；一个代码单元只画一张图。
    """
    captions = []
    for number, cell in enumerate(notebook.cells, start=1):
        images = [
            o for o in cell.get("outputs", ()) if any(t in o.get("data", {}) for t in IMAGE_TYPES)
        ]
        if not images:
            continue
        if len(images) > 1:
            raise BuildError(
                f"第 {number} 个单元画了 {len(images)} 张图：一个单元只画一张，各配一段图说明"
            )
        after = notebook.cells[number] if number < len(notebook.cells) else None
        text = after.source.strip() if after is not None and after.cell_type == "markdown" else ""
        if not text.startswith(CAPTION):
            raise BuildError(
                f"第 {number} 个单元画的图没有说明：在它后面紧跟一个 Markdown 单元，"
                f"以“{CAPTION}”开头写出图上画了什么（它也是读屏软件念的替代文字）"
            )
        if found := CAPTION_MARKUP.search(text):
            raise BuildError(
                f"第 {number + 1} 个单元（图说明）里有 {found[0]}：图说明也是替代文字，只能是纯文字"
            )
        captions.append(join_lines(text.removeprefix(CAPTION)))
    return captions


def set_image_alts(html, alts):
    """把 nbconvert 填的占位替代文字按顺序换成 alts；图和说明数目不符时抛出 BuildError。"""
    found = len(PLACEHOLDER_ALT.findall(html))
    if found != len(alts):
        raise BuildError(f"页面上有 {found} 张没有替代文字的图，笔记本里却有 {len(alts)} 段图说明")
    texts = iter(alts)
    return PLACEHOLDER_ALT.sub(lambda m: f' alt="{escape(next(texts))}"', html)


def lab_download_button(html, name):
    """实验页面的一级标题下面加一个下载执行过的笔记本的按钮（与章节页面的一样）。

    name 是笔记本的文件名：mkdocs-jupyter（include_source）把它放在页面旁边，所以链接就是 name。
    """
    button = (
        f'<p><a class="md-button" download="{escape(name)}" href="{escape(name)}"'
        ' title="执行过的笔记本：代码、打印的结果和图都在里面，与本页一致">'
        "下载本实验的 Jupyter 笔记本</a></p>"
    )
    html, count = H1_END.subn(lambda m: m[0] + button, html, count=1)
    if not count:
        raise BuildError("实验笔记本没有一级标题（# …），下载按钮无处可放")
    return html


LAB_PAGE_LINK = re.compile(r'href="([\w./-]+\.md)(#[^"]*)?"')


def lab_links(html, src_uri, url_of):
    """实验里指向章节的链接（../conv-layer.md#…）-> 网站上的地址。

    章节页面的 .md 链接由 MkDocs 改写；mkdocs-jupyter 渲染的笔记本不经过这一步。
    url_of(目标的 src_uri) 给出从实验页面到那一页的相对地址（MkDocs 按 use_directory_urls 算，
    在线版是 ../../conv-layer/，离线版是 ../conv-layer.html）；找不到那一页时原样留下，
    构建后的链接检查会报出来。
    """

    def replace(match):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), match[1]))
        url = url_of(target)
        return match[0] if url is None else f'href="{url}{match[2] or ""}"'

    return LAB_PAGE_LINK.sub(replace, html)


def dress_lab(html, notebook, name):
    """实验页面的收尾：图的替代文字、下载按钮、中文的复制按钮。

    notebook 是执行过的 nbformat 笔记本，name 是它的文件名。
    """
    html = lab_download_button(set_image_alts(html, figure_captions(notebook)), name)
    for old, new in CLIPBOARD_FIXES:
        html = html.replace(old, new)
    return html


LAB_CSS = Path(__file__).with_name("lab.css")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def site_stylesheets(root=ROOT):
    """mkdocs.yml 的 extra_css 里本站自己写的样式表（docs/ 下的）的文字。"""
    config = mkdocs_config(root)
    docs = Path(root) / (config.get("docs_dir") or "docs")
    return [
        (docs / name).read_text(encoding="utf-8")
        for name in config.get("extra_css") or ()
        if (docs / name).is_file()
    ]


def lab_styles(html, extra=None, others=None):
    """实验页面的样式：mkdocs-jupyter 内联的 JupyterLab 样式只留下页面用得到的，
    接上本站为实验页另加的样式（extra，默认 lab.css，去掉注释），合成一个 <style>。

    others 是全站的样式表（默认 site_stylesheets()）：它们引用的 --jp-* 变量也留下。
    """
    extra = LAB_CSS.read_text(encoding="utf-8") if extra is None else extra
    others = site_stylesheets() if others is None else others
    extra = " ".join(CSS_COMMENT.sub("", extra).split())
    return prune_page_styles(html, extra, also_used="".join(others))

"""MkDocs 钩子：笔记本。

1. 每个章节页面（含 Python 代码块的页面）在构建时生成一个 Jupyter 笔记本 downloads/<页面>.ipynb：
   用与页面相同的 Markdown，`--8<--` 展开后交给 jupytext，正文成为 Markdown 单元，
   Python 代码块成为代码单元，不带输出。页面标题下方加一个下载按钮。
2. mkdocs-jupyter 渲染的实验笔记本：去掉它模板里从 CDN 加载的 MathJax 和 Mermaid 脚本，
   把 Markdown 单元里的 $…$ 包成 arithmatex 的形式，交给 hooks/katex_math.py 在构建时排版。
"""

import re
import textwrap
from pathlib import Path

import jupytext
import markdown
import nbformat
from mkdocs.structure.files import File

# ---- 章节页面 -> 笔记本 -------------------------------------------------------

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})(?P<info>.*)$")
MARKER = re.compile(r"^\s*<!--\s*pytest[-.].*-->\s*$")
OUTPUT_MARKER = re.compile(r"^\s*<!--\s*pytest-codeblocks:expected-output\s*-->\s*$")
SKIP_MARKER = re.compile(r"^\s*<!--\s*pytest\.mark\.skip")
ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"(?P<title>[^"]*)")?\s*$')
FIGURE = re.compile(r"^\s*\[\[figure [\w-]+\]\]\s*$")
PAGE_LINK = re.compile(r"\]\(([\w/-]+)\.md(#[^)]*)?\)")


def is_chapter(source):
    """含有会被运行的 Python 代码块的页面就是章节页面。"""
    return any(m["info"].strip() == "python" for m in map(FENCE.match, source.splitlines()) if m)


def expand(source, snippet_options):
    """用 pymdownx.snippets 本身展开 `--8<--`，和页面构建时一样（文档测试也用它）。"""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": snippet_options}
    )
    return "\n".join(md.preprocessors["snippet"].run(source.split("\n")))


def notebook_markdown(expanded, site_url=""):
    """把页面 Markdown 改写成 jupytext 能直接读的样子。

    代码块一律提到顶层（去掉列表、折叠块带来的缩进），页面上展示的输出块去掉，
    折叠块的标记换成粗体标题，图的标记换成一句说明，站内链接换成网站上的地址。
    """

    def prose(text):
        return PAGE_LINK.sub(lambda m: f"]({site_url}{m[1]}/{m[2] or ''})", text.strip())

    lines, out, i = expanded.split("\n"), [], 0
    drop_next_fence = skip_next_fence = False
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:
            end = next(
                j
                for j in range(i + 1, len(lines))
                if lines[j].strip().startswith(fence["fence"]) and not lines[j].strip("` \t")
            )
            body = textwrap.dedent("\n".join(lines[i + 1 : end]))
            info = fence["info"].strip()
            if not drop_next_fence:
                language = "python" if info == "python" and not skip_next_fence else "text"
                out += ["", f"```{language}", body, "```", ""]
            drop_next_fence = skip_next_fence = False
            i = end + 1
            continue
        if OUTPUT_MARKER.match(line):
            drop_next_fence = True
        elif SKIP_MARKER.match(line):
            skip_next_fence = True
        elif MARKER.match(line):
            pass
        elif admonition := ADMONITION.match(line):
            out += ["", prose(f"**{admonition['title'] or '提示'}**"), ""]
        elif FIGURE.match(line):
            out.append("*（这里的图由网页版在构建时根据代码绘制，请在网页上查看。）*")
        else:
            out.append(prose(line))
        i += 1
    return "\n".join(out)


def chapter_notebook(source, snippet_options, site_url=""):
    """页面 Markdown -> 不带输出的 nbformat 笔记本。"""
    text = notebook_markdown(expand(source, snippet_options), site_url)
    notebook = jupytext.reads(text, fmt="md")
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for cell in notebook.cells:
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def snippet_options(config):
    options = dict(config.mdx_configs.get("pymdownx.snippets", {}))
    root = Path(config.config_file_path).parent
    options["base_path"] = [str(root / p) for p in options.get("base_path", ["."])]
    return options


def notebook_uri(src_uri):
    return "downloads/" + src_uri.removesuffix(".md").replace("/", "-") + ".ipynb"


def on_files(files, config):
    options = snippet_options(config)
    for page in [f for f in files.documentation_pages() if f.src_uri.endswith(".md")]:
        source = Path(page.abs_src_path).read_text(encoding="utf-8")
        if is_chapter(source):
            notebook = chapter_notebook(source, options, config.site_url or "")
            content = nbformat.writes(notebook)
            files.append(File.generated(config, notebook_uri(page.src_uri), content=content))
    return files


def on_page_markdown(text, page, config, files):
    if not page.file.src_uri.endswith(".md") or not is_chapter(text):
        return text
    uri = notebook_uri(page.file.src_uri)
    name = uri.rsplit("/", 1)[-1]
    depth = page.file.src_uri.count("/")
    button = (
        f"[下载本章的 Jupyter 笔记本]({'../' * depth}{uri})"
        f'{{ .md-button download="{name}" title="页面上的全部代码，按顺序放在一个笔记本里" }}'
    )
    # 放在一级标题下面
    return re.sub(r"^(# .+)$", lambda m: f"{m.group(1)}\n\n{button}\n", text, count=1, flags=re.M)


# ---- mkdocs-jupyter 渲染的实验笔记本 ------------------------------------------

CDN_SCRIPTS = re.compile(
    r'<script src="">\s*</script>'  # nbconvert 模板里空地址的 MathJax
    r"|<script[^>]*>(?:(?!</script>).)*?(?:MathJax|mermaid)(?:(?!</script>).)*</script>",
    re.S,
)
PROTECTED = re.compile(r"(<(pre|code|script|style)\b.*?</\2>)", re.S)
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$")


def wrap_math(html):
    """在 <pre>、<code> 之外，把 $$…$$ 和 $…$ 换成 arithmatex 的包装。"""
    parts = PROTECTED.split(html)
    out = []
    for k, part in enumerate(parts):
        if k % 3 == 1:
            out.append(part)  # 受保护的整段
        elif k % 3 == 2:
            continue  # split 捕获的标签名
        else:
            part = DISPLAY.sub(r'<div class="arithmatex">\\[\1\\]</div>', part)
            out.append(INLINE.sub(r'<span class="arithmatex">\\(\1\\)</span>', part))
    return "".join(out)


def on_page_content(html, page, config, files):
    if not page.file.src_uri.endswith((".py", ".ipynb")):
        return html
    return wrap_math(CDN_SCRIPTS.sub("", html))

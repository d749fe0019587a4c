"""站内搜索的索引里放什么：sitebuild/search.py 的单元测试，和构建出的 search_index.json。"""

import json
import re
from html import unescape

import pytest

import figures
from sitebuild.glossary import glossary_terms
from sitebuild.math import Katex, typeset
from sitebuild.search import search_view, span_end

# ---- 构建出的索引 -----------------------------------------------------------------


def index_text(site):
    """整站索引的文字（去掉 jieba 插的零宽空格，空白并成一个）。"""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    return re.sub(r"\s+", " ", unescape(text).replace("\u200b", ""))


FORMULA = re.compile(
    r"<semantics>(.*?)<annotation encoding=\"application/x-tex\">(.*?)</annotation>", re.S
)


def test_each_formula_is_in_the_index_once_as_tex_and_the_reader_keeps_katex(built_site):
    text = index_text(built_site)
    pages = sorted(built_site.rglob("*.html"))
    formulas = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        # 读者拿到的仍是完整的 KaTeX：MathML（读屏软件）和字形（显示）都在
        assert html.count('class="katex-mathml"') == html.count('class="katex-html"'), page
        for mathml, tex in FORMULA.findall(html):
            mathml = unescape(re.sub(r"<[^>]+>", "", mathml))
            tex = re.sub(r"\s+", " ", unescape(tex)).strip()
            assert tex in text, (page, tex)
            # 旧的索引里每个公式是“MathML 的字 + TeX + 字形”连在一起（如“3×33\times 3”）；
            # 只查带 TeX 命令的公式，“b”“bb”这样短的在别处也会出现
            assert "\\" not in tex or mathml + tex not in text, (page, tex)
            formulas += 1
    assert formulas > 200


def test_search_index_keeps_aliases_whole(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "".join(doc["title"] + doc["text"] for doc in index["docs"])
    for term in glossary_terms():
        for alias in term.aliases:
            assert f"\u200b{alias}\u200b" in text, f"搜索索引里别名“{alias}”被切开了"


def test_code_is_indexed_as_identifiers_without_punctuation(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    tokens = {t.lower() for doc in index["docs"] for t in separator.split(doc["text"]) if t}
    assert {"conv2d", "corr2d", "max", "pool2d", "stride", "unfold"} <= tokens
    assert not {t for t in tokens if t.startswith(("conv2d(", "nn.conv2d"))}


# ---- 索引里放什么（不开浏览器） -------------------------------------------------


@pytest.fixture(scope="module")
def katex():
    process = Katex()
    yield process
    process.close()


def test_each_formula_is_indexed_once_as_its_tex(katex):
    html = typeset(
        '<p>输出 <span class="arithmatex">\\(3\\times 3\\)</span>，公式</p>'
        '<div class="arithmatex">\\[\\frac{a &lt; b}{2}\\]</div>',
        katex.render,
    )
    view = search_view(html)
    assert view == '<p>输出 <span class="arithmatex"> 3\\times 3 </span>，公式</p>' + (
        '<div class="arithmatex"><span class="katex-display"> \\frac{a &lt; b}{2} </span></div>'
    )


def test_an_unclosed_formula_is_an_error():
    with pytest.raises(ValueError, match="没有闭合"):
        span_end('<span class="katex"><span>x</span>', 0)


def test_a_figure_is_indexed_as_its_caption_only():
    figure = figures.render("corr2d-example")
    caption = re.search(r"<title>(.*?)</title>", figure).group(1)
    icon = '<svg class="icon"><path d="M0"/></svg>'  # 没有 <title> 的图标：什么也不留
    view = search_view(f"<p>前文</p>{figure}<p>{icon}后文</p>")
    assert view == (
        f'<p>前文</p><figure class="cfc-figure" data-figure="corr2d-example">{caption}</figure>'
        "<p>后文</p>"
    )


BORROWED = """<p>本章用到 <code>corr2d</code>：</p>
<details class="note">
<summary><code>corr2d</code>（详见<a href="../conv-layer/#从零实现">图像卷积</a>）</summary>
<pre><code>def corr2d(X, K): ...</code></pre>
</details>
<details class="note">
<summary>本章的检查（见<a href="#下文">下文</a>）</summary>
<pre><code>def check(X): ...</code></pre>
</details>
<details class="success"><summary>参考答案</summary>
<p>见<a href="../pooling/">汇聚层</a></p></details>"""


def test_code_borrowed_from_another_chapter_is_indexed_only_there():
    """折叠起来、标题里写着“详见”别的页面的代码块不进这一页的索引；链到本页的、练习答案照旧。"""
    view = search_view(BORROWED)
    assert "def corr2d" not in view and "本章用到 <code>corr2d</code>" in view
    assert "def check(X)" in view and "参考答案" in view


NOTEBOOK = """<div class="jp-Cell jp-MarkdownCell"><div class="jp-InputArea">
<div class="jp-InputPrompt jp-InputArea-prompt">
</div><div class="jp-RenderedMarkdown">
<h2 id="数据">数据<a class="anchor-link" href="#数据">¶</a></h2><p>手写数字</p>
</div></div></div><div class="jp-Cell jp-CodeCell">
<div class="jp-InputPrompt jp-InputArea-prompt">In [2]:</div><div class="CodeMirror">
<clipboard-copy for="cell-2"><div><span class="notice" hidden="">Copied!</span></div>
</clipboard-copy>
<div class="highlight-ipynb"><pre>digits = load_digits()</pre></div>
<div class="clipboard-copy-txt" id="cell-2">digits = load_digits()</div>
</div></div>
<div class="jp-OutputPrompt jp-OutputArea-prompt">Out[2]:</div><pre>1797</pre>"""


def test_notebook_cells_are_flattened_so_headings_start_sections():
    view = search_view(NOTEBOOK, notebook=True)
    assert "<div" not in view and "</div>" not in view
    assert view.count("digits = load_digits()") == 1
    for noise in ("¶", "Copied!", "In [2]:", "Out[2]:"):
        assert noise not in view
    assert '<h2 id="数据">数据</h2><p>手写数字</p>' in view and "<pre>1797</pre>" in view
    # 不是笔记本的页面：<div> 和其中的字都留着
    assert search_view(NOTEBOOK).count("<div") == NOTEBOOK.count("<div")

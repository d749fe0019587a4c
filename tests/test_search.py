"""站内搜索：索引里放什么（sitebuild/search.py），以及在 Chromium 里搜出来的是什么。

QUERIES 每一行是一次读者会做的搜索：术语、同义的叫法、代码里的名字、英文术语、几个词连着写。
排第一的页面必须是讲它的那一页；写了高亮词的行，结果里每个 <mark> 都必须以其中一个词开头
（“步幅”不能只高亮“步”），点开结果后页面上要高亮的词（链接的 ?h=）也必须正是这些词。
"""

import json
import re
import shutil
import threading
from dataclasses import dataclass
from functools import partial
from html import unescape
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from chromium import QuietHandler, view_context, watch

import figures
from sitebuild.glossary import glossary_terms, read_glossary
from sitebuild.math import Katex, typeset
from sitebuild.project import chapters
from sitebuild.search import (
    chapter_modules,
    defined_names,
    english_names,
    search_view,
    span_end,
    synonyms,
    taught_pages,
    terms_script,
)

# 查询、必须排第一的页面、要高亮的整词（None：不查高亮，如英文词组）
QUERIES = [
    # 术语表里的术语
    ("全连接层", "why-conv/", ["全连接层"]),
    ("平移不变性", "why-conv/", ["平移不变性"]),
    ("局部性", "why-conv/", ["局部性"]),
    ("参数共享", "why-conv/", ["参数共享"]),
    ("平移等变性", "why-conv/", ["平移等变性"]),
    ("归纳偏置", "why-conv/", ["归纳偏置"]),
    ("互相关", "conv-layer/", ["互相关"]),
    ("卷积核", "conv-layer/", ["卷积核"]),
    ("卷积层", "conv-layer/", ["卷积层"]),
    ("边缘检测", "conv-layer/", ["边缘检测"]),
    ("特征映射", "conv-layer/", ["特征映射"]),
    ("感受野", "conv-layer/", ["感受野"]),
    ("填充", "padding-and-strides/", ["填充"]),
    ("步幅", "padding-and-strides/", ["步幅"]),
    ("空洞卷积", "padding-and-strides/", ["空洞卷积"]),
    ("通道", "channels/", ["通道"]),
    ("汇聚层", "pooling/", ["汇聚层"]),
    ("最大汇聚", "pooling/", ["最大汇聚"]),
    ("平均汇聚", "pooling/", ["平均汇聚"]),
    # 同义的叫法（术语表的“也叫”一栏）：找到讲这个术语的页面，高亮本站的叫法
    ("池化", "pooling/", ["汇聚层"]),
    ("池化层", "pooling/", ["汇聚层"]),
    ("最大池化", "pooling/", ["最大汇聚"]),
    ("步长", "padding-and-strides/", ["步幅"]),
    ("特征图", "conv-layer/", ["特征映射"]),
    ("滤波器", "conv-layer/", ["卷积核"]),
    ("膨胀卷积", "padding-and-strides/", ["空洞卷积"]),
    ("扩张卷积", "padding-and-strides/", ["空洞卷积"]),
    ("补零", "padding-and-strides/", ["填充"]),
    ("权重共享", "why-conv/", ["参数共享"]),
    # 没打完的词、几个词连着写或用空格隔开
    ("全连接", "why-conv/", ["全连接"]),
    ("输出形状", "conv-layer/", ["输出", "形状"]),  # 图像卷积有一节“输出的形状”
    ("输出 形状", "conv-layer/", ["输出", "形状"]),
    ("填充 步幅", "padding-and-strides/", ["填充", "步幅"]),
    ("多输入通道", "channels/", ["多", "输入", "通道"]),
    ("手写数字", "notebooks/cnn-vs-mlp/", ["手写", "数字"]),
    # 代码里的名字：按标点和下划线拆开
    ("corr2d", "conv-layer/", ["corr2d"]),
    ("conv2d", "conv-layer/", ["conv2d"]),
    ("nn.Conv2d", "conv-layer/", ["nn", "conv2d"]),
    ("stride", "padding-and-strides/", ["stride"]),
    ("padding", "padding-and-strides/", ["padding"]),
    ("dilation", "padding-and-strides/", ["dilation"]),
    ("pool2d", "pooling/", ["pool2d"]),
    ("max_pool2d", "pooling/", ["max", "pool2d"]),
    ("MaxPool2d", "pooling/", ["maxpool2d"]),
    ("ceil_mode", "pooling/", None),
    ("count_include_pad", "pooling/", None),
    ("unfold", "fast-conv/", ["unfold"]),  # 卷积怎样算得快专讲 im2col，即 F.unfold
    ("corr2d_multi_in", "channels/", None),
    # 英文术语
    ("receptive field", "conv-layer/", None),
    ("feature map", "conv-layer/", None),
    ("translation invariance", "why-conv/", None),
    ("inductive bias", "why-conv/", None),
    ("pooling", "pooling/", None),
]

RESULTS = ".md-search-result__list > li"
# 清空搜索框后结果列表变空；输入查询后，要么有结果，要么显示“没有找到”
EMPTY = f"() => document.querySelectorAll('{RESULTS}').length === 0"
ANSWERED = (
    f"() => document.querySelectorAll('{RESULTS}').length > 0"
    " || document.querySelector('.md-search-result__meta').textContent.includes('没有')"
)


class SearchBox:
    """站点首页上的搜索框：像读者一样输入，读出结果。"""

    def __init__(self, tab):
        self.tab = tab
        self.box = tab.locator("input.md-search__input")
        self.base = "/"  # 站点的路径前缀

    def search(self, query):
        """输入 query，读出结果。"""
        self.box.click()
        self.box.fill("")
        self.box.press("End")  # Material 在 keyup 时才查询；fill 只触发 input 事件
        self.tab.wait_for_function(EMPTY)
        self.box.fill(query)
        self.box.press("End")
        self.tab.wait_for_function(ANSWERED)
        return Found(
            links=self.tab.locator(f"{RESULTS} > a").evaluate_all(LINKS),
            first=self.tab.locator(f"{RESULTS}:first-child a").evaluate_all(LINKS),
            first_marks=self.tab.locator(f"{RESULTS}:first-child mark").all_text_contents(),
            marks=self.tab.locator(f"{RESULTS} mark").all_text_contents(),
            base=self.base,
        )


LINKS = "(els) => els.map((e) => e.getAttribute('href'))"


@dataclass
class Found:
    """一次搜索的结果。links：各结果的链接，按顺序；first：第一个结果（一页）里的链接。"""

    links: list
    first: list
    first_marks: list
    marks: list
    base: str

    @property
    def pages(self):
        return [urlsplit(link).path.removeprefix(self.base) for link in self.links]

    @property
    def highlight(self):
        """点开第一个结果（一页里的各节）后页面上要高亮的词：各链接 ?h= 里的词合在一起。"""
        return {
            w
            for link in self.first
            for w in parse_qs(urlsplit(link).query).get("h", [""])[0].split()
        }


@pytest.fixture(scope="module")
def search_box(browser, site_url):
    context = browser.new_context()
    tab = watch(context.new_page(), site_url)
    tab.goto(site_url, wait_until="networkidle")
    box = SearchBox(tab)
    box.base = urlsplit(site_url).path
    yield box
    assert tab.problems == []
    context.close()


@pytest.mark.parametrize(("query", "page", "words"), QUERIES, ids=[q[0] for q in QUERIES])
def test_search_puts_the_right_page_first(search_box, query, page, words):
    found = search_box.search(query)
    assert found.pages, f"搜“{query}”没有结果"
    assert found.pages[0] == page, f"搜“{query}”排第一的是 {found.pages[0]}，应是 {page}"
    if words is None:
        return
    marks = found.first_marks
    fragments = [m for m in marks if not m.lower().startswith(tuple(words))]
    assert marks and fragments == [], f"搜“{query}”高亮了 {sorted(set(marks))}，应是 {words}"
    assert found.highlight == set(words), f"搜“{query}”，点开后高亮 {found.highlight}"


def test_the_query_table_is_big_enough():
    assert len(QUERIES) >= 40
    assert len({q for q, *_ in QUERIES}) == len(QUERIES)


def test_searching_each_glossary_term_finds_the_page_that_teaches_it(search_box):
    """术语表里的每个术语和别名：讲它的那一页排第一，结果里高亮的是整个术语（本站的叫法）。"""
    missing = []
    for term in glossary_terms():
        # 还没写的章节：至少能在术语表里搜到
        wanted = term.taught.split("#")[0].removesuffix(".md") + "/" if term.taught else "glossary/"
        for name in (term.zh, *term.aliases):
            found = search_box.search(name)
            if found.pages[:1] != [wanted] or term.zh not in found.first_marks:
                missing.append((name, wanted, found.pages[:3], sorted(set(found.first_marks))))
    assert missing == []


# ---- 索引什么时候下载；换页、深色模式之后 ------------------------------------------

INDEX = "search/search_index.json"


def opened_by_click(tab):
    tab.locator("input.md-search__input").click()


def opened_by_shortcut(tab):
    tab.keyboard.press("/")


def opened_on_a_phone(tab):
    tab.locator("label.md-header__button[for=__search]").click()


@pytest.mark.parametrize(
    ("screen", "open_search"),
    [("desktop", opened_by_click), ("desktop", opened_by_shortcut), ("phone", opened_on_a_phone)],
    ids=["click", "shortcut", "phone"],
)
def test_the_index_is_downloaded_only_when_the_reader_opens_search(
    browser, site_url, screen, open_search
):
    context = view_context(browser, screen, "light")
    tab = watch(context.new_page(), site_url)
    requests = []
    tab.on("request", lambda r: requests.append(urlsplit(r.url).path))
    tab.goto(site_url + "why-conv/", wait_until="networkidle")
    assert not [
        r for r in requests if r.endswith((INDEX, ".min.js")) and "workers" in r or INDEX in r
    ]
    with tab.expect_request(lambda r: r.url.endswith(INDEX)):
        open_search(tab)
    box = tab.locator("input.md-search__input")
    box.fill("corr2d")
    box.press("End")
    tab.wait_for_function(ANSWERED)
    assert tab.locator(RESULTS).count() > 0
    assert tab.problems == []
    context.close()


@pytest.fixture(scope="module")
def instant_site_url(built_site, tmp_path_factory):
    """像部署好的站点那样提供构建结果：sitemap.xml 里的网址指向这台服务器。

    Material 只对 sitemap.xml 里列出的网址做 navigation.instant（只换主机名，不换端口和路径），
    而构建用的 site_url 是正式的网址，在 127.0.0.1 的随机端口上，点链接总是整页重新加载。
    """
    site = tmp_path_factory.mktemp("instant") / "site"
    shutil.copytree(built_site, site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_port}/"
    sitemap = site / "sitemap.xml"
    text = sitemap.read_text(encoding="utf-8")
    production = re.search(r"<loc>(.*?)</loc>", text).group(1)  # 第一个是首页
    sitemap.write_text(text.replace(production, url), encoding="utf-8")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_after_instant_navigation_highlights_the_whole_term_on_the_page(
    browser, instant_site_url, scheme
):
    """换页不重新加载脚本（navigation.instant）之后再搜；点开结果，页面上高亮的是整个词。"""
    context = view_context(browser, "desktop", scheme)
    tab = watch(context.new_page(), instant_site_url)
    bundles = []  # Material 的主脚本：整页加载时才会再请求它
    tab.on("request", lambda r: "/javascripts/bundle." in r.url and bundles.append(r.url))
    tab.goto(instant_site_url, wait_until="networkidle")
    tab.locator(".md-content a[href*='conv-layer']").first.click()
    tab.wait_for_url("**/conv-layer/")
    box = SearchBox(tab)
    assert box.search("步长").pages[0] == "padding-and-strides/"
    tab.locator(f"{RESULTS}:first-child a").first.click()
    tab.wait_for_url("**/padding-and-strides/**")
    tab.wait_for_selector("article mark[data-md-highlight]", state="attached")
    marks = tab.locator("article mark[data-md-highlight]").all_text_contents()
    assert set(marks) == {"步幅"}
    assert len(bundles) == 1, "换页时重新加载了页面：不是 navigation.instant"
    assert tab.evaluate("document.body.dataset.mdColorScheme") == (
        "slate" if scheme == "dark" else "default"
    )
    assert tab.problems == []
    context.close()


def test_a_page_opened_from_a_search_result_highlights_the_whole_term(page, site_url):
    """从结果的链接（?h=）直接打开页面：索引立即下载，Material 用它的设置高亮整个词。"""
    page.goto(site_url + "padding-and-strides/?h=步幅")
    page.wait_for_selector("article mark[data-md-highlight]", state="attached")
    assert set(page.locator("article mark[data-md-highlight]").all_text_contents()) == {"步幅"}
    assert page.problems == []


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
    separator = re.compile(index["config"]["separator"])
    tokens = {t.lower() for doc in index["docs"] for t in separator.split(doc["text"]) if t}
    for term in glossary_terms():
        for alias in term.aliases:
            if re.search("[\u4e00-\u9fff]", alias):  # 中文的别名由 jieba 整词切出
                assert f"\u200b{alias}\u200b" in text, f"搜索索引里别名“{alias}”被切开了"
            else:  # 西文的别名（MAC）由分隔符切出，是一个完整的词
                assert alias.lower() in tokens, f"搜索索引里没有别名“{alias}”这个词"


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


def test_a_picture_grid_is_indexed_as_its_caption_only():
    """照片网格：每格的标题、图片的地址和替代文字都不进索引，只留题注。"""
    _, caption = figures.draw("kernel-gallery")
    figure = figures.render("kernel-gallery")
    view = search_view(f"<p>前文</p>{figure}<p>后文</p>")
    assert view == (
        f'<p>前文</p><figure class="cfc-figure" data-figure="kernel-gallery">{caption}</figure>'
        "<p>后文</p>"
    )
    # 两张图挨着：各留各的题注，前一张不会吞掉后一张
    svg = figures.render("corr2d-example")
    assert search_view(figure + svg).count("<figure") == 2


BORROWED = """<p>本章用到 <code>corr2d</code>：</p>
<details class="note cfc-borrowed">
<summary>二维互相关 <code>corr2d</code></summary>
<pre><code>def corr2d(X, K): ...</code></pre>
</details>
<details class="note">
<summary>本章的检查</summary>
<pre><code>def check(X): ...</code></pre>
</details>
<details class="success"><summary>参考答案</summary>
<p>见<a href="../pooling/">汇聚层</a></p></details>"""


def test_code_borrowed_from_another_chapter_is_indexed_only_there():
    """标为 cfc-borrowed 的折叠块（别的章讲过的代码）不进这一页的索引；本章的折叠块、答案照旧。"""
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


GLOSSARY = """| 术语 | 释义 | 英文 | 也叫 | 在哪里讲 |
| --- | --- | --- | --- | --- |
| 卷积核 | 小张量 | convolution kernel (filter) | 滤波器、核（简称） | [卷积](conv-layer.md) |
| 步幅 | 每次滑动跨过的格数 | stride | 步长 | [填充与步幅](padding-and-strides.md#步幅) |
| 通道 | 第三个维度 | channel | | 编写中 |
"""


def test_aliases_map_to_the_sites_own_term():
    assert synonyms(read_glossary(GLOSSARY)) == {"滤波器": "卷积核", "核": "卷积核", "步长": "步幅"}


def test_english_names_include_the_ones_in_parentheses():
    assert english_names("convolution kernel (filter)") == ["convolution kernel", "filter"]
    assert english_names("Stride") == ["stride"]


def test_defined_names_are_the_public_top_level_functions_and_classes():
    source = (
        "import torch\nX = 1\n"
        "def corr2d(X, K):\n    def inner(): ...\n"
        "class Conv2D: ...\ndef _private(): ...\n"
    )
    assert defined_names(source) == ["corr2d", "Conv2D"]


def test_each_term_alias_english_name_and_function_points_at_the_page_that_teaches_it():
    modules = [
        ("conv-layer.md", "def corr2d(X, K): ...\nclass Conv2D: ..."),
        ("pooling.md", "def pool2d(X): ...\ndef corr2d(X, K): ..."),  # 重名：先出现的为准
    ]
    taught = taught_pages(read_glossary(GLOSSARY), modules, lambda src: src.replace(".md", "/"))
    assert taught == {
        "卷积核": "conv-layer/",
        "滤波器": "conv-layer/",
        "核": "conv-layer/",
        "convolution kernel": "conv-layer/",
        "filter": "conv-layer/",
        "步幅": "padding-and-strides/",
        "步长": "padding-and-strides/",
        "stride": "padding-and-strides/",
        "corr2d": "conv-layer/",
        "Conv2D": "conv-layer/",
        "pool2d": "pooling/",
    }  # 还没写的章节（通道）不在表里


def test_each_chapter_brings_its_snippets_module():
    modules = dict(chapter_modules())
    assert list(modules) == [c.page.name for c in chapters()]
    assert "def corr2d(" in modules["conv-layer.md"]


def test_the_worker_reads_both_tables_from_one_script():
    terms = read_glossary(GLOSSARY)
    script = terms_script(terms, {"步幅": "padding-and-strides/"})
    tables = dict(re.findall(r"^self\.(\w+) = (\{.*?\});$", script, re.S | re.M))
    assert json.loads(tables["cfcSynonyms"]) == synonyms(terms)
    assert json.loads(tables["cfcTaught"]) == {"步幅": "padding-and-strides/"}

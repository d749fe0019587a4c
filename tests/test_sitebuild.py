"""sitebuild 包：构建的每一步都是纯函数，出错时说明原因，而不是悄悄留下残缺的页面。"""

import io
import sys
from pathlib import Path

import jieba
import markdown
import pytest

import figures
from sitebuild import BuildError
from sitebuild.cjk import bind_inline_math, cjk_gaps, join_cjk_lines, math_glyphs
from sitebuild.figures import (
    Drawings,
    cache_dir,
    code_key,
    drawings,
    fresh_figures,
    insert_figures,
)
from sitebuild.glossary import (
    add_tooltips,
    glossary_terms,
    jieba_dictionary,
    misplaced_tooltips,
    read_glossary,
)
from sitebuild.html import (
    Page,
    check_code_blocks,
    finish,
    page_kind,
    quiet_outputs,
    show_skip_reasons,
)
from sitebuild.links import dead_links, page_links
from sitebuild.math import Katex, katex_assets, split_math, typeset, wrap_dollar_math
from sitebuild.monospace import align_wide_glyphs
from sitebuild.project import (
    ROOT,
    chapters,
    expand_page,
    extension_configs,
    mkdocs_config,
    nav_pages,
    snippet_options,
)

# ---- 图 -----------------------------------------------------------------------


def test_figure_marker_becomes_svg():
    html = insert_figures("<p>前文</p>\n<p>[[figure corr2d-example]]</p>", figures.render)
    assert '<figure class="cfc-figure" data-figure="corr2d-example"><svg' in html


def test_unknown_figure_is_an_error_naming_it():
    with pytest.raises(ValueError, match="未知的图 'nope'"):
        insert_figures("<p>[[figure nope]]</p>", figures.render)


@pytest.mark.parametrize(
    "html", ["<p>见 [[figure corr2d-example]] 。</p>", "<p>[[ figure x ]]</p>"]
)
def test_a_figure_marker_that_is_not_a_paragraph_of_its_own_is_an_error(html):
    with pytest.raises(ValueError, match="必须单独成段"):
        insert_figures(html, figures.render)


def test_the_figure_syntax_shown_as_code_is_left_alone():
    html = "<p>写 <code>[[figure 名字]]</code></p><pre><code>[[figure x]]</code></pre>"
    assert insert_figures(html, figures.render) == html


def test_a_figure_name_used_by_two_chapters_is_an_error(monkeypatch):
    monkeypatch.setattr(figures.pooling, "FIGURES", {"padding": figures.pooling.ring})
    with pytest.raises(ValueError, match="'padding' 在两个模块里都有"):
        figures.collect()


def test_fresh_figures_reimports_the_code_behind_them():
    old = sys.modules["snippets.conv_layer"]
    fresh = fresh_figures()
    assert sys.modules["snippets.conv_layer"] is not old  # 改过的代码会被重新读入
    assert "<svg" in fresh.render("corr2d-example")


class FakeFigures:
    """像 figures 包的一个替身：记下每张图、每个位图被画了几次。"""

    IMAGE_DIR = "assets/figures"

    def __init__(self):
        self.calls = []
        self.IMAGES = {"b.webp": lambda: self.drawn("b"), "a.webp": lambda: self.drawn("a")}

    def drawn(self, what):
        self.calls.append(what)
        return what.encode() * 3

    def draw(self, name):
        if name != "g":
            raise ValueError(f"未知的图 {name!r}")
        self.calls.append(name)
        return '<img src="assets/figures/a.webp" alt="图">', "说明"

    def wrap(self, name, html, url=None):
        return f"<figure>{html.replace('assets/', url('') if url else 'assets/')}</figure>"


def test_drawings_are_cached_by_the_code_and_old_code_is_forgotten(tmp_path):
    (tmp_path / "old-key").mkdir()  # 上一版代码画的图
    first = Drawings(FakeFigures(), tmp_path / "key")
    assert first.images() == [("assets/figures/a.webp", b"aaa"), ("assets/figures/b.webp", b"bbb")]
    assert first.render("g") == '<figure><img src="assets/figures/a.webp" alt="图"></figure>'
    assert first.figures.calls == ["a", "b", "g"]
    assert not (tmp_path / "old-key").exists()
    assert (tmp_path / "key" / "images" / "a.webp").read_bytes() == b"aaa"
    # 同样的代码（同一个文件夹）：全部读缓存，一张也不重画；页面的地址仍按这一页换
    again = Drawings(FakeFigures(), tmp_path / "key")
    assert again.images() == first.images()
    assert again.render("g", url=lambda uri: "../") == (
        '<figure><img src="../figures/a.webp" alt="图"></figure>'
    )
    assert again.figures.calls == []
    assert not list((tmp_path / "key").rglob("*.partial"))
    # 名字写错不留缓存
    with pytest.raises(ValueError, match="未知的图 'nope'"):
        again.render("nope")
    assert not (tmp_path / "key" / "html" / "nope.html").exists()


def test_the_cache_key_follows_the_code_of_snippets_and_figures(tmp_path):
    for folder in ("snippets", "figures"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.py").write_text("A = 1\n", encoding="utf-8")
    key = code_key(tmp_path)
    assert key == code_key(tmp_path) and len(key) == 20
    (tmp_path / "figures" / "a.py").write_text("A = 2\n", encoding="utf-8")
    assert code_key(tmp_path) != key
    (tmp_path / "figures" / "notes.txt").write_text("不是代码", encoding="utf-8")
    assert code_key(tmp_path) == code_key(tmp_path)
    assert code_key() != code_key(tmp_path)


def test_the_cache_key_follows_the_measured_times_that_figures_read(tmp_path):
    """make bench 重测一次，CSV 变了，时间表要重画；results/ 里别的文件不算。"""
    results = tmp_path / "benchmarks" / "results"
    results.mkdir(parents=True)
    key = code_key(tmp_path)
    (results / "fast-conv.csv").write_text("case,median_ms\ntoy,1.0\n", encoding="utf-8")
    measured = code_key(tmp_path)
    assert measured != key
    (results / "fast-conv.csv").write_text("case,median_ms\ntoy,1.1\n", encoding="utf-8")
    remeasured = code_key(tmp_path)
    assert remeasured not in (key, measured)
    (results / "README.txt").write_text("说明", encoding="utf-8")
    (tmp_path / "benchmarks" / "other.csv").write_text("a\n1\n", encoding="utf-8")
    assert code_key(tmp_path) == remeasured


def test_a_build_draws_from_freshly_imported_figures_into_a_folder_named_by_the_code(tmp_path):
    built = drawings(tmp_path)
    assert built.folder == tmp_path / code_key()
    assert built.figures is sys.modules["figures"] and "kernel-gallery" in built.figures.FIGURES
    html = built.render("corr2d-example")
    assert html == built.figures.render("corr2d-example")
    assert (built.folder / "html" / "corr2d-example.html").is_file()


def test_drawings_share_the_cache_folder_of_the_notebooks(tmp_path, monkeypatch):
    monkeypatch.delenv("CFC_CACHE_DIR", raising=False)
    assert cache_dir() == ROOT / ".cache" / "figures"
    monkeypatch.setenv("CFC_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path / "figures"


# ---- 公式 ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def katex():
    process = Katex()
    yield process
    process.close()


def test_math_is_rendered_to_html_at_build(katex):
    html = typeset(
        '<p>设 <span class="arithmatex">\\(a &lt; b\\)</span>，</p>'
        '<div class="arithmatex">\\[\\frac{1}{2}\\]</div>',
        katex.render,
    )
    assert '<span class="arithmatex"><span class="katex">' in html
    assert 'class="katex-display"' in html
    assert "<mo>&lt;</mo>" in html  # &lt; 先还原成 <，再交给 KaTeX
    assert "\\(" not in html and "\\[" not in html


def test_bad_tex_is_an_error_naming_every_bad_formula(katex):
    html = (
        '<span class="arithmatex">\\(\\frac{\\)</span><span class="arithmatex">\\(\\bad\\)</span>'
    )
    with pytest.raises(ValueError, match=r"(?s)公式有误：\\frac\{.*KaTeX parse error.*\\bad"):
        typeset(html, katex.render)


def test_a_page_without_math_does_not_ask_katex():
    assert typeset("<p>没有公式</p>", render=None) == "<p>没有公式</p>"


def test_unknown_math_wrapper_is_an_error():
    with pytest.raises(ValueError, match="无法识别的公式包装"):
        split_math("$x$")


@pytest.mark.parametrize("size", [1, 1_000_000])  # 大的一页塞满管道，写的时候就会卡住
def test_a_hung_katex_process_is_stopped_with_a_clear_error(size):
    hung = Katex([sys.executable, "-c", "import time; time.sleep(60)"], timeout=0.5)
    with pytest.raises(BuildError, match="0.5 秒内没有回答"):
        hung.render([["x" * size, False]])
    assert hung.process.poll() is not None  # 卡住的进程已经结束


@pytest.mark.parametrize("already_gone", [False, True])
def test_a_katex_process_that_dies_is_an_error(already_gone):
    dead = Katex([sys.executable, "-c", "pass"], timeout=5)
    if already_gone:
        dead.process.wait()  # 写进去时管道已经断了
    with pytest.raises(BuildError, match="意外退出"):
        dead.render([["x", False]])


def test_missing_node_or_katex_fails_with_a_hint(tmp_path, monkeypatch):
    with pytest.raises(BuildError, match="make install"):
        katex_assets(tmp_path)
    assert ("assets/katex/katex.min.css", katex_assets()[0][1]) == katex_assets()[0]
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(BuildError, match="需要 Node.js"):
        Katex()


def test_dollar_math_is_wrapped_outside_code_only():
    html = "<p>$x$ 与 $$y$$</p><pre>$z$</pre><code>$w$</code>"
    assert wrap_dollar_math(html) == (
        '<p><span class="arithmatex">\\(x\\)</span> 与 <div class="arithmatex">\\[y\\]</div></p>'
        "<pre>$z$</pre><code>$w$</code>"
    )


# ---- 中文断行、跳过说明、术语 -------------------------------------------------


@pytest.mark.parametrize(
    ("html", "joined"),
    [
        ("<p>卷积核，\n在图像上\nslides 滑动</p>", "<p>卷积核，在图像上\nslides 滑动</p>"),
        ('区别见\n<a href="#x">互相关与卷积</a>。', '区别见<a href="#x">互相关与卷积</a>。'),
        ("维。\n<strong>卷积层</strong>", "维。<strong>卷积层</strong>"),
        ("<em>卷积</em>\n<code>层</code>", "<em>卷积</em><code>层</code>"),
        ("局部性——\n一步步推出“受约束的”\n全连接层", "局部性——一步步推出“受约束的”全连接层"),
        ("丢弃。\nPyTorch 的", "丢弃。PyTorch 的"),  # 中文标点后面不留空
        (
            '格子，\n<span class="arithmatex"><math><mi>k</mi>',
            '格子，<span class="arithmatex"><math><mi>k</mi>',
        ),
        ("“same”\n“valid”", "“same”\n“valid”"),  # 英文里的弯引号不算中文
        ("见\n<code>corr2d</code>", "见\n<code>corr2d</code>"),  # 汉字与西文之间留空
        ("一段。</p>\n<p>另一段", "一段。</p>\n<p>另一段"),  # 段落之间不动
        ("<pre><code># 注释\n# 第二行</code></pre>", "<pre><code># 注释\n# 第二行</code></pre>"),
    ],
)
def test_line_breaks_between_chinese_characters_are_removed(html, joined):
    assert join_cjk_lines(html) == joined


def test_gaps_between_chinese_characters_are_found_in_the_text_a_reader_sees():
    html = (
        '<p>区别见 <a href="#x">互相关</a>。维。 <strong>卷积层</strong></p><p>表头</p><p>中文</p>'
        '<p>见 <code>卷 积</code> 和 <span class="katex">卷 积</span>。<br/>汉 字</p>'
        "<pre>代 码</pre><svg><text>图 里</text></svg>"
        '<p><span class="katex"><span>卷 积</span>公 式</span>。 PyTorch</p>'
        '<div class="clipboard-copy-txt">藏 着</div><p>“a” “b”</p>'
    )
    gaps = cjk_gaps(html)
    assert len(gaps) == 4  # 每处报出空白两侧各几个字
    assert all(
        pair in gap for pair, gap in zip(["见 互", "。 卷", "汉 字", "。 P"], gaps, strict=True)
    )
    assert cjk_gaps(join_cjk_lines("<p>卷积核，\n<em>在图像上</em></p>")) == []


def test_skipped_block_shows_its_reason_and_other_comments_stay():
    html = '<!--pytest.mark.skip(reason="需要 <GPU>")-->\n<div class="highlight"><!-- 别的注释 -->'
    assert show_skip_reasons(html) == (
        '<p class="cfc-untested">下面的代码不在测试中运行：需要 &lt;GPU&gt;</p>\n'
        '<div class="highlight"><!-- 别的注释 -->'
    )
    assert show_skip_reasons("<!--pytest-codeblocks:expected-output-->") == (
        "<!--pytest-codeblocks:expected-output-->"
    )


GLOSSARY_HEADER = (
    "# 术语表\n\n| 术语 | 释义 | 英文 | 也叫 | 在哪里讲 |\n| --- | --- | --- | --- | --- |\n"
)
GLOSSARY_PAGE = (
    GLOSSARY_HEADER
    + """| 卷积 | 先翻转再互相关 | convolution | | [图像卷积](conv-layer.md#互相关与卷积) |
| 卷积核 | 滑动的小张量 | kernel | 滤波器、核（简称） | 编写中 |
"""
)


def test_glossary_is_read_from_its_table():
    terms = read_glossary(GLOSSARY_PAGE)
    assert [(t.zh, t.en, t.taught, t.aliases) for t in terms] == [
        ("卷积", "convolution", "conv-layer.md#互相关与卷积", ()),
        ("卷积核", "kernel", None, ("滤波器", "核")),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# 空\n", "表头为"),
        (GLOSSARY_PAGE + "| 缺一格 | x | y | z |\n", "应有五个格子"),
        (GLOSSARY_PAGE + "| 没有释义 | | | e | f |\n", "应有五个格子"),
        (GLOSSARY_PAGE + "| 卷积 | c | d | | e |\n", r"重复的术语或别名：\['卷积'\]"),
        (GLOSSARY_PAGE + "| 核函数 | c | d | 滤波器 | e |\n", r"重复的术语或别名：\['滤波器'\]"),
    ],
)
def test_a_malformed_glossary_is_an_error(text, message):
    with pytest.raises(ValueError, match=message):
        read_glossary(text)


def test_tooltips_mark_the_first_plain_occurrence_only():
    html = (
        "<!-- 讲卷积 --><h6>卷积</h6>"
        "<h2>卷积</h2><p><code>卷积</code> 与 <a href='x'>卷积</a>"
        '<span class="katex"><span>卷积</span></span><br/>'
        '<div class="clipboard-copy-txt">x = 1  # 卷积</div>'
        "卷积核和卷积，再说卷积</p>"
    )
    assert add_tooltips(html, read_glossary(GLOSSARY_PAGE)) == (
        "<!-- 讲卷积 --><h6>卷积</h6>"
        "<h2>卷积</h2><p><code>卷积</code> 与 <a href='x'>卷积</a>"
        '<span class="katex"><span>卷积</span></span><br/>'
        '<div class="clipboard-copy-txt">x = 1  # 卷积</div>'
        '<abbr title="kernel：滑动的小张量；也叫滤波器、核（简称）">卷积核</abbr>和'
        '<abbr title="convolution：先翻转再互相关">卷积</abbr>，再说卷积</p>'
    )


def test_a_tooltip_says_what_the_word_means_where_it_stands():
    """单说的“卷积”是互相关；把数学中的卷积（要翻转）的释义挂在它上面，检查要报出来。"""
    page = "<p>卷积层里的卷积，和严格卷积不同</p>"
    terms = glossary_terms()
    assert misplaced_tooltips(add_tooltips(page, terms)) == []
    maths = (
        "| 卷积 | 数学中的卷积：先把卷积核上下、左右翻转，再做互相关 | convolution | | 编写中 |\n"
    )
    planted = [t for t in terms if t.zh != "卷积"] + read_glossary(GLOSSARY_HEADER + maths)
    assert len(misplaced_tooltips(add_tooltips(page, planted))) == 1
    flipped = '<abbr title="convolution：先翻转再互相关">卷积层</abbr>'
    assert misplaced_tooltips(flipped) == [
        "“卷积层”挂上了数学中的卷积的提示：convolution：先翻转再互相关"
    ]
    # 转置卷积的定义里本来就有翻转：挂在它自己身上的提示不算挂错
    transposed = '<abbr title="transposed convolution：翻转卷积核再互相关">转置卷积</abbr>'
    assert misplaced_tooltips(transposed) == []


def test_search_dictionary_keeps_glossary_terms_and_aliases_whole():
    terms = glossary_terms()
    names = [name for t in terms for name in (t.zh, *t.aliases)]
    jieba.load_userdict(io.StringIO(jieba_dictionary(terms)))
    text = "".join(name + "和" for name in names)
    assert [w for w in jieba.cut(text) if w != "和"] == names


def test_finish_runs_the_steps_in_the_documented_order(katex):
    """断在两行的术语先接上再加提示；公式里、图里的字不加提示。"""
    html = (
        '<p>卷\n积<span class="arithmatex">\\(\\text{卷积}\\)</span></p>\n'
        "<p>[[figure corr2d-example]]</p>\n"
        '<!--pytest.mark.skip(reason="演示卷积")-->'
    )
    out = finish(html, Page("p.md"), katex.render, figures.render, read_glossary(GLOSSARY_PAGE))
    assert out.startswith('<p><abbr title="convolution：先翻转再互相关">卷积</abbr><span')
    assert out.count("<abbr") == 1 and "演示卷积" in out and "<svg" in out
    glossary = finish("<p>卷积</p>", Page("glossary.md", is_glossary=True), None, None, [])
    assert glossary == "<p>卷积</p>"
    lab = finish(
        '<p>$x$</p><script src=""></script>', Page("n.py", is_notebook=True), katex.render, None, []
    )
    assert 'class="katex"' in lab and "<script" not in lab


# ---- 读者看到的代码块就是测试看到的代码块 -------------------------------------


def rendered(page):
    """像构建那样渲染一页 Markdown：用 mkdocs.yml 里的扩展和配置（toc 的 slugify 读不出，不用）。"""
    configs = extension_configs(mkdocs_config()["markdown_extensions"])
    configs["pymdownx.snippets"] = snippet_options(configs)
    del configs["toc"]
    return markdown.markdown(page, extensions=list(configs), extension_configs=configs)


@pytest.mark.parametrize(
    "page",
    [
        "正文：\n\n    print(1)\n",  # 缩进四格的代码块
        "> ```python\n> print(1)\n> ```\n",  # 引用块里的围栏
        "1. 题\n\n    > ```python\n    > print(1)\n    > ```\n",
        "<pre>print(1)</pre>\n",  # 手写的 <pre>
    ],
)
def test_code_a_reader_sees_but_the_scanner_does_not_fails_the_build(page):
    with pytest.raises(ValueError, match="页面上有 1 个代码块，扫描器只找到 0 个围栏"):
        check_code_blocks(rendered(page), expand_page(page))


def test_code_the_tests_run_but_a_reader_does_not_see_fails_the_build():
    page = "正文\n\n<!--\n```python\nprint(1)\n```\n-->\n"
    with pytest.raises(ValueError, match="扫描器找到 1 个围栏，页面上却只有 0 个代码块"):
        check_code_blocks(rendered(page), expand_page(page))


def test_every_rendered_code_block_of_a_well_formed_page_is_a_scanned_fence():
    page = (
        '!!! note "辅助函数"\n\n'
        '    ```python\n    --8<-- "snippets/conv_layer.py:corr2d"\n    ```\n\n'
        '<!--pytest.mark.skip(reason="演示")-->\n```python\nimport gpu\n```\n\n'
        '```text linenums="1"\n带行号的块，行号栏另有一个 <pre>\n```\n\n'
        "<!-- <pre>注释里的不算</pre> -->\n\n````markdown\n```python\n嵌着的不算\n```\n````\n"
    )
    html = rendered(page)
    assert html.count("<pre") == 6  # 4 个代码块，加上行号栏和注释里的 <pre>
    check_code_blocks(html, expand_page(page))


# ---- 站内链接 -----------------------------------------------------------------


def write_site(root, pages):
    for path, html in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(html, encoding="utf-8")
    return root


def test_links_are_read_from_tags_only():
    html = (
        "<a title='a > b' href='x?q=1&amp;r=2#&#x8282;'>t</a><img src=y.png>"
        '<h2 id="节">x</h2><a name="旧"></a><div name="表单">x</div><input disabled>'
        '<!-- <a href="注释"> --><script src="s.js">var a = \'<a href="脚本">\';</script>'
        '<style>a[href="样式"] {}</style><p><code>&lt;a href="代码"&gt;</code> href="正文"</p>'
    )
    assert page_links(html) == ({"节", "旧"}, ["x?q=1&r=2#节", "y.png", "s.js"])


def test_links_that_resolve_in_the_built_site_are_fine(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": (
                '<a href="a/">目录</a><a href="a/index.html#%E8%8A%82">编码的锚点</a>'
                '<a href="a/#节">锚点</a><a href="#">页首</a><a href="#顶">本页</a><p id="顶"></p>'
                '<a href="a">不带斜杠的目录</a><a href="./a/../a/f.txt?v=1">文件</a>'
                '<a href="f.txt#不查">非 HTML 的锚点不查</a>'
                '<link href="/base/a/"><a href="https://x.org/nope">站外</a>'
                '<a href="mailto:a@b.c">邮件</a><img src="data:image/png;base64,AAAA">'
                '<script src="//cdn.example/x.js"></script>'
            ),
            "a/index.html": '<h2 id="节">节</h2><a href="..">上一级</a><a href="../">根</a>',
            "a/f.txt": "文件",
            "f.txt": "文件",
        },
    )
    assert dead_links(site, "/base") == []


def test_every_link_without_a_target_is_reported_with_its_page(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": (
                '<a href="nope/">没有的目录</a><a href="a/#没有">没有的锚点</a>'
                '<a href="#也没有">本页没有的锚点</a><img src="missing.png">'
                '<a href="../../outside/">站点外面</a><link href="/other/a/">'
            ),
            "a/index.html": "<p>没有锚点</p>",
        },
    )
    assert dead_links(site, "/base/") == [
        "index.html：nope/",
        "index.html：a/#没有（目标页面里没有 id 为 没有 的元素）",
        "index.html：#也没有（目标页面里没有 id 为 也没有 的元素）",
        "index.html：missing.png",
        "index.html：../../outside/",
        "index.html：/other/a/",
    ]


# ---- 项目结构 -----------------------------------------------------------------


def test_nav_pages_flattens_sections_in_order():
    nav = [{"首页": "index.md"}, {"章节": [{"一": "a.md"}, "b.md"]}, "c.md"]
    assert nav_pages(nav) == ["index.md", "a.md", "b.md", "c.md"]


def test_the_real_config_is_read_without_mkdocs():
    config = mkdocs_config()
    assert config["site_url"] is None  # !ENV 标签只有 MkDocs 懂，读成 None
    assert [c.page.stem for c in chapters()][:1] == ["why-conv"]
    options = snippet_options(extension_configs(config["markdown_extensions"]))
    assert options["check_paths"] is True and options["base_path"] == [str(ROOT / ".")]
    assert snippet_options({}, Path("/x")) == {"base_path": ["/x"]}
    one = {"pymdownx.snippets": {"base_path": "docs"}}  # 一个字符串，不是列表
    assert snippet_options(one, Path("/x")) == {"base_path": ["/x/docs"]}
    assert extension_configs(["abbr", {"toc": None}]) == {"abbr": {}, "toc": {}}
    assert page_kind("notebooks/lab.py").is_notebook and page_kind("glossary.md").is_glossary


def fw(text):
    return f'<span class="cfc-fullwidth">{text}</span>'


@pytest.mark.parametrize(
    ("html", "aligned"),
    [
        (
            "<pre><code>全连接  785,000</code></pre>",
            f"<pre><code>{fw('全连接')}  785,000</code></pre>",
        ),
        # 全宽标点算全宽；→ × Δ 的宽度随字体而定（East Asian Width 为 A），按一列算，不包
        (
            "<pre>3→64，3×3，Δ</pre>",
            f"<pre>3→64{fw('，')}3×3{fw('，')}Δ</pre>",
        ),
        # 标签和属性里的字不动；<pre> 之外的正文不动
        (
            '<pre><span title="参数">参数 9</span></pre><p>参数</p>',
            f'<pre><span title="参数">{fw("参数")} 9</span></pre><p>参数</p>',
        ),
        ("<pre>x = 1</pre>", "<pre>x = 1</pre>"),
    ],
)
def test_wide_glyphs_in_code_and_outputs_are_marked_for_two_columns(html, aligned):
    assert align_wide_glyphs(html) == aligned


def test_output_blocks_get_no_copy_button_and_code_blocks_keep_theirs():
    code = '<div class="highlight"><pre><code>print(1)</code></pre></div>'
    output = (
        '<div class="highlight"><span class="filename">输出</span><pre><code>1</code></pre></div>'
    )
    titled = '<div class="highlight"><span class="filename">模型.py</span><pre></pre></div>'
    quiet = quiet_outputs(code + output + titled)
    assert quiet == code + output.replace('"highlight"', '"highlight no-copy"') + titled


# ---- 行内公式与标点不分家（cjk.bind_inline_math） ----------------------------


def math(tex):
    return f'<span class="arithmatex">\\({tex}\\)</span>'


def bound(inner):
    return f'<span class="cfc-nobr">{inner}</span>'


LONG = "(n_h+2p_h-k_h+1)\\times(n_w+2p_w-k_w+1) = (8+2-5+1)\\times(8+2-3+1)"
ONE = math("1\\times 1")


@pytest.mark.parametrize(
    ("html", "out"),
    [
        # 收尾标点跟着公式走，连同中间的换行（join_cjk_lines 反正也会去掉它）
        (f"输出是 {math(LONG)}。", f"输出是 {bound(math(LONG) + '。')}"),
        (f"即 {math(LONG)}\n，所以", f"即 {bound(math(LONG) + '，')}所以"),
        (f"{math(LONG)}）。", bound(math(LONG) + "）。")),
        # 开括号跟着后面的公式走
        (f"窗口（{math(LONG)} 个）", f"窗口{bound('（' + math(LONG))} 个）"),
        # 短公式不挨着标点也不拆开；长公式不挨着标点就不动（让它在运算符后换行）
        (f"的 {ONE} 卷积", f"的 {bound(ONE)} 卷积"),
        (f"的 {math(LONG)} 个", f"的 {math(LONG)} 个"),
        # 标点和公式之间隔着别的字，不是“挨着”
        (f"{math(LONG)} 个，", f"{math(LONG)} 个，"),
        # 代码块里的不碰
        (f"<pre><code>{math('x')}，</code></pre>", f"<pre><code>{math('x')}，</code></pre>"),
        ("没有公式。", "没有公式。"),
    ],
)
def test_inline_math_is_bound_to_its_punctuation_and_short_math_is_never_split(html, out):
    assert bind_inline_math(html) == out


@pytest.mark.parametrize(
    ("tex", "glyphs"),
    [
        ("1\\times 1", 3),
        ("\\mathbf{X}_{i,j}", 4),
        ("\\max(a, b)", 8),
        ("\\left\\lfloor n/s \\right\\rfloor", 5),
        ("a\\,b\\quad c", 3),
        ("p &lt; q", 3),  # arithmatex 转义过的 HTML
    ],
)
def test_math_width_is_estimated_from_what_is_printed(tex, glyphs):
    assert math_glyphs(tex) == glyphs


def test_binding_happens_before_typesetting_and_survives_it(katex):
    html = f"<p>卷积核是 {ONE}，输出 {math(LONG)}。</p>"
    out = finish(html, Page("p.md"), katex.render, None, [])
    assert out.count('<span class="cfc-nobr"><span class="arithmatex"><span class="katex">') == 2
    assert "</span></span>，</span>输出" in out and out.endswith("</span></span>。</span></p>")


# —— sitebuild/explorer.py：卷积计算器的打包 ——


def test_the_explorer_bundle_is_one_minified_script_with_its_styles():
    from sitebuild.explorer import bundle

    script = bundle()
    assert "cfcExplorer" in script and "mountAll" in script
    assert "cfc-x-grid" in script  # 样式随脚本一起载入
    # 打成了一个普通脚本（file:// 也能载入）：没有模块语法，整个包在一个立即执行的函数里
    assert script.startswith("(()=>{") and "export{" not in script and 'from"./' not in script
    assert "卷积" in script  # 中文原样写出，不转成 \uXXXX


def test_a_broken_explorer_source_or_a_missing_esbuild_fails_the_build(tmp_path):
    from sitebuild.explorer import ESBUILD, bundle

    broken = tmp_path / "index.js"
    broken.write_text("import { nothing } from './missing.js';\n", encoding="utf-8")
    with pytest.raises(BuildError, match="esbuild 打包 .*index.js 失败：\n.*missing.js"):
        bundle(entry=broken)
    with pytest.raises(BuildError, match="先运行 npm ci"):
        bundle(esbuild=tmp_path / "esbuild")
    assert ESBUILD.exists()

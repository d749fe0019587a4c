"""MkDocs 钩子：出错时构建必须失败并说明原因，而不是悄悄留下残缺的页面。"""

from types import SimpleNamespace

import pytest
from docpages import ROOT, load_hook
from mkdocs.exceptions import PluginError

PAGE = SimpleNamespace(file=SimpleNamespace(src_uri="chapter.md"))


def test_figure_marker_becomes_svg():
    html = load_hook("draw_figures").on_page_content(
        "<p>前文</p>\n<p>[[figure corr2d-example]]</p>", PAGE, None, None
    )
    assert '<figure class="cfc-figure" data-figure="corr2d-example"><svg' in html


def test_unknown_figure_fails_the_build_naming_the_page():
    hook = load_hook("draw_figures")
    with pytest.raises(PluginError, match="chapter.md: 未知的图 'nope'"):
        hook.on_page_content("<p>[[figure nope]]</p>", PAGE, None, None)


def test_figure_marker_inside_a_paragraph_fails_the_build():
    hook = load_hook("draw_figures")
    with pytest.raises(PluginError, match="chapter.md: .*必须单独成段"):
        hook.on_page_content("<p>见 [[figure corr2d-example]] 。</p>", PAGE, None, None)


def test_skipped_block_shows_its_reason():
    html = load_hook("untested_blocks").on_page_content(
        '<!--pytest.mark.skip(reason="需要 <GPU>")-->\n<div class="highlight">', PAGE, None, None
    )
    assert html.startswith('<p class="cfc-untested">下面的代码不在测试中运行：需要 &lt;GPU&gt;</p>')


def test_missing_katex_fails_the_build_with_a_hint(tmp_path, monkeypatch):
    hook = load_hook("katex_math")
    monkeypatch.setattr(hook, "DIST", tmp_path)
    with pytest.raises(PluginError, match="make install"):
        hook.on_files([], None)


@pytest.fixture
def katex():
    hook = load_hook("katex_math")
    hook.on_pre_build(None)
    yield hook
    hook.on_post_build(None)


def test_math_is_rendered_to_html_at_build(katex):
    html = katex.on_page_content(
        '<p>设 <span class="arithmatex">\\(a &lt; b\\)</span>，</p>'
        '<div class="arithmatex">\\[\\frac{1}{2}\\]</div>',
        PAGE,
        None,
        None,
    )
    assert '<span class="arithmatex"><span class="katex">' in html
    assert 'class="katex-display"' in html
    assert "<mo>&lt;</mo>" in html  # &lt; 先还原成 <，再交给 KaTeX
    assert "\\(" not in html and "\\[" not in html


def test_bad_tex_fails_the_build_naming_page_and_formula(katex):
    with pytest.raises(PluginError, match=r"(?s)chapter.md: 公式有误：\\frac\{.*KaTeX parse error"):
        katex.on_page_content('<span class="arithmatex">\\(\\frac{\\)</span>', PAGE, None, None)


def test_a_page_without_math_does_not_touch_node(monkeypatch):
    hook = load_hook("katex_math")
    assert hook.on_page_content("<p>没有公式</p>", PAGE, None, None) == "<p>没有公式</p>"


def test_unknown_math_wrapper_is_an_error():
    with pytest.raises(ValueError, match="无法识别的公式包装"):
        load_hook("katex_math").split_math("$x$")


def test_missing_node_fails_the_build(monkeypatch):
    hook = load_hook("katex_math")
    monkeypatch.setattr(hook.shutil, "which", lambda name: None)
    with pytest.raises(PluginError, match="需要 Node.js"):
        hook.on_pre_build(None)


def test_line_breaks_between_chinese_characters_are_removed():
    join = load_hook("cjk_text").join_cjk_lines
    assert join("<p>卷积核，\n在图像上\nslides 滑动</p>") == "<p>卷积核，在图像上\nslides 滑动</p>"
    assert (
        join("<pre><code># 注释\n# 第二行</code></pre>")
        == "<pre><code># 注释\n# 第二行</code></pre>"
    )


GLOSSARY_PAGE = """# 术语表

| 术语 | 释义 | 英文 | 在哪里讲 |
| --- | --- | --- | --- |
| 卷积 | 先翻转再互相关 | convolution | [图像卷积](conv-layer.md#互相关与卷积) |
| 卷积核 | 滑动的小张量 | kernel | 编写中 |
"""


def test_glossary_is_read_from_its_table():
    terms = load_hook("glossary").read_glossary(GLOSSARY_PAGE)
    assert [(t.zh, t.en, t.taught) for t in terms] == [
        ("卷积", "convolution", "conv-layer.md#互相关与卷积"),
        ("卷积核", "kernel", None),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# 空\n", "表头为"),
        (GLOSSARY_PAGE + "| 缺一格 | x | y |\n", "不是四个非空的格子"),
        (GLOSSARY_PAGE + "| 卷积 | c | d | e |\n", r"重复的术语：\['卷积'\]"),
    ],
)
def test_a_malformed_glossary_is_an_error(text, message):
    with pytest.raises(ValueError, match=message):
        load_hook("glossary").read_glossary(text)


def test_tooltips_mark_the_first_plain_occurrence_only():
    hook = load_hook("glossary")
    terms = hook.read_glossary(GLOSSARY_PAGE)
    html = (
        "<h2>卷积</h2><p><code>卷积</code> 与 <a href='x'>卷积</a>"
        '<span class="katex"><span>卷积</span></span><br/>'
        "卷积核和卷积，再说卷积</p>"
    )
    out = hook.add_tooltips(html, terms)
    assert out == (
        "<h2>卷积</h2><p><code>卷积</code> 与 <a href='x'>卷积</a>"
        '<span class="katex"><span>卷积</span></span><br/>'
        '<abbr title="kernel：滑动的小张量">卷积核</abbr>和'
        '<abbr title="convolution：先翻转再互相关">卷积</abbr>，再说卷积</p>'
    )


def test_search_dictionary_keeps_glossary_terms_whole():
    import io

    import jieba

    hook = load_hook("glossary")
    terms = hook.read_glossary((ROOT / "docs" / "glossary.md").read_text(encoding="utf-8"))
    jieba.load_userdict(io.StringIO(hook.jieba_dictionary(terms)))
    text = "".join(t.zh + "和" for t in terms)
    assert [w for w in jieba.cut(text) if w != "和"] == [t.zh for t in terms]


def test_pre_build_reimports_the_code_behind_figures():
    import sys

    hook = load_hook("draw_figures")
    old = sys.modules["snippets.conv_layer"]
    hook.on_pre_build(None)
    assert sys.modules["snippets.conv_layer"] is not old  # 改过的代码会被重新读入
    assert "corr2d-example" in hook.figures.FIGURES
    assert "<svg" in hook.figures.render("corr2d-example")

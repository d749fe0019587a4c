"""MkDocs 钩子：出错时构建必须失败并说明原因，而不是悄悄留下残缺的页面。"""

import importlib.util
from types import SimpleNamespace

import pytest
from docpages import ROOT
from mkdocs.exceptions import PluginError


def load_hook(name):
    spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    hook = load_hook("katex_assets")
    monkeypatch.setattr(hook, "DIST", tmp_path)
    with pytest.raises(PluginError, match="make install"):
        hook.on_files([], None)


def test_pre_build_reloads_the_code_behind_figures(monkeypatch):
    import figures
    import snippets.conv_layer

    monkeypatch.setattr(snippets.conv_layer, "corr2d", None)  # 假装代码被改过
    monkeypatch.setattr(figures, "FIGURES", {})
    load_hook("draw_figures").on_pre_build(None)
    assert callable(snippets.conv_layer.corr2d)
    assert "corr2d-example" in figures.FIGURES

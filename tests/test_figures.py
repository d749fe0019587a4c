"""figures 包本身的测试：render()、未知的名字、主题与无障碍；构建把图嵌进页面。

各章的图画得对不对（图上的数就是 snippets 算出的数），在各章的 tests/test_<模块>.py 里测。
"""

import re

import pytest
from svgread import grid_numbers, layouts

import figures
from figures.svg import CELL, LABEL, NARROW, NEWLINE, STAR, WIDE_FROM, Grid, figure, row, rows
from sitebuild.project import ROOT
from snippets.conv_layer import K, X, corr2d


def test_figure_is_themeable_and_accessible():
    html = figures.render("corr2d-example")
    assert 'role="img"' in html and "<title>" in html
    assert "fill=" not in html, "颜色应来自 CSS，深色主题才能跟随"


def test_unknown_figure_name_is_an_error():
    with pytest.raises(ValueError, match="未知的图 'nope'"):
        figures.render("nope")


def test_built_page_embeds_the_figures(built_site):
    html = (built_site / "conv-layer" / "index.html").read_text(encoding="utf-8")
    assert "[[figure" not in html
    for name in ("corr2d-example", "edge-detection"):
        assert f'data-figure="{name}"' in html
    svg = re.search(r'data-figure="corr2d-example">(<svg.*?</svg>)', html).group(1)
    assert grid_numbers(svg, "output") == corr2d(X, K).flatten().tolist()


# —— 手机上的图：宽图、窄图两种排法（figures/svg.py 的 responsive） ——


def sizes(svg):
    """每一份 SVG 的 (CSS 类, 宽, 高)。"""
    return [(r.get("class"), float(r.get("width")), float(r.get("height"))) for r in layouts(svg)]


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_every_figure_has_a_layout_whose_smallest_text_is_readable_on_a_phone(name):
    """窄图（或唯一的一份）不宽于 NARROW：375 px 的手机上最小的字也有 10 px 以上；
    宽图只在栏宽至少 WIDE_FROM 时显示，它在那时的最小字号也不小于 10 px。"""
    svg, _ = figures.FIGURES[name]()
    found = sizes(svg)
    assert [c for c, _, _ in found] in (["cfc-svg"], ["cfc-svg cfc-wide", "cfc-svg cfc-narrow"])
    *wide, (_, narrow, _) = found
    assert narrow <= NARROW and 343 / narrow * LABEL >= 10
    for _, width, _ in wide:
        assert width > NARROW, "放得进 NARROW 的图不必画两份"
        assert WIDE_FROM / width * LABEL >= 10
    # 字号：extra.css 里标签是 LABEL，数字和运算符更大
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert f"font-size: {LABEL}px" in css and f"max-width: {WIDE_FROM - 0.02}px" in css


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_figures_write_cross_correlation_as_the_text_does(name):
    """正文用 KaTeX 的 \\star（⋆ U+22C6），图里不能换成黑色五角星 ★（U+2605）。"""
    svg, alt = figures.FIGURES[name]()
    assert "★" not in svg + alt


def test_a_narrow_layout_breaks_before_operators_and_turns_arrows_down():
    a, b, c = (Grid([[1, 2, 3, 4, 5]], f"g{k}", f"网格 {k}") for k in "abc")
    body, width, height = rows(a, STAR, b, "→", c, width=300)
    # 每个网格 180 宽：一行只放得下一个，运算符排到下一行的开头，箭头单独一行、朝下
    assert width == max(row(a)[1], row(STAR, b)[1], row(c)[1]) <= 300
    assert body.count('<g transform="translate(') == 3
    assert "↓" in body and "→" not in body and body.count(STAR) == 1
    assert height > 3 * CELL
    # 宽图的排法不理 NEWLINE；窄图遇到它就换行，即使放得下
    assert row(a, NEWLINE, "+", b)[1] == row(a, "+", b)[1]
    assert rows(a, NEWLINE, "+", b, width=10_000)[0].count("<g transform") == 2
    assert rows(a, "+", b, width=10_000)[0].count("<g transform") == 1


def test_a_figure_that_fits_a_phone_is_drawn_once():
    small = Grid([[1]], "one", "一")
    assert len(layouts(figure(small, "=", small, alt="小图"))) == 1
    big = Grid([[0] * 12], "big", "宽")
    wide, narrow = layouts(figure(big, "=", big, alt="宽图"))
    assert wide.get("class").endswith("cfc-wide") and narrow.get("class").endswith("cfc-narrow")
    assert float(narrow.get("width")) < float(wide.get("width"))

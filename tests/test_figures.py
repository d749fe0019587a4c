"""figures 包本身的测试：render()、未知的名字、主题与无障碍；构建把图嵌进页面。

各章的图画得对不对（图上的数就是 snippets 算出的数），在各章的 tests/test_<模块>.py 里测。
"""

import re

import pytest
from svgread import grid_numbers

import figures
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

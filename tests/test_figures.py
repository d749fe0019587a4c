"""由代码生成的图：图上的数必须就是 snippets 算出的数；构建把它们嵌进页面。"""

import re
import xml.etree.ElementTree as ET

import pytest
import torch

import figures
from snippets.conv_layer import EDGE_KERNEL, K, X, corr2d, edge_image
from snippets.why_conv import RING, RING_SCENE, find_pattern

SVG = "{http://www.w3.org/2000/svg}"


def grid_numbers(svg, role):
    """从 SVG 里读出 data-role=role 的网格上的数，按行优先顺序。"""
    root = ET.fromstring(svg)
    (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-role") == role]
    return [float(t.text) for t in group.iter(f"{SVG}text")]


def test_corr2d_figure_shows_what_corr2d_returns():
    svg, alt = figures.conv_layer.corr2d_example()
    assert grid_numbers(svg, "input") == X.flatten().tolist()
    assert grid_numbers(svg, "kernel") == K.flatten().tolist()
    assert grid_numbers(svg, "output") == corr2d(X, K).flatten().tolist()
    assert "19" in alt and "43" in alt


def test_edge_figure_shows_what_corr2d_returns():
    svg, alt = figures.conv_layer.edge_detection()
    assert grid_numbers(svg, "input") == edge_image().flatten().tolist()
    assert grid_numbers(svg, "output") == corr2d(edge_image(), EDGE_KERNEL).flatten().tolist()
    assert "6×7" in alt


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


def test_find_pattern_figure_marks_the_computed_peak():
    svg, alt = figures.why_conv.find_pattern_example()
    root = ET.fromstring(svg)
    scene = RING_SCENE
    response, (row, col) = find_pattern(scene, RING)
    assert root.get("data-peak") == f"{row},{col}"
    assert f"第 {row} 行第 {col} 列" in alt

    def cells(role):
        (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-role") == role]
        return list(group.iter(f"{SVG}rect"))

    assert len(cells("scene")) == scene.numel() and len(cells("response")) == response.numel()
    # 场景里亮的格子就是值为 1 的像素；响应图里最不透明的格子就是峰值
    bright = [i for i, r in enumerate(cells("scene")) if "paper" in r.get("class")]
    assert bright == scene.flatten().nonzero().flatten().tolist()
    opacity = [float(r.get("fill-opacity")) for r in cells("response")]
    assert opacity.index(max(opacity)) == row * response.shape[1] + col


def test_padding_and_stride_figures_show_what_corr2d_strided_returns():
    from figures.padding_and_strides import padding_example, stride_example
    from snippets.conv_layer import K, X
    from snippets.padding_and_strides import corr2d_strided, pad2d

    svg, _ = padding_example()
    assert grid_numbers(svg, "input") == pad2d(X, 1).flatten().tolist()
    assert grid_numbers(svg, "output") == corr2d_strided(X, K, 1).flatten().tolist()
    svg, alt = stride_example()
    assert grid_numbers(svg, "output") == corr2d_strided(X, K, 1, (3, 2)).flatten().tolist()
    assert "= 8" in alt


def test_channel_figures_show_what_the_channel_functions_return():
    from figures.channels import one_by_one_example, two_channel_example
    from snippets.channels import K_1X1 as K3
    from snippets.channels import X_1X1 as X3
    from snippets.channels import K as K2
    from snippets.channels import X as X2
    from snippets.channels import corr2d_multi_in, corr2d_multi_in_out

    svg, alt = two_channel_example()
    assert grid_numbers(svg, "output") == corr2d_multi_in(X2, K2).flatten().tolist()
    assert grid_numbers(svg, "input1") == X2[1].flatten().tolist()
    assert "= 56" in alt
    svg, _ = one_by_one_example()
    Y = corr2d_multi_in_out(X3, K3)
    for c in range(2):
        assert grid_numbers(svg, f"output{c}") == Y[c].flatten().tolist()


def test_pooling_figures_show_what_pool2d_and_receptive_fields_return():
    from figures.pooling import SIDE, max_pooling_example, receptive_field_growth
    from snippets.conv_layer import X
    from snippets.pooling import pool2d, receptive_fields

    svg, _ = max_pooling_example()
    assert grid_numbers(svg, "output") == pool2d(X, 2, "max", stride=1).flatten().tolist()
    svg, alt = receptive_field_growth()
    layers = torch.tensor(grid_numbers(svg, "layers")).reshape(SIDE, SIDE)
    for n, size in enumerate(receptive_fields([(3, 1)] * 4), start=1):
        # 标着 ≤ n 的格子，正好是中心 size×size 的方块
        inside = (layers <= n).nonzero()
        assert inside.min(0).values.tolist() == [(SIDE - size) // 2] * 2
        assert int((layers <= n).sum()) == size * size
        assert f"{size}×{size}" in alt

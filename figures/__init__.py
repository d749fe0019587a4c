"""由代码生成的图。页面里单独一行 `[[figure 名字]]` 会在构建时被换成这里画出的 SVG
（见 hooks/draw_figures.py）。新章节的图只需在 FIGURES 里登记一个函数。"""

from html import escape

from . import channels, conv_layer, padding_stride, pooling, why_conv

# 名字 -> 函数；函数返回 (svg, alt)
FIGURES = {
    "corr2d-example": conv_layer.corr2d_example,
    "edge-detection": conv_layer.edge_detection,
    "find-pattern": why_conv.find_pattern_example,
    "padding": padding_stride.padding_example,
    "stride": padding_stride.stride_example,
    "two-channels": channels.two_channel_example,
    "one-by-one": channels.one_by_one_example,
    "max-pooling": pooling.max_pooling_example,
    "receptive-field": pooling.receptive_field_growth,
}


def render(name):
    """把图包进 <figure>，题注就是 alt 文字。名字不存在时抛出 ValueError。"""
    if name not in FIGURES:
        raise ValueError(f"未知的图 {name!r}；已有：{', '.join(sorted(FIGURES))}")
    svg, _alt = FIGURES[name]()  # alt 已写进 SVG 的 <title>
    return f'<figure class="cfc-figure" data-figure="{escape(name)}">{svg}</figure>'

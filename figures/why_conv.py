"""《为什么要用卷积》一章的图：在杂乱的场景里找图案。图里的每个方块都是现算的。

响应图的颜色从页面背景渐变到 --cfc-heat（浅色主题是深蓝，深色主题是浅蓝），
两种主题下都是“颜色越浓，响应越大”；图下的色标写明两端的数值。
"""

from snippets.why_conv import RING, RING_SCENE, find_pattern

from .svg import box, label, number, raster, responsive

CELL = 10
STEPS = 8  # 色标分几格


def frame(x, y, width, height, role):
    """给一块像素图或色标镶一圈细边，画在它外面：边框对着的是页面背景，不是像素。"""
    return box(x - 1.5, y - 1.5, width + 3, height + 3, role, "frame")


def legend(x, y, low, high, heat):
    """色标：左端写最小值（低），右端写最大值（高），中间是同一个着色函数画的 STEPS 格。"""
    width = 16
    values = [low + k / (STEPS - 1) * (high - low) for k in range(STEPS)]
    cells = raster([values], x, y, width, "legend", heat)
    # 最高一格标上 data-mark：它就是响应图里最浓的颜色，浏览器测试量它对页面背景的对比度
    last = cells.rfind("<rect ")
    cells = cells[:last] + '<rect data-mark="high" ' + cells[last + len("<rect ") :]
    end = x + STEPS * width
    return "".join(
        [
            label(f"低 {number(low)}", x - 6, y + width / 2, "label end"),
            cells,
            frame(x, y, STEPS * width, width, "legend-frame"),
            label(f"{number(high)} 高", end + 6, y + width / 2, "label start"),
        ]
    )


def find_pattern_example():
    pattern, scene = RING, RING_SCENE
    response, (row, col) = find_pattern(scene, pattern)
    low, high = response.min().item(), response.max().item()
    p_h, p_w = pattern.shape
    s_h, s_w = scene.shape[0] * CELL, scene.shape[1] * CELL
    r_h, r_w = response.shape[0] * CELL, response.shape[1] * CELL
    top = 24

    def pixel(v):
        return ("px ink", 1.0) if v == 0 else ("px paper", 1.0)

    def heat(v):
        return "heat", ((v - low) / (high - low)) ** 2  # 平方拉开对比，峰值更醒目

    def scene_panel(x, y):
        return "".join(
            [
                label("场景（图案藏在其中）", x + s_w / 2, y - 12),
                raster(scene.tolist(), x, y, CELL, "scene", pixel),
                frame(x, y, s_w, s_h, "scene-frame"),
                box(x + col * CELL, y + row * CELL, p_w * CELL, p_h * CELL, "found", "box image"),
            ]
        )

    def response_panel(x, y):
        return "".join(
            [
                label("互相关的响应", x + r_w / 2, y - 12),
                raster(response.tolist(), x, y, CELL, "response", heat),
                frame(x, y, r_w, r_h, "response-frame"),
                box(x + col * CELL, y + row * CELL, CELL, CELL, "peak"),
                legend(x + (r_w - STEPS * 16) / 2, y + r_h + 14, low, high, heat),
            ]
        )

    legend_h = 14 + 16  # 色标与响应图的间距，加上色标的高
    # 宽：左右并排；窄：上下叠放。四周留 2 个单位给镶边
    right = 2 + s_w + 40
    wide = (
        scene_panel(2, top) + response_panel(right, top),
        right + r_w + 2,
        top + max(s_h, r_h + legend_h) + 2,
    )
    below = top + s_h + 40
    narrow = (
        scene_panel(2, top) + response_panel(2 + (s_w - r_w) / 2, below),
        s_w + 4,
        below + r_h + legend_h + 2,
    )
    alt = (
        f"场景：{scene.shape[0]}×{scene.shape[1]} 的随机杂点，"
        f"一个 {p_h}×{p_w} 的环形图案藏在其中，已用方框圈出；"
        f"响应：以图案为卷积核做互相关，颜色越浓响应越大（从 {number(low)} 到 {number(high)}），"
        f"最大值在第 {row} 行第 {col} 列，正是图案左上角的位置。"
    )
    svg = responsive(wide, narrow, alt)
    return svg.replace("<svg ", f'<svg data-peak="{row},{col}" '), alt


FIGURES = {"find-pattern": find_pattern_example}

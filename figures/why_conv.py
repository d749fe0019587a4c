"""《为什么要用卷积》一章的图：在杂乱的场景里找图案。图里的每个方块都是现算的。"""

from snippets.why_conv import RING, RING_SCENE, find_pattern

from .svg import box, document, label, raster

CELL = 10


def find_pattern_example():
    pattern, scene = RING, RING_SCENE
    response, (row, col) = find_pattern(scene, pattern)
    low, high = response.min().item(), response.max().item()
    p_h, p_w = pattern.shape
    gap, top = 40, 24
    right = scene.shape[1] * CELL + gap

    def pixel(v):
        return ("px ink", 1.0) if v == 0 else ("px paper", 1.0)

    def heat(v):
        return "heat", ((v - low) / (high - low)) ** 2  # 平方拉开对比，峰值更醒目

    body = "".join(
        [
            label("场景（图案藏在其中）", scene.shape[1] * CELL / 2, 12),
            raster(scene.tolist(), 0, top, CELL, "scene", pixel),
            label("互相关的响应（越深越像）", right + response.shape[1] * CELL / 2, 12),
            raster(response.tolist(), right, top, CELL, "response", heat),
            box(right + col * CELL, top + row * CELL, CELL, CELL, "peak"),
            box(col * CELL, top + row * CELL, p_w * CELL, p_h * CELL, "found"),
        ]
    )
    alt = (
        f"左：{scene.shape[0]}×{scene.shape[1]} 的随机杂点场景，"
        f"一个 {p_h}×{p_w} 的环形图案藏在其中；"
        f"右：以图案为卷积核做互相关的响应，最大值在第 {row} 行第 {col} 列，"
        f"正是图案左上角的位置，左图中圈出了找到的图案。"
    )
    width = right + response.shape[1] * CELL + 2
    svg = document(width, top + scene.shape[0] * CELL + 2, body, alt)
    return svg.replace("<svg ", f'<svg data-peak="{row},{col}" ', 1), alt


FIGURES = {"find-pattern": find_pattern_example}

"""《从卷积层到卷积网络》一章的图。数都由 snippets.conv_net 现算。"""

from fractions import Fraction

import torch

from snippets.conv_net import grouped_as_dense

from .svg import label, responsive

# ==== 区域 gallery 开始（助手 G） ====
GALLERY_FIGURES = {}
# ==== 区域 gallery 结束 ====


# ==== 区域 groups 开始（助手 B） ====
CHANNELS = 6  # 分组权重图：c_i = c_o = 6
GROUPINGS = (1, 3, 6)  # 不分组、分 3 组、逐深度（groups = c_i）


def slot_groups(c_i, c_o, groups):
    """c_o × c_i 个卷积核位置各属于哪一组；恒为 0 的位置是 None。由 grouped_as_dense 现算。"""
    K = torch.ones(c_o, c_i // groups, 1, 1)  # 每组的卷积核都取 1：不是 0 的位置就是块
    filled = grouped_as_dense(K, groups).flatten(1).ne(0).reshape(c_o, c_i)
    per_group = c_o // groups
    return [[d // per_group if filled[d, c] else None for c in range(c_i)] for d in range(c_o)]


def weight_panel(slots, x, y, cell, role, title, notes):
    """一组分组的权重：c_o × c_i 个格子，有卷积核的按组交替着色，恒为 0 的画成虚线空格。"""
    parts = [label(title, x + len(slots[0]) * cell / 2, y - 16)]
    parts.append(f'<g class="grid" data-role="{role}">')
    for d, row in enumerate(slots):
        for c, group in enumerate(row):
            if group is None:
                cls, data = "cell pad", ""
            else:
                cls, data = f"cell {('pos', 'neg')[group % 2]}", f' data-group="{group}"'
            parts.append(
                f'<rect class="{cls}"{data} x="{x + c * cell}" y="{y + d * cell}" '
                f'width="{cell}" height="{cell}"/>'
            )
    parts.append("</g>")
    bottom = y + len(slots) * cell
    for n, note in enumerate(notes):
        parts.append(label(note, x + len(slots[0]) * cell / 2, bottom + 16 + 20 * n))
    return "".join(parts)


def grouped_weight_example():
    total = CHANNELS * CHANNELS
    panels, described = [], []
    for g in GROUPINGS:
        slots = slot_groups(CHANNELS, CHANNELS, g)
        kernels = sum(s is not None for row in slots for s in row)
        zeros = total - kernels
        notes = [f"{kernels} 个卷积核", f"{zeros} 个恒为 0"]
        panels.append((slots, f"groups{g}", f"groups = {g}", notes))
        block = CHANNELS // g
        described.append(
            f"groups = {g} 时 {kernels} 个格子全有卷积核"
            if kernels == total
            else f"groups = {g} 时只有对角线上 {g} 个 {block}×{block} 的块有卷积核，"
            f"共 {kernels} 个，其余 {zeros} 个恒为 0（占 {Fraction(zeros, total)}）"
        )

    def layout(cell, gap):
        side = CHANNELS * cell
        top = 58  # 上面一行说明，再一行各图的标题
        body = [label("行是输出通道，列是输入通道，每格一个卷积核", 0, 12, "label start")]
        for n, (slots, role, title, notes) in enumerate(panels):
            body.append(weight_panel(slots, 2 + n * (side + gap), top, cell, role, title, notes))
        width = 4 + len(panels) * side + (len(panels) - 1) * gap
        return "".join(body), width, top + side + 16 + 20 + 10

    alt = (
        f"分组卷积的权重：{CHANNELS} 个输入通道、{CHANNELS} 个输出通道，"
        f"画成 {CHANNELS}×{CHANNELS} 的网格，行是输出通道，列是输入通道，每格是一个卷积核，"
        "有卷积核的格子按组着色（相邻两组颜色不同），恒为 0 的格子是虚线空格。"
        f"{'；'.join(described)}。"
    )
    return responsive(layout(30, 48), layout(18, 26), alt), alt


GROUPS_FIGURES = {"grouped-weight": grouped_weight_example}
# ==== 区域 groups 结束 ====


# ==== 区域 count 开始（主会话） ====
COUNT_FIGURES = {}
# ==== 区域 count 结束 ====


FIGURES = {**GALLERY_FIGURES, **GROUPS_FIGURES, **COUNT_FIGURES}

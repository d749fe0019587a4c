"""《从卷积层到卷积网络》一章的图。数都由 snippets.conv_net 现算。"""

from fractions import Fraction

import torch

from snippets.conv_net import count_layers, grouped_as_dense, lenet

from .svg import box, label, responsive

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
SLOT = 80  # 形状条里每一层占的宽度（SVG 单位）：放得下“16×10×10”；窄图一行 5 层正好 400
SCALE = 2  # 特征映射的边长 n 画成 2n 个单位的方块


def lenet_stages():
    """LeNet 里改变形状的各层（激活函数不改形状，略去）：(层的说明, 输出形状)。"""
    names = {"Conv2d": "卷积", "AvgPool2d": "汇聚", "Flatten": "压平", "Linear": "全连接"}
    stages = [("输入", (1, 28, 28))]
    for row in count_layers(lenet(), (1, 28, 28)):
        if row.kind in names:
            stages.append((names[row.kind], row.shape))
    return stages


def stage_mark(shape, x, bottom):
    """一层输出的示意：特征映射画成边长与高宽成比例的方块，向量画成与长度成比例的竖条。"""
    if len(shape) == 3:
        side = shape[1] * SCALE
        return box(x - side / 2, bottom - side, side, side, "map", "frame map")
    height = max(3, shape[0] * 56 / 400)  # 400 维的向量和 28×28 的方块一样高
    return box(x - 4, bottom - height, 8, height, "vector", "frame vector")


def strip(stages, per_row):
    """把各层排成几行，每行至多 per_row 层，层与层之间画箭头。返回 (片段, 宽, 高)。"""
    tallest = 28 * SCALE
    rows = [stages[i : i + per_row] for i in range(0, len(stages), per_row)]
    row_height = tallest + 64
    body = []
    for r, chunk in enumerate(rows):
        top = r * row_height
        for c, (name, shape) in enumerate(chunk):
            x = c * SLOT + SLOT / 2
            bottom = top + 18 + tallest
            body.append(label(name, x, top + 9))
            body.append(stage_mark(shape, x, bottom))
            body.append(label("×".join(str(n) for n in shape), x, bottom + 18, "label shape"))
            if c:
                body.append(label("→", x - SLOT / 2, bottom - tallest / 2, "op arrow"))
    width = min(per_row, len(stages)) * SLOT
    return "".join(body), width, len(rows) * row_height - 18


def lenet_shape_strip():
    stages = lenet_stages()
    shapes = "，".join(f"{name} {'×'.join(map(str, shape))}" for name, shape in stages)
    alt = f"LeNet 逐层的输出形状（激活函数不改变形状，略去）：{shapes}。"
    return responsive(strip(stages, len(stages)), strip(stages, 5), alt), alt


COUNT_FIGURES = {"lenet-shapes": lenet_shape_strip}
# ==== 区域 count 结束 ====


FIGURES = {**GALLERY_FIGURES, **GROUPS_FIGURES, **COUNT_FIGURES}

"""《从卷积层到卷积网络》一章的图。数都由 snippets.conv_net 现算。"""

from snippets.conv_net import count_layers, lenet

from .svg import box, label, responsive

# ==== 区域 gallery 开始（助手 G） ====
GALLERY_FIGURES = {}
# ==== 区域 gallery 结束 ====


# ==== 区域 groups 开始（助手 B） ====
GROUPS_FIGURES = {}
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

"""《从卷积层到卷积网络》一章的图。数都由 snippets.conv_net 现算。"""

from fractions import Fraction
from functools import cache, partial

import torch

from snippets.conv_layer import corr2d
from snippets.conv_net import (
    KERNELS,
    count_layers,
    gray_levels,
    gray_photo,
    grouped_as_dense,
    lenet,
    signed_scale,
)

from .raster import Tile, gallery, webp
from .svg import box, label, responsive

# 图库里每一格的位图（站点里 assets/figures/ 下的文件名）；第一格是输入的照片
INPUT = "输入"
GALLERY_FILES = {
    INPUT: "kernels-input.webp",
    "恒等": "kernels-identity.webp",
    "均值模糊": "kernels-box-blur.webp",
    "高斯模糊": "kernels-gaussian-blur.webp",
    "锐化": "kernels-sharpen.webp",
    "竖边索贝尔": "kernels-sobel-vertical.webp",
    "横边索贝尔": "kernels-sobel-horizontal.webp",
    "拉普拉斯": "kernels-laplacian.webp",
}
# 看得见什么：写进每格的替代文字（数写不出的部分）
SEEN = {
    INPUT: "一座多层的中式楼阁，背后是湖，左右和下方是树，上方是天空",
    "恒等": "与输入看不出差别",
    "均值模糊": "整张图变糊，窗格和树叶的细节看不清",
    "高斯模糊": "也变糊，但比均值模糊轻一些",
    "锐化": "轮廓更硬，窗格和树叶的明暗反差更大",
    "竖边索贝尔": "天空和湖面这类平坦处是中灰，楼阁和树的左右轮廓一侧亮、一侧暗",
    "横边索贝尔": "平坦处是中灰，屋檐、栏杆和湖岸这些横线一侧亮、一侧暗",
    "拉普拉斯": "平坦处是中灰，楼阁的轮廓成了一亮一暗并排的两条细线，窗格和树叶处亮暗相间",
}
PHOTO_CREDIT = "照片：danielbuechele，CC BY 2.0，随 scikit-learn 发布；转灰度、缩小和滤波是本站做的"


@cache
def kernel_outputs():
    """照片和七个卷积核各自的输出（corr2d 逐个位置算）：图库的位图和说明共用这一份。"""
    X = gray_photo()
    return X, {name: corr2d(X, K) for name, K in KERNELS.items()}


def signed(name):
    """元素和为 0 的卷积核：平坦处输出 0，输出有正有负。"""
    return KERNELS[name].sum().item() == 0


def gallery_picture(name):
    """图库里一格的位图（WebP 的字节）。"""
    X, outputs = kernel_outputs()
    if name == INPUT:
        return webp(gray_levels(X, signed=False))
    return webp(gray_levels(outputs[name], signed=signed(name)))


def clipped(Y):
    """不在 0 到 1 之间、画出来被截断成纯黑或纯白的像素所占的比例。"""
    return ((Y < 0) | (Y > 1)).double().mean().item()


def kernel_tile(name, Y):
    h, w = Y.shape
    low, high = Y.min().item(), Y.max().item()
    total = f"元素和 {KERNELS[name].sum().item():g}"
    if signed(name):
        scale = signed_scale(Y)
        how = f"中灰是 0，±{scale:.2f} 画成纯白、纯黑，越亮越正、越暗越负"
    else:
        how = "0 为黑、1 为白"
        if clipped(Y):
            how += f"，超出 0 到 1 的 {clipped(Y):.0%} 的像素画成纯黑或纯白"
    alt = f"{name}（{total}）的输出，{h}×{w}，取值 {low:.2f} 到 {high:.2f}，{how}：{SEEN[name]}。"
    return Tile(GALLERY_FILES[name], alt, name, total, w, h)


def kernel_gallery():
    X, outputs = kernel_outputs()
    h, w = X.shape
    o_h, o_w = next(iter(outputs.values())).shape
    photo = Tile(
        GALLERY_FILES[INPUT],
        f"输入：scikit-learn 自带的照片 china.jpg 转成灰度、缩小到 {h}×{w}：{SEEN[INPUT]}。",
        INPUT,
        f"{h}×{w}",
        w,
        h,
    )
    tiles = [photo, *(kernel_tile(name, Y) for name, Y in outputs.items())]
    ones = [name for name in KERNELS if not signed(name)]
    zeros = [name for name in KERNELS if signed(name)]
    scales = "、".join(f"{signed_scale(outputs[name]):.2f}" for name in zeros)
    caption = (
        f"一张 {h}×{w} 的灰度照片分别与 {len(KERNELS)} 个 3×3 卷积核做互相关，"
        f"输出都是 {o_h}×{o_w}。"
        f"元素和为 1 的 {len(ones)} 个（{'、'.join(ones)}）按 0 黑、1 白画，锐化有 "
        f"{clipped(outputs['锐化']):.0%} 的像素超出这个范围，截断成纯黑或纯白；"
        f"元素和为 0 的 {len(zeros)} 个（{'、'.join(zeros)}）输出有正有负：0 画成中灰，"
        f"各按自己绝对值的第 99 百分位数（依次为 {scales}）画成纯白、纯黑，"
        f"更大的 1% 截断。{PHOTO_CREDIT}。"
    )
    return gallery(tiles, caption), caption


GALLERY_IMAGES = {file: partial(gallery_picture, name) for name, file in GALLERY_FILES.items()}
GALLERY_FIGURES = {"kernel-gallery": kernel_gallery}


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


SLOT = 76  # 形状条里每一层占的宽度（SVG 单位）：放得下“16×10×10”
MARGIN = 20  # 分行时左边留给行首箭头的宽度；窄图 20 + 5 × 76 正好 400
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
    height = max(6, shape[0] * 56 / 400)  # 400 维的向量和 28×28 的方块一样高；最短 6，不像一道划痕
    return box(x - 4, bottom - height, 8, height, "vector", "frame vector")


def strip(stages, per_row):
    """把各层排成几行，每行至多 per_row 层，层与层之间画箭头。返回 (片段, 宽, 高)。

    分成几行时，左边留出 MARGIN：换行后的第一层前面也画一个箭头，接上一行。
    """
    tallest = 28 * SCALE
    rows = [stages[i : i + per_row] for i in range(0, len(stages), per_row)]
    margin = MARGIN if len(rows) > 1 else 0
    row_height = tallest + 64
    body = []
    for r, chunk in enumerate(rows):
        top = r * row_height
        for c, (name, shape) in enumerate(chunk):
            x = margin + c * SLOT + SLOT / 2
            bottom = top + 18 + tallest
            body.append(label(name, x, top + 9))
            body.append(stage_mark(shape, x, bottom))
            body.append(label("×".join(str(n) for n in shape), x, bottom + 18, "label shape"))
            if c or r:
                arrow_x = x - SLOT / 2 if c else margin / 2
                body.append(label("→", arrow_x, bottom - tallest / 2, "op arrow"))
    width = margin + min(per_row, len(stages)) * SLOT
    return "".join(body), width, len(rows) * row_height - 18


def lenet_shape_strip():
    stages = lenet_stages()
    shapes = "，".join(f"{name} {'×'.join(map(str, shape))}" for name, shape in stages)
    alt = f"LeNet 逐层的输出形状（激活函数不改变形状，略去）：{shapes}。"
    return responsive(strip(stages, len(stages)), strip(stages, 5), alt), alt


COUNT_FIGURES = {"lenet-shapes": lenet_shape_strip}


FIGURES = {**GALLERY_FIGURES, **GROUPS_FIGURES, **COUNT_FIGURES}
IMAGES = GALLERY_IMAGES  # 位图只有图库用（figures/raster.py）

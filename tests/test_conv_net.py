"""snippets/conv_net.py 和 figures/conv_net.py 的测试。"""

import io
import re
from fractions import Fraction
from html import unescape

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from badinput import (
    Spec,
    boolean,
    integer,
    pair,
    params,
    raises_value_error_matching,
    raises_value_error_naming,
    tensor,
)
from examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from sklearn.datasets import load_sample_image
from svgread import SVG, layouts
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import figures
from figures.conv_net import (
    CHANNELS,
    GALLERY_FILES,
    GROUPINGS,
    INPUT,
    SEEN,
    grouped_weight_example,
    kernel_gallery,
    kernel_outputs,
    lenet_shape_strip,
)
from figures.raster import IMAGE_DIR
from snippets.channels import conv_cost
from snippets.conv_layer import convolve2d, corr2d
from snippets.conv_net import (
    KERNELS,
    LUMA,
    SAMPLE_PHOTOS,
    K_negated_sobel,
    X_small,
    basic_cnn,
    conv2d_grouped,
    conv3x3_relu,
    count_layers,
    deep_narrow,
    depthwise_separable,
    gray_levels,
    gray_photo,
    grouped_as_dense,
    grouped_conv_cost,
    layer_macs,
    lenet,
    mlp_for_cifar,
    plain_block,
    separable_block,
    separable_cnn,
    shallow_wide,
    show_counts,
    signed_scale,
)
from snippets.padding_and_strides import conv_output_shape
from snippets.tables import display_width

# 卷积核看见了什么：灰度照片、七个卷积核、画图用的灰度，以及照片图库（figures/conv_net.py）
PHOTO_SIDE = 427  # 两张自带照片都是 427×640


@pytest.mark.parametrize("name", SAMPLE_PHOTOS)
def test_gray_photo_weighs_the_colours_as_pillow_does(name):
    """factor=1 时就是 Pillow 的 convert("L")（它把同一组权重算成整数，差不到半个灰阶）。"""
    pillow = torch.from_numpy(
        np.asarray(Image.fromarray(load_sample_image(name)).convert("L")).copy()
    ).float()
    gray = gray_photo(name, factor=1)
    assert gray.shape == (PHOTO_SIDE, 640) and gray.dtype == torch.float32
    assert (gray * 255 - pillow).abs().max() <= 0.5 + 1e-4
    assert LUMA == (0.299, 0.587, 0.114) and sum(LUMA) == pytest.approx(1)


@pytest.mark.parametrize("factor", [1, 2, 3, 4, 7, 50, PHOTO_SIDE])
def test_gray_photo_shrinks_by_averaging_whole_blocks(factor):
    """与逐块求平均（reshape 后取均值，不经过汇聚层）对照；除不尽的边上几行几列舍去。"""
    gray = gray_photo("flower.jpg", factor=1).double()
    h, w = PHOTO_SIDE // factor, 640 // factor
    blocks = gray[: h * factor, : w * factor].reshape(h, factor, w, factor).mean(dim=(1, 3))
    shrunk = gray_photo("flower.jpg", factor)
    assert shrunk.shape == (h, w)
    # float32 逐块累加的舍入误差随块变大而变大；一个灰阶是 1/255 ≈ 0.004
    torch.testing.assert_close(shrunk.double(), blocks, atol=5e-4, rtol=0)
    assert shrunk.min() >= 0 and shrunk.max() <= 1


def test_the_page_photo_is_the_china_picture_shrunk_four_times():
    assert gray_photo().shape == (106, 160)
    torch.testing.assert_close(gray_photo(), gray_photo("china.jpg", 4))


@st.composite
def gallery_case(draw):
    """随机的输入（高、宽从 3 起：要放得下 3×3 的卷积核）、dtype 和一个卷积核。"""
    h, w = draw(st.integers(3, 9)), draw(st.integers(3, 9))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    return torch.randn(h, w, generator=gen, dtype=dtype), draw(st.sampled_from(sorted(KERNELS)))


@settings(max_examples=examples(200))
@given(case=gallery_case())
def test_each_kernel_through_corr2d_equals_torch_conv2d(case):
    X, name = case
    K = KERNELS[name].to(X.dtype)
    expected = F.conv2d(X[None, None], K[None, None])[0, 0]
    torch.testing.assert_close(corr2d(X, K), expected)
    # 严格卷积：对称的卷积核与互相关相同，反对称的（索贝尔算子）差一个负号
    sign = 1 if torch.equal(K.flip(0, 1), K) else -1
    torch.testing.assert_close(convolve2d(X, K), sign * expected)


@settings(max_examples=examples(200))
@given(
    value=st.floats(-10, 10, allow_nan=False),
    h=st.integers(3, 7),
    w=st.integers(3, 7),
    name=st.sampled_from(sorted(KERNELS)),
)
def test_on_a_flat_region_the_output_is_the_value_times_the_kernel_sum(value, h, w, name):
    K = KERNELS[name]
    Y = corr2d(torch.full((h, w), value, dtype=torch.float64), K.double())
    torch.testing.assert_close(Y, torch.full_like(Y, value * K.sum().item()))


def test_the_kernels_are_what_the_page_says():
    assert list(KERNELS) == [n for n in GALLERY_FILES if n != INPUT] == [n for n in SEEN][1:]
    for K in KERNELS.values():
        assert K.shape == (3, 3) and K.dtype == torch.float32
    sums = {name: K.sum().item() for name, K in KERNELS.items()}
    assert sums == pytest.approx({name: 1.0 if i < 4 else 0.0 for i, name in enumerate(KERNELS)})
    # 模糊的卷积核元素都不小于 0（加权平均）；锐化有负的元素
    assert all((KERNELS[n] >= 0).all() for n in ("恒等", "均值模糊", "高斯模糊"))
    assert (KERNELS["锐化"] < 0).any()
    torch.testing.assert_close(K_negated_sobel, -KERNELS["竖边索贝尔"])


def test_the_small_example_from_the_page():
    assert corr2d(X_small, K_negated_sobel).tolist() == [[1.0, -8.0], [10.0, -8.0]]
    assert convolve2d(X_small, K_negated_sobel).tolist() == [[-1.0, 8.0], [-10.0, 8.0]]
    torch.testing.assert_close(
        F.conv2d(X_small[None, None], K_negated_sobel[None, None])[0, 0],
        corr2d(X_small, K_negated_sobel),
    )


@settings(max_examples=examples(200))
@given(
    h=st.integers(1, 6),
    w=st.integers(1, 6),
    seed=st.integers(0, 2**31),
    dtype=st.sampled_from([torch.float32, torch.float64]),
    scale=st.sampled_from([0.0, 1e-3, 1.0, 50.0]),
)
def test_gray_levels_put_zero_at_mid_gray_and_keep_the_order(h, w, seed, dtype, scale):
    Y = torch.randn(h, w, generator=torch.Generator().manual_seed(seed), dtype=dtype) * scale
    for signed in (False, True):
        levels = gray_levels(Y, signed=signed)
        assert levels.dtype == torch.uint8 and levels.shape == Y.shape
        order = Y.flatten().argsort()  # 数越大，画得越白（不会更暗）
        assert (levels.flatten()[order].diff() >= 0).all()
    signed = gray_levels(Y, signed=True).int()
    assert ((signed > 128) <= (Y > 0)).all() and ((signed < 128) <= (Y < 0)).all()
    assert (signed[Y == 0] == 128).all()
    if scale:  # 绝对值最大的那个数画成纯黑或纯白
        peak = Y.abs().argmax()
        assert signed.flatten()[peak] in (0, 255)
    plain = gray_levels(Y, signed=False).double()
    inside = (Y >= 0) & (Y <= 1)
    assert ((plain[inside] - Y[inside].double() * 255).abs() <= 0.5 + 1e-6).all()
    assert (plain[Y < 0] == 0).all() and (plain[Y > 1] == 255).all()


def test_signed_scale_ignores_the_top_percent_unless_almost_everything_is_zero():
    Y = torch.linspace(-1, 1, 201).reshape(3, 67)
    Y[0, 0] = -100.0  # 一个极端的像素不该决定整张图的对比度
    assert signed_scale(Y) == pytest.approx(Y.abs().flatten().quantile(0.99).item())
    assert signed_scale(Y) < 1.0
    sparse = torch.zeros(20, 20)
    sparse[3, 4] = -0.25  # 不为 0 的不到 1%：第 99 百分位数是 0，退回最大的绝对值
    assert signed_scale(sparse) == 0.25
    assert gray_levels(sparse, signed=True)[3, 4] == 0


GALLERY_SPECS = [
    Spec(signed_scale, {"Y": torch.ones(2, 2)}, {"Y": tensor(2)}),
    Spec(
        gray_photo,
        {"name": "china.jpg", "factor": 4},
        {
            "name": {"不是自带的照片": ["lena.jpg", "CHINA.JPG", "", None, 3, ["china.jpg"]]},
            "factor": integer(maximum=PHOTO_SIDE),
        },
    ),
    Spec(
        gray_levels,
        {"Y": torch.ones(2, 2), "signed": True},
        {"Y": tensor(2), "signed": boolean()},
    ),
]
GALLERY_MISFITS = [
    (lambda: gray_photo("lena.jpg"), "name 应为 china.jpg 或 flower.jpg，得到 'lena.jpg'"),
    (lambda: gray_photo(factor=428), "factor 应为 1 到 427 之间的整数，得到 428"),
]


# —— 图库：位图和说明里的数都来自上面这些函数 ——

TILE = re.compile(
    r'<img src="([^"]+)" alt="([^"]*)" width="(\d+)" height="(\d+)" '
    r'loading="lazy" decoding="async">'
)


def tiles(html):
    """图库 HTML 里的每一格：(地址, 替代文字, 宽, 高)。"""
    return [(src, unescape(alt), int(w), int(h)) for src, alt, w, h in TILE.findall(html)]


def decoded(data):
    """WebP 的字节 -> 灰度（0 到 255 的整数张量）。"""
    return torch.from_numpy(np.asarray(Image.open(io.BytesIO(data)).convert("L")).copy()).int()


def test_the_gallery_shows_the_photo_and_each_kernels_output():
    photo = gray_photo()
    html, caption = kernel_gallery()
    found = tiles(html)
    assert [src for src, *_ in found] == [f"{IMAGE_DIR}/{f}" for f in GALLERY_FILES.values()]
    assert [(w, h) for *_, w, h in found] == [(160, 106)] + [(158, 104)] * len(KERNELS)
    for (_, alt, _, _), name in zip(found[1:], KERNELS, strict=True):
        # 与 F.conv2d 直接算出的输出对照：图上的数就是这张照片过这个卷积核的结果
        Y = F.conv2d(photo[None, None], KERNELS[name][None, None])[0, 0]
        assert alt.startswith(f"{name}（元素和 {KERNELS[name].sum().item():g}）的输出，104×158")
        assert f"取值 {Y.min().item():.2f} 到 {Y.max().item():.2f}" in alt
        assert SEEN[name] in alt
        if KERNELS[name].sum().item() == 0:
            scale = Y.abs().flatten().quantile(0.99).item()  # 第 99 百分位数画成纯白、纯黑
            assert f"±{scale:.2f} 画成纯白、纯黑" in alt
            assert f"{scale:.2f}" in caption
    sharpened = corr2d(photo, KERNELS["锐化"])
    outside = ((sharpened < 0) | (sharpened > 1)).double().mean().item()
    assert f"锐化有 {outside:.0%} 的像素超出" in caption and "CC BY 2.0" in caption
    assert all(alt and "\n" not in alt for _, alt, _, _ in found)


def test_each_gallery_picture_is_the_output_drawn_by_gray_levels():
    photo, outputs = kernel_outputs()
    torch.testing.assert_close(photo, gray_photo())
    wanted = {INPUT: gray_levels(photo, signed=False)} | {
        name: gray_levels(Y, signed=KERNELS[name].sum().item() == 0) for name, Y in outputs.items()
    }
    for name, file in GALLERY_FILES.items():
        data = figures.IMAGES[file]()
        assert data == figures.IMAGES[file](), "同样的代码应画出逐字节相同的文件"
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        error = (decoded(data) - wanted[name].int()).abs().double()
        assert error.mean() < 2 and error.max() <= 48, name  # 有损压缩：平均差不到 2 个灰阶


def test_the_gallery_pictures_together_stay_under_150_kb():
    total = sum(len(figures.IMAGES[file]()) for file in GALLERY_FILES.values())
    assert total <= 150_000


def test_the_built_page_serves_every_gallery_picture_with_alt_text(built_site):
    page = built_site / "conv-net" / "index.html"
    html = page.read_text(encoding="utf-8")
    figure = re.search(
        r'<figure class="cfc-figure" data-figure="kernel-gallery">.*?</figure>', html, re.S
    )
    found = tiles(figure.group(0))
    assert len(found) == len(GALLERY_FILES)
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) == len(found), "这一页的图片都在图库里"
    total = 0
    for src, alt, _, _ in found:
        assert src.startswith("../assets/figures/") and alt.strip()
        file = (page.parent / src).resolve()
        assert file.is_file() and file.read_bytes() == figures.IMAGES[file.name]()
        total += file.stat().st_size
    assert total <= 150_000
    _, caption = kernel_gallery()
    assert f"<figcaption>{caption}</figcaption>" in html.replace("\n", "")


@st.composite
def grouped_case(draw):
    """随机的分组卷积：groups 从 1 起，每组的输入、输出通道数从 1 起，窗口最大到和输入一样大。"""
    groups = draw(st.integers(1, 4))
    c_i, c_o = groups * draw(st.integers(1, 3)), groups * draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    k_h, k_w = draw(st.integers(1, h)), draw(st.integers(1, w))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    X = torch.randn(c_i, h, w, generator=gen, dtype=dtype)
    K = torch.randn(c_o, c_i // groups, k_h, k_w, generator=gen, dtype=dtype)
    bias = torch.randn(c_o, generator=gen, dtype=dtype) if draw(st.booleans()) else None
    return X, K, groups, bias


@settings(max_examples=examples(200))
@given(grouped_case())
def test_conv2d_grouped_equals_conv2d_with_groups(case):
    X, K, groups, bias = case
    expected = F.conv2d(X[None], K, bias, groups=groups)[0]
    torch.testing.assert_close(conv2d_grouped(X, K, groups, bias), expected)


@settings(max_examples=examples(200))
@given(grouped_case())
def test_the_dense_weight_gives_the_same_convolution_and_is_zero_off_the_blocks(case):
    X, K, groups, _ = case
    dense = grouped_as_dense(K, groups)
    assert dense.shape == (K.shape[0], X.shape[0], *K.shape[2:]) and dense.dtype == K.dtype
    expected = F.conv2d(X[None], K, groups=groups)
    torch.testing.assert_close(F.conv2d(X[None], dense), expected)
    # 块对角：第 d 个输出通道只在自己那组的输入通道上有卷积核
    out_group = torch.arange(K.shape[0]) // (K.shape[0] // groups)
    in_group = torch.arange(X.shape[0]) // K.shape[1]
    inside = out_group[:, None] == in_group[None, :]
    assert (dense[~inside] == 0).all()
    torch.testing.assert_close(dense[inside], K.reshape(-1, *K.shape[2:]), rtol=0, atol=0)
    assert Fraction(int((~inside).sum()), inside.numel()) == 1 - Fraction(1, groups)


@pytest.mark.parametrize("dtype", [torch.int64, torch.uint8, torch.bool])
def test_grouped_as_dense_only_moves_values_so_any_dtype_works(dtype):
    K = torch.arange(1, 9).reshape(4, 2, 1, 1).to(dtype)
    dense = grouped_as_dense(K, 2)
    assert dense.dtype == dtype and dense.shape == (4, 4, 1, 1)
    assert torch.equal(dense[:2, :2], K[:2]) and torch.equal(dense[2:, 2:], K[2:])
    assert not dense[:2, 2:].any() and not dense[2:, :2].any()


@st.composite
def separable_case(draw):
    c_i, c_o = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    k_h, k_w = draw(st.integers(1, h)), draw(st.integers(1, w))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    X = torch.randn(c_i, h, w, generator=gen, dtype=dtype)
    K_depth = torch.randn(c_i, 1, k_h, k_w, generator=gen, dtype=dtype)
    K_point = torch.randn(c_o, c_i, 1, 1, generator=gen, dtype=dtype)
    return X, K_depth, K_point


@settings(max_examples=examples(200))
@given(separable_case())
def test_depthwise_separable_equals_two_torch_convolutions(case):
    X, K_depth, K_point = case
    depthwise = F.conv2d(X[None], K_depth, groups=X.shape[0])
    expected = F.conv2d(depthwise, K_point)[0]
    torch.testing.assert_close(depthwise_separable(X, K_depth, K_point), expected)


@pytest.mark.parametrize(
    "dtypes",
    [
        (torch.float32, torch.float64, torch.float32),  # 只有 K_depth 是 float64
        (torch.float32, torch.float32, torch.float64),  # 只有 K_point 是 float64
        (torch.float64, torch.float32, torch.float32),  # 只有 X 是 float64
    ],
)
def test_depthwise_separable_with_mixed_dtypes_follows_the_wider_one(dtypes):
    """与 corr2d 一样，三个张量的 dtype 不同时按 torch.result_type 提升，不抛 RuntimeError。"""
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(3, 5, 5, generator=gen).to(dtypes[0])
    K_depth = torch.randn(3, 1, 2, 2, generator=gen).to(dtypes[1])
    K_point = torch.randn(4, 3, 1, 1, generator=gen).to(dtypes[2])
    Y = depthwise_separable(X, K_depth, K_point)
    assert Y.dtype == torch.float64
    X64, K_depth64, K_point64 = X.double(), K_depth.double(), K_point.double()
    expected = F.conv2d(F.conv2d(X64[None], K_depth64, groups=3), K_point64)[0]
    # 逐深度那一步可能是 float32 算的，所以只按 float32 的精度比
    torch.testing.assert_close(Y, expected, rtol=1.3e-6, atol=1e-5)


def test_depthwise_separable_is_a_standard_convolution_with_a_factored_kernel():
    """合成的卷积核 [d, c] = K_point[d, c]·K_depth[c]：

    每个输入通道的空间形状对所有输出通道都一样，只差一个倍数。
    """
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(3, 6, 6, generator=gen, dtype=torch.float64)
    K_depth = torch.randn(3, 1, 3, 3, generator=gen, dtype=torch.float64)
    K_point = torch.randn(5, 3, 1, 1, generator=gen, dtype=torch.float64)
    combined = K_point * K_depth[:, 0][None]  # (5, 3, 3, 3)
    expected = F.conv2d(X[None], combined)[0]
    torch.testing.assert_close(depthwise_separable(X, K_depth, K_point), expected)


def unfold_macs(c_in, c_out, k, out, groups):
    """独立地数乘加：每组做一次矩阵乘法，

    (c_out/g, c_in/g·k_h·k_w) 乘 (c_in/g·k_h·k_w, 输出像素数)。
    """
    k_h, k_w = (k, k) if isinstance(k, int) else k
    o_h, o_w = (out, out) if isinstance(out, int) else out
    columns = F.unfold(torch.zeros(1, c_in // groups, o_h + k_h - 1, o_w + k_w - 1), (k_h, k_w))
    return groups * (c_out // groups) * columns.shape[1] * columns.shape[2]


@pytest.mark.parametrize(
    ("c_in", "c_out", "k", "out", "groups"),
    [
        (3, 64, 3, 224, 1),
        (32, 32, 3, 112, 32),
        (128, 256, 1, 28, 1),
        (64, 128, 3, 56, 4),
        (6, 9, (3, 1), (4, 7), 3),
        (4, 4, 1, 1, 2),
    ],
)
def test_grouped_conv_cost_matches_nn_conv2d_and_unfold(c_in, c_out, k, out, groups):
    for bias in (True, False):
        layer = torch.nn.Conv2d(c_in, c_out, k, groups=groups, bias=bias)
        params, macs = grouped_conv_cost(c_in, c_out, k, out, groups, bias)
        assert params == sum(p.numel() for p in layer.parameters())
        assert macs == unfold_macs(c_in, c_out, k, out, groups)
    assert grouped_conv_cost(c_in, c_out, k, out) == conv_cost(c_in, c_out, k, out)


@pytest.mark.parametrize(("c_i", "c_o"), [(32, 64), (128, 128), (512, 512), (16, 3), (5, 1)])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_separable_cost_ratio_is_one_over_c_o_plus_one_over_k_squared(c_i, c_o, k):
    standard = grouped_conv_cost(c_i, c_o, k, 14, bias=False)
    depthwise = grouped_conv_cost(c_i, c_i, k, 14, groups=c_i, bias=False)
    pointwise = grouped_conv_cost(c_i, c_o, 1, 14, bias=False)
    for part in (0, 1):  # 参数和乘加
        ratio = Fraction(depthwise[part] + pointwise[part], standard[part])
        assert ratio == Fraction(1, c_o) + Fraction(1, k * k)


GROUPED_SPECS = [
    Spec(
        conv2d_grouped,
        {"X": torch.ones(4, 3, 3), "K": torch.ones(2, 2, 2, 2), "groups": 2},
        {
            "X": tensor(3),
            "K": tensor(4),
            "groups": integer(),
            # bias=None 是合法的（不加偏置），其余坏值照旧
            "bias": {k: [v for v in vs if v is not None] for k, vs in tensor(1).items()},
        },
    ),
    Spec(
        grouped_as_dense,
        {"K": torch.ones(4, 1, 2, 2), "groups": 2},
        {"K": tensor(4, floating=False), "groups": integer()},
    ),
    Spec(
        depthwise_separable,
        {
            "X": torch.ones(2, 3, 3),
            "K_depth": torch.ones(2, 1, 2, 2),
            "K_point": torch.ones(3, 2, 1, 1),
        },
        {"X": tensor(3), "K_depth": tensor(4), "K_point": tensor(4)},
    ),
    Spec(
        grouped_conv_cost,
        {"c_in": 4, "c_out": 6, "kernel_size": 3, "out_size": 5, "groups": 2},
        {
            "c_in": integer(),
            "c_out": integer(),
            "kernel_size": pair(),
            "out_size": pair(),
            "groups": integer(),
            "bias": boolean(),
        },
    ),
]
GROUPED_MISFITS = [
    # 通道数不能被 groups 整除：输入、输出各一边
    (
        lambda: conv2d_grouped(torch.ones(5, 3, 3), torch.ones(2, 2, 2, 2), 2),
        "^conv2d_grouped: 输入 X 有 5 个通道，不能被 groups = 2 整除$",
    ),
    (
        lambda: conv2d_grouped(torch.ones(4, 3, 3), torch.ones(3, 2, 2, 2), 2),
        "^conv2d_grouped: K 有 3 个输出通道，不能被 groups = 2 整除$",
    ),
    # groups 比通道数还大
    (
        lambda: conv2d_grouped(torch.ones(2, 3, 3), torch.ones(4, 1, 2, 2), 4),
        "输入 X 有 2 个通道，不能被 groups = 4 整除",
    ),
    # 卷积核的第二维不是 c_i / groups：多了、少了、忘了除以 groups
    (
        lambda: conv2d_grouped(torch.ones(4, 3, 3), torch.ones(2, 4, 2, 2), 2),
        r"K 每组应有 4 / 2 = 2 个输入通道，得到 4（形状 \(2, 4, 2, 2\)）",
    ),
    (
        lambda: conv2d_grouped(torch.ones(6, 3, 3), torch.ones(3, 1, 2, 2), 3),
        "K 每组应有 6 / 3 = 2 个输入通道，得到 1",
    ),
    # 卷积核放不进输入：高、宽各坏一边
    (
        lambda: conv2d_grouped(torch.ones(2, 3, 3), torch.ones(2, 1, 4, 1), 2),
        r"^conv2d_grouped: 卷积核 \(4, 1\) 放不进输入 \(3, 3\)$",
    ),
    (
        lambda: conv2d_grouped(torch.ones(2, 3, 3), torch.ones(2, 1, 1, 4), 2),
        r"卷积核 \(1, 4\) 放不进输入 \(3, 3\)",
    ),
    # 循环的总步数把每一组都算上：每组各自在上限以内也不行
    (
        lambda: conv2d_grouped(torch.ones(2, 250, 250), torch.ones(2, 1, 1, 1), 2),
        r"^conv2d_grouped: 要循环 125000 步.*请改用 torch.nn.functional.conv2d\(\.\.\., "
        r"groups=\.\.\.\)$",
    ),
    (
        lambda: conv2d_grouped(torch.ones(4, 3, 3), torch.ones(2, 2, 2, 2), 2, bias=torch.ones(3)),
        "^conv2d_grouped: bias 应有 2 个数（每个输出通道一个），得到 3$",
    ),
    (
        lambda: grouped_as_dense(torch.ones(3, 2, 1, 1), 2),
        "^grouped_as_dense: K 有 3 个输出通道，不能被 groups = 2 整除$",
    ),
    (
        lambda: grouped_as_dense(torch.ones(4000, 1, 1, 1), 4000),
        r"^grouped_as_dense: 要新建 16000000 个元素.*groups=\.\.\.\)$",
    ),
    # 深度可分离：逐深度的卷积核必须每个输入通道正好一张
    (
        lambda: depthwise_separable(
            torch.ones(2, 3, 3), torch.ones(2, 2, 2, 2), torch.ones(1, 2, 1, 1)
        ),
        "^depthwise_separable: K_depth 每组应有 2 / 2 = 1 个输入通道，得到 2",
    ),
    (
        lambda: depthwise_separable(
            torch.ones(2, 3, 3), torch.ones(4, 1, 2, 2), torch.ones(1, 2, 1, 1)
        ),
        "^depthwise_separable: K_depth 应有 2 个卷积核（每个输入通道一个），得到 4$",
    ),
    (
        lambda: depthwise_separable(
            torch.ones(2, 3, 3), torch.ones(3, 1, 2, 2), torch.ones(1, 2, 1, 1)
        ),
        "^depthwise_separable: K_depth 有 3 个输出通道，不能被 groups = 2 整除$",
    ),
    (
        lambda: depthwise_separable(
            torch.ones(2, 3, 3), torch.ones(2, 1, 4, 2), torch.ones(1, 2, 1, 1)
        ),
        r"^depthwise_separable: 卷积核 \(4, 2\) 放不进输入 \(3, 3\)$",
    ),
    (
        lambda: depthwise_separable(
            torch.ones(2, 3, 3), torch.ones(2, 1, 2, 2), torch.ones(1, 3, 1, 1)
        ),
        r"^depthwise_separable: K_point 应为 \(c_o, 2, 1, 1\)，得到 \(1, 3, 1, 1\)$",
    ),
    (
        lambda: depthwise_separable(
            torch.ones(2, 3, 3), torch.ones(2, 1, 2, 2), torch.ones(1, 2, 2, 1)
        ),
        r"K_point 应为 \(c_o, 2, 1, 1\)，得到 \(1, 2, 2, 1\)",
    ),
    (
        lambda: depthwise_separable(
            torch.ones(2, 3, 3), torch.ones(2, 1, 2, 2), torch.ones(1, 2, 1, 2)
        ),
        r"K_point 应为 \(c_o, 2, 1, 1\)，得到 \(1, 2, 1, 2\)",
    ),
    (
        lambda: grouped_conv_cost(5, 6, 3, 4, groups=2),
        "^grouped_conv_cost: c_in = 5 不能被 groups = 2 整除$",
    ),
    (
        lambda: grouped_conv_cost(4, 7, 3, 4, groups=2),
        "^grouped_conv_cost: c_out = 7 不能被 groups = 2 整除$",
    ),
]


def figure_slots(svg, role):
    """从图里读出一组权重：每个格子是否有卷积核、属于哪一组（None 是恒为 0 的空格）。"""
    found = []
    for root in layouts(svg):
        (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-role") == role]
        cells = list(group.iter(f"{SVG}rect"))
        for rect in cells:  # 有卷积核的格子着色，空格画成虚线
            assert ("pad" in rect.get("class")) == (rect.get("data-group") is None)
        found.append(
            [None if r.get("data-group") is None else int(r.get("data-group")) for r in cells]
        )
    assert found and all(f == found[0] for f in found), f"{role} 在两份图上不一样"
    return found[0]


@pytest.mark.parametrize("groups", GROUPINGS)
def test_grouped_weight_figure_shows_what_grouped_as_dense_returns(groups):
    svg, alt = grouped_weight_example()
    gen = torch.Generator().manual_seed(groups)
    K = torch.randn(CHANNELS, CHANNELS // groups, 3, 3, generator=gen)
    filled = grouped_as_dense(K, groups).flatten(2).ne(0).any(dim=2).flatten()
    shown = figure_slots(svg, f"groups{groups}")
    assert [s is not None for s in shown] == filled.tolist()
    # 组号：输出通道 d 属于第 d // (c_o/groups) 组
    per_group = CHANNELS // groups
    expected = [d // per_group for d in range(CHANNELS) for _ in range(CHANNELS)]
    assert [s for s in shown if s is not None] == [
        e for e, f in zip(expected, filled.tolist(), strict=True) if f
    ]
    kernels, zeros = int(filled.sum()), CHANNELS * CHANNELS - int(filled.sum())
    assert f"{kernels} 个卷积核" in svg and f"{zeros} 个恒为 0" in svg
    assert f"groups = {groups} 时" in alt
    if zeros:
        assert f"其余 {zeros} 个恒为 0（占 {Fraction(zeros, CHANNELS * CHANNELS)}）" in alt
        assert Fraction(zeros, CHANNELS * CHANNELS) == 1 - Fraction(1, groups)


# 逐层统计：与 PyTorch 自己的 FLOP 计数器（torch.utils.flop_counter，一次乘加记 2 次）和
# 前几章的公式对照；钩子用完必须摘掉；图上的形状就是 count_layers 报出的形状。

NETWORKS = [
    (lenet, (1, 28, 28)),
    (mlp_for_cifar, (3, 32, 32)),
    (basic_cnn, (3, 32, 32)),
    (separable_cnn, (3, 32, 32)),
    (shallow_wide, (3, 32, 32)),
    (deep_narrow, (3, 32, 32)),
]


def torch_macs(model, input_shape):
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(torch.zeros(1, *input_shape))
    return counter.get_total_flops() // 2


@pytest.mark.parametrize(
    ("make", "input_shape"), NETWORKS, ids=lambda v: getattr(v, "__name__", "")
)
def test_counts_agree_with_parameters_and_torch_flop_counter(make, input_shape):
    net = make()
    rows = count_layers(net, input_shape)
    assert sum(r.params for r in rows) == sum(p.numel() for p in net.parameters())
    assert sum(r.macs for r in rows) == torch_macs(net, input_shape)
    assert rows[-1].shape == tuple(net(torch.zeros(1, *input_shape)).shape[1:])
    assert not any(m._forward_hooks for m in net.modules())  # 钩子都摘掉了


@st.composite
def conv_layer_case(draw):
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 3)), groups * draw(st.integers(1, 3))
    k_h, k_w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    pad = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    n_h, n_w = k_h + draw(st.integers(0, 6)), k_w + draw(st.integers(0, 6))
    bias = draw(st.booleans())
    layer = nn.Conv2d(c_in, c_out, (k_h, k_w), stride, pad, groups=groups, bias=bias)
    return layer, (c_in, n_h, n_w)


@settings(max_examples=examples(200), deadline=None)
@given(case=conv_layer_case())
def test_a_conv_layer_counts_as_the_closed_forms_say(case):
    layer, (c_in, n_h, n_w) = case
    (row,) = count_layers(layer, (c_in, n_h, n_w))
    k_h, k_w = layer.kernel_size
    o_h = conv_output_shape(n_h, k_h, layer.padding[0], layer.stride[0])
    o_w = conv_output_shape(n_w, k_w, layer.padding[1], layer.stride[1])
    assert row.shape == (layer.out_channels, o_h, o_w)
    per_output = c_in // layer.groups * k_h * k_w
    assert (
        row.macs
        == layer.out_channels * o_h * o_w * per_output
        == torch_macs(layer, (c_in, n_h, n_w))
    )
    assert row.params == layer.out_channels * per_output + (
        layer.out_channels if layer.bias is not None else 0
    )
    if layer.groups == 1 and layer.bias is not None:
        assert (row.params, row.macs) == conv_cost(c_in, layer.out_channels, (k_h, k_w), (o_h, o_w))


def test_a_linear_layer_counts_inputs_times_outputs():
    (row,) = count_layers(nn.Linear(7, 5), (7,))
    assert (row.shape, row.params, row.macs) == ((5,), 7 * 5 + 5, 7 * 5)
    (row,) = count_layers(nn.Linear(7, 5, bias=False), (3, 7))  # 作用在每一行上
    assert (row.shape, row.params, row.macs) == ((3, 5), 35, 3 * 35)


def test_counting_leaves_the_model_as_it_was():
    net = separable_cnn()
    net[1].eval()  # 混合的模式也要原样恢复
    before = {k: v.clone() for k, v in net.state_dict().items()}
    count_layers(net, (3, 32, 32))
    assert all(torch.equal(v, net.state_dict()[k]) for k, v in before.items())
    assert [m.training for m in net.modules()] == [m is not net[1] for m in net.modules()]


def test_the_plain_twin_differs_from_the_separable_net_only_in_the_six_blocks():
    plain, separable = separable_cnn(plain_block), separable_cnn()
    assert [type(m) for m in plain[:3]] == [type(m) for m in separable[:3]]
    assert [type(m) for m in plain[-4:]] == [type(m) for m in separable[-4:]]
    convs = [m for m in plain if isinstance(m, nn.Conv2d)]
    assert len(convs) == 7 and all(c.groups == 1 and c.kernel_size == (3, 3) for c in convs)
    assert [c.stride for c in convs[1:]] == [(s, s) for s in (1, 2, 1, 2, 1, 2)]


def test_a_shared_layer_counts_its_parameters_once_and_its_work_each_time():
    conv = nn.Conv2d(2, 2, 3, padding=1)
    rows = count_layers(nn.Sequential(conv, nn.ReLU(), conv), (2, 5, 5))
    assert [r.params for r in rows] == [2 * 2 * 9 + 2, 0, 0]
    assert rows[0].macs == rows[2].macs == 2 * 5 * 5 * 2 * 9


class Scaled(nn.Module):
    """自己有参数、又有子模块的模块：它的参数不在任何叶子模块里。"""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(1))
        self.conv = nn.Conv2d(1, 1, 3)

    def forward(self, x):
        return self.scale * self.conv(x)


class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 3)

    def forward(self, x):
        return self.conv(x[:, :, :0])  # 空输入：卷积在钩子之前报错


def test_parameters_outside_the_leaves_are_an_error_and_hooks_go_even_on_error():
    model = Scaled()
    with pytest.raises(ValueError, match="有参数不属于任何被调用过的叶子模块"):
        count_layers(model, (1, 5, 5))
    unused = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    unused.forward = lambda x: unused[0](x)  # 第二层没被调用：它的参数也数不到
    with pytest.raises(ValueError, match="有参数不属于"):
        count_layers(unused, (2,))
    broken = Broken()
    with pytest.raises(RuntimeError):
        count_layers(broken, (1, 5, 5))
    assert not broken.conv._forward_hooks
    assert not model.conv._forward_hooks


def test_show_counts_lines_up_its_columns(capsys):
    show_counts(count_layers(shallow_wide(), (3, 32, 32)))
    lines = capsys.readouterr().out.splitlines()
    assert len({display_width(line) for line in lines}) == 1, lines
    assert lines[-1].split()[1:] == ["840,970", "228,985,344"]
    show_counts(count_layers(lenet(), (1, 28, 28)), every_layer=False)
    show_counts(count_layers(shallow_wide(), (3, 32, 32)), every_layer=False)
    lines = capsys.readouterr().out.splitlines()  # 两张只有合计的表：表头、合计，上下对齐
    assert [line.split() for line in lines[::2]] == [["参数", "乘加"]] * 2
    assert len({display_width(line) for line in lines}) == 1, lines
    assert lines[1].startswith("合计")
    assert lines[1].split()[1] == f"{sum(p.numel() for p in lenet().parameters()):,}"


def test_the_lenet_strip_shows_the_shapes_count_layers_reports():
    svg, alt = lenet_shape_strip()
    rows = count_layers(lenet(), (1, 28, 28))
    shapes = ["×".join(map(str, r.shape)) for r in rows if r.kind != "Sigmoid"]  # 激活函数略去
    for root in layouts(svg):
        drawn = [t.text for t in root.iter(f"{SVG}text") if "shape" in t.get("class", "")]
        assert drawn == ["1×28×28", *shapes]
        assert all(s in alt for s in drawn)
    assert len(layouts(svg)) == 2  # 宽的一行排开，窄的分行


COUNT_SPECS = [
    Spec(conv3x3_relu, {"c_in": 1, "c_out": 1}, {"c_in": integer(), "c_out": integer()}),
    *(
        Spec(
            block,
            {"c_in": 1, "c_out": 1, "stride": 1},
            {"c_in": integer(), "c_out": integer(), "stride": integer()},
        )
        for block in (separable_block, plain_block)
    ),
    Spec(
        show_counts,
        {"rows": count_layers(nn.Linear(2, 2), (2,)), "every_layer": True},
        {"every_layer": boolean()},
    ),
]
COUNT_MISFITS = [
    (lambda: count_layers(lambda x: x, (2,)), "model 应为 nn.Module，得到 function"),
    (lambda: count_layers(nn.Linear(2, 2), 2), "input_shape 应为非空的整数元组，得到 2"),
    (lambda: count_layers(nn.Linear(2, 2), ()), r"input_shape 应为非空的整数元组，得到 \(\)"),
    (lambda: count_layers(nn.Linear(2, 2), (2, 0)), r"input_shape\[1\] 应为不小于 1 的整数"),
    (lambda: count_layers(nn.Linear(2, 2), (2.0,)), r"input_shape\[0\] 应为整数，得到 2.0"),
    (lambda: count_layers(nn.ConvTranspose2d(1, 1, 3), (1, 4, 4)), "遇到了 ConvTranspose2d"),
    (lambda: count_layers(nn.Conv1d(1, 1, 3), (1, 4)), "只会数 Conv2d 和 Linear 的乘加"),
    (lambda: count_layers(nn.LSTM(2, 3), (2,)), "LSTM 的输出应为张量"),
    (lambda: layer_macs("conv", torch.ones(1)), "layer 应为 nn.Module，得到 str"),
    (lambda: show_counts([]), "rows 应为 count_layers 返回的非空列表"),
    (lambda: show_counts("rows"), "rows 应为 count_layers 返回的非空列表"),
    (lambda: show_counts([1, 2]), "rows 应为 count_layers 返回的非空列表"),
    (lambda: separable_cnn(nn.Conv2d), "block 应为 separable_block 或 plain_block"),
]


# —— 坏输入：上面三部分各自的表合在一起测 ——

CASES, IDS = params(GALLERY_SPECS + GROUPED_SPECS + COUNT_SPECS)


@pytest.mark.parametrize(("call", "words"), CASES, ids=IDS)
def test_each_class_of_bad_argument_raises_value_error(call, words):
    raises_value_error_naming(call, words)


@pytest.mark.parametrize(("call", "message"), GALLERY_MISFITS + GROUPED_MISFITS + COUNT_MISFITS)
def test_values_that_do_not_fit_together_raise_value_error(call, message):
    raises_value_error_matching(call, message)

"""snippets/why_conv.py 的测试：参数个数与 PyTorch 的层对照，卷积与它的全连接写法对照。

末尾还测 figures/why_conv.py：图上的数必须就是这些函数算出的数。
"""

import itertools

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
from svgread import SVG, layouts

from figures.why_conv import find_pattern_example
from snippets.conv_layer import corr2d
from snippets.why_conv import (
    RING,
    RING_SCENE,
    conv_from_equation,
    conv_param_count,
    convolve1d_full,
    corr2d_as_matrix,
    derivation_param_counts,
    fc_param_count,
    find_pattern,
    make_scene,
    shift2d,
)

PATTERN = RING


def tensors(shape, seed, dtype=torch.float64):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def count(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize(("inputs", "outputs"), [(784, 1000), (3, 5), (1, 1)])
@pytest.mark.parametrize("bias", [True, False])
def test_fc_param_count_matches_nn_linear(inputs, outputs, bias):
    assert fc_param_count(inputs, outputs, bias) == count(torch.nn.Linear(inputs, outputs, bias))


@pytest.mark.parametrize(
    ("kernel", "c_in", "c_out"), [(3, 1, 32), ((5, 3), 3, 64), (1, 256, 64), (7, 64, 64)]
)
@pytest.mark.parametrize("bias", [True, False])
def test_conv_param_count_matches_nn_conv2d(kernel, c_in, c_out, bias):
    layer = torch.nn.Conv2d(c_in, c_out, kernel, bias=bias)
    assert conv_param_count(kernel, c_in, c_out, bias) == count(layer)


def test_defaults_are_one_channel_in_and_out_and_seed_zero():
    assert conv_param_count(3) == count(torch.nn.Conv2d(1, 1, 3))
    assert torch.equal(make_scene(8, 9, RING, 1, 2), make_scene(8, 9, RING, 1, 2, seed=0))
    assert not torch.equal(make_scene(8, 9, RING, 1, 2), make_scene(8, 9, RING, 1, 2, seed=1))


@pytest.mark.parametrize(
    ("h", "w", "delta"), [(3, 3, 1), (4, 5, 2), (2, 6, 0), (3, 5, 2), (6, 3, 2)]
)
def test_derivation_counts_match_brute_force(h, w, delta):
    """逐个数出每一步真正剩下的自由参数。"""
    pixels = list(itertools.product(range(h), range(w)))
    offsets = {(k - i, m - j) for (i, j), (k, m) in itertools.product(pixels, pixels)}
    local = {(a, b) for a, b in offsets if abs(a) <= delta and abs(b) <= delta}
    full, reindexed, invariant, localised = derivation_param_counts(h, w, delta).values()
    assert full == reindexed == len(pixels) ** 2
    assert invariant == len(offsets)
    assert localised == len(local)


@st.composite
def image_and_kernel(draw):
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    k_h, k_w = draw(st.integers(1, h)), draw(st.integers(1, w))
    seed = draw(st.integers(0, 2**31))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    return tensors((h, w), seed, dtype), tensors((k_h, k_w), seed + 1, dtype)


@settings(max_examples=examples(200))
@given(image_and_kernel())
def test_corr2d_is_a_constrained_fully_connected_layer(XK):
    X, K = XK
    W = corr2d_as_matrix(K, X.shape)
    torch.testing.assert_close((W @ X.flatten()).view_as(corr2d(X, K)), corr2d(X, K))
    torch.testing.assert_close(corr2d(X, K), F.conv2d(X[None, None], K[None, None])[0, 0])
    # 局部性：每行的非零位置只有 K 那么多；平移不变：每行用的是同一组数
    for row in W:
        assert torch.equal(row[row != 0], K.flatten()[K.flatten() != 0])


@settings(max_examples=examples(200))
@given(st.integers(2, 8), st.integers(2, 8), st.integers(-3, 3), st.integers(-3, 3), st.integers())
def test_shift2d_moves_every_pixel(h, w, dy, dx, seed):
    dy, dx = max(-h + 1, min(dy, h - 1)), max(-w + 1, min(dx, w - 1))
    X = tensors((h, w), seed % 2**31)
    Y = shift2d(X, dy, dx)
    for i, j in itertools.product(range(h), range(w)):
        inside = 0 <= i - dy < h and 0 <= j - dx < w
        assert Y[i, j] == (X[i - dy, j - dx] if inside else 0)


@pytest.mark.parametrize("dtype", [torch.int64, torch.uint8, torch.bool, torch.float16])
def test_shift2d_is_exact_for_any_dtype(dtype):
    X = torch.arange(1, 13).reshape(3, 4).to(dtype)
    Y = shift2d(X, 1, -2)
    assert Y.dtype == dtype
    assert torch.equal(Y[1:, :2], X[:2, 2:])
    assert not Y[0].any() and not Y[:, 2:].any()


@settings(max_examples=examples(100))
@given(image_and_kernel(), st.integers(-2, 2), st.integers(-2, 2))
def test_convolution_is_translation_equivariant_away_from_the_border(XK, dy, dx):
    X, K = XK
    X = F.pad(X, (9, 9, 9, 9))  # 四周留足空白：卷积核最大 7，平移最多 2
    shifted_then_conv = corr2d(shift2d(X, dy, dx), K)
    conv_then_shifted = shift2d(corr2d(X, K), dy, dx)
    torch.testing.assert_close(shifted_then_conv, conv_then_shifted)


@settings(max_examples=examples(100))
@given(st.integers(0, 19), st.integers(0, 27), st.integers(0, 10_000))
def test_find_pattern_finds_it_wherever_it_hides(top, left, seed):
    scene = make_scene(24, 32, PATTERN, top, left, seed)
    response, position = find_pattern(scene, PATTERN)
    assert position == (top, left)
    assert response.shape == (20, 28)


@settings(max_examples=examples(100))
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**31))
def test_convolve1d_full_matches_numpy_and_commutes(n, m, seed):
    f, g = tensors(n, seed), tensors(m, seed + 1)
    expected = torch.from_numpy(np.convolve(f.numpy(), g.numpy()))
    torch.testing.assert_close(convolve1d_full(f, g), expected)
    torch.testing.assert_close(convolve1d_full(g, f), expected)


@settings(max_examples=examples(100))
@given(st.integers(0, 2), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2**31))
def test_conv_from_equation_is_what_conv2d_computes(delta, c_in, c_out, seed):
    size = 2 * delta + 1
    X = tensors((size + 3, size + 2, c_in), seed)
    K = tensors((size, size, c_in, c_out), seed + 1)
    expected = F.conv2d(X.permute(2, 0, 1)[None], K.permute(3, 2, 0, 1))[0].permute(1, 2, 0)
    torch.testing.assert_close(conv_from_equation(X, K), expected)


def test_conv_from_equation_stores_centred_offsets_shifted_by_delta():
    """文档字符串说的下标对应：公式里的偏移 a 在 K 的第 a+Δ 行，输出 (i, j) 在 Y 的 (i-Δ, j-Δ)。"""
    delta, i, j = 1, 2, 3
    X, K = tensors((6, 7, 2), 0), tensors((3, 3, 2, 1), 1)
    by_formula = sum(
        K[a + delta, b + delta, c, 0] * X[i + a, j + b, c]
        for a in range(-delta, delta + 1)
        for b in range(-delta, delta + 1)
        for c in range(2)
    )
    torch.testing.assert_close(conv_from_equation(X, K)[i - delta, j - delta, 0], by_formula)


TWO_D = tensor(2)
SPECS = [
    Spec(
        fc_param_count,
        {"num_inputs": 3, "num_outputs": 2},
        {"num_inputs": integer(), "num_outputs": integer(), "bias": boolean()},
    ),
    Spec(
        conv_param_count,
        {"kernel_size": 3},
        {
            "kernel_size": pair(),
            "in_channels": integer(),
            "out_channels": integer(),
            "bias": boolean(),
        },
    ),
    Spec(
        derivation_param_counts,
        {"height": 3, "width": 4, "delta": 1},
        {"height": integer(), "width": integer(), "delta": integer(0, maximum=2)},
    ),
    Spec(
        corr2d_as_matrix,
        {"K": torch.ones(2, 2), "input_shape": (3, 3)},
        {"K": TWO_D, "input_shape": pair()},
    ),
    Spec(
        shift2d,
        {"X": torch.ones(3, 4), "dy": 0, "dx": 0},
        {"X": tensor(2, floating=False), "dy": integer(-2, 2), "dx": integer(-3, 3)},
    ),
    Spec(
        make_scene,
        {"height": 6, "width": 7, "pattern": torch.ones(2, 3), "top": 0, "left": 0},
        {
            "height": integer(),
            "width": integer(),
            "pattern": TWO_D,
            "top": integer(0, maximum=4),
            "left": integer(0, maximum=4),
            "seed": integer(0),
        },
    ),
    Spec(find_pattern, {"scene": RING_SCENE, "pattern": RING}, {"scene": TWO_D, "pattern": TWO_D}),
    Spec(
        convolve1d_full, {"f": torch.ones(2), "g": torch.ones(3)}, {"f": tensor(1), "g": tensor(1)}
    ),
    Spec(
        conv_from_equation,
        {"X": torch.ones(3, 3, 2), "K": torch.ones(3, 3, 2, 1)},
        {"X": tensor(3), "K": tensor(4)},
    ),
]
CASES, IDS = params(SPECS)


@pytest.mark.parametrize(("call", "words"), CASES, ids=IDS)
def test_each_class_of_bad_argument_raises_value_error(call, words):
    raises_value_error_naming(call, words)


TWO_RINGS = torch.zeros(5, 12)  # 同一个图案出现两次：两处响应一样大
TWO_RINGS[:, :5] = TWO_RINGS[:, 7:] = RING
NAN_SCENE = RING_SCENE.clone()
NAN_SCENE[0, 0] = float("nan")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: corr2d_as_matrix(torch.ones(3, 3), (2, 5)),
            r"卷积核 \(3, 3\) 放不进输入 \(2, 5\)",
        ),
        (
            lambda: corr2d_as_matrix(torch.ones(3, 3), (5, 2)),
            r"卷积核 \(3, 3\) 放不进输入 \(5, 2\)",
        ),
        (lambda: corr2d_as_matrix(torch.ones(1, 1), (60, 60)), "12960000 个元素.*请改用 corr2d$"),
        (lambda: make_scene(24, 32, PATTERN, 20, 0), "top 应为 0 到 19 之间的整数，得到 20"),
        (lambda: make_scene(24, 32, PATTERN, 0, 28), "left 应为 0 到 27 之间的整数，得到 28"),
        (lambda: make_scene(4, 9, PATTERN, 0, 0), r"图案 \(5, 5\) 放不进场景 \(4, 9\)"),
        (lambda: make_scene(9, 4, PATTERN, 0, 0), r"图案 \(5, 5\) 放不进场景 \(9, 4\)"),
        (lambda: find_pattern(RING, RING_SCENE), r"图案 \(24, 32\) 放不进场景 \(5, 5\)"),
        (lambda: find_pattern(NAN_SCENE, RING), "scene 里有 NaN 或无穷大"),
        (lambda: find_pattern(RING_SCENE, RING / 0), "pattern 里有 NaN 或无穷大"),
        (lambda: find_pattern(RING_SCENE, torch.ones(3, 3)), "个位置的响应并列最大"),
        (lambda: find_pattern(RING_SCENE, torch.ones(1, 1)), "个位置的响应并列最大"),
        (lambda: find_pattern(torch.zeros(6, 6), RING), "4 个位置的响应并列最大"),
        (lambda: find_pattern(TWO_RINGS, RING), "^find_pattern: 2 个位置的响应并列最大"),
        (
            lambda: convolve1d_full(torch.ones(400), torch.ones(2)),
            "160400 步.*请改用 torch.nn.functional.conv1d$",
        ),
        (lambda: conv_from_equation(torch.ones(3, 3, 1), torch.ones(1, 3, 1, 1)), r"\(1, 3\)"),
        (lambda: conv_from_equation(torch.ones(3, 3, 1), torch.ones(3, 1, 1, 1)), r"\(3, 1\)"),
        (lambda: conv_from_equation(torch.ones(3, 3, 1), torch.ones(2, 2, 1, 1)), "奇数边长"),
        (
            lambda: conv_from_equation(torch.ones(3, 3, 2), torch.ones(1, 1, 1, 3)),
            "K 有 1 个输入通道，X 却有 2 个",
        ),
        (lambda: conv_from_equation(torch.ones(2, 5, 1), torch.ones(3, 3, 1, 1)), r"\(2, 5\)"),
        (lambda: conv_from_equation(torch.ones(5, 2, 1), torch.ones(3, 3, 1, 1)), r"\(5, 2\)"),
        (
            lambda: conv_from_equation(torch.ones(400, 400, 1), torch.ones(1, 1, 1, 1)),
            "160000 步.*conv2d$",
        ),
    ],
)
def test_values_that_do_not_fit_together_raise_value_error(call, message):
    raises_value_error_matching(call, message)


def test_find_pattern_figure_marks_the_computed_peak():
    svg, alt = find_pattern_example()
    scene = RING_SCENE
    response, (row, col) = find_pattern(scene, RING)
    assert f"第 {row} 行第 {col} 列" in alt
    assert len(layouts(svg)) == 2  # 宽的左右并排，窄的上下叠放：两份画的是同样的东西
    for root in layouts(svg):
        assert root.get("data-peak") == f"{row},{col}"

        def cells(role, root=root):
            (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-role") == role]
            return list(group.iter(f"{SVG}rect"))

        assert len(cells("scene")) == scene.numel() and len(cells("response")) == response.numel()
        # 场景里亮的格子就是值为 1 的像素；响应图里最不透明的格子就是峰值
        bright = [i for i, r in enumerate(cells("scene")) if "paper" in r.get("class")]
        assert bright == scene.flatten().nonzero().flatten().tolist()
        opacity = [float(r.get("fill-opacity")) for r in cells("response")]
        assert opacity.index(max(opacity)) == row * response.shape[1] + col
        # 色标：两端写着响应的最小值和最大值，最浓的一格就是峰值的颜色
        legend = cells("legend")
        assert [float(r.get("fill-opacity")) for r in (legend[0], legend[-1])] == [0, 1]
        assert legend[-1].get("data-mark") == "high" and max(opacity) == 1
        ends = [
            t.text for t in root.iter(f"{SVG}text") if t.text.startswith("低") or "高" in t.text
        ]
        assert ends == [f"低 {response.min().item():g}", f"{response.max().item():g} 高"]

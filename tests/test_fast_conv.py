"""snippets/fast_conv.py 的测试：每个算法都和 torch.nn.functional.conv2d、autograd 对照。

容差：float64 用 assert_close 的默认值。float32 的 FFT 与 Winograd 不逐位等于直接求和，
误差的量级由输入和卷积核的大小决定（见 float32_bound），测试就按这个量级给容差。
"""

import csv
import math
import re
from datetime import UTC, datetime
from html import unescape

import pytest
import torch
import torch.nn.functional as F
from badinput import (
    Spec,
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
from svgread import SVG, grid_numbers, layouts

from benchmarks import fast_conv as bench
from figures.fast_conv import (
    CASES as BENCH_CASES,
)
from figures.fast_conv import (
    COLUMNS,
    METHODS,
    RESULTS,
    SWEEP,
    bench_sweep,
    bench_times,
    crossover,
    im2col_matrix,
    mixed,
    read_results,
    short,
    winograd_tile_example,
)
from snippets.channels import conv_cost
from snippets.checks import MAX_LOOP_STEPS
from snippets.conv_layer import K as K_EXAMPLE
from snippets.conv_layer import X as X_EXAMPLE
from snippets.conv_layer import corr2d
from snippets.fast_conv import (
    A_T,
    B_T,
    D_TILE,
    F_2X2_3X3,
    G_KERNEL,
    G,
    conv2d_backward,
    conv2d_direct,
    conv2d_fft,
    conv2d_im2col,
    conv2d_winograd,
    convolve_full,
    correlate_full,
    im2col,
    im2col_memory,
    pad_both,
    winograd_matrices,
    winograd_tile,
)

EPS32 = torch.finfo(torch.float32).eps


@st.composite
def conv_case(draw, kernel=None, dtypes=(torch.float32, torch.float64)):
    """随机的 (X, K, padding)：通道 1–4，输入 1–9 的长方形，每侧补 0–2，

    卷积核放得进补零后的输入。"""
    c_i, c_o = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    p_h, p_w = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    if kernel is None:
        h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
        k_h = draw(st.integers(1, h + 2 * p_h))
        k_w = draw(st.integers(1, w + 2 * p_w))
    else:  # 卷积核大小固定（Winograd）：输入至少要让补零后放得下它
        k_h = k_w = kernel
        h = draw(st.integers(max(1, kernel - 2 * p_h), 11))
        w = draw(st.integers(max(1, kernel - 2 * p_w), 11))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    dtype = draw(st.sampled_from(dtypes))
    X = torch.randn(c_i, h, w, generator=gen, dtype=dtype)
    K = torch.randn(c_o, c_i, k_h, k_w, generator=gen, dtype=dtype)
    return X, K, (p_h, p_w)


def reference(X, K, padding):
    """float64 的 F.conv2d：当作“真值”。"""
    return F.conv2d(X[None].double(), K.double(), padding=padding)[0]


def float32_bound(X, K, padding):
    """float32 的 FFT、Winograd 误差的量级：ε · log₂(点数) · ‖X‖·‖K‖。

    FFT 每一级蝶形运算带来约 ε 的相对误差，共 log₂(点数) 级；误差是相对整个信号的大小
    （二范数）而言的，所以乘以 ‖X‖·‖K‖（Cauchy–Schwarz 给出任一输出的上界）。
    Winograd 的变换只有常数级的几步，用同一个式子只会更宽松。
    """
    points = (X.shape[1] + 2 * padding[0]) * (X.shape[2] + 2 * padding[1])
    return EPS32 * (math.log2(points) + 1) * X.norm().item() * K.norm().item()


def assert_matches(Y, X, K, padding):
    expected = reference(X, K, padding)
    assert Y.dtype == X.dtype and Y.shape == expected.shape
    if X.dtype == torch.float64:
        torch.testing.assert_close(Y, expected)
    else:
        error = (Y.double() - expected).abs().max().item()
        assert error <= float32_bound(X, K, padding), error


@settings(max_examples=examples(200))
@given(conv_case())
def test_im2col_conv_equals_conv2d(case):
    X, K, padding = case
    assert_matches(conv2d_im2col(X, K, padding), X, K, padding)


@settings(max_examples=examples(200))
@given(conv_case())
def test_im2col_matrix_equals_unfold(case):
    X, K, (p_h, p_w) = case
    X = F.pad(X, (p_w, p_w, p_h, p_h))  # 卷积核只保证放得进补零后的输入
    torch.testing.assert_close(im2col(X, K.shape[2:]), F.unfold(X[None], K.shape[2:])[0])


@settings(max_examples=examples(200))
@given(conv_case())
def test_fft_conv_equals_conv2d(case):
    X, K, padding = case
    assert_matches(conv2d_fft(X, K, padding), X, K, padding)


@settings(max_examples=examples(200))
@given(conv_case(kernel=3))
def test_winograd_f2x2_3x3_equals_conv2d(case):
    X, K, padding = case
    assert_matches(conv2d_winograd(X, K, padding), X, K, padding)


@settings(max_examples=examples(200))
@given(conv_case(kernel=3, dtypes=(torch.float64,)), st.sampled_from([2, 3, 4, 6]))
def test_winograd_from_generated_matrices_equals_conv2d(case, m):
    X, K, padding = case
    Y = conv2d_winograd(X, K, padding, transforms=winograd_matrices(m, 3))
    torch.testing.assert_close(Y, reference(X, K, padding))


@pytest.mark.parametrize(("m", "r"), [(2, 3), (4, 3), (2, 5), (3, 2), (1, 1), (1, 4)])
def test_generated_matrices_compute_one_dimensional_correlation(m, r):
    """一维：y = Aᵀ[(G g) ⊙ (Bᵀ d)] 就是 y_i = Σ_j d_{i+j} g_j。"""
    B_T, G, A_T = winograd_matrices(m, r)
    gen = torch.Generator().manual_seed(m * 10 + r)
    d, g = (
        torch.randn(m + r - 1, generator=gen, dtype=torch.float64),
        torch.randn(r, generator=gen, dtype=torch.float64),
    )
    expected = torch.stack([(d[i : i + r] * g).sum() for i in range(m)])
    torch.testing.assert_close(A_T @ ((G @ g) * (B_T @ d)), expected)


def test_literal_f2x2_3x3_is_the_generated_one_up_to_scaling():
    """Lavin 和 Gray 的矩阵与 Toom-Cook 生成的只差每个变换点上的比例：G 的第 t 行乘 α_t、
    Bᵀ 的第 t 行乘 β_t、Aᵀ 的第 t 列乘 γ_t，只要 α_t·β_t·γ_t = 1，算出的就是同一个数。"""
    B_T, G, A_T = F_2X2_3X3
    B_gen, G_gen, A_gen = (t.float() for t in winograd_matrices(2, 3))
    alpha = torch.tensor([1.0, 0.5, 0.5, 1.0])  # Lavin 把插值的 1/2 挪进了 G
    beta = torch.tensor([1.0, 2.0, 2.0, -1.0])
    gamma = torch.tensor([1.0, 1.0, 1.0, -1.0])  # 无穷远点那一项换了号
    torch.testing.assert_close(G, alpha[:, None] * G_gen)
    torch.testing.assert_close(B_T, beta[:, None] * B_gen)
    torch.testing.assert_close(A_T, A_gen * gamma)
    torch.testing.assert_close(alpha * beta * gamma, torch.ones(4))


def test_f2x2_3x3_transforms_need_only_additions():
    B_T, _, A_T = F_2X2_3X3
    assert set(B_T.unique().tolist()) <= {-1.0, 0.0, 1.0}
    assert set(A_T.unique().tolist()) <= {-1.0, 0.0, 1.0}


@settings(max_examples=examples(200))
@given(conv_case(kernel=3))
def test_winograd_tile_is_one_block_of_the_whole_image(case):
    X, K, _ = case
    if X.shape[1] < 4 or X.shape[2] < 4:
        X = F.pad(X, (0, 4, 0, 4))
    Y = winograd_tile(X[0, :4, :4], K[0, 0])
    torch.testing.assert_close(Y, conv2d_winograd(X[:1, :4, :4], K[:1, :1]).reshape(2, 2))


@settings(max_examples=examples(100))
@given(conv_case(dtypes=(torch.float64,)))
def test_direct_loop_equals_conv2d_and_counts_the_formula(case):
    X, K, padding = case
    Y, macs = conv2d_direct(X, K, padding)
    torch.testing.assert_close(Y, reference(X, K, padding))
    c_o, c_i, k_h, k_w = K.shape
    assert macs == conv_cost(c_i, c_o, (k_h, k_w), tuple(Y.shape[1:]))[1]


@settings(max_examples=examples(200))
@given(conv_case())
def test_backward_equals_autograd(case):
    X, K, padding = case
    X_, K_ = X.clone().requires_grad_(), K.clone().requires_grad_()
    Y = F.conv2d(X_[None], K_, padding=padding)[0]
    grad_Y = torch.randn(Y.shape, generator=torch.Generator().manual_seed(0), dtype=X.dtype)
    Y.backward(grad_Y)
    grad_X, grad_K = conv2d_backward(X, K, grad_Y, padding)
    tolerance = {"atol": 1e-4, "rtol": 1e-4} if X.dtype == torch.float32 else {}
    torch.testing.assert_close(grad_X, X_.grad, **tolerance)
    torch.testing.assert_close(grad_K, K_.grad, **tolerance)
    # 对输入的梯度正是 PyTorch 的转置卷积
    transposed = F.conv_transpose2d(grad_Y[None], K, padding=padding)[0]
    torch.testing.assert_close(grad_X, transposed, **tolerance)


@settings(max_examples=examples(100))
@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(0, 2**31),
)
def test_full_convolution_commutes_and_full_correlation_flips(h, w, k_h, k_w, seed):
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(h, w, generator=gen, dtype=torch.float64)
    K = torch.randn(k_h, k_w, generator=gen, dtype=torch.float64)
    torch.testing.assert_close(convolve_full(X, K), convolve_full(K, X))
    expected = F.conv_transpose2d(X[None, None], K[None, None])[0, 0]  # 完整的严格卷积
    torch.testing.assert_close(convolve_full(X, K), expected)
    # 互相关交换两边，结果转了 180°
    torch.testing.assert_close(correlate_full(X, K), torch.flip(correlate_full(K, X), dims=(0, 1)))


@pytest.mark.parametrize(
    ("c_in", "size", "k", "padding"), [(64, 56, 3, 1), (3, (5, 7), (2, 3), 0), (2, 4, 5, (1, 2))]
)
def test_im2col_memory_is_what_the_matrix_takes(c_in, size, k, padding):
    n_h, n_w = (size, size) if isinstance(size, int) else size
    X = torch.zeros(c_in, n_h, n_w)
    K = torch.zeros(1, c_in, *((k, k) if isinstance(k, int) else k))
    p_h, p_w = (padding, padding) if isinstance(padding, int) else padding
    columns = im2col(F.pad(X, (p_w, p_w, p_h, p_h)), K.shape[2:])
    x_bytes, m_bytes = im2col_memory(c_in, size, k, padding)
    assert x_bytes == X.numel() * X.element_size()
    assert m_bytes == columns.numel() * columns.element_size()


@pytest.mark.parametrize("dtype", [torch.int64, torch.uint8, torch.bool, torch.float16])
def test_pad_both_pads_any_dtype_exactly(dtype):
    X = torch.ones(2, 3, 4).to(dtype)
    padded = pad_both(X, 1, 2)
    assert padded.dtype == dtype and padded.shape == (2, 5, 8)
    assert torch.equal(padded, F.pad(X, (2, 2, 1, 1)))


def test_direct_loop_guard_names_the_count():
    X, K = torch.ones(1, 120, 120), torch.ones(1, 1, 3, 3)
    steps = 118 * 118 * 9
    assert steps > MAX_LOOP_STEPS
    raises_value_error_matching(lambda: conv2d_direct(X, K), f"^conv2d_direct: 要循环 {steps} 步")


GOOD = {"X": torch.ones(2, 4, 5), "K": torch.ones(3, 2, 3, 3)}
SPECS = [
    Spec(fn, {**GOOD, "padding": 1}, {"X": tensor(3), "K": tensor(4), "padding": pair(minimum=0)})
    for fn in (conv2d_direct, conv2d_im2col, conv2d_fft, conv2d_winograd)
]
SPECS += [
    Spec(
        pad_both,
        {"X": torch.ones(2, 3, 4), "p_h": 1, "p_w": 2},
        {"X": tensor(3, floating=False), "p_h": integer(0), "p_w": integer(0)},
    ),
    Spec(
        im2col,
        {"X": torch.ones(2, 4, 5), "kernel_size": 3},
        {"X": tensor(3), "kernel_size": pair()},
    ),
    Spec(
        convolve_full,
        {"X": torch.ones(3, 3), "K": torch.ones(2, 2)},
        {"X": tensor(2), "K": tensor(2)},
    ),
    Spec(
        correlate_full,
        {"X": torch.ones(3, 3), "K": torch.ones(2, 2)},
        {"X": tensor(2), "K": tensor(2)},
    ),
    Spec(
        im2col_memory,
        {"c_in": 2, "size": 5, "kernel_size": 3, "padding": 1, "bytes_per_number": 4},
        {
            "c_in": integer(),
            "size": pair(),
            "kernel_size": pair(),
            "padding": pair(minimum=0),
            "bytes_per_number": integer(),
        },
    ),
    Spec(winograd_matrices, {"m": 2, "r": 3}, {"m": integer(), "r": integer()}),
    Spec(
        winograd_tile,
        {"d": torch.ones(4, 4), "g": torch.ones(3, 3)},
        {"d": tensor(2), "g": tensor(2)},
    ),
    Spec(
        conv2d_backward,
        {**GOOD, "grad_Y": torch.ones(3, 2, 3), "padding": 0},
        {"X": tensor(3), "K": tensor(4), "grad_Y": tensor(3), "padding": pair(minimum=0)},
    ),
]
CASES, IDS = params(SPECS)


@pytest.mark.parametrize(("call", "words"), CASES, ids=IDS)
def test_each_class_of_bad_argument_raises_value_error(call, words):
    raises_value_error_naming(call, words)


X2, K3 = torch.ones(2, 4, 5), torch.ones(3, 2, 3, 3)
MISFITS = [
    (
        lambda: conv2d_im2col(X2, torch.ones(3, 1, 3, 3)),
        "^conv2d_im2col: 卷积核有 1 个输入通道，输入 X 却有 2 个通道$",
    ),
    (lambda: conv2d_fft(X2, K3.double()), "^conv2d_fft: X 是 torch.float32，K 是 torch.float64"),
    (
        lambda: conv2d_direct(X2, torch.ones(1, 2, 5, 5)),
        r"卷积核 \(5, 5\) 放不进填充后的输入 \(4, 5\)",
    ),
    (
        lambda: conv2d_fft(X2, torch.ones(1, 2, 5, 5), padding=(0, 1)),
        r"放不进填充后的输入 \(4, 7\)",
    ),
    (lambda: im2col(X2, (5, 1)), r"^im2col: 卷积核 \(5, 1\) 放不进输入 \(4, 5\)"),
    (
        lambda: im2col_memory(1, 4, 6, padding=(1, 0)),
        r"卷积核 \(6, 6\) 放不进填充后的输入 \(6, 4\)",
    ),
    (
        lambda: conv2d_winograd(X2, torch.ones(3, 2, 2, 3)),
        "^conv2d_winograd: 这组变换只算 3×3 的卷积核，得到 2×3",
    ),
    (
        lambda: conv2d_winograd(X2, K3, transforms=F_2X2_3X3[:2]),
        "transforms 应为 \\(B_T, G, A_T\\)",
    ),
    (lambda: conv2d_winograd(X2, K3, transforms="F23"), "transforms 应为"),
    (
        lambda: conv2d_winograd(
            X2, K3, transforms=(torch.ones(4, 4), torch.ones(4, 3), torch.ones(2, 5))
        ),
        r"α = m \+ r - 1，得到 \(4, 4\), \(4, 3\), \(2, 5\)",
    ),
    (
        lambda: conv2d_winograd(
            X2, K3, transforms=(torch.ones(3, 3), torch.ones(4, 3), torch.ones(2, 4))
        ),
        r"得到 \(3, 3\), \(4, 3\), \(2, 4\)",
    ),
    (
        lambda: conv2d_winograd(
            X2, K3, transforms=(torch.ones(5, 5), torch.ones(5, 3), torch.ones(2, 5))
        ),
        r"α = m \+ r - 1",
    ),
    (
        lambda: conv2d_winograd(X2, K3, transforms=(torch.ones(4), G_, A_)),
        "transforms 里的 B_T 应为 2 维",
    ),
    (
        lambda: winograd_tile(torch.ones(4, 3), torch.ones(3, 3)),
        r"输入块应为 4×4、卷积核应为 3×3，得到 \(4, 3\)",
    ),
    (lambda: winograd_tile(torch.ones(4, 4), torch.ones(2, 2)), r"得到 \(4, 4\) 和 \(2, 2\)"),
    (lambda: winograd_tile(torch.ones(6, 6), torch.ones(3, 3)), "输入块应为 4×4"),
    (
        lambda: winograd_matrices(4, 3, points=(0, 1, -1)),
        r"^winograd_matrices: points 至少要有 5 个点",
    ),
    (lambda: winograd_matrices(2, 3, points="012"), "points 至少要有 3 个点"),
    (
        lambda: winograd_matrices(2, 3, points=(0, 1, 1.0)),
        r"前 3 个点不能重复，得到 \[0.0, 1.0, 1.0\]",
    ),
    (
        lambda: conv2d_backward(X2, K3, torch.ones(3, 2, 4)),
        r"grad_Y 应与输出同形状 \(3, 2, 3\)、同 dtype torch.float32，得到 \(3, 2, 4\)",
    ),
    (
        lambda: conv2d_backward(X2, K3, torch.ones(3, 2, 3).double()),
        "得到 \\(3, 2, 3\\)、torch.float64",
    ),
    (
        lambda: conv2d_backward(X2, K3, torch.ones(3, 2, 3), padding=1),
        r"\(3, 4, 5\)、同 dtype torch.float32，得到 \(3, 2, 3\)",
    ),
    (lambda: im2col(torch.ones(1000, 110, 110), 3), "^im2col: 要新建 104976000 个元素的张量"),
    (lambda: conv2d_fft(torch.ones(64, 56, 56), torch.ones(128, 64, 3, 3)), "^conv2d_fft: 要新建 "),
    (
        lambda: conv2d_winograd(torch.ones(512, 120, 120), torch.ones(2, 512, 3, 3)),
        "^conv2d_winograd: 要新建 ",
    ),
]
G_, A_ = F_2X2_3X3[1], F_2X2_3X3[2]


@pytest.mark.parametrize(("call", "message"), MISFITS)
def test_values_that_do_not_fit_together_raise_value_error(call, message):
    raises_value_error_matching(call, message)


# ---- 性质与直接计算 ----


@st.composite
def two_kernels(draw):
    """float64 的随机输入和两个卷积核：输入 1–7 的长方形，两个卷积核接连放得进它。"""
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    k1_h, k1_w = draw(st.integers(1, h)), draw(st.integers(1, w))
    k2_h, k2_w = draw(st.integers(1, h - k1_h + 1)), draw(st.integers(1, w - k1_w + 1))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    X = torch.randn(h, w, generator=gen, dtype=torch.float64)
    K1 = torch.randn(k1_h, k1_w, generator=gen, dtype=torch.float64)
    K2 = torch.randn(k2_h, k2_w, generator=gen, dtype=torch.float64)
    return X, K1, K2


@settings(max_examples=examples(200))
@given(two_kernels())
def test_two_correlations_are_one_with_the_full_convolution_of_the_kernels(case):
    """页面的结合律：(X ⋆ K1) ⋆ K2 = X ⋆ (K1 * K2)，合成的卷积核是 (k1+k2-1) 见方。"""
    X, K1, K2 = case
    K12 = convolve_full(K1, K2)
    assert K12.shape == (K1.shape[0] + K2.shape[0] - 1, K1.shape[1] + K2.shape[1] - 1)
    torch.testing.assert_close(corr2d(corr2d(X, K1), K2), corr2d(X, K12))
    torch.testing.assert_close(
        convolve_full(convolve_full(X, K1), K2), convolve_full(X, convolve_full(K1, K2))
    )


@settings(max_examples=examples(200))
@given(two_kernels())
def test_convolution_theorem_holds_once_both_are_padded_to_the_full_size(case):
    """完整严格卷积的 DFT 是两个 DFT（都补零到 n+k-1）的逐点乘积。"""
    X, K, _ = case
    full = convolve_full(X, K)
    size = tuple(full.shape)
    product = torch.fft.fft2(X, s=size) * torch.fft.fft2(K, s=size)
    torch.testing.assert_close(torch.fft.fft2(full), product)
    torch.testing.assert_close(torch.fft.ifft2(product).real, full)


def test_full_convolution_of_a_column_and_a_row_is_their_outer_product():
    """练习 2 的可分离卷积核：一列与一行的完整严格卷积不翻转任何东西，就是外积。"""
    column, row = torch.tensor([1.0, 2.0, 1.0]), torch.tensor([-1.0, 0.0, 1.0])
    torch.testing.assert_close(convolve_full(column[:, None], row[None]), torch.outer(column, row))


# ---- im2col、FFT 与 im2col 的图 ----
def highlighted(svg, role, columns):
    """data-role=role 的网格里强调（hl）的格子：[(行, 列)]，按行优先。每一份 SVG 都读，必须一致。"""
    found = []
    for root in layouts(svg):
        (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-role") == role]
        cells = list(group.iter(f"{SVG}rect"))
        found.append([divmod(n, columns) for n, r in enumerate(cells) if "hl" in r.get("class")])
    assert found and all(f == found[0] for f in found), found
    return found[0]


def test_im2col_figure_shows_the_matrix_and_its_product():
    svg, alt = im2col_matrix()
    columns = im2col(X_EXAMPLE[None], K_EXAMPLE.shape)
    Y = corr2d(X_EXAMPLE, K_EXAMPLE)
    assert grid_numbers(svg, "input") == X_EXAMPLE.flatten().tolist()
    assert grid_numbers(svg, "columns") == columns.flatten().tolist()
    assert grid_numbers(svg, "columns-again") == columns.flatten().tolist()
    assert grid_numbers(svg, "kernel") == K_EXAMPLE.flatten().tolist()
    assert grid_numbers(svg, "output") == Y.flatten().tolist()
    assert "25" in alt and "1、2、4、5" in alt


def test_im2col_figure_marks_one_window_and_the_column_it_becomes():
    svg, _ = im2col_matrix()
    (k_h, k_w), (n_h, n_w) = K_EXAMPLE.shape, X_EXAMPLE.shape
    o_w = n_w - k_w + 1
    window = highlighted(svg, "input", n_w)
    (top, left) = window[0]
    assert window == [(top + a, left + b) for a in range(k_h) for b in range(k_w)]
    column = top * o_w + left
    marked = [(r, column) for r in range(k_h * k_w)]
    assert highlighted(svg, "columns", o_w * (n_h - k_h + 1)) == marked
    assert highlighted(svg, "columns-again", o_w * (n_h - k_h + 1)) == marked
    assert highlighted(svg, "output", o_w * (n_h - k_h + 1)) == [(0, column)]
    # 圈出的窗口里的数，正是圈出的那一列
    columns = im2col(X_EXAMPLE[None], K_EXAMPLE.shape)
    window_values = [X_EXAMPLE[i, j].item() for i, j in window]
    assert columns[:, column].tolist() == window_values


# ---- Winograd、反向传播与 Winograd 的图 ----
# 图 winograd-tile：图上每一步的数就是 Winograd 公式算出的数，输出就是那块输入的互相关


def test_winograd_figure_shows_each_step_of_the_tile():
    svg, alt = winograd_tile_example()
    V = B_T @ D_TILE @ B_T.T
    U = G @ G_KERNEL @ G.T
    Y = winograd_tile(D_TILE, G_KERNEL)
    for role, expected in [
        ("d", D_TILE),
        ("g", G_KERNEL),
        ("V", V),
        ("U", U),
        ("M", U * V),
        ("Y", A_T @ (U * V) @ A_T.T),
    ]:
        assert grid_numbers(svg, role) == expected.flatten().tolist(), role
    # 输出块就是 4×4 输入上的 3×3 互相关，alt 里写的是左上角那一个
    assert torch.equal(Y, F.conv2d(D_TILE[None, None], G_KERNEL[None, None])[0, 0])
    assert grid_numbers(svg, "Y") == Y.flatten().tolist()
    assert f"Y 左上角的 {Y[0, 0].item():g}" in alt and "16 次乘法" in alt


def test_winograd_figure_numbers_are_short_and_never_negative_zero():
    """格子只有 36 px 宽：例子选的是小整数，每一步的数最多 3 个字符；-0.0 不能画成“-0”。"""
    svg, _ = winograd_tile_example()
    numbers = re.findall(r'<g class="grid" data-role="\w+">(.*?)</g>', svg)
    texts = [t for group in numbers for t in re.findall(r"<text[^>]*>([^<]*)</text>", group)]
    assert len(texts) == 2 * (16 + 9 + 16 + 16 + 16 + 4)  # 宽、窄两份
    assert all(len(t) <= 3 for t in texts), texts
    assert "-0" not in texts


@settings(max_examples=examples(100))
@given(conv_case(kernel=3, dtypes=(torch.float64,)))
def test_input_gradient_by_winograd_equals_backward(case):
    """正文：对输入的梯度是 3×3 卷积核、步幅 1 的卷积，Winograd 也能算。"""
    X, K, (p_h, p_w) = case
    grad_Y = torch.randn(
        conv2d_im2col(X, K, (p_h, p_w)).shape,
        generator=torch.Generator().manual_seed(1),
        dtype=X.dtype,
    )
    grad_X, _ = conv2d_backward(X, K, grad_Y, (p_h, p_w))
    K_flipped = torch.flip(K, dims=(2, 3)).transpose(0, 1)
    full = conv2d_winograd(grad_Y, K_flipped, padding=2)  # 补 k-1 圈：完整的卷积
    h, w = X.shape[1:]
    torch.testing.assert_close(full[:, p_h : p_h + h, p_w : p_w + w], grad_X)


@settings(max_examples=examples(100))
@given(conv_case(dtypes=(torch.float64,)))
def test_input_gradient_is_the_fold_of_the_column_gradient(case):
    """正文：窗口矩阵的梯度 Kᵀ·∂L/∂Y 经 F.fold（im2col 的转置）放回窗口，就是对补零后输入的梯度。"""
    X, K, (p_h, p_w) = case
    c_o, c_i, k_h, k_w = K.shape
    X_padded = F.pad(X, (p_w, p_w, p_h, p_h))
    grad_Y = torch.randn(
        conv2d_im2col(X, K, (p_h, p_w)).shape,
        generator=torch.Generator().manual_seed(2),
        dtype=X.dtype,
    )
    grad_columns = K.reshape(c_o, -1).T @ grad_Y.reshape(c_o, -1)
    folded = F.fold(grad_columns[None], X_padded.shape[1:], kernel_size=(k_h, k_w))[0]
    grad_X, grad_K = conv2d_backward(X, K, grad_Y, (p_h, p_w))
    h, w = X.shape[1:]
    torch.testing.assert_close(folded[:, p_h : p_h + h, p_w : p_w + w], grad_X)
    # 对卷积核的梯度：c_i 个输入通道当一批图，∂L/∂Y 的 c_o 个通道当卷积核
    by_conv = F.conv2d(X_padded[:, None], grad_Y[:, None]).transpose(0, 1)
    torch.testing.assert_close(by_conv, grad_K)


def test_larger_winograd_tiles_trade_accuracy_for_fewer_multiplications():
    """正文的表：块越大，每个输出的乘法越少，float32 的误差越大；n 到 9 时误差跳一个量级。"""
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(8, 24, 24, generator=gen, dtype=torch.float64)
    K = torch.randn(8, 8, 3, 3, generator=gen, dtype=torch.float64)
    exact = F.conv2d(X[None], K, padding=1)[0]
    errors = {}
    for m in (2, 4, 6, 7):
        Y = conv2d_winograd(X.float(), K.float(), 1, transforms=winograd_matrices(m, 3))
        errors[m] = (Y.double() - exact).abs().max().item()
    assert errors[2] < errors[4] < errors[6] < errors[7] / 5


# ---- 实测：make bench 的 CSV 与两张时间表 ----
# —— 实测：make bench 写 CSV，bench-times、bench-sweep 两张表在构建时读它。这里不计时：
# 查的是表上的数就是 CSV 里的数、结论句跟着数据变、CSV 不对时的错误说得清楚，
# 以及基准脚本里不计时的纯函数 ——


CELL = re.compile(r"<td([^>]*)>(.*?)</td>")
DATA = re.compile(r'data-(\w+)="([^"]*)"')
MACHINE = {
    "date": "2026-01-02T03:04:05+08:00",
    "cpu": "Test CPU 9000",
    "simd": "AVX2",
    "cores": 4,
    "threads": 2,
    "torch": "2.13.0",
}


def data_cells(html):
    """表里带 data-* 的格：[(属性 dict, 格里的字)]，字去掉了 <strong> 并反转义。"""
    found = []
    for attributes, text in CELL.findall(html):
        data = dict(DATA.findall(attributes))
        if data:
            found.append((data, unescape(re.sub(r"</?strong>", "", text))))
    return found


def csv_rows(path=RESULTS):
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def csv_row(rows, data):
    (row,) = [
        r
        for r in rows
        if (r["case"], r["method"], r["kernel"]) == (data["case"], data["method"], data["kernel"])
    ]
    return row


def assert_shows(text, value, suffix=""):
    """格里的字是 value 的三位有效数字（再带上 suffix），而且读回来的数离 value 不到 0.5%。"""
    assert text == short(value) + suffix
    assert float(text.removesuffix(suffix)) == pytest.approx(value, rel=5e-3)


@pytest.mark.parametrize("draw", [bench_times, bench_sweep])
def test_bench_tables_show_the_numbers_in_the_csv(draw):
    rows = csv_rows()
    html, caption = draw()
    shown = data_cells(html)
    for data, text in shown:
        row = csv_row(rows, data)
        if data["column"] == "note":
            assert not row["median_ms"] and text == f"没有测：{row['note']}"
        else:
            assert_shows(text, float(row[data["column"]]), "×" if data["column"] == "ratio" else "")
    # 该有的行都在表上：三个情形的每个方法（没测的写原因），扫描的每个卷积核
    cases = BENCH_CASES if draw is bench_times else [SWEEP]
    expected = {(r["case"], r["method"], r["kernel"]) for r in rows if r["case"] in cases}
    assert {(d["case"], d["method"], d["kernel"]) for d, _ in shown} == expected
    # 题注写明机器和日期
    first = rows[0]
    for column in ("cpu", "torch"):
        assert first[column] in caption
    assert first["date"][:10] in caption
    assert f"{first['cores']} 个逻辑核" in caption and f"{first['threads']} 个线程" in caption


def test_the_committed_measurement_has_every_case_and_method():
    rows = read_results()
    for case in bench.cases():
        for method in case.methods:
            assert any(
                (r["case"], r["method"], r["kernel"]) == (case.name, method, case.kernel)
                for r in rows
            ), (case, method)


def timing(case, method):
    """合成的测量（毫秒）：im2col 随卷积核变慢，FFT 不变，F.conv2d 介于两者之间。"""
    if (case.name, method) in (("resnet", "loop"), ("large-kernel", "winograd")):
        return None
    if case.name == SWEEP:
        return {"im2col": case.kernel, "fft": 10.0, "F.conv2d": 0.5 * case.kernel}[method]
    return {"loop": 500.0, "im2col": 4.0, "fft": 8.0, "winograd": 6.0, "F.conv2d": 2.0}[method]


def synthetic(path, timing=timing, machine=MACHINE):
    """用基准脚本自己的函数（row_for、add_ratios、write_csv）写一份合成的 CSV。"""
    rows = []
    for case in bench.cases():
        for method in case.methods:
            t = timing(case, method)
            if t is None:
                rows.append(bench.row_for(case, method, machine, note=f"{method} 不适用"))
            else:
                rows.append(bench.row_for(case, method, machine, t, t / 10, 7))
    bench.write_csv(bench.add_ratios(rows), path)
    return path


def test_the_benchmark_writes_what_the_figures_read(tmp_path):
    path = synthetic(tmp_path / "results" / "fast-conv.csv")
    rows = read_results(path)
    assert [r["case"] for r in rows[:5]] == ["toy"] * 5
    toy_loop = rows[0]
    assert toy_loop["median_ms"] == 500.0 and toy_loop["ratio"] == 250.0 and toy_loop["runs"] == 7
    skipped = [r for r in rows if r["median_ms"] is None]
    assert [(r["case"], r["method"]) for r in skipped] == [
        ("resnet", "loop"),
        ("large-kernel", "winograd"),
    ]
    assert all(r["ratio"] is None and r["iqr_ms"] is None for r in skipped)
    assert skipped[0]["note"] == "loop 不适用"


def test_bench_times_caption_states_the_conclusions_of_the_data(tmp_path):
    html, caption = bench_times(synthetic(tmp_path / "a.csv"))
    assert (
        "2026-01-02 在 Test CPU 9000（4 个逻辑核，向量指令 AVX2）上用 PyTorch 2.13.0、2 个线程测得"
        in caption
    )
    assert "玩具例子上，逐窗口循环用时是 F.conv2d 的 250 倍" in caption
    assert "ResNet 式的一层上，im2col 用时是 F.conv2d 的 2.00 倍" in caption
    assert "Winograd 用时是 im2col 的 1.50 倍" in caption
    # 快的一方放在后面：不写“0.5 倍”
    assert "31×31 的卷积核上，FFT 用时是 im2col 的 2.00 倍" in caption
    assert "没有测：loop 不适用" in html and "没有测：winograd 不适用" in html
    assert html.count("<tbody>") == len(BENCH_CASES)
    assert "玩具例子：1→1 通道，28×28，3×3 卷积核，填充 1" in html


@pytest.mark.parametrize(
    ("fft", "reference", "expected"),
    [
        # FFT 恒为 10：im2col 是 k，F.conv2d 是 0.5k
        (
            10.0,
            0.5,
            [
                "卷积核不小于 11×11 时，FFT 一直快过 im2col",
                "不小于 23×23 时，FFT 一直快过 F.conv2d",
            ],
        ),
        (
            1.0,
            0.5,
            ["扫描到的每个卷积核上，FFT 都快过 im2col", "每个卷积核上，FFT 都快过 F.conv2d"],
        ),
        (100.0, 0.5, ["直到 31×31，FFT 也没有一直快过 im2col", "也没有一直快过 F.conv2d"]),
    ],
)
def test_bench_sweep_caption_finds_the_crossover_in_the_data(tmp_path, fft, reference, expected):
    def swept(case, method):
        if case.name == SWEEP:
            return {"im2col": case.kernel, "fft": fft, "F.conv2d": reference * case.kernel}[method]
        return timing(case, method)

    html, caption = bench_sweep(synthetic(tmp_path / "a.csv", swept))
    for words in expected:
        assert words in caption
    assert "卷积核从 3×3 到 31×31" in caption and "1→1 通道、56×56 的输入" in caption
    # 每行最快的一格加粗
    assert html.count("<strong>") == 10
    assert f"<strong>{short(min(fft, 1.5))}</strong>" in html  # 3×3 那一行


def test_sweep_caption_names_an_early_win_before_the_lasting_crossover(tmp_path):
    """FFT 在 9×9 上快过一次、11×11 上又慢了，从 15×15 起一直更快：两处都写出来。"""

    def swept(case, method):
        if case.name == SWEEP:
            fft = {9: 5.0, 11: 20.0}.get(case.kernel, 10.0)
            return {"im2col": 100.0, "fft": fft, "F.conv2d": case.kernel}[method]
        return timing(case, method)

    _, caption = bench_sweep(synthetic(tmp_path / "a.csv", swept))
    assert "FFT 在 9×9 上已快过 F.conv2d，但从 15×15 起才一直更快" in caption


def test_sweep_caption_says_which_of_fft_and_conv2d_is_slower_at_the_largest_kernel(tmp_path):
    _, caption = bench_sweep(synthetic(tmp_path / "a.csv"))
    assert "（31×31 上 F.conv2d 用时是 FFT 的 1.55 倍）" in caption


def rewrite(path, change):
    """读出 CSV 的每一行（dict），change(rows) 改过后写回。"""
    rows = csv_rows(path)
    rows = change(rows)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]) if rows else COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def edit(row_number, **values):
    def change(rows):
        rows[row_number].update(values)
        return rows

    return change


BOTH, TIMES, SWEEP_ONLY = (bench_times, bench_sweep), (bench_times,), (bench_sweep,)
BAD_CSV = [
    (
        lambda rows: [{k: v for k, v in r.items() if k != "ratio"} for r in rows],
        "缺少列 ratio",
        BOTH,
    ),
    (edit(3, cpu="Another CPU"), "混有 2 次测量", BOTH),
    (edit(1, kernel="3.0"), "第 3 行：kernel 应为整数，得到 '3.0'", BOTH),
    (edit(0, median_ms="fast"), "第 2 行：median_ms 应为数，得到 'fast'", BOTH),
    (edit(0, iqr_ms="-1"), "iqr_ms 应为有限的正数，得到 '-1'", BOTH),
    (edit(0, ratio="inf"), "ratio 应为有限的正数", BOTH),
    (edit(0, median_ms="", note=" "), "第 2 行：没有时间，也没有在 note 里写明为什么没测", BOTH),
    (edit(0, ratio=""), "有时间，却没有相对 F.conv2d 的倍数 ratio", BOTH),
    # 时间表只读三个情形，扫描的表只读扫描
    (
        lambda rows: [r for r in rows if r["case"] != "resnet"],
        "没有情形 resnet 的方法 F.conv2d",
        TIMES,
    ),
    (edit(4, median_ms="", ratio="", note="坏了"), "情形 toy 的方法 F.conv2d 没有测：坏了", TIMES),
    (lambda rows: [r for r in rows if r["case"] != SWEEP], "没有卷积核的扫描", SWEEP_ONLY),
    (
        lambda rows: [
            r for r in rows if (r["case"], r["kernel"], r["method"]) != (SWEEP, "9", "fft")
        ],
        r"没有情形 sweep（卷积核 9）的方法 fft",
        SWEEP_ONLY,
    ),
]


@pytest.mark.parametrize(("change", "message", "readers"), BAD_CSV)
def test_a_csv_that_does_not_fit_is_an_error_saying_what_is_wrong(
    tmp_path, change, message, readers
):
    path = synthetic(tmp_path / "fast-conv.csv")
    rewrite(path, change)
    for draw in (bench_times, bench_sweep):
        if draw in readers:
            with pytest.raises(ValueError, match=message):
                draw(path)
        else:
            draw(path)  # 这张表不读坏掉的那部分，照常画出


def test_a_missing_csv_says_to_run_make_bench(tmp_path):
    for draw in (bench_times, bench_sweep):
        with pytest.raises(ValueError, match=r"找不到实测结果 .*nope\.csv：先运行 make bench"):
            draw(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="empty.csv 缺少列 case, method"):
        read_results(tmp_path / "empty.csv")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234.4, "1234"),
        (999.6, "1000"),
        (123.4, "123"),
        (99.96, "100"),
        (12.34, "12.3"),
        (1.0, "1.00"),
        (0.5, "0.500"),
        (0.012345, "0.0123"),
        (0.00099996, "0.00100"),
    ],
)
def test_short_keeps_at_least_three_significant_digits_without_exponents(value, text):
    assert short(value) == text


def test_mixed_spaces_only_between_chinese_and_latin():
    assert mixed("im2col", "用时是", "FFT", "的", "2.00", "倍") == "im2col 用时是 FFT 的 2.00 倍"
    assert mixed("逐窗口循环", "用时是", "F.conv2d", "的") == "逐窗口循环用时是 F.conv2d 的"


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(3, 2, 1), (5, 1, 2), (7, 1, 2)], 5),
        ([(7, 1, 2), (3, 2, 1), (5, 1, 2)], 5),  # 顺序无关
        ([(3, 1, 2), (5, 2, 1), (7, 1, 2)], 7),  # 中途输过一次：从最后一次赢起算
        ([(3, 1, 2), (5, 1, 2)], 3),
        ([(3, 1, 2), (5, 2, 1)], None),  # 最大的卷积核上不快
        ([(3, 1, 1)], None),  # 一样快不算快
        ([], None),
    ],
)
def test_crossover_is_where_the_first_stays_faster_up_to_the_largest_kernel(points, expected):
    assert crossover(points) == expected


def test_the_benchmark_cases_are_the_ones_the_figures_expect():
    found = bench.cases()
    assert [c.name for c in found[:3]] == list(BENCH_CASES)
    assert all(c.methods == tuple(METHODS) for c in found[:3])
    resnet = found[1]
    assert (resnet.c_in, resnet.c_out, resnet.size, resnet.kernel, resnet.padding) == (
        64,
        64,
        56,
        3,
        1,
    )
    swept = [c for c in found if c.name == SWEEP]
    assert [c.kernel for c in swept] == [3, 5, 7, 9, 11, 15, 19, 23, 27, 31]
    assert all(c.padding == c.kernel // 2 and c.size == 56 for c in swept)
    assert all(c.methods == ("im2col", "fft", "F.conv2d") for c in swept)


def test_the_benchmarked_methods_compute_the_convolution():
    """量的是对的东西：每个方法在小例子上都等于 F.conv2d（不计时）。"""
    gen = torch.Generator().manual_seed(0)
    X, K = torch.randn(2, 6, 6, generator=gen), torch.randn(3, 2, 3, 3, generator=gen)
    for fn in bench.IMPLEMENTATIONS.values():
        assert bench.relative_error(fn(X, K, 1), X, K, 1) < bench.TOLERANCE


def test_the_loop_is_skipped_with_its_own_message_on_the_resnet_layer():
    X, K = torch.zeros(64, 56, 56), torch.zeros(64, 64, 3, 3)
    raises_value_error_matching(
        lambda: bench.loop(X, K, 1), r"^corr2d_multi_in_out: 要循环 12845056 步，超过了"
    )


def test_cpu_model_reads_the_first_model_name():
    text = "processor\t: 0\nmodel name\t: AMD  EPYC 7B13\nprocessor\t: 1\nmodel name\t: other\n"
    assert bench.cpu_model(text) == "AMD EPYC 7B13"
    assert bench.cpu_model("processor\t: 0\nmodel name\t:\n") is None
    assert bench.cpu_model("") is None


def test_machine_info_has_the_columns_the_csv_needs(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("model name : Test CPU\n", encoding="utf-8")
    now = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    info = bench.machine_info(3, cpuinfo, now)
    assert info["date"] == "2026-03-04T05:06:07+00:00"
    assert info["cpu"] == "Test CPU" and info["threads"] == 3
    assert info["simd"] == torch.backends.cpu.get_cpu_capability()
    assert info["torch"] == torch.__version__ and info["cores"] >= 1
    assert set(info) | {"case"} <= set(COLUMNS)
    assert bench.machine_info(1, tmp_path / "missing")["cpu"]  # 没有 /proc/cpuinfo 也有个名字


def test_ratios_are_relative_to_conv2d_in_the_same_case_and_kernel():
    toy, *_ = bench.cases()
    swept = [c for c in bench.cases() if c.name == SWEEP][:2]
    rows = [
        bench.row_for(toy, "im2col", MACHINE, 6.0),
        bench.row_for(toy, "F.conv2d", MACHINE, 2.0),
        bench.row_for(toy, "loop", MACHINE, note="跳过"),
        bench.row_for(swept[0], "fft", MACHINE, 1.0),
        bench.row_for(swept[0], "F.conv2d", MACHINE, 4.0),
        bench.row_for(swept[1], "fft", MACHINE, 1.0),
        bench.row_for(swept[1], "F.conv2d", MACHINE, 0.5),
    ]
    assert [r["ratio"] for r in bench.add_ratios(rows)] == [3.0, 1.0, None, 0.25, 1.0, 2.0, 1.0]


def test_sweep_crossovers_compare_fft_with_im2col_and_conv2d():
    rows = []
    for case in bench.cases():
        for method in case.methods:
            rows.append(bench.row_for(case, method, MACHINE, timing(case, method)))
    assert bench.sweep_crossovers(rows) == {"im2col": 11, "F.conv2d": 23}


def test_report_prints_every_row_and_why_a_method_was_not_measured(tmp_path):
    rows = read_results(synthetic(tmp_path / "a.csv"))
    text = bench.report(rows)
    lines = text.splitlines()
    assert len(lines) == len(rows) + 1
    assert "没有测：loop 不适用" in lines[6] and lines[6].startswith("resnet")
    assert "250×" in lines[1]


def test_the_measurement_section_leaves_the_numbers_to_the_tables():
    """“实测”一节的正文不写具体的时间和倍数：重测之后它们就不对了，数只在两张表和题注里。"""
    page = (RESULTS.parent.parent.parent / "docs" / "fast-conv.md").read_text(encoding="utf-8")
    section = page.split("\n## 实测：这台机器上的快慢\n")[1].split("\n## ")[0]
    for figure in ("bench-times", "bench-sweep"):
        assert f"\n[[figure {figure}]]\n" in section
    assert "`make bench`" in section
    timing = re.compile(r"\d\s*(?:倍|毫秒|微秒|纳秒|秒|ms|µs|us|s\b|×\s*(?![\d(]))")
    assert not timing.findall(section), timing.findall(section)

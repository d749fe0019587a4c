"""snippets/channels.py 的测试：与 torch.nn.functional.conv2d、nn.Linear、nn.Conv2d 对照。

末尾还测 figures/channels.py：图上的数必须就是这些函数算出的数。
"""

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
from svgread import grid_numbers

from figures.channels import one_by_one_example, two_channel_example
from snippets.channels import K_1X1 as K3
from snippets.channels import X_1X1 as X3
from snippets.channels import K as K2
from snippets.channels import X as X2
from snippets.channels import (
    conv_cost,
    corr2d_multi_in,
    corr2d_multi_in_out,
    corr2d_multi_in_out_1x1,
)


@st.composite
def channels_case(draw, one_by_one=False):
    c_i, c_o = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    k_h, k_w = (1, 1) if one_by_one else (draw(st.integers(1, h)), draw(st.integers(1, w)))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    X = torch.randn(c_i, h, w, generator=gen, dtype=dtype)
    K = torch.randn(c_o, c_i, k_h, k_w, generator=gen, dtype=dtype)
    return X, K


@settings(max_examples=examples(200))
@given(channels_case())
def test_corr2d_multi_in_equals_conv2d_with_one_output_channel(XK):
    X, K = XK
    torch.testing.assert_close(corr2d_multi_in(X, K[0]), F.conv2d(X[None], K[:1])[0, 0])


@settings(max_examples=examples(200))
@given(channels_case())
def test_corr2d_multi_in_out_equals_conv2d(XK):
    X, K = XK
    torch.testing.assert_close(corr2d_multi_in_out(X, K), F.conv2d(X[None], K)[0])


@settings(max_examples=examples(200))
@given(channels_case(one_by_one=True))
def test_1x1_equals_general_version_and_a_linear_layer_per_pixel(XK):
    X, K = XK
    Y = corr2d_multi_in_out_1x1(X, K)
    torch.testing.assert_close(Y, corr2d_multi_in_out(X, K))
    linear = torch.nn.Linear(K.shape[1], K.shape[0], bias=False, dtype=torch.float64)
    linear.weight.data = K[:, :, 0, 0]
    per_pixel = linear(X.permute(1, 2, 0)).permute(2, 0, 1)  # 通道放到最后，逐像素做全连接
    torch.testing.assert_close(Y, per_pixel)


@pytest.mark.parametrize(
    ("c_in", "c_out", "k", "out"),
    [(3, 64, 3, 224), (64, 64, 3, 56), (256, 64, 1, 56), (5, 2, (3, 1), (4, 7))],
)
def test_conv_cost_matches_nn_conv2d_and_unfold(c_in, c_out, k, out):
    params, macs = conv_cost(c_in, c_out, k, out)
    assert params == sum(p.numel() for p in torch.nn.Conv2d(c_in, c_out, k).parameters())
    # 独立地数一遍乘加：im2col 之后是 (c_out, c_in·k_h·k_w) 乘 (c_in·k_h·k_w, 输出像素数)
    k_h, k_w = (k, k) if isinstance(k, int) else k
    o_h, o_w = (out, out) if isinstance(out, int) else out
    columns = F.unfold(torch.zeros(1, c_in, o_h + k_h - 1, o_w + k_w - 1), (k_h, k_w))
    assert macs == c_out * columns.shape[1] * columns.shape[2]


SPECS = [
    Spec(
        corr2d_multi_in,
        {"X": torch.ones(2, 3, 3), "K": torch.ones(2, 2, 2)},
        {"X": tensor(3), "K": tensor(3)},
    ),
    Spec(
        corr2d_multi_in_out,
        {"X": torch.ones(2, 3, 3), "K": torch.ones(1, 2, 2, 2)},
        {"X": tensor(3), "K": tensor(4)},
    ),
    Spec(
        corr2d_multi_in_out_1x1,
        {"X": torch.ones(2, 3, 3), "K": torch.ones(1, 2, 1, 1)},
        {"X": tensor(3), "K": tensor(4)},
    ),
    Spec(
        conv_cost,
        {"c_in": 3, "c_out": 4, "kernel_size": 3, "out_size": 5},
        {"c_in": integer(), "c_out": integer(), "kernel_size": pair(), "out_size": pair()},
    ),
]
CASES, IDS = params(SPECS)


@pytest.mark.parametrize(("call", "words"), CASES, ids=IDS)
def test_each_class_of_bad_argument_raises_value_error(call, words):
    raises_value_error_naming(call, words)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: corr2d_multi_in(torch.ones(2, 3, 3), torch.ones(3, 2, 2)),
            "corr2d_multi_in: 卷积核有 3 个输入通道，输入 X 却有 2 个通道",
        ),
        (
            lambda: corr2d_multi_in_out(torch.ones(2, 3, 3), torch.ones(4, 3, 2, 2)),
            "corr2d_multi_in_out: 卷积核有 3 个输入通道",
        ),
        (
            lambda: corr2d_multi_in_out_1x1(torch.ones(2, 3, 3), torch.ones(4, 3, 1, 1)),
            "corr2d_multi_in_out_1x1: 卷积核有 3 个输入通道",
        ),
        (
            lambda: corr2d_multi_in_out(torch.ones(1, 3, 3), torch.ones(1, 1, 4, 1)),
            r"卷积核 \(4, 1\) 放不进输入 \(3, 3\)",
        ),
        (
            lambda: corr2d_multi_in(torch.ones(1, 3, 3), torch.ones(1, 1, 4)),
            r"卷积核 \(1, 4\) 放不进输入 \(3, 3\)",
        ),
        (lambda: corr2d_multi_in_out_1x1(torch.ones(2, 3, 3), torch.ones(1, 2, 2, 1)), r"\(2, 1\)"),
        (lambda: corr2d_multi_in_out_1x1(torch.ones(2, 3, 3), torch.ones(1, 2, 1, 2)), r"\(1, 2\)"),
        # 长方形的卷积核：高和宽各用各的（(1, 2, 100) 要走 1 × 499 × 201 步）
        (
            lambda: corr2d_multi_in(torch.ones(1, 500, 300), torch.ones(1, 2, 100)),
            "^corr2d_multi_in: 要循环 100299 步",
        ),
        # 循环的步数把每个 (输出通道, 输入通道) 都算上：单个通道在上限以内也不行
        (
            lambda: corr2d_multi_in(torch.ones(2, 250, 250), torch.ones(2, 1, 1)),
            "125000 步.*请改用 torch.nn.functional.conv2d$",
        ),
        (
            lambda: corr2d_multi_in_out(torch.ones(2, 250, 125), torch.ones(2, 2, 1, 1)),
            "125000 步.*请改用 torch.nn.functional.conv2d$",
        ),
    ],
)
def test_shapes_that_do_not_fit_together_raise_value_error(call, message):
    raises_value_error_matching(call, message)


def test_one_by_one_is_a_matrix_product_with_no_loop_limit():
    X, K = torch.ones(64, 64, 64), torch.ones(64, 64, 1, 1)
    assert (corr2d_multi_in_out_1x1(X, K) == 64).all()


def test_channel_figures_show_what_the_channel_functions_return():
    svg, alt = two_channel_example()
    assert grid_numbers(svg, "output") == corr2d_multi_in(X2, K2).flatten().tolist()
    assert grid_numbers(svg, "input1") == X2[1].flatten().tolist()
    assert "= 56" in alt
    svg, _ = one_by_one_example()
    Y = corr2d_multi_in_out(X3, K3)
    for c in range(2):
        assert grid_numbers(svg, f"output{c}") == Y[c].flatten().tolist()

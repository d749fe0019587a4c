"""snippets/padding_and_strides.py 的测试：与 torch.nn.functional.conv2d 和 F.pad 对照。

末尾还测 figures/padding_and_strides.py：图上的数必须就是这些函数算出的数。
"""

import itertools

import pytest
import torch
import torch.nn.functional as F
from badinput import (
    Spec,
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

from figures.padding_and_strides import padding_example, stride_example
from snippets.conv_layer import K, X
from snippets.padding_and_strides import conv_output_shape, corr2d_strided, pad2d


@st.composite
def strided_case(draw):
    """随机的输入、卷积核、每侧填充和步幅，保证卷积核放得进填充后的输入。"""
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    p_h, p_w = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    k_h, k_w = draw(st.integers(1, h + 2 * p_h)), draw(st.integers(1, w + 2 * p_w))
    s_h, s_w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    X = torch.randn(h, w, generator=gen, dtype=dtype)
    K = torch.randn(k_h, k_w, generator=gen, dtype=dtype)
    # 一半的例子用整数写法（高宽相同时），一半用 (高, 宽)
    padding = p_h if p_h == p_w and draw(st.booleans()) else (p_h, p_w)
    stride = s_h if s_h == s_w and draw(st.booleans()) else (s_h, s_w)
    return X, K, padding, stride


@settings(max_examples=examples(300))
@given(strided_case())
def test_corr2d_strided_equals_torch_conv2d(case):
    X, K, padding, stride = case
    expected = F.conv2d(X[None, None], K[None, None], padding=padding, stride=stride)[0, 0]
    torch.testing.assert_close(corr2d_strided(X, K, padding, stride), expected)


@settings(max_examples=examples(200))
@given(strided_case())
def test_pad2d_equals_torch_pad(case):
    X, _, padding, _ = case
    p_h, p_w = (padding, padding) if isinstance(padding, int) else padding
    torch.testing.assert_close(pad2d(X, padding), F.pad(X, (p_w, p_w, p_h, p_h)))


@pytest.mark.parametrize("dtype", [torch.int64, torch.uint8, torch.bool])
def test_pad2d_is_exact_for_non_float_dtypes(dtype):
    X = torch.arange(1, 7).reshape(2, 3).to(dtype)
    torch.testing.assert_close(pad2d(X, (2, 1)), F.pad(X, (1, 1, 2, 2)))


def test_conv_output_shape_matches_pytorch_over_a_grid():
    checked = 0
    for n, k, p, s, d in itertools.product(range(1, 9), range(1, 6), range(3), range(1, 4), (1, 2)):
        if d * (k - 1) + 1 > n + 2 * p:
            continue  # PyTorch 也拒绝，见下一个测试
        out = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), None, s, p, d)
        assert conv_output_shape(n, k, p, s, d) == out.shape[-1], (n, k, p, s, d)
        checked += 1
    assert checked > 500  # 防止循环条件写错，实际只比了寥寥几个


@pytest.mark.parametrize(
    ("args", "shape"),
    [(((8, 8), (3, 5), (0, 1), (3, 4), 1), (2, 2)), (((7, 9), 3, 1, (2, 1), (1, 2)), (4, 7))],
)
def test_conv_output_shape_with_pairs(args, shape):
    n, k, p, s, d = args
    layer = torch.nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
    assert layer(torch.zeros(1, 1, *n)).shape[-2:] == conv_output_shape(*args) == shape


SPECS = [
    Spec(
        pad2d,
        {"X": torch.ones(2, 3), "padding": 1},
        {"X": tensor(2, floating=False), "padding": pair(0)},
    ),
    Spec(
        corr2d_strided,
        {"X": torch.ones(3, 3), "K": torch.ones(2, 2)},
        {"X": tensor(2), "K": tensor(2), "padding": pair(0), "stride": pair()},
    ),
    Spec(
        conv_output_shape,
        {"input_size": 5, "kernel_size": 3},
        {
            "input_size": pair(),
            "kernel_size": pair(),
            "padding": pair(0),
            "stride": pair(),
            "dilation": pair(),
        },
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
            lambda: corr2d_strided(torch.ones(3, 3), torch.ones(6, 2), padding=1),
            r"corr2d_strided: 卷积核 \(6, 2\) 放不进填充后的输入 \(5, 5\)",
        ),
        (
            lambda: corr2d_strided(torch.ones(3, 3), torch.ones(2, 6), padding=(2, 1)),
            r"卷积核 \(2, 6\) 放不进填充后的输入 \(7, 5\)",
        ),
        (
            lambda: corr2d_strided(torch.zeros(500, 500), torch.ones(1, 1), 0, (1, 2)),
            "125000 步.*请改用 torch.nn.functional.conv2d$",
        ),
        (
            lambda: corr2d_strided(torch.zeros(500, 500), torch.ones(1, 1), 0, (2, 1)),
            "125000 步.*请改用 torch.nn.functional.conv2d$",
        ),
        (
            lambda: corr2d_strided(torch.zeros(300, 300), torch.ones(1, 1), 10),
            "102400 步.*torch.nn.functional.conv2d$",
        ),
        (
            lambda: pad2d(torch.ones(1, 5000), (1000, 0)),
            "10005000 个元素.*请改用 torch.nn.functional.pad$",
        ),
        (lambda: pad2d(torch.ones(5000, 1), (0, 1000)), "10005000 个元素.*pad$"),
        (lambda: conv_output_shape(3, 6, padding=1), "卷积核覆盖 6 格，大于填充后的输入 5 格"),
        (lambda: conv_output_shape((9, 3), (3, 6), padding=1), "卷积核覆盖 6 格"),
        (lambda: conv_output_shape(5, 3, dilation=3), "卷积核覆盖 7 格"),
        (lambda: conv_output_shape(5, 3, dilation=(1, 3)), "卷积核覆盖 7 格"),
    ],
)
def test_sizes_that_do_not_fit_raise_value_error(call, message):
    raises_value_error_matching(call, message)


def test_stride_limits_the_loop_not_the_input():
    """步幅 2 时只走四分之一的窗口：上限数的是循环的步数，不是输入的大小。"""
    assert corr2d_strided(torch.zeros(400, 400), torch.ones(1, 1), stride=2).shape == (200, 200)


def test_padding_and_stride_figures_show_what_corr2d_strided_returns():
    svg, _ = padding_example()
    assert grid_numbers(svg, "input") == pad2d(X, 1).flatten().tolist()
    assert grid_numbers(svg, "output") == corr2d_strided(X, K, 1).flatten().tolist()
    svg, alt = stride_example()
    assert grid_numbers(svg, "output") == corr2d_strided(X, K, 1, (3, 2)).flatten().tolist()
    assert "= 8" in alt

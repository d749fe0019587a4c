"""snippets/padding_and_strides.py 的测试：与 torch.nn.functional.conv2d 和 F.pad 对照。

末尾还测 figures/padding_and_strides.py：图上的数必须就是这些函数算出的数。
"""

import itertools

import pytest
import torch
import torch.nn.functional as F
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
    X = torch.randn(h, w, generator=gen, dtype=torch.float64)
    K = torch.randn(k_h, k_w, generator=gen, dtype=torch.float64)
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


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pad2d(torch.ones(2, 2), -1), "padding 不能小于 0，得到 -1"),
        (
            lambda: pad2d(torch.ones(2, 2), (1, 2, 3)),
            r"padding 应为整数或两个整数，得到 \(1, 2, 3\)",
        ),
        (lambda: pad2d(torch.ones(2, 2), 1.5), "padding 应为整数或两个整数，得到 1.5"),
        (lambda: pad2d(torch.ones(2, 2, 2), 1), r"X 应为二维张量，得到 torch.Size\(\[2, 2, 2\]\)"),
        (lambda: corr2d_strided(torch.ones(3, 3), torch.ones(2, 2), stride=0), "stride 不能小于 1"),
        (lambda: corr2d_strided(torch.ones(3, 3), torch.ones(2, 2), stride=(1, -2)), "stride"),
        (lambda: corr2d_strided(torch.ones(3, 3), torch.ones(2, 2), padding=-1), "padding"),
        (lambda: corr2d_strided(torch.ones(3), torch.ones(2, 2)), "X 应为非空的二维张量"),
        (lambda: corr2d_strided(torch.ones(3, 3), [[1.0]]), "K 应为非空的二维张量，得到 list"),
        (
            lambda: corr2d_strided(torch.ones(3, 3), torch.ones(6, 2), padding=1),
            r"卷积核形状 \(6, 2\) 大于填充后的输入形状 \(5, 5\)",
        ),
        (lambda: conv_output_shape(3, 6, padding=1), "卷积核覆盖 6 格，大于填充后的输入 5 格"),
        (lambda: conv_output_shape(5, 3, dilation=3), "卷积核覆盖 7 格"),
        (lambda: conv_output_shape(0, 1), "input_size 不能小于 1"),
        (lambda: conv_output_shape(5, 3, stride=0), "stride 不能小于 1"),
        (lambda: conv_output_shape(5, 3, dilation=0), "dilation 不能小于 1"),
        (lambda: conv_output_shape(5, True), "kernel_size 应为整数或两个整数"),
    ],
)
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_pytorch_rejects_the_same_bad_inputs():
    """上面的检查不是多余的：这些情况 PyTorch 同样报错（措辞不同）。"""
    X, K = torch.ones(1, 1, 3, 3), torch.ones(1, 1, 6, 2)
    with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
        F.conv2d(X, K, padding=1)
    with pytest.raises(RuntimeError, match="non-positive stride is not supported"):
        F.conv2d(X, torch.ones(1, 1, 2, 2), stride=0)
    with pytest.raises(RuntimeError, match="negative padding is not supported"):
        F.conv2d(X, torch.ones(1, 1, 2, 2), padding=-1)


def test_padding_and_stride_figures_show_what_corr2d_strided_returns():
    svg, _ = padding_example()
    assert grid_numbers(svg, "input") == pad2d(X, 1).flatten().tolist()
    assert grid_numbers(svg, "output") == corr2d_strided(X, K, 1).flatten().tolist()
    svg, alt = stride_example()
    assert grid_numbers(svg, "output") == corr2d_strided(X, K, 1, (3, 2)).flatten().tolist()
    assert "= 8" in alt

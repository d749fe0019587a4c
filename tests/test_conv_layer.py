"""snippets/conv_layer.py 的测试：每个函数都和 torch.nn.functional 对照。

末尾还测 figures/conv_layer.py：图上的数必须就是这些函数算出的数。
"""

import pytest
import torch
import torch.nn.functional as F
from badinput import (
    Spec,
    integer,
    pair,
    params,
    positive_number,
    raises_value_error_matching,
    raises_value_error_naming,
    tensor,
)
from examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from svgread import grid_numbers
from torch import nn

from figures.conv_layer import corr2d_example, edge_detection
from snippets.checks import MAX_LOOP_STEPS
from snippets.conv_layer import (
    EDGE_KERNEL,
    Conv2D,
    K,
    X,
    convolve2d,
    corr1d,
    corr2d,
    corr3d,
    edge_image,
    learn_kernel,
)


@st.composite
def input_and_kernel(draw, ndim):
    """随机形状的输入 X 和不比它大的卷积核 K：float32 或 float64，数值随机。

    形状从 1 起（1×1 的输入、和输入一样大的卷积核都会出现）。
    """
    sizes = [draw(st.integers(1, 7)) for _ in range(ndim)]
    ksizes = [draw(st.integers(1, n)) for n in sizes]
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    X = torch.randn(sizes, generator=gen, dtype=dtype)
    K = torch.randn(ksizes, generator=gen, dtype=dtype)
    return X, K


def batched(T):
    """(…) -> (1, 1, …)：torch.nn.functional 要求批量和通道两个维度。"""
    return T[None, None]


@settings(max_examples=examples(200))
@given(input_and_kernel(2))
def test_corr2d_equals_torch_conv2d(XK):
    X, K = XK
    torch.testing.assert_close(corr2d(X, K), F.conv2d(batched(X), batched(K))[0, 0])


@settings(max_examples=examples(200))
@given(input_and_kernel(2))
def test_convolve2d_is_conv2d_with_flipped_kernel(XK):
    X, K = XK
    expected = F.conv2d(batched(X), batched(K.flip(0, 1)))[0, 0]
    torch.testing.assert_close(convolve2d(X, K), expected)


@settings(max_examples=examples(100))
@given(input_and_kernel(1))
def test_corr1d_equals_torch_conv1d(xk):
    x, k = xk
    torch.testing.assert_close(corr1d(x, k), F.conv1d(batched(x), batched(k))[0, 0])


@settings(max_examples=examples(100))
@given(input_and_kernel(3))
def test_corr3d_equals_torch_conv3d(XK):
    X, K = XK
    torch.testing.assert_close(corr3d(X, K), F.conv3d(batched(X), batched(K))[0, 0])


def test_worked_example():
    X = torch.arange(9.0).reshape(3, 3)
    K = torch.arange(4.0).reshape(2, 2)
    assert corr2d(X, K).tolist() == [[19.0, 25.0], [37.0, 43.0]]


def test_output_dtype_follows_inputs():
    X = torch.arange(9.0).reshape(3, 3)
    assert corr2d(X, torch.ones(2, 2)).dtype == torch.float32
    assert corr2d(X.double(), torch.ones(2, 2)).dtype == torch.float64  # 不会悄悄降低精度


def test_edge_kernel_finds_vertical_edges_only():
    X = edge_image()
    Y = corr2d(X, EDGE_KERNEL)
    assert Y.shape == (6, 7)
    assert (Y[:, 1] == 1).all() and (Y[:, 5] == -1).all()
    assert Y.abs().sum() == 2 * 6  # 只有这两列非零
    assert corr2d(X.t(), EDGE_KERNEL).abs().sum() == 0  # 转置后是水平边缘，这个核看不见


def test_conv2d_layer_learns_the_edge_kernel():
    X = edge_image()
    Y = corr2d(X, EDGE_KERNEL)
    conv, losses = learn_kernel(X, Y, kernel_size=(1, 2), steps=30)
    assert losses[-1] < 1e-3 * losses[0]
    torch.testing.assert_close(conv.weight.detach(), EDGE_KERNEL, atol=0.05, rtol=0)


def test_conv2d_layer_learns_a_3x3_kernel_and_the_bias():
    """页面上的二维例子：Sobel 核加偏置 0.5 生成的目标，学习率 0.01 走 40 步就学回来。"""
    torch.manual_seed(0)
    image = torch.randn(8, 8)
    sobel = torch.tensor([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    conv, losses = learn_kernel(image, corr2d(image, sobel) + 0.5, (3, 3), steps=40, lr=0.01)
    assert losses[-1] < 1e-6 * losses[0]
    torch.testing.assert_close(conv.weight.detach(), sobel, atol=0.002, rtol=0)
    torch.testing.assert_close(conv.bias.detach(), torch.tensor([0.5]), atol=0.002, rtol=0)


def test_learn_kernel_is_seeded():
    X = edge_image()
    Y = corr2d(X, EDGE_KERNEL)
    assert learn_kernel(X, Y, (1, 2))[1] == learn_kernel(X, Y, (1, 2))[1]
    assert learn_kernel(X, Y, (1, 2), seed=1)[1] != learn_kernel(X, Y, (1, 2))[1]


def test_conv2d_layer_forward_matches_nn_conv2d():
    torch.manual_seed(0)
    layer = Conv2D((2, 3))
    X = torch.randn(5, 6)
    expected = F.conv2d(batched(X), batched(layer.weight), bias=layer.bias)[0, 0]
    torch.testing.assert_close(layer(X), expected)


def copied_layers(K, bias):
    """本章的 Conv2D 和 PyTorch 的 nn.Conv2d，参数换成同一个卷积核 K 和偏置 bias。

    页面上“和 PyTorch 对照”一节就这样对照。
    """
    ours = Conv2D(tuple(K.shape)).to(K.dtype)
    theirs = nn.Conv2d(1, 1, kernel_size=tuple(K.shape)).to(K.dtype)
    with torch.no_grad():
        ours.weight.copy_(K)
        ours.bias.fill_(bias)
        theirs.weight.copy_(batched(K))
        theirs.bias.fill_(bias)
    return ours, theirs


@settings(max_examples=examples(100))
@given(input_and_kernel(2), st.floats(-2, 2))
def test_conv2d_layer_matches_nn_conv2d_forward_and_backward(XK, bias):
    """前向的输出和反向的梯度都一样：corr2d 里 Y[i, j] = … 的原地写入不妨碍自动求导（练习 2）。"""
    X, K = XK
    ours, theirs = copied_layers(K, bias)
    y_ours, y_torch = ours(X), theirs(batched(X))[0, 0]
    torch.testing.assert_close(y_ours, y_torch)
    y_ours.square().sum().backward()
    y_torch.square().sum().backward()
    torch.testing.assert_close(ours.weight.grad, theirs.weight.grad[0, 0])
    torch.testing.assert_close(ours.bias.grad, theirs.bias.grad)


def test_worked_example_through_torch_layout():
    """页面上的做法：X[None, None] 和 K.reshape(1, 1, 2, 2) 交给 F.conv2d，小整数逐位相同。"""
    assert torch.equal(F.conv2d(X[None, None], K.reshape(1, 1, 2, 2))[0, 0], corr2d(X, K))


SPECS = [
    Spec(corr2d, {"X": torch.ones(3, 3), "K": torch.ones(2, 2)}, {"X": tensor(2), "K": tensor(2)}),
    Spec(
        convolve2d, {"X": torch.ones(3, 3), "K": torch.ones(2, 2)}, {"X": tensor(2), "K": tensor(2)}
    ),
    Spec(corr1d, {"x": torch.ones(3), "k": torch.ones(2)}, {"x": tensor(1), "k": tensor(1)}),
    Spec(
        corr3d,
        {"X": torch.ones(3, 3, 3), "K": torch.ones(2, 2, 2)},
        {"X": tensor(3), "K": tensor(3)},
    ),
    Spec(Conv2D, {"kernel_size": (1, 2)}, {"kernel_size": pair()}),
    Spec(
        lambda x: Conv2D((1, 2))(x), {"x": torch.ones(3, 3)}, {"x": tensor(2)}, "corr2d", {"x": "X"}
    ),
    Spec(
        learn_kernel,
        {"X": edge_image(), "Y": torch.ones(6, 7), "kernel_size": (1, 2), "steps": 1},
        {
            "X": tensor(2),
            "Y": tensor(2),
            "kernel_size": pair(),
            "steps": integer(),
            "lr": positive_number(),
            "seed": integer(minimum=0),
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
            lambda: corr2d(torch.ones(3, 3), torch.ones(4, 2)),
            r"卷积核 \(4, 2\) 放不进输入 \(3, 3\)",
        ),
        (
            lambda: corr2d(torch.ones(3, 3), torch.ones(2, 4)),
            r"卷积核 \(2, 4\) 放不进输入 \(3, 3\)",
        ),
        (lambda: corr1d(torch.ones(2), torch.ones(3)), r"卷积核 \(3,\) 放不进输入 \(2,\)"),
        (lambda: corr3d(torch.ones(3, 3, 3), torch.ones(3, 3, 4)), r"corr3d: 卷积核 \(3, 3, 4\)"),
        (lambda: convolve2d(torch.ones(2, 2), torch.ones(2, 3)), "corr2d: 卷积核"),
        (
            lambda: learn_kernel(edge_image(), torch.ones(6, 8), (1, 2)),
            r"Y 的形状 \(6, 8\) 与卷积输出 \(6, 7\) 不同",
        ),
        (
            lambda: learn_kernel(edge_image(), torch.ones(6, 7), (1, 2), steps=3000),
            "请改用 torch.nn.Conv2d 和 torch.optim$",
        ),
    ],
)
def test_shapes_that_do_not_fit_raise_value_error(call, message):
    raises_value_error_matching(call, message)


@pytest.mark.parametrize(
    ("call", "steps", "instead"),
    [
        (lambda n: corr2d(torch.zeros(n, n), torch.ones(1, 1)), lambda n: n * n, "conv2d"),
        (lambda n: corr2d(torch.zeros(n, 1), torch.ones(1, 1)), lambda n: n, "conv2d"),
        (lambda n: corr1d(torch.zeros(n), torch.ones(1)), lambda n: n, "conv1d"),
        (lambda n: corr3d(torch.zeros(1, 1, n), torch.ones(1, 1, 1)), lambda n: n, "conv3d"),
        (lambda n: corr3d(torch.zeros(n, 1, 1), torch.ones(1, 1, 1)), lambda n: n, "conv3d"),
    ],
)
def test_loops_refuse_more_than_the_limit_and_point_to_pytorch(call, steps, instead):
    """比上限多的循环直接报错并指向 PyTorch，而不是一跑几分钟（上限的边界见 test_checks）。"""
    n = next(n for n in range(1, MAX_LOOP_STEPS + 2) if steps(n) > MAX_LOOP_STEPS)
    pattern = f"{steps(n)} 步.*请改用 torch.nn.functional.{instead}$"
    raises_value_error_matching(lambda: call(n), pattern)


def test_corr2d_figure_shows_what_corr2d_returns():
    svg, alt = corr2d_example()
    assert grid_numbers(svg, "input") == X.flatten().tolist()
    assert grid_numbers(svg, "kernel") == K.flatten().tolist()
    assert grid_numbers(svg, "output") == corr2d(X, K).flatten().tolist()
    assert "19" in alt and "43" in alt


def test_edge_figure_shows_what_corr2d_returns():
    svg, alt = edge_detection()
    assert grid_numbers(svg, "input") == edge_image().flatten().tolist()
    assert grid_numbers(svg, "output") == corr2d(edge_image(), EDGE_KERNEL).flatten().tolist()
    assert "6×7" in alt

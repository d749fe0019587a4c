"""snippets/pooling.py 的测试：与 max_pool2d / avg_pool2d 对照；感受野与梯度探针对照。

末尾还测 figures/pooling.py：图上的数必须就是这些函数算出的数。
"""

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
from svgread import grid_numbers

from figures.pooling import SIDE, max_pooling_example, receptive_field_growth
from snippets.conv_layer import X
from snippets.pooling import pool2d, pool_output_shape, receptive_fields


@st.composite
def pooling_case(draw):
    """随机的多通道输入、窗口、步幅和（不超过窗口一半的）填充。"""
    c, h, w = draw(st.integers(1, 3)), draw(st.integers(1, 7)), draw(st.integers(1, 7))
    k_h, k_w = draw(st.integers(1, h + 1)), draw(st.integers(1, w + 1))
    pad = (draw(st.integers(0, k_h // 2)), draw(st.integers(0, k_w // 2)))
    if k_h > h + 2 * pad[0] or k_w > w + 2 * pad[1]:
        pad = (k_h // 2, k_w // 2)
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    X = torch.randn(c, h, w, generator=gen, dtype=dtype)
    return X, (k_h, k_w), pad, stride


def torch_pool(mode, X, size, pad, stride):
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    return pool(X[None], size, stride=stride, padding=pad)[0]


@pytest.mark.parametrize("mode", ["max", "avg"])
@settings(max_examples=examples(250))
@given(case=pooling_case())
def test_pool2d_equals_torch_channel_by_channel(mode, case):
    X, size, pad, stride = case
    expected = torch_pool(mode, X, size, pad, stride)
    torch.testing.assert_close(pool2d(X, size, mode, pad, stride), expected)
    torch.testing.assert_close(pool2d(X[0], size, mode, pad, stride), expected[0])


@st.composite
def shape_case(draw):
    """pool_output_shape 的参数：一半是 (高, 宽)，一半是整数；填充、窗口会越界，空洞和步幅都抽。"""
    square = draw(st.booleans())

    def part(low, high):
        first = draw(st.integers(low, high))
        return first if square else (first, draw(st.integers(low, high)))

    stride = None if draw(st.integers(0, 3)) == 0 else part(1, 5)
    return part(1, 12), part(1, 8), part(0, 3), stride, part(1, 4), draw(st.booleans())


def torch_pool_shape(mode, size, kernel, padding, stride, dilation, ceil_mode):
    """torch 接受时是输出的 (高, 宽)，拒绝时是 None。"""
    h, w = (size, size) if isinstance(size, int) else size
    X = torch.zeros(1, 1, h, w)
    try:
        if mode == "max":
            Y = F.max_pool2d(X, kernel, stride, padding, dilation, ceil_mode)
        else:
            Y = F.avg_pool2d(X, kernel, stride, padding, ceil_mode)
    except RuntimeError:
        return None
    return tuple(Y.shape[2:])


@pytest.mark.parametrize("mode", ["max", "avg"])
@settings(max_examples=examples(500))
@given(case=shape_case())
def test_pool_output_shape_accepts_refuses_and_sizes_like_torch(mode, case):
    size, kernel, padding, stride, dilation, ceil_mode = case
    if mode == "avg":  # 平均汇聚没有空洞
        dilation = 1 if isinstance(dilation, int) else (1, 1)
    expected = torch_pool_shape(mode, size, kernel, padding, stride, dilation, ceil_mode)
    if expected is None:
        with pytest.raises(ValueError, match="^pool_output_shape: "):
            pool_output_shape(size, kernel, padding, stride, dilation, ceil_mode)
        return
    got = pool_output_shape(size, kernel, padding, stride, dilation, ceil_mode)
    if all(isinstance(v, int | None) for v in case[:5]):
        assert got == expected[0] == expected[1]
    else:
        assert got == expected


def test_pool_output_shape_on_the_examples_of_the_page():
    assert pool_output_shape(5, 2) == 2
    assert pool_output_shape(5, 2, ceil_mode=True) == 3
    # 向上取整本该是 ⌈(5 + 2 − 2) / 2⌉ + 1 = 4，但第 4 个窗口从右侧填充开始，PyTorch 丢掉它
    assert pool_output_shape(5, 2, padding=1, ceil_mode=True) == 3
    # 窗口比填充后的输入还大，向上取整仍给出一个输出
    assert pool_output_shape(4, 5, stride=2, ceil_mode=True) == 1
    assert pool_output_shape((4, 6), (5, 3), stride=2, ceil_mode=True) == (1, 3)
    assert pool_output_shape(1, 2, padding=1, dilation=2) == 1


def test_max_pooling_never_picks_a_padded_cell():
    X = -torch.ones(2, 2)  # 全是负数：如果补的 0 被选中，结果会变成 0
    assert (pool2d(X, 2, "max", padding=1, stride=1) == -1).all()
    assert pool2d(X, 2, "avg", padding=1, stride=1)[0, 0] == -0.25  # 平均汇聚把补的 0 算进去


def probe(layers, size=41):
    """梯度探针：中心那个输出元素的梯度落在输入的多宽一片上。

    每层都用全 1 的卷积代替：窗口、步幅、空洞相同，几何就相同；最大汇聚的梯度只流向最大的
    那个格子，量不出整个窗口，所以不用它。
    """
    X = torch.ones(1, 1, size, size, requires_grad=True)
    out = X
    for layer in layers:
        kernel, stride, dilation = (*layer, 1)[:3]
        out = F.conv2d(out, torch.ones(1, 1, kernel, kernel), stride=stride, dilation=dilation)
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    touched = (X.grad[0, 0] != 0).any(dim=0).nonzero().flatten()
    return int(touched.max() - touched.min() + 1)


STACKS = [
    [(3, 1)],
    [(3, 1), (3, 1)],
    [(3, 1), (3, 1), (3, 1)],
    [(3, 1), (2, 2), (3, 1)],
    [(5, 1), (2, 2), (5, 1), (2, 2), (3, 1)],
    [(3, 1, 1), (3, 1, 2), (3, 1, 4)],
    [(7, 2), (3, 2), (3, 1)],
]


@pytest.mark.parametrize("layers", STACKS)
def test_receptive_fields_match_a_gradient_probe(layers):
    sizes = receptive_fields(layers)
    assert sizes == [probe(layers[: n + 1]) for n in range(len(layers))]


SPECS = [
    Spec(
        pool2d,
        {"X": torch.ones(2, 3, 3), "pool_size": 2},
        {
            "X": tensor(2, 3),
            "pool_size": pair(),
            "padding": pair(0),
            # stride=None 是合法的（等于窗口大小），其余坏值照旧
            "stride": {k: [v for v in vs if v is not None] for k, vs in pair().items()},
        },
    ),
    Spec(
        pool_output_shape,
        {"input_size": 5, "kernel_size": 2},
        {
            "input_size": pair(),
            "kernel_size": pair(),
            "padding": pair(0),
            "stride": {k: [v for v in vs if v is not None] for k, vs in pair().items()},
            "dilation": pair(),
            "ceil_mode": boolean(),
        },
    ),
    Spec(
        receptive_fields,
        {"layers": [(3, 1), (2, 2)]},
        {"layers": {"不是列表": [(x for x in [(3, 1)]), 3, None, "3,1"]}},
    ),
]


def one_bad_part(index):
    """第 1 层的第 index 项（窗口、步幅、空洞）换成 value，其余合法。"""

    def call(value):
        layer = [3, 1, 1]
        layer[index] = value
        return receptive_fields([(3, 1), tuple(layer)])

    return call


for index, part in enumerate(("窗口", "步幅", "空洞")):
    SPECS.append(
        Spec(
            one_bad_part(index),
            {"value": 1},
            {"value": integer()},
            name="receptive_fields",
            mention={"value": f"{part} layers[1][{index}]"},
        )
    )
CASES, IDS = params(SPECS)


@pytest.mark.parametrize(("call", "words"), CASES, ids=IDS)
def test_each_class_of_bad_argument_raises_value_error(call, words):
    raises_value_error_naming(call, words)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pool2d(torch.ones(3, 3), 2, mode="min"), "mode 应为 'max' 或 'avg'，得到 'min'"),
        (lambda: pool2d(torch.ones(3, 3), 2, mode=None), "mode 应为 'max' 或 'avg'，得到 None"),
        (lambda: pool2d(torch.ones(3, 3), (4, 2)), r"窗口 \(4, 2\) 放不进填充后的输入 \(3, 3\)"),
        (lambda: pool2d(torch.ones(3, 3), (2, 4)), r"窗口 \(2, 4\) 放不进填充后的输入 \(3, 3\)"),
        (lambda: pool2d(torch.ones(2, 2), 5, padding=(2, 1)), r"放不进填充后的输入 \(6, 4\)"),
        (lambda: pool2d(torch.ones(3, 3), 3, padding=2), "padding 2 不能超过窗口 3 的一半"),
        (lambda: pool2d(torch.ones(3, 3), 3, padding=(1, 2)), "不能超过窗口 3 的一半"),
        (lambda: pool2d(torch.ones(3, 3), (2, 3), padding=(2, 1)), "不能超过窗口"),
        (
            lambda: pool2d(torch.ones(2, 250, 250), 1),
            "125000 步.*请改用 torch.nn.functional.max_pool2d / avg_pool2d$",
        ),
        (lambda: pool2d(torch.ones(500, 500), 1, stride=(1, 2)), "125000 步.*avg_pool2d$"),
        (lambda: pool2d(torch.ones(500, 500), 1, stride=(2, 1)), "125000 步.*avg_pool2d$"),
        (lambda: pool_output_shape(5, 3, padding=2), "padding 2 不能超过窗口 3 的一半"),
        (
            lambda: pool_output_shape(5, (4, 3), padding=(2, 2)),
            r"padding \(2, 2\) 不能超过窗口 \(4, 3\)",
        ),
        # 空洞后的窗口覆盖 5 格，一半是 2；PyTorch 仍按窗口本身的 3 格拒绝 padding 2
        (lambda: pool_output_shape(5, 3, padding=2, dilation=2), "不能超过窗口 3 的一半"),
        (lambda: pool_output_shape(3, 4), "窗口覆盖 4 格，填充后的输入只有 3 格，得不到一个输出"),
        (lambda: pool_output_shape((3, 5), (2, 6)), "窗口覆盖 6 格，填充后的输入只有 5 格"),
        (lambda: pool_output_shape((6, 3), (6, 2), dilation=(1, 3)), "窗口覆盖 4 格，.*只有 3 格"),
        (lambda: pool_output_shape(1, 9, stride=8, ceil_mode=True), "窗口覆盖 9 格，.*只有 1 格"),
        (
            lambda: receptive_fields([(3, 1), 3]),
            r"layers\[1\] 应为 \(窗口, 步幅\[, 空洞\]\)，得到 3",
        ),
        (lambda: receptive_fields([(3,)]), r"layers\[0\] 应为 .*，得到 \(3,\)"),
        (lambda: receptive_fields([(3, 1, 1, 1)]), r"layers\[0\] 应为 .*，得到 \(3, 1, 1, 1\)"),
    ],
)
def test_values_that_do_not_fit_together_raise_value_error(call, message):
    raises_value_error_matching(call, message)


def test_receptive_fields_take_lists_too_and_an_empty_stack():
    assert receptive_fields([[3, 2], [3, 1, 2]]) == receptive_fields([(3, 2), (3, 1, 2)]) == [3, 11]
    assert receptive_fields([]) == []


def test_pooling_figures_show_what_pool2d_and_receptive_fields_return():
    svg, _ = max_pooling_example()
    assert grid_numbers(svg, "output") == pool2d(X, 2, "max", stride=1).flatten().tolist()
    svg, alt = receptive_field_growth()
    layers = torch.tensor(grid_numbers(svg, "layers")).reshape(SIDE, SIDE)
    for n, size in enumerate(receptive_fields([(3, 1)] * 4), start=1):
        # 标着 ≤ n 的格子，正好是中心 size×size 的方块
        inside = (layers <= n).nonzero()
        assert inside.min(0).values.tolist() == [(SIDE - size) // 2] * 2
        assert int((layers <= n).sum()) == size * size
        assert f"{size}×{size}" in alt

"""snippets/conv_net.py 和 figures/conv_net.py 的测试。"""

import pytest
import torch
from badinput import Spec, integer, params, raises_value_error_matching, raises_value_error_naming
from examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from svgread import SVG, layouts
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from figures.conv_net import lenet_shape_strip
from snippets.channels import conv_cost
from snippets.conv_net import (
    basic_cnn,
    conv3x3,
    count_layers,
    deep_narrow,
    lenet,
    mlp_for_cifar,
    separable_block,
    separable_cnn,
    shallow_wide,
    show_counts,
)
from snippets.padding_and_strides import conv_output_shape
from snippets.tables import display_width

# ==== 区域 gallery 开始（助手 G） ====
# ==== 区域 gallery 结束 ====


# ==== 区域 groups 开始（助手 B） ====
# ==== 区域 groups 结束 ====


# ==== 区域 count 开始（主会话） ====
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
    (total,) = capsys.readouterr().out.splitlines()
    assert (
        total.startswith("合计")
        and total.split()[1] == f"{sum(p.numel() for p in lenet().parameters()):,}"
    )


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
    Spec(count_layers, {"model": nn.Linear(2, 2), "input_shape": (2,)}, {}),
    Spec(conv3x3, {"c_in": 1, "c_out": 1}, {"c_in": integer(), "c_out": integer()}),
    Spec(
        separable_block,
        {"c_in": 1, "c_out": 1, "stride": 1},
        {"c_in": integer(), "c_out": integer(), "stride": integer()},
    ),
]
COUNT_CASES, COUNT_IDS = params(COUNT_SPECS)


@pytest.mark.parametrize(("call", "words"), COUNT_CASES, ids=COUNT_IDS)
def test_each_class_of_bad_argument_to_the_counting_code_raises_value_error(call, words):
    raises_value_error_naming(call, words)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: count_layers(lambda x: x, (2,)), "model 应为 nn.Module，得到 function"),
        (lambda: count_layers(nn.Linear(2, 2), 2), "input_shape 应为非空的整数元组，得到 2"),
        (lambda: count_layers(nn.Linear(2, 2), ()), r"input_shape 应为非空的整数元组，得到 \(\)"),
        (lambda: count_layers(nn.Linear(2, 2), (2, 0)), r"input_shape\[1\] 应为不小于 1 的整数"),
        (lambda: count_layers(nn.Linear(2, 2), (2.0,)), r"input_shape\[0\] 应为整数，得到 2.0"),
    ],
)
def test_bad_models_and_input_shapes_raise_value_error(call, message):
    raises_value_error_matching(call, message)


# ==== 区域 count 结束 ====

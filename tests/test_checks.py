"""snippets/checks.py 的测试：每个检查的两侧边界——刚好合法的放过，刚好不合法的报错。

各章函数对坏输入的测试在各章的测试文件里（用 tests/badinput.py 按类生成）。
"""

import math

import pytest
import torch
from examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sitebuild.project import ROOT
from snippets.checks import (
    MAX_ELEMENTS,
    MAX_LOOP_STEPS,
    check_bool,
    check_elements,
    check_fits,
    check_int,
    check_loop,
    check_pair,
    check_positive_number,
    check_tensor,
)


def test_check_int_accepts_the_bounds_and_returns_the_value():
    assert check_int("f", "n", 1) == 1
    assert check_int("f", "n", 0, minimum=0) == 0
    assert check_int("f", "n", -3, minimum=-3, maximum=3) == -3
    assert check_int("f", "n", 3, minimum=-3, maximum=3) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("f", "n", 0), "f: n 应为不小于 1 的整数，得到 0"),
        (("f", "n", -1, 0), "f: n 应为不小于 0 的整数，得到 -1"),
        (("f", "n", 4, -3, 3), "f: n 应为 -3 到 3 之间的整数，得到 4"),
        (("f", "n", -4, -3, 3), "f: n 应为 -3 到 3 之间的整数，得到 -4"),
        (("f", "n", True), "f: n 应为整数，得到 True"),
        (("f", "n", 2.0), "f: n 应为整数，得到 2.0"),
        (("f", "n", "2"), "f: n 应为整数，得到 '2'"),
    ],
)
def test_check_int_rejects(args, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        check_int(*args)


def test_check_pair_spreads_one_int_and_keeps_two():
    assert check_pair("f", "s", 3) == (3, 3)
    assert check_pair("f", "s", [3, 5]) == (3, 5)
    assert check_pair("f", "s", (0, 0), minimum=0) == (0, 0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "f: s 应为不小于 1 的整数，得到 0"),
        ((0, 2), r"f: s\[0\] 应为不小于 1 的整数，得到 0"),
        ((2, 0), r"f: s\[1\] 应为不小于 1 的整数，得到 0"),
        ((2, 1.5), r"f: s\[1\] 应为整数，得到 1.5"),
        ((True, 2), r"f: s\[0\] 应为整数，得到 True"),
        ((1, 2, 3), r"f: s 应为一个整数或 \(高, 宽\) 两个整数，得到 \(1, 2, 3\)"),
        ((), r"f: s 应为一个整数或 \(高, 宽\) 两个整数，得到 \(\)"),
        (None, "f: s 应为整数，得到 None"),
    ],
)
def test_check_pair_names_the_half_that_is_wrong(value, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        check_pair("f", "s", value)


def test_check_bool_takes_only_true_and_false():
    assert check_bool("f", "bias", True) is True
    assert check_bool("f", "bias", False) is False
    for value in (0, 1, "no", None):
        with pytest.raises(ValueError, match=f"^f: bias 应为 True 或 False，得到 {value!r}$"):
            check_bool("f", "bias", value)


def test_check_positive_number_bounds():
    assert check_positive_number("f", "lr", 1) == 1
    assert check_positive_number("f", "lr", 1e-300) == 1e-300
    for value in (0, 0.0, -1e-300, math.inf, math.nan):
        with pytest.raises(ValueError, match="^f: lr 应为有限的正数"):
            check_positive_number("f", "lr", value)
    for value in (True, "0.1", None):
        with pytest.raises(ValueError, match="^f: lr 应为正数"):
            check_positive_number("f", "lr", value)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_check_tensor_accepts_every_float_dtype(dtype):
    X = torch.ones(1, 1, dtype=dtype)
    assert check_tensor("f", "X", X, ndim=2) is X


@pytest.mark.parametrize("dtype", [torch.int64, torch.uint8, torch.bool, torch.complex64])
def test_check_tensor_rejects_other_dtypes_unless_told_not_to(dtype):
    X = torch.ones(2, 2).to(dtype)
    with pytest.raises(ValueError, match=f"^f: X 应为浮点张量，得到 {dtype}；请先 .float\\(\\)$"):
        check_tensor("f", "X", X, ndim=2)
    assert check_tensor("f", "X", X, ndim=2, floating=False) is X


@pytest.mark.parametrize(
    ("t", "ndim", "message"),
    [
        ([[1.0]], 2, "f: X 应为 torch.Tensor，得到 list"),
        (torch.ones(2), 2, r"f: X 应为 2 维张量，得到形状 \(2,\)"),
        (torch.ones(2), (2, 3), r"f: X 应为 2 或 3 维张量，得到形状 \(2,\)"),
        (torch.ones(2, 0), 2, r"f: X 不能是空张量，得到形状 \(2, 0\)"),
        (torch.ones(0, 2), 2, r"f: X 不能是空张量，得到形状 \(0, 2\)"),
    ],
)
def test_check_tensor_rejects(t, ndim, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        check_tensor("f", "X", t, ndim)


def test_check_tensor_accepts_any_of_the_allowed_dims():
    for shape in ((2, 2), (1, 2, 2)):
        check_tensor("f", "X", torch.ones(shape), ndim=(2, 3))


def test_check_fits_allows_equal_sizes_and_rejects_either_side_too_big():
    check_fits("f", (3, 3), (3, 3))
    with pytest.raises(ValueError, match=r"^f: 卷积核 \(4, 3\) 放不进输入 \(3, 3\)$"):
        check_fits("f", (4, 3), (3, 3))
    with pytest.raises(ValueError, match=r"^f: 窗口 \(3, 4\) 放不进场景 \(3, 3\)$"):
        check_fits("f", (3, 4), (3, 3), window="窗口", within="场景")


def test_limits_are_the_ones_the_pages_state():
    """conv-layer.md 说循环上限是“十万步”，checks.py 说元素上限在 float32 时约 40 MB。"""
    assert MAX_LOOP_STEPS == 100_000
    assert "十万步" in (ROOT / "docs" / "conv-layer.md").read_text(encoding="utf-8")
    assert MAX_ELEMENTS * 4 == 40_000_000


def test_check_loop_allows_exactly_the_limit():
    check_loop("f", MAX_LOOP_STEPS, instead="g")
    message = f"^f: 要循环 {MAX_LOOP_STEPS + 1} 步，超过了循环实现的上限 {MAX_LOOP_STEPS}；"
    with pytest.raises(ValueError, match=message + "请改用 g$"):
        check_loop("f", MAX_LOOP_STEPS + 1, instead="g")


def test_check_elements_allows_exactly_the_limit():
    check_elements("f", MAX_ELEMENTS, instead="g")
    message = f"^f: 要新建 {MAX_ELEMENTS + 1} 个元素的张量，超过了上限 {MAX_ELEMENTS}；请改用 g$"
    with pytest.raises(ValueError, match=message):
        check_elements("f", MAX_ELEMENTS + 1, instead="g")


@settings(max_examples=examples(200))
@given(
    shape=st.lists(st.integers(0, 3), min_size=1, max_size=4),
    dtype=st.sampled_from(
        [torch.float16, torch.float32, torch.float64, torch.int8, torch.int64, torch.bool]
    ),
)
def test_check_tensor_over_random_shapes_and_dtypes(shape, dtype):
    """空的、维数不对的、非浮点的都报错；其余原样返回。与函数怎样用它无关，逐条规则对照。"""
    X = torch.zeros(shape, dtype=dtype)
    problems = []
    if len(shape) not in (2, 3):
        problems.append("维张量")
    elif 0 in shape:
        problems.append("空张量")
    elif not dtype.is_floating_point:
        problems.append("浮点张量")
    if problems:
        with pytest.raises(ValueError, match=problems[0]):
            check_tensor("f", "X", X, ndim=(2, 3))
    else:
        assert check_tensor("f", "X", X, ndim=(2, 3)) is X

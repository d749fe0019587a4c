"""snippets/tables.py：按显示宽度补空格。"""

import pytest
from badinput import (
    Spec,
    integer,
    params,
    raises_value_error_matching,
    raises_value_error_naming,
)
from hypothesis import given
from hypothesis import strategies as st

from snippets.tables import display_width, pad


@pytest.mark.parametrize(
    ("text", "width"),
    [("", 0), ("abc", 3), ("输入", 4), ("3×3 卷积", 8), ("参数：", 6), ("Δ=1", 3), (128, 3)],
)
def test_chinese_characters_and_full_width_punctuation_take_two_columns(text, width):
    assert display_width(text) == width


@given(st.text(alphabet="ab1×→Δ输入卷积，：", max_size=8), st.integers(0, 20))
def test_padding_reaches_the_width_on_the_side_asked_for(text, width):
    left, right = pad(text, width), pad(text, width, ">")
    assert display_width(left) == display_width(right) == max(width, display_width(text))
    assert left.startswith(text) and right.endswith(text)
    assert set(left.removeprefix(text)) <= {" "} and set(right.removesuffix(text)) <= {" "}


SPECS = [Spec(pad, {"text": "输入", "width": 4}, {"width": integer(minimum=0)})]
CASES, IDS = params(SPECS)


@pytest.mark.parametrize(("call", "words"), CASES, ids=IDS)
def test_bad_widths_are_refused(call, words):
    raises_value_error_naming(call, words)


@pytest.mark.parametrize("align", ["^", "left", "", None])
def test_only_left_and_right_alignment_exist(align):
    raises_value_error_matching(lambda: pad("输入", 4, align), r'^pad: align 应为 "<" 或 ">"')

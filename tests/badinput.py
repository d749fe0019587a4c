"""坏输入按类生成：各章测试写出每个函数的一次合法调用和每个参数的种类，
这里把参数逐个换成它那一类的每一种坏值，每一次都应得到写明函数和参数的 ValueError。

高、宽两半各有自己的坏值（只坏在宽上的也有），免得只有高那一半的检查被触发过。
"""

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import torch

NOT_FLOAT = (torch.int64, torch.int32, torch.uint8, torch.bool, torch.complex64)


def tensor(*ndims, floating=True):
    """ndims 维之一的张量参数的坏值：{类名: [取值]}。"""
    wrong = sorted({min(ndims) - 1, max(ndims) + 1} - {0}) or [max(ndims) + 1]
    good = (2,) * ndims[0]
    bad = {
        "不是张量": [[[1.0, 2.0]], 3.0, None],
        "维数不对": [torch.ones((2,) * n) for n in wrong],
        "空张量": [torch.ones((0, *good[1:])), torch.ones((*good[:-1], 0))],
    }
    if floating:
        bad["非浮点 dtype"] = [torch.ones(good).to(d) for d in NOT_FLOAT]
    return bad


def integer(minimum=1, maximum=None):
    bad = {
        "布尔": [True, False],
        "浮点数": [float(minimum), minimum + 0.5],
        "字符串/None": [str(minimum), None],
        "越界": [minimum - 1],
    }
    if maximum is not None:
        bad["越界"].append(maximum + 1)
    return bad


def pair(minimum=1):
    ok = minimum
    return {
        "布尔": [True, (ok, False)],
        "浮点数": [float(ok), (float(ok), ok), (ok, ok + 0.5)],
        "个数不对": [(), (ok,), (ok, ok, ok)],
        "字符串/None": [str(ok), None, (ok, None)],
        "越界": [minimum - 1, (minimum - 1, ok), (ok, minimum - 1)],
    }


def boolean():
    return {"不是布尔": ["no", 0, 1, None]}


def positive_number():
    return {
        "布尔": [True],
        "字符串/None": ["0.1", None],
        "越界": [0, -0.1, float("nan"), float("inf")],
    }


@dataclass
class Spec:
    """一个函数：一次合法调用（kwargs）和每个参数的坏值分类。"""

    call: object
    kwargs: dict
    kinds: dict  # 参数名 -> {类名: [坏值]}
    name: str = ""  # 消息里的函数名；默认是 call 的名字
    mention: dict = field(default_factory=dict)  # 参数名 -> 消息里怎么称呼它（默认是参数名）

    def __post_init__(self):
        self.name = self.name or self.call.__name__

    def cases(self):
        """[(测试名, 调用, 消息里应出现的文字)]"""
        for arg, classes in self.kinds.items():
            for label, values in classes.items():
                for number, value in enumerate(values):
                    kwargs = {**self.kwargs, arg: value}
                    words = (f"{self.name}: ", self.mention.get(arg, arg))
                    yield f"{self.name}-{arg}-{label}-{number}", self.bind(kwargs), words

    def bind(self, kwargs):
        return lambda: self.call(**kwargs)


def params(specs):
    """给 pytest.mark.parametrize 用：(调用, 应出现的文字) 和测试名。"""
    cases = [case for spec in specs for case in spec.cases()]
    return [c[1:] for c in cases], [c[0] for c in cases]


def classes_tried(specs):
    """{函数名: {类名: 个数}}，给关单说明里的表用。"""
    table = {}
    for spec in specs:
        row = table.setdefault(spec.name, {})
        for classes in spec.kinds.values():
            for label, values in classes.items():
                row[label] = row.get(label, 0) + len(values)
    return table


def raises_value_error_naming(call, words):
    """call() 抛出 ValueError，消息以 words[0]（“函数名: ”）开头，并含有其余各项（参数名）。"""
    with pytest.raises(ValueError) as error:
        call()
    message = str(error.value)
    assert message.startswith(words[0]), message
    for word in words[1:]:  # 参数名单独成词：xpaddingx 里的 padding 不算
        assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", message), message


def public_names():
    """snippets/ 里每个公开的函数和类的名字。"""
    names = set()
    for path in (Path(__file__).parent.parent / "snippets").glob("[!_]*.py"):
        module = importlib.import_module(f"snippets.{path.stem}")
        names |= {
            name
            for name, obj in vars(module).items()
            if callable(obj) and getattr(obj, "__module__", "") == module.__name__
        }
    return names


PUBLIC = public_names()


def raises_value_error_matching(call, pattern):
    """call() 抛出与 pattern 相符的 ValueError，消息以一个公开函数的名字和“: ”开头。"""
    with pytest.raises(ValueError, match=pattern) as error:
        call()
    assert str(error.value).split(": ")[0] in PUBLIC, f"消息应以函数名开头：{error.value}"

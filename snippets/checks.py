"""各章共用的输入检查：错的输入得到一条写明函数、参数和取值的 ValueError，而不是一个错的数。

各章的页面在折叠块里嵌入这里的片段；tests/test_checks.py 逐条测试每个检查的两侧边界。
"""

import torch


# --8<-- [start:checks]
def check_int(fn, name, value, minimum=1, maximum=None):
    """value 必须是 minimum 到 maximum 之间的整数。True/False 和 3.0 都不算整数。"""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{fn}: {name} 应为整数，得到 {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            raise ValueError(f"{fn}: {name} 应为不小于 {minimum} 的整数，得到 {value!r}")
        raise ValueError(f"{fn}: {name} 应为 {minimum} 到 {maximum} 之间的整数，得到 {value!r}")
    return value


def check_pair(fn, name, value, minimum=1):
    """把 3 或 (3, 5) 统一成 (高, 宽) 两个整数，并检查都不小于 minimum。"""
    if not isinstance(value, (tuple, list)):
        return (check_int(fn, name, value, minimum),) * 2
    if len(value) != 2:
        raise ValueError(f"{fn}: {name} 应为一个整数或 (高, 宽) 两个整数，得到 {value!r}")
    height = check_int(fn, f"{name}[0]", value[0], minimum)  # 高
    width = check_int(fn, f"{name}[1]", value[1], minimum)  # 宽
    return height, width


def check_bool(fn, name, value):
    """开关参数只收 True 或 False：字符串 "no"、"False" 在 if 里都算真，最容易让人以为关掉了。"""
    if not isinstance(value, bool):
        raise ValueError(f"{fn}: {name} 应为 True 或 False，得到 {value!r}")
    return value


def check_positive_number(fn, name, value):
    """学习率一类的参数：有限的正数（整数或浮点数，但不能是 True/False）。"""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{fn}: {name} 应为正数，得到 {value!r}")
    if not 0 < value < float("inf"):  # NaN 与任何数比较都是 False，也过不了这一关
        raise ValueError(f"{fn}: {name} 应为有限的正数，得到 {value!r}")
    return value


def check_tensor(fn, name, t, ndim, floating=True):
    """t 必须是 ndim 维（ndim 也可以是几个允许的维数）、每一维都不为 0 的张量。

    默认还要求浮点数：uint8 这样的窄整数相乘、写回输出时会悄悄回绕（200×2 得 144），
    布尔张量的和写回布尔输出只剩 True/False，数不出个数，都算不出对的卷积。
    """
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if not isinstance(t, torch.Tensor):
        raise ValueError(f"{fn}: {name} 应为 torch.Tensor，得到 {type(t).__name__}")
    if t.dim() not in allowed:
        dims = " 或 ".join(str(n) for n in allowed)
        raise ValueError(f"{fn}: {name} 应为 {dims} 维张量，得到形状 {tuple(t.shape)}")
    if t.numel() == 0:
        raise ValueError(f"{fn}: {name} 不能是空张量，得到形状 {tuple(t.shape)}")
    if floating and not t.is_floating_point():
        raise ValueError(f"{fn}: {name} 应为浮点张量，得到 {t.dtype}；请先 .float()")
    return t


def check_fits(fn, kernel_shape, input_shape, window="卷积核", within="输入"):
    """窗口（卷积核、汇聚窗口）在每一维上都不能比输入大，否则一个位置也放不下。"""
    if any(k > n for k, n in zip(kernel_shape, input_shape, strict=True)):
        raise ValueError(
            f"{fn}: {window} {tuple(kernel_shape)} 放不进{within} {tuple(input_shape)}"
        )


# 逐个窗口的 Python 循环每秒大约走十万步（学习卷积核时更慢）；再多就该用 PyTorch 的内置函数了
MAX_LOOP_STEPS = 100_000


def check_loop(fn, steps, instead):
    """循环实现是写给人读的：太大的输入给出明确的错误，而不是卡住几分钟。"""
    if steps > MAX_LOOP_STEPS:
        raise ValueError(
            f"{fn}: 要循环 {steps} 步，超过了循环实现的上限 {MAX_LOOP_STEPS}；请改用 {instead}"
        )


# 新建张量的元素个数上限：float32 时约 40 MB
MAX_ELEMENTS = 10_000_000


def check_elements(fn, count, instead):
    """要新建的张量太大时，说清楚是多大，而不是让内存分配失败。"""
    if count > MAX_ELEMENTS:
        raise ValueError(
            f"{fn}: 要新建 {count} 个元素的张量，超过了上限 {MAX_ELEMENTS}；请改用 {instead}"
        )
    # --8<-- [end:checks]

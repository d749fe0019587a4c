"""Hypothesis 每个测试跑多少个例子：ci 档按写明的数，dev 档十分之一（至少 10 个）。"""

from hypothesis import settings


def examples(n):
    return n if settings.get_current_profile_name() == "ci" else max(10, n // 10)

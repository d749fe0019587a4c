"""打印带中文的表格：按显示宽度补空格，让各列在等宽字体里对齐。

f"{name:<10}" 按字符个数补空格，可一个汉字在等宽字体里占两列，中文表格因此对不齐。
各章在折叠块里嵌入这里的片段；tests/test_tables.py 测试它。
"""

from snippets.checks import check_int

# isort: split
# --8<-- [start:pad]
import unicodedata


def display_width(text):
    """text 在等宽字体里占几列：汉字和全角标点（East Asian Width 为 W、F）占两列，其余一列。"""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def pad(text, width, align="<"):
    """把 text 用空格补到 width 列宽：align 为 "<" 靠左，">" 靠右。已经够宽就原样返回。"""
    check_int("pad", "width", width, minimum=0)
    if align not in ("<", ">"):
        raise ValueError(f'pad: align 应为 "<" 或 ">"，得到 {align!r}')
    text = str(text)
    gap = " " * max(0, width - display_width(text))
    return text + gap if align == "<" else gap + text


# --8<-- [end:pad]

"""检查打印出来的中文表格是否对齐：列的位置按显示宽度（汉字占两列）算。

有意不用 snippets/tables.py：检查的尺子不能是被检查的代码。
"""

import re
import unicodedata

CELL = re.compile(r"\S+(?: \S+)*")  # 一格：单个空格隔开的几段字；两个以上的空格分隔各格


def width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cells(line):
    """一行里各格的 (起点, 终点)，按显示宽度。"""
    return [(width(line[: m.start()]), width(line[: m.end()])) for m in CELL.finditer(line)]


def tables(text):
    """带中文的表格：格数相同（至少 2 格）的连续几行（至少 2 行），其中有汉字或全角字符。"""
    found, run = [], []
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if run and len(cells(line)) == len(cells(run[-1][1])) >= 2:
            run.append((number, line))
            continue
        if len(run) >= 2 and any(width(line) > len(line) for _, line in run):
            found.append(run)
        run = [(number, line)]
    return found


def misaligned(text):
    """没对齐的列：[(表格第一行的行号, 列号)]。

    一列要么各行起点相同（靠左对齐），要么终点相同（靠右对齐）。
    """
    bad = []
    for table in tables(text):
        columns = zip(*(cells(line) for _, line in table), strict=True)
        for index, column in enumerate(columns, start=1):
            starts, ends = {c[0] for c in column}, {c[1] for c in column}
            if len(starts) > 1 and len(ends) > 1:
                bad.append((table[0][0], index))
    return bad

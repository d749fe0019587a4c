"""《卷积计算器》的静态图：没有 JavaScript 时，计算器的位置上显示它初始设置下的样子
（填充后的输入、卷积核或窗口、输出，标出第一个窗口）。数由 PyTorch 现算（snippets.explorer）。
三份预设（explorer/presets.json）各一张：填充与步幅、汇聚层两章和计算器自己那一页；
前两张登记在那两章的图模块里（每章用的图画在自己的模块里）。
"""

import json
from pathlib import Path

import torch

from snippets.explorer import pytorch_output

from .svg import STAR, Grid, figure, number

PRESETS = Path(__file__).resolve().parent.parent / "explorer" / "presets.json"
OP_NAMES = {"max": "最大汇聚", "avg": "平均汇聚"}


def presets():
    return json.loads(PRESETS.read_text(encoding="utf-8"))


def first_window(state):
    """左上角那个输出的窗口：填充后输入里的 (行, 列)。"""
    (k_h, k_w), (d_h, d_w) = state["kernel"], state["dilation"]
    if state["op"] == "avg":
        d_h = d_w = 1
    return {(a * d_h, b * d_w) for a in range(k_h) for b in range(k_w)}


def stand_in(name):
    state = presets()[name]
    Y = pytorch_output(state)
    p_h, p_w = state["padding"]
    fill = float("-inf") if state["op"] == "max" else 0.0  # 最大汇聚补的是 −∞
    X = torch.tensor(state["input"], dtype=torch.float64)[0]
    padded = torch.full((X.shape[0] + 2 * p_h, X.shape[1] + 2 * p_w), fill, dtype=X.dtype)
    padded[p_h : p_h + X.shape[0], p_w : p_w + X.shape[1]] = X

    def pad(i, j, value):
        inside = p_h <= i < p_h + X.shape[0] and p_w <= j < p_w + X.shape[1]
        return [] if inside else ["pad"]

    rows, cols = padded.shape
    title = f"填充后的输入（{rows}×{cols}）" if p_h or p_w else f"输入（{rows}×{cols}）"
    source = Grid(padded.tolist(), "input", title, first_window(state), pad)
    out = Grid(Y[0].tolist(), "output", f"输出（{Y.shape[1]}×{Y.shape[2]}）", {(0, 0)})
    k_h, k_w = state["kernel"]
    if state["op"] == "conv":
        kernel = Grid(state["weight"][0][0], "kernel", "卷积核")
        parts = (source, STAR, kernel, "=", out)
        what = f"与 {k_h}×{k_w} 的卷积核做互相关"
    else:
        parts = (source, "→", out)
        what = f"做 {k_h}×{k_w} 的{OP_NAMES[state['op']]}"
    s_h, s_w = state["stride"]
    alt = (
        f"卷积计算器的初始设置（没有 JavaScript 时显示这张图）：{X.shape[0]}×{X.shape[1]} 的输入"
        f"{f'每侧补 {p_h} 行 {p_w} 列后' if p_h or p_w else ''}{what}，步幅 {s_h}×{s_w}，"
        f"得到 {Y.shape[1]}×{Y.shape[2]} 的输出；第一个窗口标了出来，它给出 {number(Y[0, 0, 0])}。"
    )
    return figure(*parts, alt=alt), alt


def explorer_stand_in():
    return stand_in("explorer")


# 另两张（explorer-padding、explorer-pooling）登记在用它们的那两章的模块里
FIGURES = {"explorer-explorer": explorer_stand_in}

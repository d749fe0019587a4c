"""《卷积怎样算得快》一章的图：im2col 的窗口矩阵、Winograd 的一块，以及 make bench 测出的时间表。

图上的数都由 snippets.fast_conv 现算；时间表读 benchmarks/results/ 里的 CSV。
"""

import csv
import math
from html import escape
from pathlib import Path

from snippets.conv_layer import K as K_EXAMPLE
from snippets.conv_layer import X as X_EXAMPLE
from snippets.fast_conv import D_TILE, F_2X2_3X3, G_KERNEL, im2col, winograd_tile

from .svg import Grid, number, responsive, row, rows, stack

# ---- im2col 的图 ----

WINDOW_AT = (0, 1)  # 图里圈出的窗口：左上角在第 0 行第 1 列，对应窗口矩阵的第 1 列


def im2col_matrix():
    """上一行：输入里圈出的窗口就是窗口矩阵里圈出的那一列；下一行：拉平的卷积核乘窗口矩阵得全部输出。"""
    k_h, k_w = K_EXAMPLE.shape
    columns = im2col(X_EXAMPLE[None], (k_h, k_w))  # (k_h·k_w, o_h·o_w)
    o_w = X_EXAMPLE.shape[1] - k_w + 1
    Y = K_EXAMPLE.reshape(1, -1) @ columns
    i, j = WINDOW_AT
    col = i * o_w + j
    window = {(i + a, j + b) for a in range(k_h) for b in range(k_w)}
    column = {(r, col) for r in range(k_h * k_w)}
    first = (
        Grid(X_EXAMPLE.tolist(), "input", "输入", window),
        "→",
        Grid(columns.tolist(), "columns", "窗口矩阵：一列一个窗口", column),
    )
    second = (
        Grid(K_EXAMPLE.reshape(1, -1).tolist(), "kernel", "卷积核拉成一行"),
        "×",
        Grid(columns.tolist(), "columns-again", "窗口矩阵", column),
        "=",
        Grid(Y.tolist(), "output", "输出拉成一行", {(0, col)}),
    )
    wide = stack(row(*first), row(*second, centre=True), spacing=24)
    narrow = stack(
        rows(*first), row(*second[:3], centre=True), row(*second[3:], centre=True), spacing=24
    )

    def listed(values):
        return "、".join(number(v) for v in values)

    n_rows, n_cols = columns.shape
    alt = (
        f"im2col 的窗口矩阵：3×3 的输入是 0 到 8，2×2 的卷积核在上面有 {n_cols} 个窗口，"
        f"每个窗口的 {k_h * k_w} 个数竖着排成一列，得到 {n_rows}×{n_cols} 的窗口矩阵；"
        f"左上角在第 {i} 行第 {j} 列的窗口（{listed(columns[:, col].tolist())}）是第 {col} 列。"
        f"卷积核拉成一行（{listed(K_EXAMPLE.flatten().tolist())}）乘以窗口矩阵，"
        f"一次得到全部输出 {listed(Y[0].tolist())}，"
        f"其中第 {col} 个 {number(Y[0, col])} 就来自第 {col} 列。"
    )
    return responsive(wide, narrow, alt), alt


# ---- Winograd 的图 ----
TOP_LEFT = {(i, j) for i in range(3) for j in range(3)}  # 输出左上角对应的 3×3 窗口


def winograd_steps(d, g, transforms=F_2X2_3X3):
    """一块 F(2×2, 3×3) 的中间结果 (V, U, M)，公式同 winograd_tile；输出 Y 由 winograd_tile 算。

    加 0.0 把 -0.0 变成 0：图上不该出现“-0”。"""
    B_T, G, _ = transforms
    V = B_T @ d @ B_T.T + 0.0
    U = G @ g @ G.T + 0.0
    return V, U, U * V + 0.0


def side_by_side(left, right, gap=48):
    """两段 (片段, 宽, 高) 左右并排，顶端对齐。"""
    (a, w_a, h_a), (b, w_b, h_b) = left, right
    body = f'{a}<g transform="translate({w_a + gap} 0)">{b}</g>'
    return body, w_a + gap + w_b, max(h_a, h_b)


def winograd_tile_example():
    d, g = D_TILE, G_KERNEL
    V, U, M = winograd_steps(d, g)
    Y = winograd_tile(d, g) + 0.0
    inputs = row(
        Grid(d.tolist(), "d", "输入块 d", TOP_LEFT), "→", Grid(V.tolist(), "V", "V = Bᵀ d B")
    )
    kernel = row(Grid(g.tolist(), "g", "卷积核 g"), "→", Grid(U.tolist(), "U", "U = G g Gᵀ"))
    output = row(
        Grid(M.tolist(), "M", "M = U ⊙ V（16 次乘法）"),
        "→",
        Grid(Y.tolist(), "Y", "Y = Aᵀ M A", {(0, 0)}),
    )
    # 宽图：输入、卷积核两行并排，乘积和输出在下面；窄图三行依次排
    wide = stack(side_by_side(inputs, kernel), output, spacing=20)
    narrow = stack(inputs, kernel, output, spacing=20)
    products = " + ".join(
        f"{number(a)}×{number(b)}"
        for a, b in zip(d[:3, :3].flatten().tolist(), g.flatten().tolist(), strict=True)
        if a and b
    )
    alt = (
        "Winograd F(2×2, 3×3) 算一块：4×4 的输入块 d 经 Bᵀ d B 变成 4×4 的 V，"
        "3×3 的卷积核 g 经 G g Gᵀ 变成 4×4 的 U；U 与 V 逐元素相乘得到 M，这是仅有的 16 次乘法；"
        f"M 再经 Aᵀ M A 得到 2×2 的输出 Y。Y 左上角的 {number(Y[0, 0])} 与直接算 d 左上角 3×3 窗口"
        f"和 g 的互相关相同：{products} = {number((d[:3, :3] * g).sum())}。"
    )
    return responsive(wide, narrow, alt), alt


# ---- 时间表 ----
# make bench（benchmarks/fast_conv.py）把测量写进 RESULTS，这两张图在构建时读它。
# CSV 的格式定义在这里（COLUMNS、CASES、METHODS），基准脚本导入同一份来写。
# CSV 变了图要重画：sitebuild/figures.py 的 code_key 也哈希 benchmarks/results/*.csv。

RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "fast-conv.csv"
COLUMNS = (
    "case",
    "method",
    "c_in",
    "c_out",
    "size",
    "kernel",
    "padding",
    "median_ms",
    "iqr_ms",
    "runs",
    "ratio",
    "note",
    "date",
    "cpu",
    "simd",
    "cores",
    "threads",
    "torch",
)
INTEGERS = ("c_in", "c_out", "size", "kernel", "padding", "runs", "cores", "threads")
TIMES = ("median_ms", "iqr_ms", "ratio")  # 没有测（跳过、不适用）的行这三列空着
MACHINE = ("date", "cpu", "simd", "cores", "threads", "torch")
# 三个情形（按表里的顺序）和卷积核大小的扫描；方法的代号 -> 表里写的名字
CASES = {"toy": "玩具例子", "resnet": "ResNet 式的一层", "large-kernel": "大卷积核"}
SWEEP = "sweep"
REFERENCE = "F.conv2d"  # 倍数都相对它
METHODS = {
    "loop": "逐窗口循环",
    "im2col": "im2col",
    "fft": "FFT",
    "winograd": "Winograd",
    REFERENCE: "F.conv2d",
}
SWEEP_METHODS = ("im2col", "fft", REFERENCE)


def read_results(path=RESULTS):
    """读 make bench 写的 CSV：每行一个 dict，整数列是 int，时间和倍数是 float（没测的是 None）。

    文件不在、缺列、某个数读不出、几行来自不同的机器或不同的一次测量，都抛出写明原因的 ValueError。
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"找不到实测结果 {path}：先运行 make bench")
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path.name} 缺少列 {', '.join(missing)}；请用 make bench 重新生成")
        rows = [parse_row(rec, f"{path.name} 第 {line} 行") for line, rec in enumerate(reader, 2)]
    runs = {tuple(rec[c] for c in MACHINE) for rec in rows}
    if len(runs) > 1:
        raise ValueError(
            f"{path.name} 里混有 {len(runs)} 次测量（date、cpu、cores、threads、torch 不全相同）；"
            "一张表只放同一台机器上同一次 make bench 的结果"
        )
    return rows


def parse_row(rec, where):
    """CSV 的一行（全是字符串）-> 带类型的 dict；where（文件名和行号）写进错误消息。"""
    parsed = dict(rec)
    for column in INTEGERS:
        try:
            parsed[column] = int(rec[column])
        except ValueError:
            raise ValueError(f"{where}：{column} 应为整数，得到 {rec[column]!r}") from None
    for column in TIMES:
        text = rec[column].strip()
        try:
            parsed[column] = float(text) if text else None
        except ValueError:
            raise ValueError(f"{where}：{column} 应为数，得到 {rec[column]!r}") from None
        if parsed[column] is not None and not 0 < parsed[column] < math.inf:
            raise ValueError(f"{where}：{column} 应为有限的正数，得到 {rec[column]!r}")
    if parsed["median_ms"] is None:
        if not parsed["note"].strip():
            raise ValueError(f"{where}：没有时间，也没有在 note 里写明为什么没测")
    elif parsed["ratio"] is None:
        raise ValueError(f"{where}：有时间，却没有相对 {REFERENCE} 的倍数 ratio")
    return parsed


def find(rows, case, method, kernel=None):
    """情形 case（扫描时还要给卷积核 kernel）里方法 method 的那一行；没有就抛出 ValueError。"""
    for rec in rows:
        if rec["case"] == case and rec["method"] == method and kernel in (None, rec["kernel"]):
            return rec
    which = f"{case} " if kernel is None else f"{case}（卷积核 {kernel}）"
    raise ValueError(f"实测结果里没有情形 {which}的方法 {method}；请用 make bench 重新生成")


def measured(rec):
    """这一行的中位数时间；这一行没有测（跳过、不适用）时抛出 ValueError。"""
    if rec["median_ms"] is None:
        raise ValueError(f"情形 {rec['case']} 的方法 {rec['method']} 没有测：{rec['note']}")
    return rec["median_ms"]


def short(value):
    """正数写成至少三位有效数字、不用科学记数法：1234.4 -> 1234，12.34 -> 12.3，0.01234 -> 0.0123"""
    rounded = float(f"{value:.3g}")
    if rounded >= 100:
        return f"{value:.0f}"
    return f"{rounded:.{2 - math.floor(math.log10(rounded))}f}"


def crossover(points):
    """points 是 [(卷积核, 甲的时间, 乙的时间)]：从哪个卷积核起直到扫描的最大卷积核，甲都比乙快。

    返回那个最小的卷积核；最大的卷积核上甲也不比乙快时返回 None。
    """
    found = None
    for kernel, first, second in sorted(points, reverse=True):
        if first >= second:
            break
        found = kernel
    return found


def ratio_of(rows, first, second, case, kernel=None):
    """同一情形里，方法 first 的用时是 second 的几倍。"""
    return measured(find(rows, case, first, kernel)) / measured(find(rows, case, second, kernel))


def slower(rows, first, second, case, kernel=None):
    """结论句“甲用时是乙的 x 倍”，甲总是慢的那个（x ≥ 1，读起来不必算倒数）。"""
    x = ratio_of(rows, first, second, case, kernel)
    if x < 1:
        first, second, x = second, first, 1 / x
    return mixed(METHODS[first], "用时是", METHODS[second], "的", short(x), "倍")


def mixed(*parts):
    """把几段中文、西文接成一句：西文和汉字之间空一格，汉字和汉字之间不空。"""
    text = parts[0]
    for part in parts[1:]:
        text += (" " if text[-1].isascii() != part[0].isascii() else "") + part
    return text


def machine(rows):
    """题注里的一句：哪天、在什么机器上测的。"""
    rec = rows[0]
    return (
        f"{rec['date'][:10]} 在 {rec['cpu']}（{rec['cores']} 个逻辑核，向量指令 {rec['simd']}）上"
        f"用 PyTorch {rec['torch']}、{rec['threads']} 个线程测得"
    )


def shape(rec):
    """情形的一句描述，如“1→1 通道，28×28，3×3 卷积核，填充 1”。"""
    k = rec["kernel"]
    return (
        f"{rec['c_in']}→{rec['c_out']} 通道，{rec['size']}×{rec['size']}，"
        f"{k}×{k} 卷积核，填充 {rec['padding']}"
    )


RIGHT = ' style="text-align: right"'


def cell(text, tag="td", rec=None, column=None, extra=""):
    """表格的一格（text 是已转义的 HTML）。数字格带上 data-case、data-method、data-kernel、
    data-column，测试凭它们找回 CSV 里的那一行。"""
    if rec is not None:
        extra += (
            f' data-case="{escape(rec["case"])}" data-method="{escape(rec["method"])}"'
            f' data-kernel="{rec["kernel"]}" data-column="{column}"'
        )
    return f"<{tag}{extra}>{text}</{tag}>"


def table_figure(head, groups, caption):
    """表格和题注。groups 是几组行（每组一个 <tbody>），每行是几个 cell。

    表格不带 class：Material 给它站里表格的样式，并包进能横向滚动的框（窄屏上也读得全）。
    """
    header = "".join(
        cell(escape(h), "th", extra=' scope="col"' + (RIGHT if i else ""))
        for i, h in enumerate(head)
    )
    body = "".join(
        "<tbody>" + "".join(f"<tr>{''.join(line)}</tr>" for line in group) + "</tbody>"
        for group in groups
    )
    return (
        f"<table><thead><tr>{header}</tr></thead>{body}</table>"
        f"<figcaption>{escape(caption)}</figcaption>"
    )


def bench_times(path=RESULTS):
    """三个情形里每个方法的中位数时间和相对 F.conv2d 的倍数；没测的写出原因。"""
    rows = read_results(path)
    groups = []
    for case, title in CASES.items():
        heading = f"{title}：{shape(find(rows, case, REFERENCE))}"
        group = [[cell(escape(heading), "th", extra=' colspan="3" scope="colgroup"')]]
        for method, name in METHODS.items():
            rec = find(rows, case, method)
            line = [cell(escape(name))]
            if rec["median_ms"] is None:
                line.append(
                    cell(
                        f"没有测：{escape(rec['note'])}",
                        rec=rec,
                        column="note",
                        extra=' colspan="2"',
                    )
                )
            else:
                line.append(cell(short(rec["median_ms"]), rec=rec, column="median_ms", extra=RIGHT))
                line.append(cell(f"{short(rec['ratio'])}×", rec=rec, column="ratio", extra=RIGHT))
            group.append(line)
        groups.append(group)
    k = find(rows, "large-kernel", REFERENCE)["kernel"]
    caption = (
        f"三个情形里各方法算一次卷积的中位数时间（毫秒），和它是 F.conv2d 用时的几倍；"
        f"{machine(rows)}。玩具例子上，{slower(rows, 'loop', REFERENCE, 'toy')}；"
        f"ResNet 式的一层上，{slower(rows, 'im2col', REFERENCE, 'resnet')}，"
        f"{slower(rows, 'winograd', 'im2col', 'resnet')}；"
        f"{k}×{k} 的卷积核上，{slower(rows, 'fft', 'im2col', 'large-kernel')}。"
    )
    return table_figure(("方法", "中位数（毫秒）", "相对 F.conv2d"), groups, caption), caption


def bench_sweep(path=RESULTS):
    """1→1 通道的输入上，卷积核从小到大，im2col、FFT、F.conv2d 的中位数时间；每行最快的加粗。"""
    rows = read_results(path)
    kernels = sorted({rec["kernel"] for rec in rows if rec["case"] == SWEEP})
    if not kernels:
        raise ValueError(f"实测结果里没有卷积核的扫描（情形 {SWEEP}）；请用 make bench 重新生成")
    lines, points = [], {"im2col": [], REFERENCE: []}
    for k in kernels:
        found = [find(rows, SWEEP, method, k) for method in SWEEP_METHODS]
        times = [measured(rec) for rec in found]
        line = [cell(f"{k}×{k}")]
        for rec, time in zip(found, times, strict=True):
            text = short(time) if time > min(times) else f"<strong>{short(time)}</strong>"
            line.append(cell(text, rec=rec, column="median_ms", extra=RIGHT))
        lines.append(line)
        points["im2col"].append((k, times[1], times[0]))
        points[REFERENCE].append((k, times[1], times[2]))
    first, last = kernels[0], kernels[-1]
    size = find(rows, SWEEP, REFERENCE, first)["size"]
    caption = (
        f"1→1 通道、{size}×{size} 的输入，卷积核从 {first}×{first} 到 {last}×{last}"
        f"（每侧填充卷积核边长的一半，向下取整）时三种算法的中位数时间（毫秒），每行最快的加粗；"
        f"{machine(rows)}。{beats(points['im2col'], 'im2col', first, last)}；"
        f"{beats(points[REFERENCE], REFERENCE, first, last)}"
        f"（{last}×{last} 上 {slower(rows, 'fft', REFERENCE, SWEEP, last)}）。"
    )
    head = ("卷积核", "im2col", "FFT", "F.conv2d")
    return table_figure(head, [lines], caption), caption


def beats(points, other, first, last):
    """结论句：FFT 从多大的卷积核起一直快过 other（points 见 crossover）。

    计时有噪声，两条曲线在交叉点附近会交错：FFT 在更小的卷积核上已经快过一次的，也写出来，
    免得表里加粗的那一格和题注对不上。
    """
    k = crossover(points)
    if k is None:
        return f"直到 {last}×{last}，FFT 也没有一直快过 {other}"
    if k == first:
        return f"扫描到的每个卷积核上，FFT 都快过 {other}"
    earliest = min(kernel for kernel, fft, rival in points if fft < rival)
    if earliest < k:
        return f"FFT 在 {earliest}×{earliest} 上已快过 {other}，但从 {k}×{k} 起才一直更快"
    return f"卷积核不小于 {k}×{k} 时，FFT 一直快过 {other}"


FIGURES = {
    "im2col-matrix": im2col_matrix,
    "winograd-tile": winograd_tile_example,
    "bench-times": bench_times,
    "bench-sweep": bench_sweep,
}

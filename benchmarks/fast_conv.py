"""量《卷积怎样算得快》一章的几种算法：逐窗口循环、im2col、FFT、Winograd 和 F.conv2d。

用法：make bench [THREADS=1]

THREADS 是量时 PyTorch 用的线程数，默认 torch.get_num_threads()（通常等于核数，平常就是这样用）。
机器上还有别的程序在跑时，多线程的小运算要等抢不到核的那个线程，时间忽大忽小；THREADS=1 稳一些。

三个情形（玩具例子、ResNet 式的一层、31×31 的大卷积核）各量一遍每种方法，再在 1→1 通道、
56×56 的输入上把卷积核从 3×3 扫到 31×31，找出 FFT 从多大的卷积核起快过 im2col、快过 F.conv2d。
每个数是 torch.utils.benchmark 的 adaptive_autorange 给出的中位数（它先热身，再一块一块地测，
直到四分位距相对中位数足够小）。结果连同机器信息写进 benchmarks/results/fast-conv.csv，
页面上的两张表（figures/fast_conv.py 的 bench-times、bench-sweep）在构建时读它。

计时只在这里：测试不计时（速度由这个命令量），页面上也只引用这张表。
一次测量只代表这台机器、这一天：别的程序在抢 CPU 时数会偏大，重跑一次再看。
"""

import csv
import os
import platform
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import torch
from torch.nn import functional as F
from torch.utils import benchmark

from figures.fast_conv import (
    CASES,
    COLUMNS,
    METHODS,
    REFERENCE,
    RESULTS,
    SWEEP,
    SWEEP_METHODS,
    crossover,
    short,
)
from snippets.channels import corr2d_multi_in_out
from snippets.fast_conv import conv2d_fft, conv2d_im2col, conv2d_winograd, pad_both
from snippets.tables import pad

SWEEP_KERNELS = (3, 5, 7, 9, 11, 15, 19, 23, 27, 31)
# 每个方法最少、最多量多久（秒）：四分位距不到中位数的 THRESHOLD 就停
MIN_RUN_TIME, MAX_RUN_TIME, THRESHOLD = 0.2, 2.0, 0.1
# 量之前先核对结果：与 F.conv2d 的最大差不超过输出最大绝对值的这么多倍（float32 的 FFT 也够）
TOLERANCE = 1e-4


def loop(X, K, padding):
    """逐窗口循环：补零后用多输入多输出通道一章的 corr2d_multi_in_out（一个窗口一次张量运算）。"""
    return corr2d_multi_in_out(pad_both(X, padding, padding), K)


def library(X, K, padding):
    """PyTorch 的 F.conv2d（要一个批量维）。"""
    return F.conv2d(X[None], K, padding=padding)[0]


IMPLEMENTATIONS = {
    "loop": loop,
    "im2col": conv2d_im2col,
    "fft": conv2d_fft,
    "winograd": conv2d_winograd,
    REFERENCE: library,
}


@dataclass(frozen=True)
class Case:
    """一个情形：c_in→c_out 通道、size×size 的输入、kernel×kernel 的卷积核、每侧填充 padding。"""

    name: str
    c_in: int
    c_out: int
    size: int
    kernel: int
    padding: int
    methods: tuple = tuple(METHODS)


def cases():
    """三个情形和扫描，按量的顺序。"""
    found = [
        Case("toy", 1, 1, 28, 3, 1),
        Case("resnet", 64, 64, 56, 3, 1),
        # RepLKNet 那种逐深度的 31×31 卷积：每个通道单独卷积，这里量其中一个通道
        Case("large-kernel", 1, 1, 56, 31, 15),
    ]
    found += [Case(SWEEP, 1, 1, 56, k, k // 2, SWEEP_METHODS) for k in SWEEP_KERNELS]
    assert [c.name for c in found[:3]] == list(CASES)
    return found


def cpu_model(cpuinfo):
    """/proc/cpuinfo 的文字 -> 第一个 model name；没有这一行（比如不是 Linux）时返回 None。"""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            return " ".join(value.split())
    return None


def machine_info(threads, cpuinfo_path="/proc/cpuinfo", now=None):
    """CSV 里的机器信息：日期（ISO）、CPU 型号、PyTorch 用上的向量指令集（如 AVX512），
    逻辑核数、量时 PyTorch 用的线程数、PyTorch 版本。"""
    try:
        text = Path(cpuinfo_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    now = now or datetime.now().astimezone()
    return {
        "date": now.isoformat(timespec="seconds"),
        "cpu": cpu_model(text) or platform.processor() or platform.machine(),
        # 同一个型号名（虚拟机里常只有 “AMD EPYC”）下向量指令可能不同，而它决定了库用哪段代码
        "simd": torch.backends.cpu.get_cpu_capability(),
        "cores": os.cpu_count(),
        "threads": threads,
        "torch": torch.__version__,
    }


def relative_error(Y, X, K, padding):
    """Y 与 F.conv2d 的最大差，除以 F.conv2d 输出的最大绝对值。"""
    expected = library(X, K, padding)
    return ((Y - expected).abs().max() / expected.abs().max()).item()


def row_for(case, method, machine, median_ms=None, iqr_ms=None, runs=0, note=""):
    """CSV 的一行（ratio 先空着，见 add_ratios）。没有量的方法 median_ms 为 None，note 写原因。"""
    return {
        "case": case.name,
        "method": method,
        "c_in": case.c_in,
        "c_out": case.c_out,
        "size": case.size,
        "kernel": case.kernel,
        "padding": case.padding,
        "median_ms": median_ms,
        "iqr_ms": iqr_ms,
        "runs": runs,
        "ratio": None,
        "note": note,
        **machine,
    }


def add_ratios(rows):
    """每个量过的行填上 ratio：它的中位数是同一情形（同一卷积核）F.conv2d 的几倍。"""
    reference = {(r["case"], r["kernel"]): r["median_ms"] for r in rows if r["method"] == REFERENCE}
    for r in rows:
        if r["median_ms"] is not None:
            r["ratio"] = r["median_ms"] / reference[(r["case"], r["kernel"])]
    return rows


def sweep_crossovers(rows):
    """扫描的结果 -> {比较的对象: 从哪个卷积核起 FFT 一直更快（None 表示最大的卷积核上也不快）}。"""
    swept = {(r["kernel"], r["method"]): r["median_ms"] for r in rows if r["case"] == SWEEP}
    kernels = sorted({k for k, _ in swept})
    return {
        other: crossover([(k, swept[(k, "fft")], swept[(k, other)]) for k in kernels])
        for other in ("im2col", REFERENCE)
    }


def number(value):
    """写进 CSV 的数：6 位有效数字；没有量的写空。"""
    return "" if value is None else f"{value:.6g}"


def write_csv(rows, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, **{c: number(r[c]) for c in ("median_ms", "iqr_ms", "ratio")}})


def report(rows):
    """人读的表：每行一个方法。"""
    widths = (14, 10, 8, 12, 10, 10)
    head = ("情形", "方法", "卷积核", "中位数 ms", "四分位距", "×F.conv2d")
    lines = ["  ".join(pad(h, w) for h, w in zip(head, widths, strict=True))]
    for r in rows:
        timed = r["median_ms"] is not None
        values = (
            r["case"],
            r["method"],
            f"{r['kernel']}×{r['kernel']}",
            short(r["median_ms"]) if timed else "—",
            short(r["iqr_ms"]) if timed else "—",
            f"{short(r['ratio'])}×" if timed else "—",
        )
        line = "  ".join(
            pad(v, w, ">" if i >= 3 else "<")
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )
        lines.append(line + ("" if timed else f"  没有测：{r['note']}"))
    return "\n".join(lines)


def measure(fn, X, K, padding, threads):
    """fn(X, K, padding) 的一次 Measurement（用 threads 个线程，和平常调用 PyTorch 时一样）。"""
    timer = benchmark.Timer(
        stmt="fn(X, K, padding)",
        globals={"fn": fn, "X": X, "K": K, "padding": padding},
        num_threads=threads,
    )
    return timer.adaptive_autorange(
        threshold=THRESHOLD, min_run_time=MIN_RUN_TIME, max_run_time=MAX_RUN_TIME
    )


def run(case, machine):
    """量一个情形里的每个方法，返回 CSV 的行。"""
    torch.manual_seed(0)
    X = torch.randn(case.c_in, case.size, case.size)
    K = torch.randn(case.c_out, case.c_in, case.kernel, case.kernel)
    rows = []
    for method in case.methods:
        fn = IMPLEMENTATIONS[method]
        try:
            Y = fn(X, K, case.padding)  # 太大、不适用时，函数自己的检查抛出 ValueError
        except ValueError as error:
            print(f"  {case.name} / {method}：没有测，{error}", file=sys.stderr)
            rows.append(row_for(case, method, machine, note=str(error)))
            continue
        error = relative_error(Y, X, K, case.padding)
        if error > TOLERANCE:
            raise RuntimeError(f"{case.name} / {method} 算错了：相对误差 {error:.2e}")
        m = measure(fn, X, K, case.padding, machine["threads"])
        rows.append(row_for(case, method, machine, m.median * 1e3, m.iqr * 1e3, len(m.times)))
    return rows


def main(path=RESULTS):
    machine = machine_info(int(os.environ.get("THREADS") or torch.get_num_threads()))
    print(
        f"{machine['cpu']}，{machine['cores']} 个逻辑核，{machine['threads']} 个线程，"
        f"PyTorch {machine['torch']}"
    )
    rows = []
    for case in cases():
        print(f"量 {case.name}（{case.kernel}×{case.kernel}）……", file=sys.stderr)
        rows += run(case, machine)
    add_ratios(rows)
    write_csv(rows, path)
    print(report(rows))
    for other, k in sweep_crossovers(rows).items():
        found = "最大的卷积核上也不快" if k is None else f"从 {k}×{k} 起一直更快"
        print(f"FFT 对 {other}：{found}")
    print(f"写入 {path}")


if __name__ == "__main__":
    main()

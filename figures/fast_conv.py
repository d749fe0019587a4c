"""《卷积怎样算得快》一章的图：im2col 的块矩阵、Winograd 的一块，以及 make bench 测出的时间表。

图上的数都由 snippets.fast_conv 现算；时间表读 benchmarks/results/ 里的 CSV。
"""

# 区域 B 开始：im2col 的图
B_FIGURES = {}
# 区域 B 结束

# 区域 C 开始：Winograd 的图
C_FIGURES = {}
# 区域 C 结束

# 区域 D 开始：时间表
D_FIGURES = {}
# 区域 D 结束

FIGURES = {**B_FIGURES, **C_FIGURES, **D_FIGURES}

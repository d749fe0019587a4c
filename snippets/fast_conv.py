"""《卷积怎样算得快》一章的代码：逐个乘加的循环、im2col、FFT、Winograd 和反向传播。

每个算法都只接收一张图：X 为 (c_i, n_h, n_w)，K 为 (c_o, c_i, k_h, k_w)，步幅 1，
padding 是每一侧补零的行数、列数（与 PyTorch 相同）。
页面 docs/fast-conv.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_fast_conv.py 把它们和 torch.nn.functional.conv2d、autograd 对照。
"""

import torch
from torch.nn import functional as F

from snippets.checks import (
    check_elements,
    check_fits,
    check_int,
    check_loop,
    check_pair,
    check_tensor,
)
from snippets.conv_layer import corr2d


# --8<-- [start:check_conv]
def check_conv(fn, X, K, padding):
    """X 为 (c_i, n_h, n_w)，K 为 (c_o, c_i, k_h, k_w)，两者 dtype 相同，补零后放得下卷积核。

    返回 (p_h, p_w)。
    """
    check_tensor(fn, "X", X, ndim=3)
    check_tensor(fn, "K", K, ndim=4)
    if K.shape[1] != X.shape[0]:
        raise ValueError(f"{fn}: 卷积核有 {K.shape[1]} 个输入通道，输入 X 却有 {X.shape[0]} 个通道")
    if K.dtype != X.dtype:  # 矩阵乘法和 FFT 都要求两边的 dtype 一样
        raise ValueError(f"{fn}: X 是 {X.dtype}，K 是 {K.dtype}；请先统一 dtype")
    p_h, p_w = check_pair(fn, "padding", padding, minimum=0)
    padded = (X.shape[1] + 2 * p_h, X.shape[2] + 2 * p_w)
    check_fits(fn, K.shape[2:], padded, within="填充后的输入")
    return p_h, p_w


def pad_both(X, p_h, p_w):
    """(c, n_h, n_w) 的上下各补 p_h 行 0、左右各补 p_w 列 0。"""
    check_tensor("pad_both", "X", X, ndim=3, floating=False)  # 补零对任何 dtype 都是精确的
    check_int("pad_both", "p_h", p_h, minimum=0)
    check_int("pad_both", "p_w", p_w, minimum=0)
    return F.pad(X, (p_w, p_w, p_h, p_h))
    # --8<-- [end:check_conv]


# --8<-- [start:full]
def convolve_full(X, K):
    """二维严格卷积的完整结果：(n_h+k_h-1)×(n_w+k_w-1)，凡是有重叠的位置都算。"""
    check_tensor("convolve_full", "X", X, ndim=2)
    check_tensor("convolve_full", "K", K, ndim=2)
    k_h, k_w = K.shape
    # 四周各补 k-1 圈 0，让卷积核从“刚碰到一个角”开始滑；翻转卷积核，互相关就成了严格卷积
    padded = F.pad(X, (k_w - 1, k_w - 1, k_h - 1, k_h - 1))
    return corr2d(padded, torch.flip(K, dims=(0, 1)))


def correlate_full(X, K):
    """二维互相关的完整结果：同样补 k-1 圈 0，但不翻转卷积核。"""
    check_tensor("correlate_full", "X", X, ndim=2)
    check_tensor("correlate_full", "K", K, ndim=2)
    k_h, k_w = K.shape
    return corr2d(F.pad(X, (k_w - 1, k_w - 1, k_h - 1, k_h - 1)), K)
    # --8<-- [end:full]


# --8<-- [start:direct]
def conv2d_direct(X, K, padding=0):
    """最直接的卷积：六重循环，每一步做一次乘加。返回 (输出, 乘加次数)。"""
    p_h, p_w = check_conv("conv2d_direct", X, K, padding)
    c_o, c_i, k_h, k_w = K.shape
    x = pad_both(X, p_h, p_w).tolist()  # Python 的数比逐个取张量元素快得多
    k = K.tolist()
    o_h, o_w = len(x[0]) - k_h + 1, len(x[0][0]) - k_w + 1
    check_loop("conv2d_direct", c_o * o_h * o_w * c_i * k_h * k_w, instead="conv2d_im2col")
    Y = [[[0.0] * o_w for _ in range(o_h)] for _ in range(c_o)]
    macs = 0
    for o in range(c_o):  # 每个输出通道
        for i in range(o_h):  # 每个输出位置
            for j in range(o_w):
                total = 0.0
                for c in range(c_i):  # 窗口里的每个数
                    for a in range(k_h):
                        for b in range(k_w):
                            total += x[c][i + a][j + b] * k[o][c][a][b]
                            macs += 1
                Y[o][i][j] = total
    return torch.tensor(Y, dtype=X.dtype), macs
    # --8<-- [end:direct]


# --8<-- [start:im2col]
def im2col(X, kernel_size):
    """(c_i, n_h, n_w) -> (c_i·k_h·k_w, o_h·o_w) 的窗口矩阵：每一列是一个窗口里的全部数。

    不逐个窗口地抄，而是对卷积核里的每个偏移 (a, b) 抄一整片：循环只有 k_h·k_w 次。
    """
    check_tensor("im2col", "X", X, ndim=3)
    k_h, k_w = check_pair("im2col", "kernel_size", kernel_size)
    check_fits("im2col", (k_h, k_w), X.shape[1:])
    c_i, n_h, n_w = X.shape
    o_h, o_w = n_h - k_h + 1, n_w - k_w + 1
    check_elements("im2col", c_i * k_h * k_w * o_h * o_w, instead="torch.nn.functional.conv2d")
    columns = X.new_empty(c_i, k_h, k_w, o_h, o_w)
    for a in range(k_h):
        for b in range(k_w):
            # 偏移 (a, b) 处的数：对每个窗口 (i, j)，都是 X[:, i + a, j + b]
            columns[:, a, b] = X[:, a : a + o_h, b : b + o_w]
    return columns.reshape(c_i * k_h * k_w, o_h * o_w)


def conv2d_im2col(X, K, padding=0):
    """卷积 = (c_o, c_i·k_h·k_w) 的权重矩阵乘以窗口矩阵，再把每一行摆回 o_h×o_w。"""
    p_h, p_w = check_conv("conv2d_im2col", X, K, padding)
    c_o, c_i, k_h, k_w = K.shape
    X = pad_both(X, p_h, p_w)
    o_h, o_w = X.shape[1] - k_h + 1, X.shape[2] - k_w + 1
    Y = K.reshape(c_o, c_i * k_h * k_w) @ im2col(X, (k_h, k_w))
    return Y.reshape(c_o, o_h, o_w)
    # --8<-- [end:im2col]


# --8<-- [start:im2col_memory]
def im2col_memory(c_in, size, kernel_size, padding=0, bytes_per_number=4):
    """一张 c_in×n_h×n_w 的输入和它的窗口矩阵各占多少字节：(输入, 窗口矩阵)。"""
    check_int("im2col_memory", "c_in", c_in)
    n_h, n_w = check_pair("im2col_memory", "size", size)
    k_h, k_w = check_pair("im2col_memory", "kernel_size", kernel_size)
    p_h, p_w = check_pair("im2col_memory", "padding", padding, minimum=0)
    check_int("im2col_memory", "bytes_per_number", bytes_per_number)
    check_fits("im2col_memory", (k_h, k_w), (n_h + 2 * p_h, n_w + 2 * p_w), within="填充后的输入")
    o_h, o_w = n_h + 2 * p_h - k_h + 1, n_w + 2 * p_w - k_w + 1
    return c_in * n_h * n_w * bytes_per_number, c_in * k_h * k_w * o_h * o_w * bytes_per_number
    # --8<-- [end:im2col_memory]


# --8<-- [start:fft]
def conv2d_fft(X, K, padding=0):
    """用 FFT 算卷积：变换、逐频率相乘、对输入通道求和、逆变换，再裁出有效的部分。"""
    p_h, p_w = check_conv("conv2d_fft", X, K, padding)
    c_o, c_i, k_h, k_w = K.shape
    X = pad_both(X, p_h, p_w)
    size = X.shape[1:]  # FFT 的长度 (N_h, N_w)：取补零后的输入大小就够（理由见正文）
    # 最大的一个张量是卷积核的频谱：c_o·c_i 张 N_h×(N_w//2+1) 的复数
    spectrum = c_o * c_i * size[0] * (size[1] // 2 + 1)
    check_elements("conv2d_fft", spectrum, instead="torch.nn.functional.conv2d")
    # FFT 算的是严格卷积；把卷积核上下、左右翻转，得到的才是 conv2d 的互相关
    X_freq = torch.fft.rfft2(X, s=size)  # (c_i, N_h, N_w//2+1)，复数
    K_freq = torch.fft.rfft2(torch.flip(K, dims=(2, 3)), s=size)  # (c_o, c_i, 同上)
    # 每个频率上：输出通道 o = Σ_c K[o, c] × X[c]，卷积定理把卷积变成了逐点乘法
    Y_freq = torch.einsum("ocuv,cuv->ouv", K_freq, X_freq)
    Y_full = torch.fft.irfft2(Y_freq, s=size)
    # 第 k-1 行、列起才是卷积核整个落在输入里的位置；前面那几行混进了绕回来的项
    return Y_full[:, k_h - 1 :, k_w - 1 :]
    # --8<-- [end:fft]


# --8<-- [start:winograd_f23]
# Winograd F(2×2, 3×3)（Lavin 和 Gray，2016）：4×4 的输入块 d、3×3 的卷积核 g，
# 输出 2×2 的块 Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A
B_T = torch.tensor(
    [
        [1.0, 0.0, -1.0, 0.0],
        [0.0, 1.0, 1.0, 0.0],
        [0.0, -1.0, 1.0, 0.0],
        [0.0, 1.0, 0.0, -1.0],
    ]
)
G = torch.tensor(
    [
        [1.0, 0.0, 0.0],
        [0.5, 0.5, 0.5],
        [0.5, -0.5, 0.5],
        [0.0, 0.0, 1.0],
    ]
)
A_T = torch.tensor(
    [
        [1.0, 1.0, 1.0, 0.0],
        [0.0, 1.0, -1.0, -1.0],
    ]
)
F_2X2_3X3 = (B_T, G, A_T)
# --8<-- [end:winograd_f23]


# --8<-- [start:winograd_example]
# 页面上和图 winograd-tile 里的一块：4×4 的输入块、3×3 的卷积核，都是小整数，每一步的数都短
D_TILE = torch.tensor(
    [
        [3.0, 0.0, 1.0, 3.0],
        [1.0, 2.0, 3.0, 2.0],
        [3.0, 3.0, 0.0, 3.0],
        [1.0, 2.0, 0.0, 1.0],
    ]
)
G_KERNEL = torch.tensor(
    [
        [1.0, 0.0, 1.0],
        [0.0, 0.0, 1.0],
        [1.0, 1.0, 1.0],
    ]
)
# --8<-- [end:winograd_example]


# --8<-- [start:check_transforms]
def check_transforms(fn, transforms):
    """transforms 应为 (Bᵀ, G, Aᵀ)：Bᵀ 为 α×α，G 为 α×r，Aᵀ 为 m×α，α = m + r - 1。"""
    if not isinstance(transforms, (tuple, list)) or len(transforms) != 3:
        raise ValueError(f"{fn}: transforms 应为 (B_T, G, A_T) 三个矩阵，得到 {transforms!r}")
    for name, matrix in zip(("B_T", "G", "A_T"), transforms, strict=True):
        check_tensor(fn, f"transforms 里的 {name}", matrix, ndim=2)
    B_T, G, A_T = transforms
    alpha, r = G.shape
    m = A_T.shape[0]
    if B_T.shape != (alpha, alpha) or A_T.shape[1] != alpha or alpha != m + r - 1:
        shapes = ", ".join(str(tuple(t.shape)) for t in transforms)
        raise ValueError(
            f"{fn}: transforms 的形状应为 (α, α)、(α, r)、(m, α)，且 α = m + r - 1，得到 {shapes}"
        )
    return m, r
    # --8<-- [end:check_transforms]


# --8<-- [start:winograd_tile]
def winograd_tile(d, g, transforms=F_2X2_3X3):
    """一块：α×α 的输入块 d、r×r 的卷积核 g -> m×m 的输出块。"""
    m, r = check_transforms("winograd_tile", transforms)
    alpha = m + r - 1
    check_tensor("winograd_tile", "d", d, ndim=2)
    check_tensor("winograd_tile", "g", g, ndim=2)
    if d.shape != (alpha, alpha) or g.shape != (r, r):
        raise ValueError(
            f"winograd_tile: 输入块应为 {alpha}×{alpha}、卷积核应为 {r}×{r}，"
            f"得到 {tuple(d.shape)} 和 {tuple(g.shape)}"
        )
    B_T, G, A_T = (t.to(d.dtype) for t in transforms)
    U = G @ g @ G.T  # 卷积核的变换：每个卷积核只做一次，可以提前算好
    V = B_T @ d @ B_T.T  # 输入块的变换
    M = U * V  # 唯一和数据有关的乘法：α×α 次
    return A_T @ M @ A_T.T
    # --8<-- [end:winograd_tile]


# --8<-- [start:winograd]
def conv2d_winograd(X, K, padding=0, transforms=F_2X2_3X3):
    """把输出切成 m×m 的块，每块用一次 winograd_tile 的公式；输入通道在变换后的空间里求和。"""
    m, r = check_transforms("conv2d_winograd", transforms)
    p_h, p_w = check_conv("conv2d_winograd", X, K, padding)
    c_o, c_i, k_h, k_w = K.shape
    if (k_h, k_w) != (r, r):
        raise ValueError(f"conv2d_winograd: 这组变换只算 {r}×{r} 的卷积核，得到 {k_h}×{k_w}")
    alpha = m + r - 1
    X = pad_both(X, p_h, p_w)
    o_h, o_w = X.shape[1] - r + 1, X.shape[2] - r + 1
    t_h, t_w = -(-o_h // m), -(-o_w // m)  # 块数，向上取整
    # 右边和下边再补 0，让最后一块也完整；多算出的输出最后裁掉
    X = F.pad(X, (0, t_w * m + r - 1 - X.shape[2], 0, t_h * m + r - 1 - X.shape[1]))
    # 变换后的卷积核、输入块和乘积：(c_o·c_i + c_i·块数 + c_o·块数) 个 α×α
    transformed = (c_o * c_i + (c_i + c_o) * t_h * t_w) * alpha * alpha
    check_elements("conv2d_winograd", transformed, instead="torch.nn.functional.conv2d")
    B_T, G, A_T = (t.to(X.dtype) for t in transforms)
    d = X.unfold(1, alpha, m).unfold(2, alpha, m)  # (c_i, t_h, t_w, α, α)：相邻的块重叠 r-1 行、列
    # 和 winograd_tile 是同一组公式，只是一次算完所有的块；einsum 里的 x、y 是变换后块里的行、列
    U = torch.einsum("xa,ocab,yb->xyoc", G, K, G)  # G g Gᵀ，(α, α, c_o, c_i)
    V = torch.einsum("xa,chwab,yb->xychw", B_T, d, B_T)  # Bᵀ d B，(α, α, c_i, t_h, t_w)
    # 每个位置 (x, y) 上，对输入通道求和是一次 (c_o, c_i) × (c_i, 块数) 的矩阵乘法
    M = U.reshape(alpha * alpha, c_o, c_i) @ V.reshape(alpha * alpha, c_i, t_h * t_w)
    M = M.reshape(alpha, alpha, c_o, t_h, t_w)
    Y = torch.einsum("ix,xyohw,jy->ohiwj", A_T, M, A_T)  # Aᵀ M A，(c_o, t_h, m, t_w, m)
    Y = Y.reshape(c_o, t_h * m, t_w * m)
    return Y[:, :o_h, :o_w]
    # --8<-- [end:winograd]


# --8<-- [start:winograd_matrices]
def winograd_matrices(m, r, points=(0, 1, -1, 2, -2, 0.5, -0.5, 3, -3)):
    """F(m, r) 的 (Bᵀ, G, Aᵀ)：在 points 的前 m+r-2 个点和“无穷远点”上求值、再插值（Toom-Cook）。

    用 float64 算出；点取得越多、越大，矩阵里的数就越悬殊，舍入误差也越大。
    """
    check_int("winograd_matrices", "m", m)
    check_int("winograd_matrices", "r", r)
    alpha = m + r - 1
    if not isinstance(points, (tuple, list)) or len(points) < alpha - 1:
        raise ValueError(f"winograd_matrices: points 至少要有 {alpha - 1} 个点，得到 {points!r}")
    chosen = [float(p) for p in points[: alpha - 1]]
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"winograd_matrices: points 的前 {alpha - 1} 个点不能重复，得到 {chosen}")

    def evaluate(columns):
        """在每个点上求 columns-1 次多项式的值；无穷远点取最高次项的系数。"""
        rows = [[p**j for j in range(columns)] for p in chosen]
        rows.append([0.0] * (columns - 1) + [1.0])
        return torch.tensor(rows, dtype=torch.float64)

    B_T = torch.linalg.inv(evaluate(alpha)).T  # 插值的转置
    return B_T, evaluate(r), evaluate(m).T
    # --8<-- [end:winograd_matrices]


# --8<-- [start:backward]
def conv2d_backward(X, K, grad_Y, padding=0):
    """Y = conv2d(X, K, padding) 的反向传播：已知 ∂L/∂Y，求 (∂L/∂X, ∂L/∂K)。"""
    p_h, p_w = check_conv("conv2d_backward", X, K, padding)
    c_o, c_i, k_h, k_w = K.shape
    X = pad_both(X, p_h, p_w)
    o_h, o_w = X.shape[1] - k_h + 1, X.shape[2] - k_w + 1
    check_tensor("conv2d_backward", "grad_Y", grad_Y, ndim=3)
    if grad_Y.shape != (c_o, o_h, o_w) or grad_Y.dtype != X.dtype:
        raise ValueError(
            f"conv2d_backward: grad_Y 应与输出同形状 {(c_o, o_h, o_w)}、同 dtype {X.dtype}，"
            f"得到 {tuple(grad_Y.shape)}、{grad_Y.dtype}"
        )
    # 对输入的梯度：grad_Y 四周补 k-1 圈 0，与翻转、交换了输入输出通道的卷积核做互相关
    K_flipped = torch.flip(K, dims=(2, 3)).transpose(0, 1)  # (c_i, c_o, k_h, k_w)
    grad_X = conv2d_im2col(grad_Y, K_flipped, padding=(k_h - 1, k_w - 1))
    grad_X = grad_X[:, p_h : grad_X.shape[1] - p_h, p_w : grad_X.shape[2] - p_w]  # 去掉补的边
    # 对卷积核的梯度：输入与 grad_Y 的互相关，正好是同一个窗口矩阵再乘一次
    grad_K = grad_Y.reshape(c_o, o_h * o_w) @ im2col(X, (k_h, k_w)).T
    return grad_X, grad_K.reshape(c_o, c_i, k_h, k_w)
    # --8<-- [end:backward]

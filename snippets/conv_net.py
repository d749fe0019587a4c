"""《从卷积层到卷积网络》一章的代码：卷积核看见什么、分组卷积、逐层统计一个网络。

页面 docs/conv-net.md 通过 `--8<--` 的命名片段嵌入这里的代码，
tests/test_conv_net.py 把它们和 torch.nn.functional 对照。
"""

import torch
from torch import nn
from torch.nn import functional as F

# ==== 区域 gallery 开始（助手 G） ====
# ==== 区域 gallery 结束 ====


# ==== 区域 groups 开始（助手 B） ====
# ==== 区域 groups 结束 ====


# ==== 区域 count 开始（主会话） ====
# ==== 区域 count 结束 ====

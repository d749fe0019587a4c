"""snippets/conv_net.py 和 figures/conv_net.py 的测试。"""

# ==== 区域 gallery 开始（助手 G） ====
# ==== 区域 gallery 结束 ====


# ==== 区域 groups 开始（助手 B） ====
# ==== 区域 groups 结束 ====


# ==== 区域 count 开始（主会话） ====
# ==== 区域 count 结束 ====

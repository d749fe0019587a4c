"""《从卷积层到卷积网络》一章的图。数都由 snippets.conv_net 现算。"""

# ==== 区域 gallery 开始（助手 G） ====
GALLERY_FIGURES = {}
# ==== 区域 gallery 结束 ====


# ==== 区域 groups 开始（助手 B） ====
GROUPS_FIGURES = {}
# ==== 区域 groups 结束 ====


# ==== 区域 count 开始（主会话） ====
COUNT_FIGURES = {}
# ==== 区域 count 结束 ====


FIGURES = {**GALLERY_FIGURES, **GROUPS_FIGURES, **COUNT_FIGURES}

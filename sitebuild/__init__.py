"""把页面、代码和笔记本变成站点的构建逻辑。全是纯函数，不依赖 MkDocs：

    docs/*.md
      ├─ 展开 --8<--（project）─> Markdown ─ MkDocs + Material ─> HTML
      │                                        └─ html.finish：公式、图、跳过说明、断行、术语提示
      ├─ 代码块与标记（fences）─> 文档测试（pagetest）
      └─ 章节笔记本（notebooks）
    docs/notebooks/*.py ─ 执行一次、按内容缓存（notebooks）─> mkdocs-jupyter 渲染

hooks/site.py 只是把这些函数接到 MkDocs 的事件上；换掉 MkDocs 或 Material 时只需换那一层。
"""


class BuildError(Exception):
    """构建不能继续：消息写明哪一页、哪里错了、怎么办。"""

"""把页面、代码和笔记本变成站点的构建逻辑。不导入 MkDocs；变换页面的步骤都是纯函数，
要和外界打交道的只有两处：常驻的 KaTeX 进程（math）和执行实验笔记本（notebooks）。

    docs/*.md
      ├─ 展开 --8<--（project）─> Markdown ─ MkDocs + Material ─> HTML
      │                                        └─ html.finish：公式、图、跳过说明、断行、术语提示
      ├─ 代码块与标记（fences）─> 文档测试（pagetest）
      └─ 章节笔记本（notebooks）
    docs/notebooks/*.py ─ 执行一次、按内容缓存（notebooks）─> mkdocs-jupyter 渲染
    构建出的站点 ─ 每一页的站内链接和锚点（links）

hooks/site.py 只是把这些函数接到 MkDocs 的事件上。换掉 MkDocs 或 Material 时，要重写的是那一层，
以及新工具里对应 Markdown 扩展的部分：这里认的是 pymdownx.arithmatex 的公式包装、
pymdownx.snippets 的 `--8<--` 和 mkdocs-jupyter（nbconvert）输出的 HTML。
"""


class BuildError(Exception):
    """构建不能继续：消息写明哪一页、哪里错了、怎么办。"""

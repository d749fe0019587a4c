"""图：页面里单独成段的 `[[figure 名字]]` 换成 figures 包现画的 SVG。

在 HTML 阶段替换（Markdown 已把标记渲染成 <p>…</p>），所以 SVG 不会被 Markdown 改写。
名字写错、或者标记没有单独成段，都是错误，而不是留下一行怪字。
"""

import importlib
import re
import sys

MARKER = re.compile(r"<p>\[\[figure ([\w-]+)\]\]</p>")
LEFTOVER = re.compile(r"\[\[\s*figure\b")  # 没被换掉的标记，包括写错了空格的
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)


def insert_figures(html, render):
    """render(名字) -> <figure> 的 HTML；名字未知时它抛出 ValueError。"""
    html = MARKER.sub(lambda m: render(m.group(1)), html)
    if LEFTOVER.search(CODE.sub("", html)):  # 代码里写出这个语法（比如讲怎么加图）不算
        raise ValueError("`[[figure 名字]]` 必须单独成段，名字只能有字母、数字和 -")
    return html


def fresh_figures():
    """重新导入 snippets 和 figures（`mkdocs serve` 改了代码后，图要跟着变）。

    整个丢掉旧模块再导入，而不是逐个 reload：逐个 reload 时，先重载的模块会抓住后重载模块里的旧类。
    """
    for name in [n for n in sys.modules if n.split(".")[0] in ("snippets", "figures")]:
        del sys.modules[name]
    return importlib.import_module("figures")

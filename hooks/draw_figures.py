"""MkDocs 钩子：把页面里单独成段的 `[[figure 名字]]` 换成 figures 包现画的 SVG。

在 HTML 阶段替换（Markdown 已把标记渲染成 <p>…</p>），所以 SVG 不会被 Markdown 改写。
名字写错、或者标记没有单独成段，构建都会失败，而不是留下一行怪字。
"""

import importlib
import re
import sys

from mkdocs.exceptions import PluginError

import figures

MARKER = re.compile(r"<p>\[\[figure ([\w-]+)\]\]</p>")


def on_pre_build(config):
    """`mkdocs serve` 每次重建前重新导入代码，改了 snippets/ 或 figures/ 图就跟着变。

    整个丢掉旧模块再导入，而不是逐个 reload：逐个 reload 时，先重载的模块会抓住后重载模块里的旧类。
    """
    global figures
    for name in [n for n in sys.modules if n.split(".")[0] in ("snippets", "figures")]:
        del sys.modules[name]
    figures = importlib.import_module("figures")


def on_page_content(html, page, config, files):
    def replace(match):
        try:
            return figures.render(match.group(1))
        except ValueError as error:
            raise PluginError(f"{page.file.src_uri}: {error}") from error

    html = MARKER.sub(replace, html)
    if "[[figure" in html:
        raise PluginError(f"{page.file.src_uri}: `[[figure 名字]]` 必须单独成段")
    return html

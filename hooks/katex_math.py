"""MkDocs 钩子：构建时用 KaTeX 把公式排成 HTML，读者的浏览器不需要运行任何数学脚本。

- pymdownx.arithmatex（generic）把公式包成 <span class="arithmatex">\\(…\\)</span>
  和 <div class="arithmatex">\\[…\\]</div>；这里把其中的 TeX 交给 KaTeX 排版。
- 每次构建只启动一个 Node 进程（hooks/katex_server.cjs），每页一问一答。
- TeX 写错时构建失败，消息里写明页面和公式。
- KaTeX 的样式表和 woff2 字体来自钉住版本的 npm 包，由站点自己提供，不经过 CDN。
"""

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "node_modules" / "katex" / "dist"
SERVER = Path(__file__).with_name("katex_server.cjs")
# 样式表把 woff2 排在第一位，现代浏览器不会再去要 woff/ttf，所以只拷 woff2
ASSETS = ["katex.min.css", "fonts/*.woff2"]
MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITERS = {"\\(": ("\\)", False), "\\[": ("\\]", True)}

_node = None  # 本次构建的 Node 进程


def on_files(files, config):
    if not (DIST / "katex.min.css").is_file():
        raise PluginError(f"找不到 KaTeX：{DIST}。请先运行 `make install`（其中执行 npm ci）。")
    for pattern in ASSETS:
        for path in sorted(DIST.glob(pattern)):
            uri = "assets/katex/" + path.relative_to(DIST).as_posix()
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_pre_build(config):
    global _node
    node = shutil.which("node")
    if node is None:
        raise PluginError("构建需要 Node.js 来排版公式，但 PATH 里找不到 node。")
    _node = subprocess.Popen(
        [node, str(SERVER)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def split_math(body):
    """arithmatex 的输出 -> (TeX, 是否行间公式)。"""
    body = unescape(body).strip()
    opening = body[:2]
    if opening not in DELIMITERS or not body.endswith(DELIMITERS[opening][0]):
        raise ValueError(f"无法识别的公式包装：{body[:40]!r}")
    return body[2:-2].strip(), DELIMITERS[opening][1]


def render_all(formulas):
    """把一页的全部公式发给 Node 进程，返回同样顺序的 {html} 或 {error}。"""
    _node.stdin.write(json.dumps(formulas, ensure_ascii=False) + "\n")
    _node.stdin.flush()
    line = _node.stdout.readline()
    if not line:
        raise PluginError("KaTeX 进程意外退出")
    return json.loads(line)


def on_page_content(html, page, config, files):
    matches = list(MATH.finditer(html))
    if not matches:
        return html
    formulas = [split_math(m.group(2)) for m in matches]
    results = render_all(formulas)
    for (tex, _), result in zip(formulas, results, strict=True):
        if "error" in result:
            raise PluginError(f"{page.file.src_uri}: 公式有误：{tex}\n{result['error']}")
    rendered = iter(results)
    return MATH.sub(
        lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)["html"]}</{m.group(1)}>', html
    )


def stop():
    global _node
    if _node is not None:
        _node.stdin.close()
        _node.wait(timeout=10)
        _node = None


def on_post_build(config):
    stop()


def on_build_error(error):
    stop()

"""公式：构建时用 KaTeX 把 TeX 排成 HTML，读者的浏览器不运行任何数学脚本。

pymdownx.arithmatex（generic）把公式包成 <span class="arithmatex">\\(…\\)</span> 和
<div class="arithmatex">\\[…\\]</div>；这里把其中的 TeX 交给一个常驻的 Node 进程排版
（katex_server.cjs，一次构建只启动一个）。TeX 写错时报出页面和公式。
实验笔记本里的 $…$ 先由 wrap_dollar_math 包成同样的形式。
"""

import json
import queue
import re
import shutil
import subprocess
import threading
from html import unescape
from pathlib import Path

from . import BuildError
from .project import ROOT

DIST = ROOT / "node_modules" / "katex" / "dist"
SERVER = Path(__file__).with_name("katex_server.cjs")
# 样式表把 woff2 排在第一位，现代浏览器不会再去要 woff/ttf，所以只拷 woff2
ASSETS = ["katex.min.css", "fonts/*.woff2"]
MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITERS = {"\\(": ("\\)", False), "\\[": ("\\]", True)}


def katex_assets(dist=DIST):
    """站点要带上的 KaTeX 文件：[(站内路径, 本地文件)]。"""
    if not (dist / "katex.min.css").is_file():
        raise BuildError(f"找不到 KaTeX：{dist}。请先运行 `make install`（其中执行 npm ci）。")
    return [
        ("assets/katex/" + path.relative_to(dist).as_posix(), path)
        for pattern in ASSETS
        for path in sorted(dist.glob(pattern))
    ]


def split_math(body):
    """arithmatex 的输出 -> (TeX, 是否行间公式)。"""
    body = unescape(body).strip()
    opening = body[:2]
    if opening not in DELIMITERS or not body.endswith(DELIMITERS[opening][0]):
        raise ValueError(f"无法识别的公式包装：{body[:40]!r}")
    return body[2:-2].strip(), DELIMITERS[opening][1]


class Katex:
    """一个常驻的 KaTeX 进程：每页一问一答（一行 JSON 进，一行 JSON 出）。

    timeout 秒内没有回答就结束进程并报错，`mkdocs serve` 不会因此卡住。
    """

    def __init__(self, command=None, timeout=60):
        if command is None:
            node = shutil.which("node")
            if node is None:
                raise BuildError("构建需要 Node.js 来排版公式，但 PATH 里找不到 node。")
            command = [node, str(SERVER)]
        self.timeout = timeout
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.answers = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.answers.put(line)
        self.answers.put("")  # 进程结束

    def _write(self, text):
        try:
            self.process.stdin.write(text)
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):  # 进程已经退出；读那一侧会报告
            pass

    def render(self, formulas):
        """[(TeX, 是否行间)] -> 同样顺序的 {"html": …} 或 {"error": …}。

        写和读共用一个期限：进程不读输入（一页的公式多到塞满管道时写也会卡住）
        或不回答，都在 timeout 秒后结束它并报错。
        """
        request = json.dumps(formulas, ensure_ascii=False) + "\n"
        writer = threading.Thread(target=self._write, args=(request,), daemon=True)
        writer.start()
        try:
            line = self.answers.get(timeout=self.timeout)
        except queue.Empty:
            self.close(kill=True)
            raise BuildError(
                f"KaTeX 进程 {self.timeout} 秒内没有回答（{len(formulas)} 个公式）；"
                "已结束它。检查 node 能否运行 sitebuild/katex_server.cjs。"
            ) from None
        writer.join()
        if not line:
            self.close()
            raise BuildError("KaTeX 进程意外退出")
        return json.loads(line)

    def close(self, kill=False):
        """结束进程：正常时关掉它的标准输入让它自己退出，卡住时直接杀掉。"""
        if self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - 只有 node 自己卡住才会走到
                self.process.kill()
                self.process.wait()


def typeset(html, render):
    """把一页 HTML 里 arithmatex 包着的公式换成 KaTeX 的 HTML。

    render 即 Katex.render。有错的公式收集起来一起报（ValueError，消息里有 TeX）。
    """
    matches = list(MATH.finditer(html))
    if not matches:
        return html
    formulas = [split_math(m.group(2)) for m in matches]
    results = render(formulas)
    errors = [
        f"公式有误：{tex}\n{result['error']}"
        for (tex, _), result in zip(formulas, results, strict=True)
        if "error" in result
    ]
    if errors:
        raise ValueError("\n".join(errors))
    rendered = iter(results)
    return MATH.sub(
        lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)["html"]}</{m.group(1)}>', html
    )


PROTECTED = re.compile(r"(<(pre|code|script|style)\b.*?</\2>)", re.S)
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$")


def wrap_dollar_math(html):
    """在 <pre>、<code>、<script>、<style> 之外，把 $$…$$ 和 $…$ 换成 arithmatex 的包装。"""
    parts = PROTECTED.split(html)
    out = []
    for k, part in enumerate(parts):
        if k % 3 == 1:
            out.append(part)  # 受保护的整段
        elif k % 3 == 0:
            part = DISPLAY.sub(r'<div class="arithmatex">\\[\1\\]</div>', part)
            out.append(INLINE.sub(r'<span class="arithmatex">\\(\1\\)</span>', part))
        # k % 3 == 2 是 split 捕获的标签名，丢掉
    return "".join(out)

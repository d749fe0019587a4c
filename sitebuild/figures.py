"""图：页面里单独成段的 `[[figure 名字]]` 换成 figures 包现画的图；图用到的位图成为站点里的文件。

在 HTML 阶段替换（Markdown 已把标记渲染成 <p>…</p>），所以 SVG 不会被 Markdown 改写。
名字写错、或者标记没有单独成段，都是错误，而不是留下一行怪字。

画出来的东西按代码缓存在磁盘上（Drawings）：照片图库要把十几万个像素逐个算过一遍，
每次构建都重画，`mkdocs serve` 改一个字也要多等两三秒。
"""

import hashlib
import importlib
import importlib.metadata
import os
import platform
import re
import shutil
import sys
import tempfile
from pathlib import Path

from .project import ROOT

MARKER = re.compile(r"<p>\[\[figure ([\w-]+)\]\]</p>")
LEFTOVER = re.compile(r"\[\[\s*figure\b")  # 没被换掉的标记，包括写错了空格的
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
# 这些包的版本会改变画出的图（张量的数、照片本身、WebP 编码器），换了版本就重画
ENVIRONMENT = ("torch", "numpy", "scikit-learn", "pillow")


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


def cache_dir():
    """画好的图的缓存目录：环境变量 CFC_CACHE_DIR，默认仓库里的 .cache/。"""
    return Path(os.environ.get("CFC_CACHE_DIR") or ROOT / ".cache") / "figures"


# 图读的文件：代码，以及 make bench 量出的时间（《卷积怎样算得快》的时间表构建时读 CSV）
INPUTS = (("snippets", "*.py"), ("figures", "*.py"), ("benchmarks/results", "*.csv"))


def code_key(root=ROOT):
    """snippets/ 和 figures/ 的全部源代码、benchmarks/results/ 里的 CSV、机器架构、Python 和
    相关包的版本 -> 缓存键。

    图只由这些决定：改了任何一处代码（哪怕是另一章的）或重测了一次，整批重画，不去追究谁读了谁。
    """
    digest = hashlib.sha256()
    for folder, pattern in INPUTS:
        for path in sorted((Path(root) / folder).glob(pattern)):
            digest.update(f"{folder}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    versions = [platform.machine(), platform.python_version()]
    versions += [f"{name}=={importlib.metadata.version(name)}" for name in ENVIRONMENT]
    digest.update("\n".join(versions).encode("utf-8"))
    return digest.hexdigest()[:20]


class Drawings:
    """一次构建用到的图：figures 是（重新导入的）figures 包，画出的东西存在 folder 里。

    folder 按代码取名（code_key），代码不变时重建直接读缓存；换了代码就是另一个文件夹，
    旧的那些在第一次写入新文件夹时删掉。
    """

    def __init__(self, figures, folder):
        self.figures, self.folder = figures, Path(folder)

    def cached(self, relative, make):
        """folder/relative 的字节；没有就调用 make() 画出来存上。"""
        path = self.folder / relative
        if path.is_file():
            return path.read_bytes()
        data = make()
        if not self.folder.is_dir():
            for old in self.folder.parent.glob("*"):
                shutil.rmtree(old, ignore_errors=True)  # 旧代码画的图不会再用到
        path.parent.mkdir(parents=True, exist_ok=True)
        # 先写进一个独有的临时文件再换名：中途被打断、或两次构建同时在写，都不会留下半个文件
        handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(partial, path)
        return data

    def images(self):
        """[(站内路径, 文件的字节)]：各章 IMAGES 里登记的位图，按文件名排序。"""
        return [
            (f"{self.figures.IMAGE_DIR}/{name}", self.cached(f"images/{name}", make))
            for name, make in sorted(self.figures.IMAGES.items())
        ]

    def render(self, name, url=None):
        """同 figures.render(name, url)，图的 HTML 取自缓存。"""
        html = self.cached(f"html/{name}.html", lambda: self.figures.draw(name)[0].encode())
        return self.figures.wrap(name, html.decode("utf-8"), url)


def drawings(cache=None):
    """这次构建的 Drawings：重新导入 figures 包，缓存放在 cache（默认 cache_dir()）下。"""
    return Drawings(fresh_figures(), Path(cache or cache_dir()) / code_key())

"""把钉住版本的 KaTeX（npm 包）放进站点的 assets/katex/，不依赖任何 CDN。

只拷浏览器实际会请求的文件：脚本、样式和 woff2 字体
（KaTeX 的样式表把 woff2 排在第一位，现代浏览器不会再去要 woff/ttf）。
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

DIST = Path(__file__).resolve().parent.parent / "node_modules" / "katex" / "dist"
WANTED = ["katex.min.js", "katex.min.css", "contrib/auto-render.min.js", "fonts/*.woff2"]


def on_files(files, config):
    if not (DIST / "katex.min.js").is_file():
        raise PluginError(f"找不到 KaTeX：{DIST}。请先运行 `make install`（其中执行 npm ci）。")
    for pattern in WANTED:
        for path in sorted(DIST.glob(pattern)):
            uri = "assets/katex/" + path.relative_to(DIST).as_posix()
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files

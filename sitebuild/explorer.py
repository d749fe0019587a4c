"""卷积计算器（explorer/）的脚本：构建时用 esbuild 把 explorer/src 的 ES 模块打成一个文件。

打包而不直接发 ES 模块，是因为离线版从磁盘（file://）打开，
Chromium 不让 file:// 的页面加载模块脚本。
esbuild 的版本钉在 package.json 里，`npm ci` 装进 node_modules。
"""

import subprocess

from . import BuildError
from .project import ROOT

ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
ENTRY = ROOT / "explorer" / "src" / "index.js"
# 站点里的位置：docs/javascripts/explorer.js（加载器）在有计算器的页面上载入它
BUNDLE = "javascripts/cfc-explorer.js"


def bundle(entry=ENTRY, esbuild=ESBUILD):
    """打包、压缩，返回脚本的文本。esbuild 不在或报错时抛出 BuildError，带上它的原话。"""
    if not esbuild.exists():
        raise BuildError(f"找不到 {esbuild}：先运行 npm ci（make install 会做）")
    command = [
        str(esbuild),
        str(entry),
        "--bundle",
        "--minify",
        "--format=iife",
        "--target=es2020",
        "--charset=utf8",  # 中文原样写出，不转成 \\uXXXX（小一半）
        "--legal-comments=none",
        "--loader:.css=text",
        "--log-level=error",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"esbuild 打包 {entry} 失败：\n{result.stderr.strip()}")
    return result.stdout

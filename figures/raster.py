"""照片一类的图：位图文件，以及把几张位图排成网格的 HTML。

数字网格画成内联 SVG（svg.py）；一张照片有上万个像素，画成 <rect> 太大，所以另存成文件。
一章的 figures 模块在 IMAGES 里登记 {文件名: 返回文件字节的函数}，构建时它们成为站点里
IMAGE_DIR 下的文件（hooks/site.py 的 on_files；按代码缓存，见 sitebuild/figures.py）。
图的 HTML 里用 image_src(文件名) 写相对站点根的地址；插进某一页时，figures.render 把它换成
从那一页出发的相对地址（目录式网址和离线版的 .html 网址不同）。
"""

import io
from dataclasses import dataclass
from html import escape

import torch
from PIL import Image

IMAGE_DIR = "assets/figures"  # 站点里放位图的文件夹
# WebP 有损压缩的质量：90 时 106×160 的灰度照片约 5 KB，与无损的 PNG（约 10 KB）看不出差别
QUALITY = 90


def image_src(name):
    """图里引用一张位图：相对站点根的地址（figures.render 再换成相对当前页面的）。"""
    return f"{IMAGE_DIR}/{name}"


def webp(levels):
    """二维 uint8 张量（0 到 255 的灰度）-> WebP 文件的字节。同样的输入总是得到同样的字节。"""
    if levels.dim() != 2 or levels.dtype != torch.uint8:
        shape = tuple(levels.shape)
        raise ValueError(f"webp: 要二维的 uint8 灰度，得到 {levels.dtype}、形状 {shape}")
    buffer = io.BytesIO()
    Image.fromarray(levels.numpy()).save(buffer, "WEBP", quality=QUALITY, method=6)
    return buffer.getvalue()


@dataclass
class Tile:
    """网格里的一格：一张位图，下面一行短标题、一行小字。"""

    file: str  # IMAGES 里的文件名
    alt: str  # 替代文字：看不见图的读者读到的就是它
    label: str
    note: str
    width: int  # 位图的像素宽、高：浏览器在图片到达之前就按比例留好位置
    height: int


def gallery(tiles, caption):
    """几张位图排成网格（extra.css 的 .cfc-gallery：手机上两列，栏宽够时四列），题注在下面。"""
    cells = "".join(
        f'<div class="cfc-tile"><img src="{escape(image_src(t.file))}" alt="{escape(t.alt)}" '
        # lazy：照片在页面中间，读者滚到附近才下载，打开这一页时不必先付这几十 KB
        f'width="{t.width}" height="{t.height}" loading="lazy" decoding="async">'
        f'<span class="cfc-tile-label">{escape(t.label)}</span>'
        f'<span class="cfc-tile-note">{escape(t.note)}</span></div>'
        for t in tiles
    )
    return f'<div class="cfc-gallery">{cells}</div><figcaption>{escape(caption)}</figcaption>'

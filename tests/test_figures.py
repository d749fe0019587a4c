"""figures 包本身的测试：render()、未知的名字、主题与无障碍；位图（照片网格）的登记、编码和地址；
构建把图嵌进页面。

各章的图画得对不对（图上的数就是 snippets 算出的数），在各章的 tests/test_<模块>.py 里测。
"""

import importlib
import io
import re
from html import escape, unescape

import pytest
import torch
from PIL import Image
from svgread import grid_numbers, layouts

import figures
from figures.raster import IMAGE_DIR, Tile, gallery, image_src, webp
from figures.svg import CELL, LABEL, NARROW, NEWLINE, STAR, WIDE_FROM, Grid, figure, row, rows
from sitebuild.project import ROOT
from snippets.conv_layer import K, X, corr2d


def test_figure_is_themeable_and_accessible():
    html = figures.render("corr2d-example")
    assert 'role="img"' in html and "<title>" in html
    assert "fill=" not in html, "颜色应来自 CSS，深色主题才能跟随"


def test_unknown_figure_name_is_an_error():
    with pytest.raises(ValueError, match="未知的图 'nope'"):
        figures.render("nope")


def test_built_page_embeds_the_figures(built_site):
    html = (built_site / "conv-layer" / "index.html").read_text(encoding="utf-8")
    assert "[[figure" not in html
    for name in ("corr2d-example", "edge-detection"):
        assert f'data-figure="{name}"' in html
    svg = re.search(r'data-figure="corr2d-example">(<svg.*?</svg>)', html).group(1)
    assert grid_numbers(svg, "output") == corr2d(X, K).flatten().tolist()


# —— 手机上的图：宽图、窄图两种排法（figures/svg.py 的 responsive） ——

# 每张图画一次：SVG 图量排法和字号，表格（实测的时间表）查它的结构，照片网格查它的位图
DRAWN = {name: figures.draw(name) for name in sorted(figures.FIGURES)}
SVG_FIGURES = [name for name, (html, _) in DRAWN.items() if html.startswith("<svg")]
TABLE_FIGURES = [name for name, (html, _) in DRAWN.items() if html.startswith("<table>")]
RASTER_FIGURES = [name for name in DRAWN if name not in SVG_FIGURES + TABLE_FIGURES]


def sizes(svg):
    """每一份 SVG 的 (CSS 类, 宽, 高)。"""
    return [(r.get("class"), float(r.get("width")), float(r.get("height"))) for r in layouts(svg)]


@pytest.mark.parametrize("name", SVG_FIGURES)
def test_every_figure_has_a_layout_whose_smallest_text_is_readable_on_a_phone(name):
    """窄图（或唯一的一份）不宽于 NARROW：375 px 的手机上最小的字也有 10 px 以上；
    宽图只在栏宽至少 WIDE_FROM 时显示，它在那时的最小字号也不小于 10 px。"""
    svg, _ = DRAWN[name]
    found = sizes(svg)
    assert [c for c, _, _ in found] in (["cfc-svg"], ["cfc-svg cfc-wide", "cfc-svg cfc-narrow"])
    *wide, (_, narrow, _) = found
    assert narrow <= NARROW and 343 / narrow * LABEL >= 10
    for _, width, _ in wide:
        assert width > NARROW, "放得进 NARROW 的图不必画两份"
        assert WIDE_FROM / width * LABEL >= 10
    # 字号：extra.css 里标签是 LABEL，数字和运算符更大
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert f"font-size: {LABEL}px" in css and f"max-width: {WIDE_FROM - 0.02}px" in css


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_figures_write_cross_correlation_as_the_text_does(name):
    """正文用 KaTeX 的 \\star（⋆ U+22C6），图里不能换成黑色五角星 ★（U+2605）。"""
    svg, alt = DRAWN[name]
    assert "★" not in svg + alt


def test_a_narrow_layout_breaks_before_operators_and_turns_arrows_down():
    a, b, c = (Grid([[1, 2, 3, 4, 5]], f"g{k}", f"网格 {k}") for k in "abc")
    body, width, height = rows(a, STAR, b, "→", c, width=300)
    # 每个网格 180 宽：一行只放得下一个，运算符排到下一行的开头，箭头单独一行、朝下
    assert width == max(row(a)[1], row(STAR, b)[1], row(c)[1]) <= 300
    assert body.count('<g transform="translate(') == 3
    assert "↓" in body and "→" not in body and body.count(STAR) == 1
    assert height > 3 * CELL
    # 宽图的排法不理 NEWLINE；窄图遇到它就换行，即使放得下
    assert row(a, NEWLINE, "+", b)[1] == row(a, "+", b)[1]
    assert rows(a, NEWLINE, "+", b, width=10_000)[0].count("<g transform") == 2
    assert rows(a, "+", b, width=10_000)[0].count("<g transform") == 1


def test_a_figure_that_fits_a_phone_is_drawn_once():
    small = Grid([[1]], "one", "一")
    assert len(layouts(figure(small, "=", small, alt="小图"))) == 1
    big = Grid([[0] * 12], "big", "宽")
    wide, narrow = layouts(figure(big, "=", big, alt="宽图"))
    assert wide.get("class").endswith("cfc-wide") and narrow.get("class").endswith("cfc-narrow")
    assert float(narrow.get("width")) < float(wide.get("width"))


# —— 表格：数字多、又要按行列对照的图（《卷积怎样算得快》的时间表）画成 HTML 表格 ——


def test_there_is_a_table_figure_to_check():
    assert TABLE_FIGURES


@pytest.mark.parametrize("name", TABLE_FIGURES)
def test_every_table_figure_is_one_plain_table_with_headers_and_a_caption(name):
    """不带 class 的 <table>：Material 给它站里表格的样式，并包进能横向滚动、带阴影提示的框
    （手机上放不下时可以滚动）。表头格写明 scope，读屏软件才知道哪格是哪一列的；题注就是 alt。"""
    html, alt = DRAWN[name]
    assert html.startswith('<table><thead><tr><th scope="col"')
    assert html.count("<table") == 1 and "<svg" not in html and "<img" not in html
    assert html.endswith(f"<figcaption>{escape(alt)}</figcaption>")
    assert "<td" in html and alt.strip()


# —— 位图：照片一类的图另存成文件（figures/raster.py），页面里的地址从所在的页出发 ——

IMG = re.compile(r'<img src="([^"]*)" alt="([^"]*)"')


def test_there_is_a_raster_figure_to_check():
    assert RASTER_FIGURES and figures.IMAGES


@pytest.mark.parametrize("name", RASTER_FIGURES)
def test_every_raster_figure_shows_registered_pictures_with_alt_and_a_caption(name):
    html, alt = DRAWN[name]
    found = IMG.findall(html)
    assert found and "<svg" not in html
    for src, text in found:
        assert src.removeprefix(f"{IMAGE_DIR}/") in figures.IMAGES, f"{src} 没有登记在 IMAGES 里"
        assert unescape(text).strip(), f"{src} 没有替代文字"
    assert html.endswith(f"<figcaption>{alt}</figcaption>")


@pytest.mark.parametrize("name", sorted(figures.IMAGES))
def test_every_registered_picture_is_a_small_deterministic_webp(name):
    data = figures.IMAGES[name]()
    assert data == figures.IMAGES[name]()
    assert Image.open(io.BytesIO(data)).format == "WEBP"
    assert len(data) < 20_000


def test_pictures_are_resolved_from_the_page_that_shows_them():
    html = figures.render("kernel-gallery")  # 没有给 url：地址相对站点的根
    assert f'src="{IMAGE_DIR}/kernels-input.webp"' in html
    # 目录式网址（conv-net/）与离线版（conv-net.html）各自的相对地址
    for prefix in ("../", ""):
        html = figures.render("kernel-gallery", url=lambda uri, p=prefix: f"{p}{uri}")
        assert f'src="{prefix}{IMAGE_DIR}/kernels-input.webp"' in html
    # SVG 图里没有位图，给不给 url 都一样
    assert figures.render("corr2d-example", url=lambda uri: None) == figures.render(
        "corr2d-example"
    )


def test_a_picture_missing_from_the_site_is_an_error_naming_the_figure():
    with pytest.raises(
        ValueError, match=r"图 'kernel-gallery' 用到的 assets/figures/.*登记在 IMAGES"
    ):
        figures.render("kernel-gallery", url=lambda uri: None)


def test_a_picture_name_used_by_two_chapters_is_an_error(monkeypatch):
    # 取 sys.modules 里现在的模块：别的测试重新导入过 figures 包时，figures.pooling 可能是旧的那个
    pooling = importlib.import_module("figures.pooling")
    monkeypatch.setattr(pooling, "IMAGES", {"kernels-input.webp": bytes}, raising=False)
    with pytest.raises(ValueError, match="位图的文件名 'kernels-input.webp' 在两个模块里都有"):
        figures.collect("IMAGES")


def test_webp_takes_only_a_two_dimensional_gray_image():
    levels = torch.arange(12, dtype=torch.uint8).reshape(3, 4) * 20
    decoded = Image.open(io.BytesIO(webp(levels)))
    assert decoded.size == (4, 3)
    for bad in (levels.float(), levels[None]):
        with pytest.raises(ValueError, match="webp: 要二维的 uint8 灰度"):
            webp(bad)


def test_a_gallery_escapes_its_text_and_sizes_each_picture():
    tile = Tile("a.webp", 'x "y" <z>', "标签 & 名", "小字", 16, 9)
    html = gallery([tile], "题注 <b>")
    assert f'<img src="{image_src("a.webp")}" alt="x &quot;y&quot; &lt;z&gt;" width="16"' in html
    assert 'height="9"' in html and "标签 &amp; 名" in html and "小字" in html
    assert html.endswith("<figcaption>题注 &lt;b&gt;</figcaption>")

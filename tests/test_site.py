"""构建出的站点：一切资源来自站点自身，公式在构建时排好，搜索按术语切词。"""

import json
import re
import shutil
import subprocess
import sys

import pytest

from sitebuild.cjk import cjk_gaps
from sitebuild.glossary import ABBR, MATHS_SENSE, glossary_terms, misplaced_tooltips
from sitebuild.links import page_links
from sitebuild.project import ROOT, chapters

# 会让浏览器去取资源的标签；<link rel="canonical"> 只是声明，不发请求
LOADING_TAG = re.compile(r"<(?:script|link|img|source|iframe)\b[^>]*>", re.I)
EXTERNAL = re.compile(r'(?:src|href)="(?:https?:)?//')


def test_no_page_shows_a_space_between_two_chinese_characters(built_site):
    gaps = {
        page.relative_to(built_site).as_posix(): found
        for page in built_site.rglob("*.html")
        if (found := cjk_gaps(page.read_text(encoding="utf-8")))
    }
    assert gaps == {}


def test_site_serves_katex_itself_and_needs_no_math_script(built_site):
    assert (built_site / "assets" / "katex" / "katex.min.css").is_file()
    assert list((built_site / "assets" / "katex" / "fonts").glob("*.woff2"))
    html = (built_site / "conv-layer" / "index.html").read_text(encoding="utf-8")
    assert 'class="katex"' in html and "katex.min.js" not in html and "mathjax" not in html.lower()


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in LOADING_TAG.findall(text):
            assert 'rel="canonical"' in tag or not EXTERNAL.search(tag), (page, tag)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        assert 'data-md-component="source"' not in text, "仓库小部件会去请求 GitHub API"


def test_no_page_links_to_the_authors_own_machine(built_site):
    for page in built_site.rglob("*.html"):
        hrefs = re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8"))
        local = [h for h in hrefs if re.match(r"(?:https?:)?//(?:localhost|127\.|0\.0\.0\.0)", h)]
        assert local == [], f"{page.relative_to(built_site)} 链接到本机：{local}"


def test_search_index_keeps_glossary_terms_whole(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "".join(doc["title"] + doc["text"] for doc in index["docs"])
    for term in glossary_terms():
        # im2col、Winograd：jieba 只切中文，拉丁字母的词前后本来就是空格或标点
        if term.zh.isascii():
            whole = re.search(rf"(?<![A-Za-z0-9]){re.escape(term.zh)}(?![A-Za-z0-9])", text)
            assert whole, f"搜索索引里“{term.zh}”被切开了"
        else:
            assert f"\u200b{term.zh}\u200b" in text, f"搜索索引里“{term.zh}”被切开了"


def test_every_tooltip_means_what_its_word_means_there(built_site):
    """单说的“卷积”挂的是互相关的提示；数学中的卷积的提示只挂在“严格卷积”上。"""
    pages = {path: path.read_text(encoding="utf-8") for path in built_site.rglob("*.html")}
    problems = [f"{path}: {p}" for path, html in pages.items() for p in misplaced_tooltips(html)]
    assert problems == []
    words = {word for html in pages.values() for _, word in ABBR.findall(html)}
    assert "卷积" in words and MATHS_SENSE[0] in words, "检查没有可查的对象"


def test_every_page_states_the_licences_the_repository_carries(built_site):
    """页脚说正文 CC BY-NC-SA 4.0、代码 MIT；仓库里真有这两份许可证。"""
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "LICENSE-CONTENT").read_text(encoding="utf-8")
    assert content.startswith("Attribution-NonCommercial-ShareAlike 4.0 International")
    for page in built_site.rglob("index.html"):
        footer = page.read_text(encoding="utf-8").split('class="md-copyright"')[-1]
        assert "CC BY-NC-SA 4.0" in footer and "MIT" in footer, page


def build_with(tmp_path, page, addition):
    """把项目复制一份，往 docs/<page> 末尾加上 addition，以 --strict 构建，返回结果。"""
    for name in ("mkdocs.yml", "docs", "hooks", "overrides"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, tmp_path / name)
    # benchmarks/、explorer/：mkdocs.yml 监视 benchmarks/results（实测的 CSV）和计算器的源码，
    # 这两个目录不在就不能构建
    for name in ("node_modules", "snippets", "figures", "sitebuild", "benchmarks", "explorer"):
        (tmp_path / name).symlink_to(ROOT / name)
    path = tmp_path / "docs" / page
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )


@pytest.mark.build
def test_a_broken_formula_fails_the_build_and_names_the_page(tmp_path):
    result = build_with(tmp_path, "conv-layer.md", "\n坏掉的公式 $\\frac{1$。\n")
    assert result.returncode != 0
    assert "conv-layer.md: 公式有误：\\frac{1" in result.stderr


@pytest.mark.build
@pytest.mark.parametrize(
    ("addition", "message"),
    [
        ("\n正文：\n\n    print(1)\n", "conv-layer.md: 页面上有"),  # 测试看不见的代码
        ('\n<p><a href="../nowhere/">手写的链接</a></p>\n', "conv-layer/index.html：../nowhere/"),
    ],
    ids=["indented-code", "dead-html-link"],
)
def test_code_or_links_the_tests_cannot_see_fail_the_build(tmp_path, addition, message):
    result = build_with(tmp_path, "conv-layer.md", addition)
    assert result.returncode != 0
    assert message in result.stderr


def test_every_chapter_offers_its_notebook_for_download(built_site):
    for page in [c.page for c in chapters()]:
        notebook = built_site / "downloads" / f"{page.stem}.ipynb"
        assert json.loads(notebook.read_text(encoding="utf-8"))["cells"], notebook
        html = (built_site / page.stem / "index.html").read_text(encoding="utf-8")
        assert f'href="../downloads/{page.stem}.ipynb"' in html, page


def test_lab_page_is_executed_typeset_and_self_contained(built_site):
    html = (built_site / "notebooks" / "cnn-vs-mlp" / "index.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png') >= 3  # 图由构建时执行笔记本画出
    assert "测试准确率" in html and 'class="katex"' in html
    assert "MathJax.Hub" not in html and "cdnjs" not in html
    # 下载的是执行过的 .ipynb（带输出），不是 jupytext 的 .py 源文件
    download = built_site / "notebooks" / "cnn-vs-mlp" / "cnn-vs-mlp.ipynb"
    cells = json.loads(download.read_text(encoding="utf-8"))["cells"]
    assert any(cell.get("outputs") for cell in cells)


def test_lab_table_of_contents_points_at_its_headings(built_site):
    """全站的链接构建时就查过了（hooks/site.py）；这里确认实验页的目录用上了小标题的中文锚点。"""
    html = (built_site / "notebooks" / "cnn-vs-mlp" / "index.html").read_text(encoding="utf-8")
    ids, _ = page_links(html)
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', html)
    assert len(toc) >= 3 and set(toc) <= ids and all(re.search(r"[\u4e00-\u9fff]", a) for a in toc)

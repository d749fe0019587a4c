"""笔记本：每章生成的笔记本在全新内核里从头跑到尾；实验笔记本只执行一次（与构建共用缓存），
它打印的数经得起正文的说法。"""

import json
import re

import nbformat
import pytest
from columns import misaligned
from nbclient import NotebookClient
from pymdownx.slugs import slugify
from sklearn.datasets import load_digits

from sitebuild import BuildError
from sitebuild.notebooks import (
    add_download_button,
    cache_key,
    chapter_downloads,
    chapter_ipynb,
    chapter_notebook,
    dress_lab,
    executed_lab,
    figure_captions,
    heading_ids,
    is_lab,
    join_lines,
    lab_download_button,
    lab_links,
    lab_problems,
    notebook_cells,
    notebook_uri,
    printed_text,
    set_image_alts,
    site_stylesheets,
)
from sitebuild.pagetest import PageRun
from sitebuild.project import ROOT, chapters, expand_page, snippet_options

LAB = ROOT / "docs" / "notebooks" / "cnn-vs-mlp.py"


@pytest.mark.notebook
@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.page.name)
def test_chapter_notebook_runs_top_to_bottom_in_a_fresh_kernel(chapter):
    source = chapter.page.read_text(encoding="utf-8")
    notebook = chapter_notebook(expand_page(source), "https://example.org/")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    # 与文档测试运行的块一一对应（跳过的块除外），不带输出
    blocks = PageRun(chapter.page.name, source).blocks
    assert [c.source for c in code] == [b.code.rstrip("\n") for b in blocks if not b.skip_reason]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    prose = "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "pytest" not in prose and "[[figure" not in prose and ".md" not in prose
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    assert all(c.execution_count for c in code)
    # 笔记本里每个单元显示的，就是页面上给出的输出（没给出的，笔记本里也什么都不显示）
    shown = [b.expected_output or "" for b in blocks if not b.skip_reason]
    assert [cell_text(c) for c in code] == shown


def cell_text(cell):
    """一个代码单元显示的全部文字：打印的（stdout、stderr）和最后一个表达式的值。"""
    return "".join(
        output.get("text", "") or output.get("data", {}).get("text/plain", "") + "\n"
        for output in cell.outputs
    )


def test_notebook_cells_hoist_code_and_drop_shown_outputs():
    page = (
        "# 标题\n\n见[另一章](conv-layer.md#小结)、[首页](index.md)和[本章](./pooling.md)。\n\n"
        '1. 题目\n\n    ??? success "参考答案"\n\n'
        "        ```python\n        print(1)\n        ```\n\n"
        "        <!--pytest-codeblocks:expected-output-->\n\n"
        "        ```text\n        1\n        ```\n\n"
        '<!--pytest.mark.skip(reason="演示")-->\n'
        "```python\nraise SystemExit\n```\n\n[[figure padding]]\n"
    )
    cells = notebook_cells(page, "https://example.org/")
    assert [kind for kind, _ in cells] == ["markdown", "code", "markdown"]
    first, code, last = (text for _, text in cells)
    assert code == "print(1)"
    assert "(https://example.org/conv-layer/#小结)" in first
    assert "(https://example.org/)" in first and "(https://example.org/pooling/)" in first
    assert "**参考答案**" in first and "\n1\n" not in first  # 展示的输出不进笔记本
    assert "```python\nraise SystemExit\n```" in last  # 跳过的块不成为代码单元
    assert "网页上查看" in last and "pytest" not in first + last
    notebook = json.loads(chapter_ipynb(page))
    assert [c["cell_type"] for c in notebook["cells"]] == ["markdown", "code", "markdown"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


@pytest.fixture(scope="module")
def lab():
    """构建用的同一份执行结果：先构建过就直接读缓存，否则在这里执行一次。"""
    return nbformat.read(executed_lab(LAB), as_version=4)


@pytest.mark.notebook
def test_lab_accuracies_clear_their_thresholds(lab):
    """正文说：卷积网络都在 93% 以上，挪动 1、2 个像素后都比全连接网络稳得多。"""
    number = r"\s+(\d+\.\d)%"
    rows = re.findall(rf"^(\S.*?){number * 3}$", printed_text(lab), re.M)
    table = {name: [float(a) for a in accs] for name, *accs in rows}
    mlp = table.pop("全连接网络")
    assert len(table) == 2 and mlp[0] >= 93
    for name, accs in table.items():
        assert accs[0] >= 93, name
        assert accs[1] > mlp[1] + 10 and accs[2] > mlp[2] + 10, (name, accs, mlp)


@pytest.mark.notebook
def test_lab_tables_line_up_in_a_monospaced_font(lab):
    assert "向右挪动的像素" in printed_text(lab) and misaligned(printed_text(lab)) == []


@pytest.mark.notebook
def test_lab_prints_the_numbers_its_text_relies_on(lab):
    printed = printed_text(lab)
    digits = load_digits()
    assert f"共 {len(digits.target)} 张图，像素值范围 0.0 到 16.0" in printed  # 正文说的数据规模
    params = [int(n) for n in re.findall(r"的参数：(\d+)", printed)]
    assert len(params) == 3 and max(params) < 10 * min(params)  # 正文：参数个数在同一个量级
    assert "测试准确率" in printed
    pictures = [
        o for c in lab.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert len(pictures) >= 3  # 样例数字、训练曲线、卷积核


@pytest.mark.notebook
def test_lab_cache_is_keyed_by_content_and_reused(tmp_path):
    source = "# %%\nprint(6 * 7)\n"
    path = tmp_path / "tiny.py"
    path.write_text(source, encoding="utf-8")
    first = executed_lab(path, cache=tmp_path / "cache")
    assert first.name == "tiny.ipynb" and first.parent.name == cache_key(source)
    executed = nbformat.read(first, as_version=4)
    assert "42" in printed_text(executed)
    assert "execution" not in executed.cells[0].metadata  # 不记执行的时刻：下载的笔记本里没有
    stamp = first.stat().st_mtime_ns
    assert executed_lab(path, cache=tmp_path / "cache").stat().st_mtime_ns == stamp  # 没有重跑
    path.write_text(source + "print(1)\n", encoding="utf-8")
    second = executed_lab(path, cache=tmp_path / "cache")
    assert second != first and second.is_file()  # 内容变了，重新执行
    assert not first.exists()  # 旧结果清掉了
    assert not list((tmp_path / "cache").rglob("*.partial"))


@pytest.mark.notebook
@pytest.mark.parametrize(
    ("cell", "timeout", "message"),
    [("1 / 0", 60, "ZeroDivisionError"), ("import time\ntime.sleep(30)", 1, "timed out")],
)
def test_a_lab_cell_that_fails_or_hangs_is_a_build_error(tmp_path, cell, timeout, message):
    path = tmp_path / "broken.py"
    path.write_text(f"# %%\n{cell}\n", encoding="utf-8")
    with pytest.raises(BuildError, match=f"(?s)broken.py 执行出错.*{message}"):
        executed_lab(path, cache=tmp_path, timeout=timeout)
    assert not list(tmp_path.rglob("*.ipynb"))  # 失败的执行不进缓存


def test_each_chapter_page_links_its_notebook_under_the_title():
    page = "# 图像卷积\n\n正文\n\n```python\nx = 1\n```\n\n# 第二个一级标题\n"
    assert notebook_uri("conv-layer.md") == "downloads/conv-layer.ipynb"
    assert notebook_uri("part/x.md") == "downloads/part-x.ipynb"
    out = add_download_button(page, "part/x.md")
    assert out.startswith("# 图像卷积\n\n[下载本章的 Jupyter 笔记本](../downloads/part-x.ipynb)")
    assert 'download="part-x.ipynb"' in out and out.count("下载本章") == 1
    assert add_download_button("# 首页\n\n没有代码\n", "index.md") == "# 首页\n\n没有代码\n"


def test_a_code_block_that_shows_a_fence_stays_one_notebook_cell():
    page = "# 题\n\n````markdown\n```python\nx = 1\n```\n````\n\n```python\ny = 2\n```\n"
    cells = chapter_notebook(page).cells
    assert [c.cell_type for c in cells] == ["markdown", "code"] and cells[1].source == "y = 2"


def test_downloads_are_made_for_chapters_only():
    pages = [("a.md", "# A\n\n```python\nx = 1\n```\n"), ("b.md", "# B\n"), ("c.py", "x = 1\n")]
    downloads = chapter_downloads(pages, snippet_options({}))
    assert [uri for uri, _ in downloads] == ["downloads/a.ipynb"]
    assert json.loads(downloads[0][1])["cells"][1]["source"] in ("x = 1", ["x = 1"])
    assert is_lab("notebooks/cnn-vs-mlp.py") and not is_lab("why-conv.md")


@pytest.mark.notebook
def test_a_notebook_cell_showing_what_the_page_does_not_would_be_caught():
    """页面上末尾是裸表达式的块什么也不打印，笔记本里却会显示它的值：上面的比较会发现。"""
    notebook = chapter_notebook("# 题\n\n```python\nx = 1\nx + 1\n```\n")
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    assert cell_text(notebook.cells[1]) == "2\n"


def test_python_shown_in_a_lab_markdown_cell_is_a_problem():
    for lab in sorted((ROOT / "docs" / "notebooks").glob("*.py")):
        assert lab_problems(lab.read_text(encoding="utf-8")) == [], lab.name
    planted = "# %% [markdown]\n# 例子：\n#\n# ```python\n# print(1)\n# ```\n\n# %%\nx = 1\n"
    assert lab_problems(planted) == [
        "第 1 个单元里的 ```python 代码块不会执行：写成代码单元（# %%）"
    ]


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("例子：\n\n    x = 1\n", "有缩进的代码块"),
        ("> ```python\n> x = 1\n> ```\n", "的 ```python 代码块不会执行"),
        ("- 一项\n\n  ~~~py\n  x = 1\n  ~~~\n", "的 ~~~py 代码块不会执行"),
        ("```\nx = 1\n```\n", "的 ``` 代码块没有写语言"),
        ("<pre>\nx = 1\n</pre>\n", "手写了 <pre>"),
    ],
)
def test_any_code_a_lab_markdown_cell_renders_is_a_problem_unless_it_is_shown_text(cell, problem):
    """Markdown 单元里只能留写明了、又不是 Python 的围栏；别的代码块读者以为会运行。"""
    commented = "".join(f"# {line}".rstrip() + "\n" for line in cell.splitlines())
    lab = f"# %% [markdown]\n# 正文\n\n# %%\nx = 1\n\n# %% [markdown]\n{commented}"
    (found,) = lab_problems(lab)
    assert found.startswith(f"第 3 个单元里{problem}")
    assert lab_problems(lab.replace(commented, "# ```text\n# x = 1\n# ```\n")) == []


def test_lab_links_to_chapters_point_at_the_chapter_pages():
    urls = {"conv-layer.md": "../../conv-layer/", "index.md": "../../"}
    html = '<a href="../conv-layer.md#边">卷积</a> <a href="../index.md">首页</a> <a href="x.md">'
    assert lab_links(html, "notebooks/lab.py", urls.get) == (
        '<a href="../../conv-layer/#边">卷积</a> <a href="../../">首页</a> <a href="x.md">'
    )


def test_lab_headings_get_the_anchors_chapter_pages_use():
    """mkdocs-jupyter 给中文小标题的 id 是空的，目录却指向 #_1：目录里的链接全是死链。"""
    html = (
        '<h1 id="vs">实验：A vs B<a class="anchor-link" href="#vs">¶</a></h1>'
        '<p>正文</p><h2 id="" class="x">数据<a class="anchor-link" href="#">¶</a></h2>'
        "<h3>数据</h3>"
    )
    new, anchors = heading_ids(html, slugify(case="lower"))
    assert anchors == ["实验a-vs-b", "数据", "数据_1"]
    assert '<h2 id="数据" class="x">数据<a class="anchor-link" href="#数据">¶</a></h2>' in new
    assert '<h1 id="实验a-vs-b">' in new and '<h3 id="数据_1">数据</h3>' in new


# ---- 实验页面的收尾：图说明、下载按钮 ---------------------------------------------

PLACEHOLDER = '<img alt="No description has been provided for this image" src="data:,"/>'


def lab_notebook(*cells):
    """("code", 图的张数) 或 ("markdown", 文字) 排成的笔记本。"""
    notebook = nbformat.v4.new_notebook()
    for kind, value in cells:
        if kind == "code":
            cell = nbformat.v4.new_code_cell("plt.show()")
            cell.outputs = [
                nbformat.v4.new_output("stream", name="stdout", text="1\n"),
                *[nbformat.v4.new_output("display_data", data={"image/png": "iVBO"})] * value,
            ]
        else:
            cell = nbformat.v4.new_markdown_cell(value)
        notebook.cells.append(cell)
    return notebook


def test_each_lab_figure_takes_the_caption_that_follows_it():
    notebook = lab_notebook(
        ("markdown", "# 实验"),
        ("code", 1),
        ("markdown", "图：十张数字，\n排成两行；横轴是\nepoch，纵轴是\nloss。"),
        ("code", 0),
        ("code", 1),
        ("markdown", "图：卷积核"),
    )
    assert figure_captions(notebook) == [
        "十张数字，排成两行；横轴是 epoch，纵轴是 loss。",
        "卷积核",
    ]
    assert join_lines("") == "" and join_lines("a\n  b\n\n中文\n字") == "a b 中文字"


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([("code", 1)], "第 1 个单元画的图没有说明"),
        ([("code", 1), ("code", 0)], "第 1 个单元画的图没有说明"),
        ([("code", 1), ("markdown", "见上图。")], "以“图：”开头"),
        ([("code", 2), ("markdown", "图：两张")], "第 1 个单元画了 2 张图"),
        ([("code", 1), ("markdown", "图：$8\\times 8$ 的图")], "第 2 个单元（图说明）里有 \\$"),
    ],
)
def test_a_lab_figure_without_a_plain_caption_is_a_build_error(cells, message):
    with pytest.raises(BuildError, match=message):
        figure_captions(lab_notebook(*cells))


def test_image_alts_replace_nbconverts_placeholder_in_order():
    html = f"<p>{PLACEHOLDER}</p><p>{PLACEHOLDER}</p>"
    out = set_image_alts(html, ["第一张", '说"引号"的第二张'])
    assert out.index('alt="第一张"') < out.index('alt="说&quot;引号&quot;的第二张"')
    assert "No description" not in out
    with pytest.raises(BuildError, match="页面上有 2 张没有替代文字的图，笔记本里却有 1 段图说明"):
        set_image_alts(html, ["只有一段"])


def test_lab_download_button_goes_under_the_title():
    html = '<h1 id="实验">实验<a class="anchor-link" href="#实验">¶</a></h1><p>正文</p>'
    out = lab_download_button(html, "cnn-vs-mlp.ipynb")
    assert out.startswith(html.split("<p>")[0] + '<p><a class="md-button" download="cnn-vs-mlp.')
    assert 'href="cnn-vs-mlp.ipynb"' in out and out.endswith(
        "下载本实验的 Jupyter 笔记本</a></p><p>正文</p>"
    )
    with pytest.raises(BuildError, match="没有一级标题"):
        lab_download_button("<h2>小标题</h2>", "x.ipynb")


def test_dress_lab_puts_alts_button_and_chinese_copy_button_together():
    html = (
        "<h1>实验</h1>"
        '<clipboard-copy ,="" aria-label="Copy to Clipboard" for="cell-1">'
        '<span class="notice" hidden="">Copied!</span></clipboard-copy>'
        f"{PLACEHOLDER}"
    )
    out = dress_lab(html, lab_notebook(("code", 1), ("markdown", "图：一张图")), "lab.ipynb")
    assert 'alt="一张图"' in out and 'href="lab.ipynb"' in out
    assert '<clipboard-copy aria-label="复制这段代码" for="cell-1">' in out and "已复制" in out
    assert "Copy" not in out and ",=" not in out


def test_site_stylesheets_are_the_extra_css_files_under_docs(tmp_path):
    assert any("--md-text-font" in css for css in site_stylesheets())  # 本站的 extra.css
    (tmp_path / "mkdocs.yml").write_text(
        "docs_dir: pages\nextra_css: [a.css, generated/katex.css]\n", encoding="utf-8"
    )
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.css").write_text("p{margin:0}", encoding="utf-8")
    assert site_stylesheets(tmp_path) == ["p{margin:0}"]  # 构建时才生成的不在 docs 里，跳过

"""文档测试：每一页的每个 Python 代码块都运行，页面上给出的每段输出都与实际打印核对；
页面上的代码过 ruff 的检查和格式；章节、代码、测试、图四者按名字一一对应。

每个块是一个测试项，名字是「页面:行号」；同一页的块共用一个命名空间，按顺序运行。
"""

import io
import json
import re
import subprocess
import sys

import nbformat
import pytest
from columns import misaligned
from mkdocs.config import load_config
from pytest_codeblocks import extract_from_buffer

import figures
from sitebuild.glossary import glossary_terms
from sitebuild.pagetest import PageRun, PageSkipped, page_problems
from sitebuild.project import ROOT, chapters, doc_pages, expand_page

DOCS = ROOT / "docs"


def name(path):
    return path.relative_to(DOCS).as_posix() if path.is_relative_to(DOCS) else path.name


RUNS = {path: PageRun(name(path), path.read_text(encoding="utf-8")) for path in doc_pages()}
ITEMS = [(path, i) for path, run in RUNS.items() for i in range(len(run.blocks))]


@pytest.mark.parametrize(("path", "index"), ITEMS, ids=[RUNS[p].where(i) for p, i in ITEMS])
def test_block(path, index):
    try:
        RUNS[path].run_through(index)
    except PageSkipped as skipped:
        pytest.skip(str(skipped))


OUTPUTS = [
    (RUNS[path].where(i), block.expected_output)
    for path, run in RUNS.items()
    for i, block in enumerate(run.blocks)
    if block.expected_output
]


@pytest.mark.parametrize(("where", "output"), OUTPUTS, ids=[w for w, _ in OUTPUTS])
def test_printed_chinese_tables_line_up_in_a_monospaced_font(where, output):
    """页面上的输出里，带中文的表格按显示宽度对齐（汉字占两列；用 snippets/tables.py 的 pad）。"""
    assert misaligned(output) == [], f"{where}：这些列没对齐（行号、列号）"


@pytest.mark.parametrize(
    ("output", "bad"),
    [
        ("名称  参数\n全连接  785,000\nconv  320", [(1, 2)]),  # 按字符数补的空格
        ("名称        参数\n全连接   785,000\nconv         320", []),  # 按显示宽度
        ("一  1\n二  2\n\nx y  3\nx  4", []),  # 空行隔开的是两张表
        ("a  1\nbb  22", []),  # 没有汉字不算
    ],
)
def test_the_column_check_sees_character_padding(output, bad):
    assert misaligned(output) == bad


@pytest.mark.parametrize("path", doc_pages(), ids=name)
def test_page_marks_and_fences_are_what_they_look_like(path):
    """源文件和展开 --8<-- 之后各查一遍（见 pagetest.page_problems）。"""
    assert page_problems(path.read_text(encoding="utf-8")) == [], (
        "看起来是 Python 的代码块要写成 ```python（不带其他属性），"
        '不运行的在前一行加 <!--pytest.mark.skip(reason="…")-->；'
        '标记只有两种写法：<!--pytest.mark.skip(reason="原因")--> 和 '
        "<!--pytest-codeblocks:expected-output-->，并且要紧挨着它所指的代码块"
    )


@pytest.mark.parametrize("path", doc_pages(), ids=name)
def test_our_scanner_reads_each_page_as_pytest_codeblocks_does(path):
    """页面的写法对 pytest-codeblocks 也成立：同样的块、同样的代码、输出和跳过。

    pytest-codeblocks 会吞掉缩进代码块里的空行（我们的扫描器保留），所以比较时不看空行。
    """
    expanded = expand_page(path.read_text(encoding="utf-8"))

    def lines(text):
        return None if text is None else [line for line in text.splitlines() if line.strip()]

    theirs = [
        (lines(b.code), lines(b.expected_output), bool(b.marks))
        for b in extract_from_buffer(io.StringIO(expanded))
        if b.syntax == "python"
    ]
    ours = [
        (lines(b.code), lines(b.expected_output), b.skip_reason is not None)
        for b in RUNS[path].blocks
    ]
    assert ours == theirs


def page_notebook(run):
    """一页的代码块排成一个笔记本，给 ruff 看：单元之间 ruff 知道是接着运行的。"""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(b.code.rstrip("\n")) for b in run.blocks]
    return notebook


@pytest.mark.parametrize("path", [p for p in doc_pages() if RUNS[p].blocks], ids=name)
def test_page_code_passes_ruff(path, tmp_path):
    """页面上的代码（展开 include 之后）和仓库里的代码守同样的规矩：ruff check 与 ruff format。"""
    run = RUNS[path]
    notebook = tmp_path / f"{path.stem}.ipynb"
    nbformat.write(page_notebook(run), notebook)
    ruff = [sys.executable, "-m", "ruff"]
    config = ["--config", str(ROOT / "pyproject.toml")]
    check = subprocess.run(
        [*ruff, "check", "--output-format", "json", *config, str(notebook)],
        capture_output=True,
        text=True,
    )
    problems = [
        f"{run.where(d['cell'] - 1)} 块内第 {d['location']['row']} 行：{d['code']} {d['message']}"
        for d in json.loads(check.stdout)
    ]
    assert not problems, "ruff 在页面代码里发现：\n" + "\n".join(problems)
    formatted = subprocess.run(
        [*ruff, "format", "--diff", *config, str(notebook)], capture_output=True, text=True
    )
    # ruff 给每个单元都写一个文件头，只留下真有改动的单元，并换成页面上的行号
    changes = [
        f"{run.where(int(cell) - 1)}:\n{hunks}"
        for cell, hunks in re.findall(
            r"^\+\+\+ .*:cell (\d+)\n(@@.*?)(?=^--- |\Z)", formatted.stdout, re.M | re.S
        )
    ]
    assert changes == [], "页面上的代码没按 ruff format 排版：\n" + "\n".join(changes)
    assert formatted.returncode == 0, f"ruff format 出错：{formatted.stderr}"


def test_chapters_come_from_the_nav_in_order():
    nav = [c.page.name for c in chapters()]
    assert nav[:2] == ["why-conv.md", "conv-layer.md"] and "pooling.md" in nav
    assert all(RUNS[c.page].blocks for c in chapters())


# 共用模块在哪一页讲（其余模块在它所属的那一章讲）
SHARED_HOME = {"checks": "conv-layer.md", "tables": "why-conv.md"}
INCLUDE = re.compile(r'--8<-- "snippets/(\w+)\.py:')


def folded_includes(markdown):
    """页面里折叠块（??? note）中的 snippets 片段：[(模块, 是否标了 cfc-borrowed)]。"""
    found, note = [], None
    for line in markdown.splitlines():
        if line.strip() and not line.startswith(" "):
            note = line if line.startswith("??? note ") else None
        if note:
            found += [(m, note.startswith("??? note cfc-borrowed ")) for m in INCLUDE.findall(line)]
    return found


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.page.name)
def test_code_from_another_page_is_marked_borrowed_and_nothing_else_is(chapter):
    """折叠起来的别处讲的代码标为 cfc-borrowed：搜索不把它算在这一页（sitebuild/search.py）。
    本页讲的代码不标，否则搜它找不到这一页。"""
    homes = {c.module: c.page.name for c in chapters()} | SHARED_HOME
    wrong = [
        (module, marked)
        for module, marked in folded_includes(chapter.page.read_text(encoding="utf-8"))
        if marked != (homes[module] != chapter.page.name)
    ]
    assert wrong == [], "（模块, 是否标了 cfc-borrowed）：标错了"


def test_folded_includes_know_their_block():
    fold = '??? note {}"x"\n\n    ```python\n    --8<-- "snippets/{}.py:s"\n    ```\n\n'
    page = fold.format("cfc-borrowed ", "a") + fold.format("", "b")
    page += '```python\n--8<-- "snippets/c.py:t"\n```\n'  # 不折叠的代码不算
    assert folded_includes(page) == [("a", True), ("b", False)]


# 说“上一章”“下一章”，读者得自己去猜是哪一章，章节顺序一变就错：写成链接，说出章名
# “上一章”“下一章”，或加了引号却没有链接的章名（“汇聚层”一章）
RELATIVE_CHAPTER = re.compile(r"[上下前后]一章|“[^”]+”一章")


def prose_lines(markdown):
    """Markdown 里代码块之外的行：[(行号, 行)]。"""
    lines, fence = [], None
    for number, line in enumerate(markdown.splitlines(), start=1):
        marker = re.match(r"\s*(`{3,}|~{3,})", line)
        if marker and (fence is None or marker.group(1).startswith(fence)):
            fence = None if fence else marker.group(1)
        elif fence is None:
            lines.append((number, line))
    return lines


@pytest.mark.parametrize(
    "path", sorted([*DOCS.glob("*.md"), *DOCS.glob("notebooks/*.py")]), ids=name
)
def test_other_chapters_are_named_and_linked_not_counted(path):
    found = [
        f"{name(path)}:{number}: {line.strip()}"
        for number, line in prose_lines(path.read_text(encoding="utf-8"))
        if RELATIVE_CHAPTER.search(line)
    ]
    assert found == [], "别用“上一章/下一章”或加引号的章名，写成指向那一章的链接"


def test_the_relative_chapter_check_sees_prose_but_not_code():
    page = (
        "上一章讲过卷积。\n见“汇聚层”一章。\n见[汇聚层](pooling.md)一章。\n"
        "```python\n# 下一章再说\n```\n"
    )
    assert [n for n, line in prose_lines(page) if RELATIVE_CHAPTER.search(line)] == [1, 2]


OBJECTIVES = '!!! abstract "本章目标"'
ENDING = ["小结", "练习", "参考资料"]
ANSWER = '??? success "参考答案"'
# 参考资料里必须有的出处：各章沿用的《动手学深度学习》中英文版，API 以 PyTorch 文档为准
SOURCES = ["https://zh.d2l.ai/", "https://d2l.ai/", "https://docs.pytorch.org/"]


def apparatus_problems(markdown):
    """一章缺了什么：开头的本章目标，末尾依次是小结、练习（每题有参考答案）、参考资料。"""
    lines = [line for _, line in prose_lines(markdown)]
    headings = [(k, line[3:].strip()) for k, line in enumerate(lines) if line.startswith("## ")]
    found = []
    opening = lines[: headings[0][0]] if headings else lines
    goals = [line for line in opening if line.startswith("    - ")]
    if OBJECTIVES not in opening or "    读完本章，你能：" not in opening or len(goals) < 2:
        found.append(f"第一个小标题之前要有 {OBJECTIVES}：“读完本章，你能：”和至少两条目标")
    if [title for _, title in headings[-3:]] != ENDING:
        found.append(f"最后三节应依次是 {'、'.join(ENDING)}")
        return found
    exercises = lines[headings[-2][0] + 1 : headings[-1][0]]
    starts = [k for k, line in enumerate(exercises) if re.match(r"\d+\. ", line)]
    for start, end in zip(starts, [*starts[1:], len(exercises)], strict=True):
        if not any(line.strip() == ANSWER for line in exercises[start:end]):
            found.append(f"练习 {exercises[start].split('.')[0]} 没有 {ANSWER}")
    references = "\n".join(lines[headings[-1][0] + 1 :])
    found += [f"参考资料里没有 {source}" for source in SOURCES if f"]({source}" not in references]
    return found


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: c.page.name)
def test_every_chapter_states_its_goals_and_ends_with_summary_exercises_and_sources(chapter):
    assert apparatus_problems(chapter.page.read_text(encoding="utf-8")) == []


WHOLE_CHAPTER = f"""# 章

引子。

{OBJECTIVES}

    读完本章，你能：

    - 做一件事；
    - 做另一件事。

## 正文

## 小结

## 练习

1. 题

    {ANSWER}

        答。

## 参考资料

- [d2l](https://zh.d2l.ai/x)、[d2l](https://d2l.ai/x)、[PyTorch](https://docs.pytorch.org/x)
"""


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (f"{OBJECTIVES}\n", "", "本章目标"),
        ("    - 做另一件事。\n", "", "本章目标"),
        ("## 参考资料", "## 延伸阅读", "最后三节"),
        (f"    {ANSWER}\n", "", "练习 1 没有"),
        ("(https://zh.d2l.ai/x)", "(https://example.com)", "https://zh.d2l.ai/"),
    ],
)
def test_the_apparatus_check_sees_each_missing_part(old, new, problem):
    assert apparatus_problems(WHOLE_CHAPTER) == []
    found = apparatus_problems(WHOLE_CHAPTER.replace(old, new))
    assert len(found) == 1 and problem in found[0]


def test_the_glossary_lists_terms_in_the_order_of_the_chapters_that_teach_them():
    """术语表的开头说按“在哪里讲”一栏的章节先后排列：这里核对。"""
    nav = [c.page.name for c in chapters()]
    order = [nav.index(t.taught.split("#")[0]) for t in glossary_terms() if t.taught]
    assert order == sorted(order)


def test_the_site_name_is_not_a_page_title():
    """导航和搜索结果里站名和某一页的标题相同，读者会看到同一个名字指向两处。"""
    config = load_config(str(ROOT / "mkdocs.yml"))
    pages = [ROOT / "docs" / next(iter(item.values())) for item in config["nav"]]
    titles = [next(iter(item)) for item in config["nav"]]
    headings = [
        line.removeprefix("# ").strip()
        for page in pages
        if page.suffix == ".md"
        for line in page.read_text(encoding="utf-8").splitlines()[:1]
    ]
    assert headings and config["site_name"] not in titles + headings[1:]


def test_pages_snippets_tests_and_figures_line_up():
    """docs/<页>.md ↔ snippets/<模块>.py ↔ tests/test_<模块>.py ↔ figures/<模块>.py，一个不多。"""
    found = chapters()
    modules = {c.module for c in found}
    for chapter in found:
        source = chapter.page.read_text(encoding="utf-8")
        assert chapter.snippets.is_file(), f"{chapter.page.name} 没有 {chapter.snippets.name}"
        assert f'"snippets/{chapter.module}.py:' in source, f"{chapter.page.name} 没有展示本章代码"
        assert chapter.tests.is_file(), f"{chapter.page.name} 没有 tests/{chapter.tests.name}"
        shown = {f.split("]]")[0].strip() for f in source.split("[[figure ")[1:]}
        if shown:
            assert chapter.figures.is_file(), f"{chapter.page.name} 有图，但没有 figures/ 模块"
        for figure in shown:
            module = figures.FIGURES[figure].__module__.rsplit(".", 1)[-1]
            assert module == chapter.module, f"图 {figure} 画在 {module}，却用在 {chapter.page}"

    def stems(folder, prefix=""):
        return {p.stem.removeprefix(prefix) for p in (ROOT / folder).glob(f"{prefix}*.py")}

    # 例外是各章共用的 checks.py（输入检查）和 tables.py（中文表格），测试在 tests/test_<模块>.py
    assert all((ROOT / "tests" / f"test_{m}.py").is_file() for m in SHARED_HOME)
    assert stems("snippets") - {"__init__", *SHARED_HOME} == modules, (
        "snippets/ 里的每个模块都属于一章"
    )
    assert stems("figures") - {"__init__", *figures.HELPERS} <= modules, (
        "figures/ 里的每个模块都属于一章（画图的工具模块列在 figures.HELPERS 里）"
    )

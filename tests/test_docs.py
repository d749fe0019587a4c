"""文档测试：每一页的每个 Python 代码块都运行，页面上给出的每段输出都与实际打印核对。

每个块是一个测试项，名字是「页面:行号」；同一页的块共用一个命名空间，按顺序运行。
"""

import pytest
from docpages import DOCS, ROOT, PageRun, page_name, pages, silent_fences, skips_without_reason

RUNS = {path: PageRun(page_name(path), path.read_text(encoding="utf-8")) for path in pages()}
ITEMS = [(path, i) for path, run in RUNS.items() for i in range(len(run.blocks))]


@pytest.mark.parametrize(("path", "index"), ITEMS, ids=[RUNS[p].where(i) for p, i in ITEMS])
def test_block(path, index):
    RUNS[path].run_through(index)


@pytest.mark.parametrize("path", pages(), ids=page_name)
def test_no_python_block_is_silently_left_out(path):
    source = path.read_text(encoding="utf-8")
    assert silent_fences(source) == [], (
        "这些代码块看起来是 Python，但不会被文档测试运行。"
        '请写成 ```python（不带其他属性），或在前一行加 <!--pytest.mark.skip(reason="…")-->'
    )
    assert skips_without_reason(source) == [], "跳过标记必须写明 reason，页面会把它显示给读者"


def test_chapters_pages_snippets_and_tests_line_up():
    """每个 snippets/<章>.py 都有测试 tests/test_<章>.py，并由一个章节页面嵌入、运行。"""
    modules = sorted(p.stem for p in (ROOT / "snippets").glob("*.py") if p.stem != "__init__")
    assert modules
    sources = {
        path: path.read_text(encoding="utf-8") for path in pages() if path.is_relative_to(DOCS)
    }
    for module in modules:
        assert (ROOT / "tests" / f"test_{module}.py").is_file(), f"snippets/{module}.py 没有测试"
        shown_on = [p for p, text in sources.items() if f'"snippets/{module}.py:' in text]
        assert shown_on, f"snippets/{module}.py 没有在任何页面上展示"
        for page in shown_on:
            assert RUNS[page].blocks, f"{page_name(page)} 没有可运行的 Python 代码块"

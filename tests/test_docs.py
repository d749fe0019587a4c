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
    """docs/<章>.md、snippets/<章>.py、tests/test_<章>.py 一一对应，每章都有被测试的代码块。"""
    modules = sorted(p.stem for p in (ROOT / "snippets").glob("*.py") if p.stem != "__init__")
    assert modules
    for module in modules:
        page = DOCS / f"{module.replace('_', '-')}.md"
        assert page.is_file(), f"snippets/{module}.py 没有对应的页面 {page_name(page)}"
        assert (ROOT / "tests" / f"test_{module}.py").is_file(), f"snippets/{module}.py 没有测试"
        assert RUNS[page].blocks, f"{page_name(page)} 没有可运行的 Python 代码块"

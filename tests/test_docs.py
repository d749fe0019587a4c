"""文档测试：每一页的每个 Python 代码块都运行，页面上给出的每段输出都与实际打印核对。

每个块是一个测试项，名字是「页面:行号」；同一页的块共用一个命名空间，按顺序运行。
"""

import pytest
from docpages import PageRun, page_name, pages, silent_fences, skips_without_reason

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


def test_every_chapter_has_tested_code():
    """防止解析出了问题却因为「没有块」而全部通过。"""
    chapters = [p for p in pages() if p.name not in ("index.md", "README.md")]
    assert chapters
    for path in chapters:
        assert RUNS[path].blocks, f"{page_name(path)} 没有可运行的 Python 代码块"

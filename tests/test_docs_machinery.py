"""文档测试本身的测试：页面和代码一旦不一致，文档测试必须失败。"""

import shutil

import pytest
from docpages import DOCS, ROOT, BlockFailed, PageRun, silent_fences, skips_without_reason

CHAPTER = (DOCS / "conv-layer.md").read_text(encoding="utf-8")


def test_the_chapter_passes_as_written():
    PageRun("conv-layer.md", CHAPTER).run_all()


def test_changing_what_corr2d_returns_fails_a_doc_test(tmp_path):
    shutil.copytree(ROOT / "snippets", tmp_path / "snippets")
    source = tmp_path / "snippets" / "conv_layer.py"
    code = source.read_text(encoding="utf-8")
    end = "    return Y\n    # --8<-- [end:corr2d]"
    assert code.count(end) == 1
    source.write_text(code.replace(end, end.replace("return Y", "return Y + 1")))
    with pytest.raises(BlockFailed, match="页面上的输出与代码实际打印的不同"):
        PageRun("conv-layer.md", CHAPTER, base_path=tmp_path).run_all()


def test_changing_a_number_in_an_expected_output_fails_a_doc_test():
    assert "tensor([[19., 25.]," in CHAPTER
    broken = CHAPTER.replace("tensor([[19., 25.],", "tensor([[19., 26.],", 1)
    with pytest.raises(BlockFailed, match="26"):
        PageRun("conv-layer.md", broken).run_all()


def test_a_block_that_prints_without_shown_output_fails():
    page = "```python\nprint('hi')\n```\n"
    with pytest.raises(BlockFailed, match="页面上没有给出输出"):
        PageRun("p.md", page).run_all()


def test_a_failing_block_names_the_page_and_line():
    page = "text\n\n```python\nx = 1\n```\n\n```python\n1 / 0\n```\n"
    with pytest.raises(BlockFailed, match=r"p\.md:7 的代码块出错"):
        PageRun("p.md", page).run_all()


def test_blocks_share_one_namespace_in_page_order():
    page = "```python\nx = 2\n```\n\n```python\nprint(x * 21)\n```\n\n"
    page += "<!--pytest-codeblocks:expected-output-->\n\n```text\n42\n```\n"
    run = PageRun("p.md", page)
    run.run_through(1)  # 单独运行第二块时，先补跑第一块
    assert run.namespace["x"] == 2


def test_later_blocks_fail_after_an_earlier_failure():
    page = "```python\nraise KeyError\n```\n\n```python\nx = 1\n```\n"
    run = PageRun("p.md", page)
    with pytest.raises(BlockFailed):
        run.run_through(0)
    with pytest.raises(BlockFailed, match="前面 p.md:1 的代码块失败了"):
        run.run_through(1)


def test_line_numbers_refer_to_the_page_source_after_includes():
    include = '--8<-- "snippets/conv_layer.py:corr2d"'
    page = f"intro\n\n```python\n{include}\n```\n\n```python\nx = 1\n```\n"
    run = PageRun("p.md", page)
    assert [b.line for b in run.blocks] == [3, 7]
    assert "def corr2d" in run.blocks[0].code


def test_a_missing_snippet_section_is_an_error():
    with pytest.raises(Exception, match="no_such_section"):
        PageRun("p.md", '```python\n--8<-- "snippets/conv_layer.py:no_such_section"\n```\n')


@pytest.mark.parametrize(
    "fence",
    ["```py", '```python title="x.py"', "```{.python}", "``` python", "~~~python", "````python3"],
)
def test_a_python_fence_that_would_not_run_is_reported(fence):
    closing = fence[: len(fence) - len(fence.lstrip(fence[0]))]
    page = f"text\n\n{fence}\nprint(1)\n{closing}\n"
    assert silent_fences(CHAPTER + page) == [(CHAPTER.count("\n") + 3, fence)]


def test_a_skipped_fence_with_a_reason_is_allowed():
    page = '<!--pytest.mark.skip(reason="需要 GPU")-->\n\n```py\nprint(1)\n```\n'
    assert silent_fences(page) == []
    assert skips_without_reason(page) == []


def test_a_skip_marker_needs_a_reason():
    page = "<!--pytest.mark.skip-->\n```python\nprint(1)\n```\n"
    assert skips_without_reason(page) == [(1, "<!--pytest.mark.skip-->")]
    assert skips_without_reason(page.replace("skip", "skip()")) != []


def test_a_skipped_block_is_reported_as_skipped_not_run():
    page = '<!--pytest.mark.skip(reason="演示")-->\n```python\nraise SystemExit\n```\n'
    with pytest.raises(pytest.skip.Exception, match="演示"):
        PageRun("p.md", page).run_through(0)


def test_fences_inside_other_fences_are_not_counted():
    page = "````markdown\n```py\nprint(1)\n```\n````\n"
    assert silent_fences(page) == []

"""文档测试本身的测试：页面和代码一旦不一致，文档测试必须失败；更新模式写回的正是实际打印。"""

import shutil

import pytest

from sitebuild.__main__ import main, update_outputs
from sitebuild.fences import fence_for, parse_mark, problems, scan, stray_marks
from sitebuild.pagetest import BlockFailed, PageRun, PageSkipped, page_problems, rewrite_outputs
from sitebuild.project import ROOT

CHAPTER = (ROOT / "docs" / "conv-layer.md").read_text(encoding="utf-8")
SKIP = '<!--pytest.mark.skip(reason="{}")-->\n'
OUTPUT = '<!--pytest-codeblocks:expected-output-->\n\n```text title="输出"\n{}```\n'


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
    with pytest.raises(BlockFailed, match="页面上没有给出输出"):
        PageRun("p.md", "```python\nprint('hi')\n```\n").run_all()


def test_a_failing_block_names_the_page_and_line():
    page = "text\n\n```python\nx = 1\n```\n\n```python\n1 / 0\n```\n"
    with pytest.raises(BlockFailed, match=r"p\.md:7 的代码块出错"):
        PageRun("p.md", page).run_all()


def test_blocks_share_one_namespace_in_page_order():
    page = "```python\nx = 2\n```\n\n```python\nprint(x * 21)\n```\n\n" + OUTPUT.format("42\n")
    run = PageRun("p.md", page)
    run.run_through(1)  # 单独运行第二块时，先补跑第一块
    assert run.namespace["x"] == 2


def test_later_blocks_fail_after_an_earlier_failure():
    page = "```python\nraise KeyError\n```\n\n```python\nx = 1\n```\n\n```python\ny = 2\n```\n"
    run = PageRun("p.md", page)
    with pytest.raises(BlockFailed):
        run.run_through(0)
    with pytest.raises(BlockFailed, match="前面 p.md:1 的代码块失败了"):
        run.run_through(2)  # 中间的块也不再运行
    assert "x" not in run.namespace


def test_a_skipped_block_is_passed_over_on_the_way_to_a_later_one():
    page = SKIP.format("演示") + "```python\nraise SystemExit\n```\n\n```python\nx = 1\n```\n"
    run = PageRun("p.md", page)
    run.run_through(1)
    assert run.namespace["x"] == 1 and run.printed == {1: ""}


def test_line_numbers_refer_to_the_page_source_after_includes():
    include = '--8<-- "snippets/conv_layer.py:corr2d"'
    run = PageRun("p.md", f"intro\n\n```python\n{include}\n```\n\n```python\nx = 1\n```\n")
    assert [b.line for b in run.blocks] == [3, 7]
    assert "def corr2d" in run.blocks[0].code


def test_a_missing_snippet_section_is_an_error():
    with pytest.raises(Exception, match="no_such_section"):
        PageRun("p.md", '```python\n--8<-- "snippets/conv_layer.py:no_such_section"\n```\n')


def test_an_include_outside_a_code_block_is_an_error():
    with pytest.raises(ValueError, match="include 只能放在代码块里"):
        PageRun("p.md", '--8<-- "README.md"\n')


def test_a_skipped_block_is_reported_as_skipped_not_run():
    page = '<!--pytest.mark.skip(reason="演示")-->\n```python\nraise SystemExit\n```\n'
    run = PageRun("p.md", page)
    with pytest.raises(PageSkipped, match="演示"):
        run.run_through(0)
    assert run.run_all() == {}


# ---- 扫描器与标记 -------------------------------------------------------------


def test_fences_follow_commonmark_nesting_and_closing():
    page = "````markdown\n```py\nprint(1)\n```\n````\n\n~~~python\nx\n~~~~\n\n```python\nopen"
    found = scan(page)
    assert [(f.line, f.end, f.fence, f.info) for f in found] == [
        (1, 5, "````", "markdown"),
        (7, 9, "~~~", "python"),
        (11, 12, "```", "python"),  # 没有闭合：延伸到文末
    ]
    assert [f.runs for f in found] == [False, False, True]


def test_indented_fences_keep_their_relative_indentation():
    (fence,) = scan("1. 题\n\n    ```python\n    if x:\n        y()\n\n    ```\n")
    assert fence.indent == "    " and fence.body == "if x:\n    y()\n\n"


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ('pytest.mark.skip(reason="需要 GPU")', "skip", "需要 GPU"),
        ("pytest.mark.skip(reason='x')", "skip", "x"),
        ("pytest-codeblocks:expected-output", "expected-output", ""),
        ("pytest.mark.skip", "unknown", ""),
        ("pytest.mark.skip()", "unknown", ""),
        ('pytest.mark.skip(reason="  ")', "unknown", ""),
        ('pytest.mark.skip(reason="a" + "b")', "unknown", ""),
        ('pytest.mark.skip(reason="x"', "unknown", ""),
        ("pytest.mark.skip(reason=)", "unknown", ""),
        ('pytest.mark.skipif(True, reason="x")', "unknown", ""),
        ("pytest-codeblocks:skip", "unknown", ""),
    ],
)
def test_there_is_one_skip_spelling_and_it_needs_a_reason(text, kind, reason):
    mark = parse_mark(text)
    assert (mark.kind, mark.reason) == (kind, reason)


def test_marks_attach_to_the_next_block_across_blank_lines_only():
    page = '<!--pytest.mark.skip(reason="r")-->\n\n```python\nx\n```\n'
    assert scan(page)[0].skip.reason == "r" and stray_marks(page) == []
    page = SKIP.format("r") + "\n一段话\n\n```python\nx\n```\n" + SKIP.format("末尾")
    assert scan(page)[0].skip is None
    assert [(m.line, m.reason) for m in stray_marks(page)] == [(1, "r"), (8, "末尾")]


# ---- 更新模式 -----------------------------------------------------------------


def test_rewrite_replaces_inserts_and_removes_outputs():
    page = (
        "```python\nprint(1)\n```\n\n" + OUTPUT.format("old\n") + "\n"
        "    ```python\n    print('a\\n\\nb')\n    ```\n\n"
        "```python\nx = 1\n```\n\n" + OUTPUT.format("stale\n") + "\n尾巴\n"
    )
    printed = PageRun("p.md", page).run_all(check=False)
    new = rewrite_outputs(page, printed)
    assert new == (
        "```python\nprint(1)\n```\n\n" + OUTPUT.format("1\n") + "\n"
        "    ```python\n    print('a\\n\\nb')\n    ```\n\n"
        "    <!--pytest-codeblocks:expected-output-->\n\n"
        '    ```text title="输出"\n    a\n\n    b\n    ```\n\n'
        "```python\nx = 1\n```\n\n尾巴\n"
    )
    PageRun("p.md", new).run_all()  # 改写后的页面通过文档测试
    assert rewrite_outputs(new, PageRun("p.md", new).run_all()) == new


def test_rewrite_keeps_outputs_of_skipped_blocks_and_refuses_unterminated_text():
    page = '<!--pytest.mark.skip(reason="r")-->\n```python\nprint(1)\n```\n\n' + OUTPUT.format(
        "1\n"
    )
    assert rewrite_outputs(page, {}) == page
    with pytest.raises(ValueError, match="不以换行结尾"):
        rewrite_outputs("```python\nx\n```\n", {0: "no newline"})


def test_update_outputs_rewrites_a_page_from_what_its_code_prints(tmp_path, capsys):
    page = tmp_path / "p.md"
    page.write_text("```python\nprint(6 * 7)\n```\n\n" + OUTPUT.format("41\n"), encoding="utf-8")
    same = tmp_path / "q.md"
    same.write_text("```python\nx = 1\n```\n", encoding="utf-8")
    main(["update-outputs", str(page), str(same)])
    assert "42\n" in page.read_text(encoding="utf-8")
    assert "1 页有变化，1 页不变" in capsys.readouterr().out
    assert update_outputs([page, same]) == []
    with pytest.raises(SystemExit):
        main([])


# ---- 失败的记录、页面写法的错误 -------------------------------------------------


def test_a_block_that_failed_on_the_way_to_a_later_one_still_reports_its_failure():
    """先单独跑后面的块（pytest --sw、按 id 乱序）时，前面坏掉的块轮到自己仍然失败。"""
    page = "```python\nprint(1)\n```\n\n" + OUTPUT.format("2\n") + "\n```python\nx = 1\n```\n"
    run = PageRun("p.md", page)
    with pytest.raises(BlockFailed, match="前面 p.md:1 的代码块失败了"):
        run.run_through(1)
    with pytest.raises(BlockFailed, match="页面上的输出与代码实际打印的不同"):
        run.run_through(0)


def test_a_block_that_exits_fails_instead_of_ending_the_run():
    run = PageRun("p.md", "```python\nimport sys\nsys.exit(0)\n```\n\n```python\nx = 1\n```\n")
    with pytest.raises(BlockFailed, match="SystemExit"):
        run.run_through(0)
    with pytest.raises(BlockFailed, match="前面"):
        run.run_through(1)


@pytest.mark.parametrize(
    ("page", "line", "message"),
    [
        ("```python\nx = 1\n", 1, "没有闭合"),
        ("1. 题\n\n    ```text\n    半截\n\n```python\nx\n```\n", 3, "没有闭合"),
        (SKIP.format("r") + "\n正文\n", 1, "没有紧挨着代码块"),
        ("<!--pytest.mark.skipif(True, reason='r')-->\n```python\nx\n```\n", 1, "不支持的标记"),
        ("```text\na\n```\n\n" + OUTPUT.format("1 / 0\n").replace("text", "python"), 7, "期望输出"),
        (OUTPUT.format("1\n"), 3, "期望输出块"),
        ('正文\n\n--8<-- "snippets/conv_layer.py:corr2d"\n', 3, "代码块之外的 include"),
    ],
)
def test_page_problems_are_reported_with_their_line(page, line, message):
    found = problems(page)
    assert [n for n, _ in found] == [line] and message in found[0][1]


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ("x = torch.randn(3)", True),
        ("layer = nn.Conv2d(1, 1, 3)", True),
        ("w.normal_(0, 1)", True),
        ("conv = Conv2D((2, 2))", True),
        ("y = torch.rand_like(x)", True),
        ("torch.manual_seed(0)\nx = torch.randn(3)", False),
        ("x = torch.randn(3, generator=g)", False),
        ("x = torch.randn(3)\ntorch.manual_seed(0)", True),  # 种子要在抽之前
        ("x = torch.ones(3)", False),
    ],
)
def test_randomness_without_a_seed_in_the_same_block_is_a_problem(code, flagged):
    page = "```python\nimport torch\n" + code + "\n```\n"
    found = page_problems(page)
    assert bool(found) == flagged
    if flagged:
        assert found[0][:2] == ("源文件", 3) and "manual_seed" in found[0][2]


def test_a_well_formed_page_has_no_problems():
    assert problems(CHAPTER) == []


def test_inline_code_and_indented_closers_do_not_end_or_start_fences():
    page = "```x``` 是行内代码\n\n```python\ns = '''\n    ```\n'''\n```\n"
    (fence,) = scan(page)
    assert fence.runs and fence.closed and fence.body == "s = '''\n    ```\n'''\n"


def test_a_fence_is_long_enough_for_what_it_wraps():
    assert fence_for("x") == "```" and fence_for("```python\n````") == "`````"


def test_an_unclosed_fence_is_marked():
    assert [f.closed for f in scan("```text\na\n```\n\n```python\nopen")] == [True, False]


def test_rewritten_outputs_and_notebook_cells_fence_text_that_contains_fences():
    page = "```python\nprint('```')\n```\n\n" + OUTPUT.format("old\n")
    new = rewrite_outputs(page, PageRun("p.md", page).run_all(check=False))
    assert '````text title="输出"\n```\n````' in new
    PageRun("p.md", new).run_all()
    assert rewrite_outputs(new, PageRun("p.md", new).run_all()) == new


def test_ctrl_c_in_a_block_stops_the_run_instead_of_failing_the_block():
    with pytest.raises(KeyboardInterrupt):
        PageRun("p.md", "```python\nraise KeyboardInterrupt\n```\n").run_all()


@pytest.mark.parametrize(
    ("page", "line", "message"),
    [
        ('```python\nprint(1)\n```\n\n```text title="输出"\n2\n```\n', 5, "没有 expected-output"),
        ("<!--\n```python\nx = 1\n```\n-->\n", 2, "HTML 注释里"),
        ("<!-- 没有结尾\n\n```python\nx = 1\n```\n", 3, "HTML 注释里"),
        ("<!--pytest-codeblocks:skipfile-->\n\n正文\n", 1, "没有紧挨着代码块"),
        ("正文\n\n```\nx = 1\n```\n", 3, "没有写语言"),
        ("1. 题\n\n    ~~~\n    x = 1\n    ~~~\n", 3, "没有写语言"),
    ],
)
def test_blocks_a_reader_would_misread_are_reported(page, line, message):
    found = problems(page)
    assert [n for n, _ in found] == [line] and message in found[0][1]


def test_one_line_comments_and_comments_inside_code_are_not_hiding_anything():
    page = "<!-- 注释 -->\n\n```html\n<!-- 例子\n```\n\n```python\nx = 1\n```\n"
    assert problems(page) == []


def test_what_a_block_writes_to_stderr_is_part_of_its_output():
    page = "```python\nimport sys\nprint('a')\nprint('b', file=sys.stderr)\n```\n\n"
    with pytest.raises(BlockFailed, match="页面上没有给出输出"):
        PageRun("p.md", page).run_all()
    PageRun("p.md", page + OUTPUT.format("a\nb\n")).run_all()


def test_page_problems_look_at_the_page_before_and_after_its_includes(tmp_path):
    """源文件里看不出的：include 进来的 .md 结束了外面的围栏，带进一个不会运行的 ```py。"""
    (tmp_path / "part.md").write_text(
        "例子\n```\n\n```py\nprint(1)\n```\n\n```text\n结尾\n", encoding="utf-8"
    )
    page = '正文\n\n```text\n--8<-- "part.md"\n```\n'
    assert problems(page) == []
    assert page_problems(page, base_path=tmp_path) == [
        ("展开 --8<-- 之后", 7, "代码块 py 看起来是 Python，却不会运行")
    ]
    outside = '正文\n\n--8<-- "part.md"\n'  # 只有源文件里看得到的
    assert ("源文件", 3, '代码块之外的 include：--8<-- "part.md"') in page_problems(
        outside, base_path=tmp_path
    )

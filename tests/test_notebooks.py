"""笔记本：每章生成的笔记本在全新内核里从头跑到尾；实验笔记本的结论经得起阈值检验。"""

import json

import jupytext
import nbformat
import pytest
from docpages import DOCS, PageRun, notebooks_hook, page_name, snippet_config
from nbclient import NotebookClient

HOOK = notebooks_hook()
CHAPTERS = [p for p in sorted(DOCS.glob("*.md")) if HOOK.is_chapter(p.read_text(encoding="utf-8"))]
LAB = DOCS / "notebooks" / "cnn-vs-mlp.py"


def run(notebook, timeout=300):
    """在全新的 python3 内核里按顺序执行每个单元；任何单元出错都抛出 CellExecutionError。"""
    NotebookClient(notebook, timeout=timeout, kernel_name="python3").execute()
    return notebook


def test_every_chapter_has_a_notebook():
    assert {p.stem for p in CHAPTERS} == {
        "why-conv",
        "conv-layer",
        "padding-and-strides",
        "channels",
        "pooling",
    }


@pytest.mark.parametrize("path", CHAPTERS, ids=page_name)
def test_chapter_notebook_runs_top_to_bottom_in_a_fresh_kernel(path):
    source = path.read_text(encoding="utf-8")
    notebook = HOOK.chapter_notebook(source, snippet_config(), "https://example.org/")
    code = [c for c in notebook.cells if c.cell_type == "code"]

    def lines(text):  # pytest-codeblocks 会吞掉缩进代码块里的空行，比较时不看空行
        return [line for line in text.splitlines() if line.strip()]

    # 与文档测试运行的块一一对应，不带输出
    assert [lines(c.source) for c in code] == [
        lines(b.code) for b in PageRun(path.name, source).blocks
    ]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    prose = "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "pytest" not in prose and "[[figure" not in prose and ".md" not in prose
    run(notebook)
    assert all(c.execution_count for c in code)


def test_notebook_markdown_hoists_code_and_drops_shown_outputs():
    page = (
        "# 标题\n\n见[另一章](conv-layer.md#小结)。\n\n"
        '1. 题目\n\n    ??? success "参考答案"\n\n'
        "        ```python\n        print(1)\n        ```\n\n"
        "        <!--pytest-codeblocks:expected-output-->\n\n"
        "        ```text\n        1\n        ```\n\n"
        '<!--pytest.mark.skip(reason="演示")-->\n'
        "```python\nraise SystemExit\n```\n\n[[figure padding]]\n"
    )
    text = HOOK.notebook_markdown(page, "https://example.org/")
    assert "```python\nprint(1)\n```" in text
    assert "```text\nraise SystemExit\n```" in text  # 跳过的块不成为代码单元
    assert "**参考答案**" in text and "\n1\n" not in text
    assert "(https://example.org/conv-layer/#小结)" in text
    assert "网页上查看" in text


@pytest.fixture(scope="module")
def lab():
    notebook = jupytext.read(LAB)
    # 在末尾追加一个单元，把实验的数字交给测试
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import json\nprint(json.dumps({'shifted': shifted_acc, "
            "'params': {n: count_params(m) for n, m in models.items()}}))"
        )
    )
    return run(notebook)


def lab_numbers(notebook):
    return json.loads(notebook.cells[-1].outputs[0]["text"])


def test_lab_accuracies_clear_their_thresholds(lab):
    shifted = lab_numbers(lab)["shifted"]
    mlp = shifted.pop("全连接网络")
    assert mlp[0] >= 0.93
    for name, accs in shifted.items():
        assert accs[0] >= 0.93, name
        # 挪动 1、2 个像素后，卷积网络都比全连接网络稳得多
        assert accs[1] > mlp[1] + 0.1 and accs[2] > mlp[2] + 0.1, (name, accs, mlp)


def test_lab_prints_the_numbers_its_text_relies_on(lab):
    printed = "".join(
        out.get("text", "")
        for cell in lab.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )
    params = lab_numbers(lab)["params"]
    for name, count in params.items():
        assert f"{name}的参数：{count}" in printed
    assert "共 1797 张图，像素值范围 0.0 到 16.0" in printed  # 正文说的数据规模
    assert "测试准确率" in printed and "向右挪动的像素" in printed
    pictures = [
        o for c in lab.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert len(pictures) >= 3  # 样例数字、训练曲线、卷积核

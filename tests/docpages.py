"""文档测试的工具：像构建那样展开页面，取出代码块，按顺序运行并核对输出。

- 展开 `--8<--`：用 pymdownx.snippets 本身，配置读自 mkdocs.yml，测试看到的就是读者看到的；
- 解析代码块：用 pytest-codeblocks 的 extract_from_buffer，支持它的标记
  `<!--pytest.mark.skip(reason=...)-->` 与 `<!--pytest-codeblocks:expected-output-->`；
- 一页的 Python 块在同一个命名空间里依次运行，像笔记本一样；
- 看起来像 Python、却不会被运行的代码块（```py、```python title=…、~~~ 等）算作错误。
"""

import contextlib
import importlib.util
import io
import re
import sys
import traceback
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from mkdocs.config import load_config
from pytest_codeblocks import extract_from_buffer

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def load_hook(name):
    """按文件加载 hooks/ 下的一个 MkDocs 钩子模块（它们不是包）。"""
    spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages():
    """所有要测的页面：docs/ 下的每个 .md，加上 README.md。"""
    return sorted(DOCS.rglob("*.md")) + [ROOT / "README.md"]


def page_name(path):
    return path.relative_to(DOCS).as_posix() if path.is_relative_to(DOCS) else path.name


@cache
def notebooks_hook():
    """hooks/notebooks.py：构建用它展开 `--8<--`，文档测试用同一份代码。"""
    return load_hook("notebooks")


@cache
def snippet_config():
    """mkdocs.yml 里 pymdownx.snippets 的配置，由构建用的同一个函数解析相对路径。"""
    return notebooks_hook().snippet_options(load_config(str(ROOT / "mkdocs.yml")))


def expand(text, base_path=None):
    """用构建时同一套配置展开 `--8<--`。缺文件或缺片段时抛出异常（check_paths）。

    base_path 只给测试用：从另一个目录读 snippets，检验改坏代码时文档测试会失败。
    """
    options = dict(snippet_config())
    if base_path is not None:
        options["base_path"] = [str(base_path)]
    return notebooks_hook().expand(text, options)


@dataclass
class Block:
    """页面上的一个 Python 代码块。line 是它在页面源文件中的行号。"""

    code: str
    line: int
    expected_output: str | None
    marks: list = field(default_factory=list)


FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
LOOKS_PYTHON = re.compile(r"(^|[\s{.])(py|python|python3|py3|pycon|ipython)\b", re.I)
SKIP_MARK = re.compile(r"^\s*<!--\s*pytest\.mark\.skip(?:if)?(?:\((?P<args>.*)\))?\s*-->\s*$")


def fences(text):
    """每个围栏代码块的 (开头行号, 围栏字符串, 信息串)，按 CommonMark 的开闭规则配对。"""
    found, open_fence = [], None
    for number, line in enumerate(text.split("\n"), start=1):
        m = FENCE.match(line)
        if m is None:
            continue
        fence, info = m["fence"], m["info"]
        if open_fence is None:
            open_fence = fence
            found.append((number, fence, info))
        elif fence[0] == open_fence[0] and len(fence) >= len(open_fence) and not info.strip():
            open_fence = None
    return found


def source_lines(source, expanded):
    """把展开后文本里的围栏行号映射回页面源文件的行号。

    `--8<--` 只往代码块里插入 .py 内容，不会增减围栏，所以第 k 个围栏对应第 k 个围栏。
    """
    before, after = fences(source), fences(expanded)
    if len(before) != len(after):
        return {}
    return {b[0]: a[0] for a, b in zip(before, after, strict=True)}


def blocks(source, base_path=None):
    """页面源文本 -> 它的 Python 代码块（展开 include 后），顺序同页面。"""
    expanded = expand(source, base_path)
    to_source = source_lines(source, expanded)
    return [
        Block(b.code, to_source.get(b.lineno, b.lineno), b.expected_output, list(b.marks))
        for b in extract_from_buffer(io.StringIO(expanded))
        if b.syntax == "python"
    ]


def silent_fences(source):
    """看起来像 Python、却不会被运行、又没有跳过标记的代码块：[(行号, 开头行)]。"""
    lines = source.split("\n")
    problems = []
    for number, fence, info in fences(source):
        if not LOOKS_PYTHON.search(info):
            continue
        if fence.startswith("`") and info == "python":
            continue  # pytest-codeblocks 会运行它
        previous = next((s for s in reversed(lines[: number - 1]) if s.strip()), "")
        if not SKIP_MARK.match(previous):
            problems.append((number, lines[number - 1].strip()))
    return problems


def skips_without_reason(source):
    """跳过标记必须写明 reason，页面会把它显示给读者：[(行号, 标记)]。"""
    return [
        (number, line.strip())
        for number, line in enumerate(source.split("\n"), start=1)
        if (m := SKIP_MARK.match(line))
        and not re.search(r"reason\s*=\s*(['\"]).+?\1", m["args"] or "")
    ]


def skip_reason(block):
    """若块带有生效的 skip/skipif 标记，返回原因；否则返回 None。"""
    for text in block.marks:
        mark = eval(text, {"sys": sys, "pytest": pytest})  # 与 pytest-codeblocks 的求值方式相同
        if mark.name == "skip":
            return mark.kwargs.get("reason", "")
        if mark.name == "skipif" and mark.args and mark.args[0]:
            return mark.kwargs.get("reason", "")
        if mark.name not in ("skip", "skipif"):
            raise ValueError(f"第 {block.line} 行：文档测试只支持 skip/skipif 标记，得到 {text}")
    return None


class BlockFailed(AssertionError):
    pass


def run(block, namespace, where):
    """在 namespace 里运行一个块，核对它打印的内容。失败时抛出 BlockFailed。"""
    printed = io.StringIO()
    try:
        code = compile(block.code, where, "exec")
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)
    except Exception:
        raise BlockFailed(
            f"{where} 的代码块出错：\n{block.code}\n{traceback.format_exc(limit=-3)}"
        ) from None
    output = printed.getvalue()
    if block.expected_output is None:
        if output:
            raise BlockFailed(f"{where} 的代码块打印了内容，但页面上没有给出输出：\n{output}")
        return
    if output != block.expected_output:
        raise BlockFailed(
            f"{where} 页面上的输出与代码实际打印的不同。\n"
            f"页面上：\n{block.expected_output}\n实际：\n{output}"
        )


class PageRun:
    """一页的运行状态：块按顺序运行；单独运行后面的块时，先补跑前面的块。"""

    def __init__(self, name, source, base_path=None):
        self.name = name
        self.blocks = blocks(source, base_path)
        self.namespace = {"__name__": "__main__"}
        self.done = 0
        self.failed_at = None

    def where(self, index):
        return f"{self.name}:{self.blocks[index].line}"

    def run_through(self, index):
        while self.done <= index:
            current = self.done
            self.done += 1
            block = self.blocks[current]
            reason = skip_reason(block)
            if reason is not None:
                if current == index:
                    pytest.skip(f"{self.where(current)}：{reason}")
                continue
            if self.failed_at is not None:
                if current == index:
                    raise BlockFailed(
                        f"{self.where(current)} 没有运行：前面 {self.failed_at} 的代码块失败了"
                    )
                continue
            try:
                run(block, self.namespace, self.where(current))
            except BlockFailed:
                self.failed_at = self.where(current)
                if current == index:
                    raise

    def run_all(self):
        """依次运行全部块，遇到第一个失败就抛出。"""
        for index in range(len(self.blocks)):
            self.run_through(index)

"""文档测试：把一页像构建那样展开，按顺序运行它的 Python 代码块，核对每段打印。

- 一页的块在同一个命名空间里依次运行，像一个笔记本；
- 块打印的内容必须与紧跟着的期望输出块逐字相同；打印了却没给出输出也算失败；
- 被跳过的块不运行，原因显示在页面上（见 fences 的标记语法）。

`rewrite_outputs` 是它的更新模式：按代码实际打印的内容改写页面上的期望输出。
"""

import contextlib
import io
import traceback
from dataclasses import dataclass

from .fences import fence_for, problems, scan, silent_python, unseeded_randomness
from .project import ROOT, expand_page


@dataclass
class Block:
    """页面上的一个 Python 代码块。line 是它在页面源文件里的行号。"""

    code: str
    line: int
    expected_output: str | None = None
    skip_reason: str | None = None


class BlockFailed(AssertionError):
    pass


class PageSkipped(Exception):
    """要单独运行的块被标记为跳过。"""


def runs_and_outputs(fences):
    """每个运行块：(它在 fences 里的序号, 运行块, 紧跟其后的期望输出块或 None)。"""
    for index, fence in enumerate(fences):
        if fence.runs and not fence.is_output:
            following = fences[index + 1] if index + 1 < len(fences) else None
            yield index, fence, following if following is not None and following.is_output else None


def pair_blocks(fences, lines):
    """围栏 -> 要运行的 Block：每个运行块带上紧跟其后的期望输出块。

    lines[k] 是第 k 个围栏在页面源文件里的行号（展开 include 之前的）。
    """
    return [
        Block(
            fence.body,
            lines[index],
            output.body if output is not None else None,
            fence.skip.reason if fence.skip else None,
        )
        for index, fence, output in runs_and_outputs(fences)
    ]


def page_blocks(source, base_path=None, root=ROOT):
    """页面源文本 -> 它的 Python 代码块（include 已展开），顺序同页面。

    `--8<--` 只往代码块里插入代码、不增减围栏，所以展开前后的第 k 个围栏是同一个。
    base_path 只给测试用：从另一个目录读 snippets，检验改坏代码时文档测试会失败。
    """
    expanded = expand_page(source, root, base_path)
    before, after = scan(source), scan(expanded)
    if len(before) != len(after):
        raise ValueError("展开 `--8<--` 后代码块的个数变了：include 只能放在代码块里")
    return pair_blocks(after, [fence.line for fence in before])


def page_problems(source, root=ROOT, base_path=None):
    """一页写法上的错误：[(哪一份, 行号, 说明)]，文档测试要求每页都没有。

    页面源文件和展开 `--8<--` 之后的文本各查一遍（fences.problems 和 silent_python）：
    源文件里才看得到代码块之外的 `--8<--` 行，展开后才看得到 include 带进来的代码块。
    没固定种子就抽随机数的块只查源文件：嵌入的函数用不用随机数由它自己的测试管。
    """
    expanded = expand_page(source, root, base_path)
    found = [
        (what, line, message)
        for what, text in (("源文件", source), ("展开 --8<-- 之后", expanded))
        for line, message in [
            *problems(text),
            *((n, f"代码块 {info} 看起来是 Python，却不会运行") for n, info in silent_python(text)),
        ]
    ]
    return found + [
        ("源文件", line, f"抽随机数之前没有在同一块里 torch.manual_seed(…)：{code}")
        for line, code in unseeded_randomness(source)
    ]


def run_block(block, namespace, where):
    """在 namespace 里运行一个块，返回它打印的内容；出错时抛出 BlockFailed。"""
    printed = io.StringIO()
    try:
        code = compile(block.code, where, "exec")
        # 写到 stderr 的（警告、报错信息）读者在笔记本里同样看得到，一并核对
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            exec(code, namespace)
    except KeyboardInterrupt:
        raise
    except BaseException:  # 连 sys.exit() 也算这一块失败，而不是让整个测试进程退出
        raise BlockFailed(
            f"{where} 的代码块出错：\n{block.code}\n{traceback.format_exc(limit=-3)}"
        ) from None
    return printed.getvalue()


def check_output(block, output, where):
    if block.expected_output is None:
        if output:
            raise BlockFailed(f"{where} 的代码块打印了内容，但页面上没有给出输出：\n{output}")
    elif output != block.expected_output:
        raise BlockFailed(
            f"{where} 页面上的输出与代码实际打印的不同。\n"
            f"页面上：\n{block.expected_output}\n实际：\n{output}"
        )


class PageRun:
    """一页的运行状态：块按顺序运行；单独运行后面的块时，先补跑前面的块。"""

    def __init__(self, name, source, base_path=None, root=ROOT):
        self.name = name
        self.blocks = page_blocks(source, base_path, root)
        self.namespace = {"__name__": "__main__"}
        self.printed = {}  # 块序号 -> 实际打印的内容
        self.outcomes = {}  # 块序号 -> 要抛出的异常（None 表示通过）
        self.done = 0
        self.failed_at = None

    def where(self, index):
        return f"{self.name}:{self.blocks[index].line}"

    def run_through(self, index, check=True):
        """运行到第 index 块为止，报告第 index 块的结果。

        每块的结果都记下来：先单独跑了后面的块、顺带跑过的前面的块，轮到它时照样报告失败。
        """
        while self.done <= index:
            current = self.done
            self.done += 1
            self.outcomes[current] = self._run(current, check)
        if self.outcomes[index] is not None:
            raise self.outcomes[index]

    def _run(self, current, check):
        block, where = self.blocks[current], self.where(current)
        if block.skip_reason is not None:
            return PageSkipped(f"{where}：{block.skip_reason}")
        if self.failed_at is not None:
            return BlockFailed(f"{where} 没有运行：前面 {self.failed_at} 的代码块失败了")
        try:
            self.printed[current] = run_block(block, self.namespace, where)
            if check:
                check_output(block, self.printed[current], where)
        except BlockFailed as failure:
            self.failed_at = where
            return failure
        return None

    def run_all(self, check=True):
        """依次运行全部块，遇到第一个失败就抛出；跳过的块不算失败。"""
        for index, block in enumerate(self.blocks):
            if block.skip_reason is None:
                self.run_through(index, check)
        return self.printed


def rewrite_outputs(source, printed):
    """按 printed（块序号 -> 打印内容）改写页面上的期望输出块，返回新的页面源文本。

    打印了内容而没有输出块的，在代码块后插入一个；不再打印的，删掉原来的输出块和标记。
    """
    fences = scan(source)
    lines = source.split("\n")
    edits = []  # (起始行下标, 结束行下标, 新的行)，都指 lines
    for number, (_, code, old) in enumerate(runs_and_outputs(fences)):
        if code.skip is not None:
            continue  # 跳过的块不运行，它的输出块（如果有）原样保留
        new = printed.get(number, "")
        if old is None and not new:
            continue
        if old is not None and new == old.body:
            continue
        pad = code.indent
        if old is None:
            edits.append((code.end, code.end, output_lines(pad, new)))
        elif not new:
            first = min(m.line for m in old.marks) - 1
            edits.append((first - 1 if not lines[first - 1].strip() else first, old.end, []))
        else:
            edits.append((old.line - 1, old.end, output_lines(old.indent, new)[3:]))
    for start, end, new_lines in sorted(edits, reverse=True):
        lines[start:end] = new_lines
    return "\n".join(lines)


def output_lines(pad, text):
    """一个新的期望输出块（标记、围栏、内容），缩进与代码块相同；围栏比内容里的反引号串长。"""
    fence = fence_for(text)
    if not text.endswith("\n"):
        raise ValueError(f"打印的内容不以换行结尾，代码块里写不出来：{text[-40:]!r}")
    body = [f"{pad}{line}" if line else "" for line in text.split("\n")[:-1]]
    marker = f"{pad}<!--pytest-codeblocks:expected-output-->"
    return ["", marker, "", f'{pad}{fence}text title="输出"', *body, f"{pad}{fence}"]

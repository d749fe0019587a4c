"""页面 Markdown 里的围栏代码块和测试标记：全站只有这一个扫描器、这一套标记语法。

文档测试、笔记本生成、构建时显示“不运行的原因”都用它，所以三处对“哪一块是代码、
哪一块是输出、哪一块被跳过”的理解永远一致。

标记沿用 pytest-codeblocks 的写法（tests 里有一个测试让两者在每一页上逐块一致）：

- `<!--pytest.mark.skip(reason="原因")-->`：下一个代码块不运行，原因显示在页面上；
- `<!--pytest-codeblocks:expected-output-->`：下一个代码块是上一个代码块应打印的内容。

标记与它所指的代码块之间只能隔空行和别的标记。
"""

import ast
import re
from dataclasses import dataclass

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# 一行完整的 HTML 注释里的测试标记；pytest-codeblocks 也认 `<!-- -pytest…- -->` 这样的写法
MARK = re.compile(r"^\s*<!--[-\s]*(?P<text>pytest(?:-codeblocks:|\.mark\.).*?)[-\s]*-->\s*$")
EXPECTED_OUTPUT = "pytest-codeblocks:expected-output"
SKIP_CALL = re.compile(r"^pytest\.mark\.skip\((?P<args>.*)\)$", re.S)
# 读者看来是 Python 的信息串：```py、```python3、```{.python}、```python title="x"……
LOOKS_PYTHON = re.compile(r"(^|[\s{.])(py|python|python3|py3|pycon|ipython)\b", re.I)


@dataclass(frozen=True)
class Mark:
    """一个测试标记。kind 为 "skip"、"expected-output" 或 "unknown"（不支持的写法）。"""

    kind: str
    text: str
    reason: str = ""
    line: int = 0  # 标记注释所在行


@dataclass(frozen=True)
class Fence:
    """一个围栏代码块。行号从 1 开始，指扫描的那段文本。"""

    line: int  # 开头的围栏所在行
    end: int  # 结尾的围栏所在行
    indent: str  # 开头围栏前的缩进
    fence: str  # 围栏字符，如 ``` 或 ````
    info: str  # 围栏后的信息串（去掉首尾空白）
    body: str  # 代码，去掉了围栏的缩进，每行以换行结尾
    marks: tuple  # 紧挨在它前面的测试标记（Mark）
    closed: bool = True  # 没有闭合的围栏延伸到文末，或到它所在的列表项、折叠块结束处

    @property
    def runs(self):
        """文档测试会运行的块：信息串恰好是 python 的反引号围栏（pytest-codeblocks 的规则）。"""
        return self.fence[0] == "`" and self.info == "python"

    @property
    def looks_python(self):
        return bool(LOOKS_PYTHON.search(self.info))

    @property
    def skip(self):
        """跳过标记，没有就是 None。"""
        return next((m for m in self.marks if m.kind == "skip"), None)

    @property
    def is_output(self):
        """这一块是前一块的期望输出。"""
        return any(m.kind == "expected-output" for m in self.marks)


def parse_mark(text):
    """标记注释里的文字 -> Mark。只认两种写法；其余写法（skipif、没写原因等）是 unknown。"""
    text = text.strip()
    if text == EXPECTED_OUTPUT:
        return Mark("expected-output", text)
    call = SKIP_CALL.match(text)
    if call:
        reason = skip_reason(call["args"])
        if reason:
            return Mark("skip", text, reason)
    return Mark("unknown", text)


def skip_reason(args):
    """skip(…) 的参数里字面写出的非空 reason；其余一概不认（不求值）。"""
    try:
        call = ast.parse(f"f({args})", mode="eval").body
    except SyntaxError:
        return ""
    if call.args or len(call.keywords) != 1 or call.keywords[0].arg != "reason":
        return ""
    value = call.keywords[0].value
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value.strip()
    return ""


def mark_on(line, number):
    """一行若是测试标记注释，返回 Mark，否则 None。"""
    match = MARK.match(line)
    if match is None:
        return None
    mark = parse_mark(match["text"])
    return Mark(mark.kind, mark.text, mark.reason, number)


def scan(text):
    """按 CommonMark 的开闭规则找出全部围栏代码块（嵌在别的围栏里的不算）。

    结尾围栏与开头用同一种字符、不短于开头、后面不带信息串、缩进不比开头多三格以上；
    反引号围栏的信息串里不能有反引号。没有闭合的围栏延伸到文末，缩进的围栏则到它所在的
    列表项、折叠块结束处为止（problems 会报出来）。
    引用块（> ）里的围栏不在此列。
    """
    return _scan(text)[0]


def stray_marks(text):
    """没有紧挨着代码块的测试标记：它们什么也不管，多半是写错了位置。"""
    return _scan(text)[1]


def _scan(text):
    lines = text.split("\n")
    found, pending, stray, number = [], [], [], 0
    while number < len(lines):
        line = lines[number]
        number += 1
        mark = mark_on(line, number)
        if mark is not None:
            pending.append(mark)
            continue
        opening = FENCE.match(line)
        if opening is not None and opening["fence"][0] == "`" and "`" in opening["info"]:
            opening = None  # ```x``` 是行内代码，不是围栏（CommonMark）
        if opening is None:
            if line.strip():
                stray += pending  # 标记只管紧接着的代码块
                pending = []
            continue
        fence, indent = opening["fence"], opening["indent"]
        start, body, closed = number, [], False
        while number < len(lines):
            if indent and lines[number].strip() and width(lines[number]) < len(indent):
                break  # 缩进比围栏还浅：列表项或折叠块已经结束，围栏没有闭合
            closing = FENCE.match(lines[number])
            number += 1
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
                and len(closing["indent"]) <= len(indent) + 3  # 缩进更深的是代码里的一行
            ):
                closed = True
                break
            body.append(dedent(lines[number - 1], indent))
        code = "".join(f"{b}\n" for b in body)
        info = opening["info"].strip()
        found.append(Fence(start, number, indent, fence, info, code, tuple(pending), closed))
        pending = []
    return found, stray + pending


INCLUDE = re.compile(r"^\s*-+8<-+\s")
OUTPUT_STYLE = re.compile(r"title=[\"']输出[\"']")  # 页面上“输出”块的样子


def problems(text):
    """页面写法上的错误：[(行号, 说明)]。文档测试要求每页都没有。

    - 没有闭合的围栏（它会吞掉后面的内容，后面的代码块就不运行了）；
    - 不挨着代码块的标记、不支持的标记写法；
    - 期望输出块前面不是一个会运行的代码块；
    - 代码块之外的 `--8<--`（展开后的内容不会被测试看到）；
    - 样子是输出（title="输出"）却没有标记的块：读者以为核对过，其实没有；
    - HTML 注释里的代码块：测试会运行，读者看不见；
    - 没写语言的代码块：读者看到代码，测试却不知道它是什么（运行、展示还是输出）。
    """
    fences, stray = _scan(text)
    found = [(f.line, f"围栏 {f.fence}{f.info} 没有闭合") for f in fences if not f.closed]
    found += [
        (f.line, f"代码块没有写语言：写成 {f.fence}python，或写明 text 之类的语言")
        for f in fences
        if not f.info
    ]
    found += [(m.line, f"标记没有紧挨着代码块：{m.text}") for m in stray]
    found += [
        (m.line, f"不支持的标记写法：{m.text}")
        for f in fences
        for m in f.marks
        if m.kind == "unknown"
    ]
    for before, fence in zip([None, *fences], fences, strict=False):
        if fence.is_output and (before is None or not before.runs or before.is_output):
            found.append((fence.line, "期望输出块前面应当是一个会运行的 ```python 代码块"))
    for fence in fences:
        if OUTPUT_STYLE.search(fence.info) and not fence.is_output:
            found.append((fence.line, "看起来是输出的块没有 expected-output 标记，不会被核对"))
    inside = {n for f in fences for n in range(f.line, f.end + 1)}
    for start, end in comments(text, inside):
        found += [
            (f.line, "HTML 注释里的代码块：测试会运行它，读者却看不见")
            for f in fences
            if start < f.line <= end
        ]
    found += [
        (number, f"代码块之外的 include：{line.strip()}")
        for number, line in enumerate(text.split("\n"), start=1)
        if INCLUDE.match(line) and number not in inside
    ]
    return sorted(found)


# 抽随机数的调用：张量构造函数、带随机初始化的层（含页面上手写的 Conv2D）、就地随机填充
RANDOM_CALL = re.compile(
    r"\btorch\.(?:rand|randn|randint|randperm|normal|bernoulli|multinomial)(?:_like)?\("
    r"|\bnn\.(?:Conv[123]d|ConvTranspose[123]d|Linear)\(|\bConv2D\("
    r"|\.(?:normal_|uniform_|random_)\("
)
SEED = re.compile(r"\btorch\.manual_seed\(|\bgenerator=")


def unseeded_randomness(text):
    """抽随机数之前没有在同一块里固定种子的运行块：[(行号, 那一行)]。

    只查页面自己写的代码（不查 --8<-- 嵌入的函数）。种子要在同一块里：
    读者可能只运行这一块，前面的块抽了多少随机数也会变，输出不能靠它们。
    """
    found = []
    for fence in scan(text):
        if not fence.runs or fence.is_output:
            continue
        lines = fence.body.split("\n")
        for offset, line in enumerate(lines):
            if RANDOM_CALL.search(line):
                if not any(SEED.search(before) for before in lines[: offset + 1]):
                    found.append((fence.line + 1 + offset, line.strip()))
                break
    return found


def silent_python(text):
    """读者看来是 Python、却不会运行又没有跳过标记的代码块：[(行号, 信息串)]。"""
    return [
        (f.line, f.info) for f in scan(text) if f.looks_python and not f.runs and f.skip is None
    ]


def comments(text, inside):
    """跨行的 HTML 注释：[(开头行, 结尾行)]。只看从代码块之外开始的注释。"""
    found, start = [], None
    for number, line in enumerate(text.split("\n"), start=1):
        if start is None and number not in inside and "<!--" in line:
            if "-->" not in line[line.index("<!--") :]:
                start = number
        elif start is not None and "-->" in line:
            found.append((start, number))
            start = None
    return found + ([(start, len(text.split("\n")))] if start is not None else [])


def fence_for(text, char="`"):
    """能把 text 原样包住的围栏：比 text 里最长的一串 char 多一个，至少三个。"""
    longest = max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)
    return char * max(3, longest + 1)


def width(line):
    return len(line) - len(line.lstrip(" \t"))


def dedent(line, indent):
    """去掉围栏那么多的缩进（不多去）：嵌在列表、折叠块里的代码块保持自己的相对缩进。"""
    return line[min(width(line), len(indent)) :]

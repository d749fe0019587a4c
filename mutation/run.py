"""变异测试：把 snippets/ 里的代码逐处改坏，看单元测试和文档测试能不能发现。

用法：make mutate [MODULES="pooling channels"]（不给 MODULES 就是全部模块）

- 变异由 mutmut 2 生成（版本钉在 pyproject.toml 的 mutate 附加依赖里），每次只改一处。
  改动直接写进 snippets/<模块>.py：文档测试从磁盘读片段、展开到页面上，必须看到改坏的代码。
  跑完（或 Ctrl-C、被 kill）后恢复原文件；进程被强行杀掉时，下次运行先从备份恢复。
  所以运行期间不要编辑 snippets/。
- 每个变异体只跑能看到这个模块的测试：本模块及（直接或间接）导入它的模块的
  tests/test_<模块>.py、导入了它们的其他测试文件，以及用 --8<-- 嵌入了它们的页面的文档测试。
  -x 遇到第一个失败就停；HYPOTHESIS_PROFILE=ci 固定随机种子，结果可重复。
- 一个进程接一个进程地跑，只用一个核（OMP_NUM_THREADS=1）。
  每个变异体限时：不改代码时跑一遍的时间 ×5 + 30 秒（机器忙时也不误判），超时算作被发现。
- 结果写进 .cache/mutation/：每个模块一个 JSON；还没说明的幸存者汇总在 survivors.md（带改动）。
  哪些幸存者是等价变异、为什么，人工写进提交的 mutation/survivors.md。
"""

import argparse
import contextlib
import difflib
import hashlib
import importlib
import importlib.util
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# 这些要在导入 torch、Hypothesis 之前设好：只用一个核；固定随机种子；不写 .pyc
# （.pyc 只按修改时间和大小判断是否过期，改过的文件可能被当成没改）
os.environ.update(HYPOTHESIS_PROFILE="ci", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
sys.dont_write_bytecode = True
# 从本目录导入 snippets，不用虚拟环境里可编辑安装的另一份（mutmut 导入时还会把当前目录放到最前）
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from mutmut import Context, list_mutations, mutate  # noqa: E402

# 每个子进程都要用的第三方包，在父进程里先导入一次，子进程分叉后直接就有（收集测试快 1–2 秒）
PRELOAD = ["torch", "numpy", "hypothesis", "nbformat", "pytest_codeblocks", "pytest_cov", "yaml"]
for name in PRELOAD:
    with contextlib.suppress(ImportError):
        importlib.import_module(name)

SNIPPETS = ROOT / "snippets"
OUT = ROOT / ".cache" / "mutation"
MARKERS = "not build and not notebook and not browser"
STATUS = {0: "survived", 1: "killed", 2: "killed", 4: "killed", None: "timeout"}


def modules():
    return sorted(p.stem for p in SNIPPETS.glob("*.py") if p.stem != "__init__")


def imported_snippets(path):
    """一个文件用 from snippets.X import … 或 import snippets.X 导入的 snippets 模块。"""
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*(?:from|import) snippets\.(\w+)", text, re.M))


def seers(module):
    """能看到 module 的 snippets 模块：它自己，加上直接或间接导入它的模块。"""
    found, changed = {module}, True
    while changed:
        more = {m for m in modules() if imported_snippets(SNIPPETS / f"{m}.py") & found}
        changed = not more <= found
        found |= more
    return found


def selection(module):
    """(测试文件, 页面) ：跑这些就能看到 module 的所有用处。页面名就是文档测试 id 的前半段。"""
    seen = seers(module)
    tests = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "tests").glob("test_*.py")
        if p.name != "test_docs.py" and (p.stem[5:] in seen or imported_snippets(p) & seen)
    )
    docs = ROOT / "docs"
    candidates = [*docs.rglob("*.md"), ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    names = "|".join(sorted(seen))
    include = re.compile(rf'--8<-- "snippets/(?:{names})\.py[:"]')
    pages = sorted(
        (p.relative_to(docs).as_posix() if p.is_relative_to(docs) else p.name)
        for p in candidates
        if include.search(p.read_text(encoding="utf-8"))
    )
    return tests, pages


def pytest_args(tests, pages):
    """先跑文档测试（快、能发现大多数改动），再跑单元测试。"""
    args = ["-x", "-q", "-p", "no:cacheprovider", "--no-cov", "-m", MARKERS]
    if pages:
        keywords = " or ".join(["not test_docs", *pages])
        args += ["tests/test_docs.py::test_block", "-k", keywords]
    return args + tests


def run_tests(args, timeout=None, quiet=True):
    """在分叉出的子进程里跑 pytest：torch 等只在父进程导入一次，每个变异体省下两三秒。

    子进程从头导入 snippets（父进程从不导入它），所以看到的是磁盘上刚改过的文件。
    返回 pytest 的退出码；超时返回 None。
    """
    sys.stdout.flush()  # 否则缓冲区里还没写出的内容，子进程会再写一遍
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            if quiet:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
            code = pytest.main(args)
        finally:
            os._exit(int(code))
    deadline = time.monotonic() + (timeout or float("inf"))
    try:
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                pid = None
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.02)
        return None
    finally:
        if pid:  # 超时了，或者父进程被中断：子进程（可能在死循环里）不能留下
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def check_imports_from_here():
    for name in ("snippets", "sitebuild"):
        where = Path(importlib.util.find_spec(name).origin)
        if not where.is_relative_to(ROOT) or name in sys.modules:
            sys.exit(f"{name} 应当从 {ROOT} 导入，且不在父进程里导入；现在是 {where}")


def mutants(path):
    """([(行号, 改动的 diff 行, 改后的全文)], 不合法的个数)：一处改动一个变异体。

    mutmut 偶尔生成语法错误的代码（如把 (*a, 1) 改成 (/a, 1)），这些不算。
    """
    source = path.read_text(encoding="utf-8")
    found, invalid = [], 0
    for mutation_id in list_mutations(Context(source=source, filename=str(path))):
        mutated, count = mutate(Context(source=source, mutation_id=mutation_id, filename=str(path)))
        assert count == 1, mutation_id
        try:
            compile(mutated, str(path), "exec")
        except SyntaxError:
            invalid += 1
            continue
        diff = difflib.unified_diff(source.splitlines(), mutated.splitlines(), n=0, lineterm="")
        change = [line for line in diff if line[:1] in "-+" and line[:3] not in ("---", "+++")]
        found.append((mutation_id.line_number + 1, change, mutated))
    return found, invalid


def restore_leftovers():
    """上次运行被强行杀掉时留下的备份：先把原文件放回去。"""
    for backup in OUT.glob("*.py.orig"):
        target = SNIPPETS / backup.name.removesuffix(".orig")
        target.write_bytes(backup.read_bytes())
        backup.unlink()
        print(f"从上次中断的运行恢复了 {target.relative_to(ROOT)}")


def run_module(module):
    path = SNIPPETS / f"{module}.py"
    original = path.read_bytes()
    tests, pages = selection(module)
    args = pytest_args(tests, pages)
    print(f"\n== {module}：{', '.join(tests)}；页面 {', '.join(pages) or '（无）'}")
    start = time.monotonic()
    if run_tests(args) != 0:
        print("不改代码时测试就不通过：", flush=True)
        run_tests(args, quiet=False)
        sys.exit(1)
    seconds = time.monotonic() - start
    timeout = 5 * seconds + 30
    found, invalid = mutants(path)
    print(
        f"{len(found)} 个变异体（另有 {invalid} 个不是合法的 Python，不算）；"
        f"不改代码跑一遍 {seconds:.1f} 秒，限时 {timeout:.0f} 秒"
    )
    backup = OUT / f"{module}.py.orig"
    backup.write_bytes(original)
    results = []
    try:
        for line, change, mutated in found:
            path.write_text(mutated, encoding="utf-8")
            begin = time.monotonic()
            try:
                code = run_tests(args, timeout)
            finally:
                path.write_bytes(original)
            # 1：有测试失败；2 和 4：收集时出错（改坏的模块导入时就抛异常，
            # 命令行点名的 tests/test_docs.py::test_block 就找不到，退出码是 4）。
            # 不改代码时同样的命令通过了，所以这些都是改动造成的。
            status = STATUS.get(code)
            results.append(
                {"line": line, "change": change, "status": status or f"error {code}"}
                | {"seconds": round(time.monotonic() - begin, 1)}
            )
            print({"killed": ".", "survived": "S", "timeout": "T"}.get(status, "E"), end="")
            print("", end="\n" if len(results) % 60 == 0 else "", flush=True)
    finally:
        path.write_bytes(original)
        backup.unlink()
    print()
    record = {
        "module": module,
        "source_sha256": hashlib.sha256(original).hexdigest(),
        "tests": tests,
        "pages": pages,
        "baseline_seconds": round(seconds, 1),
        "wall_seconds": round(time.monotonic() - start, 1),
        "mutants": results,
    }
    (OUT / f"{module}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))


def change_key(module, lines):
    """比较幸存者用：模块名加改动的 diff 行（不看行号，代码挪了位置也认得出）。"""
    lines = [line.strip() for line in lines if line.strip()]
    return module, tuple(line[0] + line[1:].strip() for line in lines)


def explained():
    """提交的 mutation/survivors.md 里写明了理由的等价变异。"""
    path = ROOT / "mutation" / "survivors.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    entries = re.findall(r"^- `(\w+)\.py:\d+`.*?```diff\n(.*?)```", text, re.M | re.S)
    return {change_key(module, diff.splitlines()) for module, diff in entries}


def report():
    """所有跑过的模块各一行，打印成 Markdown 表格（可以直接贴进说明）。

    得分不计 mutation/survivors.md 里说明过的等价变异；其余幸存者写进 .cache/mutation/survivors.md。
    """
    rows = ["| 模块 | 变异体 | 发现 | 超时 | 幸存 | 其中等价 | 出错 | 得分 | 用时 |"]
    rows.append("|" + " --- |" * 9)
    survivors = ["# 还没有说明的幸存者（make mutate 生成，不提交）", ""]
    known, totals = explained(), [0] * 7
    for path in sorted(OUT.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        module = record["module"]
        source = SNIPPETS / f"{module}.py"
        stale = not source.is_file() or (
            hashlib.sha256(source.read_bytes()).hexdigest() != record["source_sha256"]
        )
        statuses = [m["status"] for m in record["mutants"]]
        lost = [m for m in record["mutants"] if m["status"] == "survived"]
        new = [m for m in lost if change_key(module, m["change"]) not in known]
        counts = [len(statuses), *map(statuses.count, ("killed", "timeout", "survived"))]
        counts += [len(lost) - len(new), counts[0] - sum(counts[1:4])]
        counts.append(round(record["wall_seconds"]))
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append(row(module + ("（代码已改，结果过期）" if stale else ""), counts))
        unexplained = new + [m for m in record["mutants"] if m["status"].startswith("error")]
        survivors.append(f"## {module}.py（{len(unexplained)} 个）\n")
        for m in unexplained:
            survivors.append(f"- `{module}.py:{m['line']}` {m['status']}\n\n  ```diff")
            survivors += [f"  {line}" for line in m["change"]] + ["  ```\n"]
    print("\n".join([*rows, row("合计", totals)]))
    print("\n得分 = (发现 + 超时) / (变异体 − 等价)；等价的幸存者在 mutation/survivors.md 里说明，")
    print("还没说明的写在 .cache/mutation/survivors.md：补测试，或者确属等价就抄过去写上理由。")
    (OUT / "survivors.md").write_text("\n".join(survivors), encoding="utf-8")


def row(name, counts):
    total, killed, timeout, _, equivalent, _, seconds = counts
    counted = total - equivalent
    score = f"{100 * (killed + timeout) / counted:.1f}%" if counted else "–"
    return f"| {name} | " + " | ".join(map(str, counts[:6])) + f" | {score} | {seconds} 秒 |"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="snippets 里的模块名，默认全部")
    chosen = parser.parse_args().modules or modules()
    unknown = set(chosen) - set(modules())
    if unknown:
        parser.error(f"snippets/ 里没有这些模块：{', '.join(sorted(unknown))}")
    # 被 kill（SIGTERM）时也走 finally，把原文件放回去
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    restore_leftovers()
    check_imports_from_here()
    start = time.monotonic()
    for module in chosen:
        run_module(module)
    print(f"\n用时 {time.monotonic() - start:.0f} 秒\n")
    report()


if __name__ == "__main__":
    main()

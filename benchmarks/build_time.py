"""量构建时间：本站的构建 vs 同一批页面只用 Material 的构建，在同一次运行里交替测量。

用法：make bench-build [ROUNDS=5]

“只用 Material”的配置就是 mkdocs.yml 去掉 hooks（没有服务器端公式、图、术语提示、笔记本），
其余完全相同：同样的页面、Markdown 扩展、主题、搜索（jieba 切词）和 mkdocs-jupyter
（实验笔记本按源文件渲染、不执行）。两边都先构建一次热身，之后是“热”构建：
实验笔记本的执行结果已在缓存里，这是 `mkdocs serve` 改一页时的情形。
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAIN = """\
INHERIT: mkdocs.yml
hooks: []
extra_css: [stylesheets/extra.css]
plugins:
  - mkdocs-jupyter:
      include: ["notebooks/*.py"]
  - search:
      lang: en
      separator: '[\\s\\u200b\\-]'
"""


def build(config, site):
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main():
    rounds = int(os.environ.get("ROUNDS", 5))
    plain = ROOT / ".bench-plain.yml"  # INHERIT 的相对路径按配置文件所在目录解析，所以放在根目录
    plain.write_text(PLAIN, encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory() as site:
            configs = {"本站": ROOT / "mkdocs.yml", "只用 Material": plain}
            times = {name: [] for name in configs}
            for config in configs.values():
                build(config, site)  # 热身：执行缓存、jieba 词典、Python 的字节码
            for _ in range(rounds):
                for name, config in configs.items():
                    times[name].append(build(config, site))
    finally:
        plain.unlink()
    ours, theirs = (statistics.median(t) for t in times.values())
    for name, samples in times.items():
        print(f"{name:　<8}中位数 {statistics.median(samples):5.2f} s  （{rounds} 次：", end="")
        print(", ".join(f"{t:.2f}" for t in samples) + "）")
    print(f"比值 {ours / theirs:.2f}×")


if __name__ == "__main__":
    main()

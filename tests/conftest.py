"""测试的公共设置。

- Hypothesis 两档：ci（默认，`make test`）固定随机种子、按各测试写明的例子数跑；
  dev（`make test-fast`）每个测试只跑十分之一，改代码时快速回归。
- 三类慢测试打上标记，`make test-fast` 跳过它们：build（用了 built_site 的自动标上）、
  notebook（在新内核里执行笔记本，测试上写明）、browser（test_browser.py 整个模块）。
"""

import os
import subprocess
import sys

import pytest
from hypothesis import settings

from sitebuild.project import ROOT

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SLOW_MODULES = {"test_browser": "browser"}


def pytest_configure(config):
    for name, what in [
        ("build", "要用 mkdocs build 构建整个站点"),
        ("notebook", "在全新的内核里执行笔记本"),
        ("browser", "在 Chromium 里打开构建好的站点"),
    ]:
        config.addinivalue_line("markers", f"{name}: {what}（make test-fast 不跑）")


def pytest_collection_modifyitems(items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in SLOW_MODULES:
            item.add_marker(SLOW_MODULES[module])
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker("build")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """用 mkdocs build --strict 构建一次整个站点，给依赖构建结果的测试共用。"""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return site

"""测试的公共设置。

- Hypothesis 两档：ci（默认，`make test`）固定随机种子、按各测试写明的例子数跑；
  dev（`make test-fast`）每个测试只跑十分之一，改代码时快速回归。
- 三类慢测试打上标记，`make test-fast` 跳过它们：build（用了 built_site 的自动标上）、
  notebook（在新内核里执行笔记本，测试上写明）、browser（用了 browser 夹具的自动标上）。
"""

import os
import subprocess
import sys

import pytest
from chromium import CHROMIUM, FLAGS, serve, watch
from hypothesis import settings

from sitebuild.project import ROOT

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config):
    for name, what in [
        ("build", "要用 mkdocs build 构建整个站点"),
        ("notebook", "在全新的内核里执行笔记本"),
        ("browser", "在 Chromium 里打开构建好的站点"),
    ]:
        config.addinivalue_line("markers", f"{name}: {what}（make test-fast 不跑）")


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "built_site" in fixtures:
            item.add_marker("build")
        if "browser" in fixtures:
            item.add_marker("browser")


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


# —— 浏览器测试共用（辅助函数在 chromium.py） ——


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"没有 {CHROMIUM}，浏览器测试需要它：sudo apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    """一个新页面（默认窗口、浅色），记录控制台错误、失败的请求和发往其他主机的请求。"""
    context = browser.new_context()
    tab = watch(context.new_page(), site_url)
    yield tab
    context.close()

import subprocess
import sys

import pytest
from docpages import ROOT


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

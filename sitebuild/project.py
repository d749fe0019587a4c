"""项目的结构：mkdocs.yml 的目录决定有哪些章节，每章在各目录下的文件按名字一一对应。

    docs/<页>.md ↔ snippets/<模块>.py ↔ tests/test_<模块>.py ↔ figures/<模块>.py

模块名就是页名把 “-” 换成 “_”（padding-and-strides.md ↔ padding_and_strides.py）。
这里只读文件、不依赖 MkDocs，测试和命令行工具都能直接用。
"""

from dataclasses import dataclass
from pathlib import Path

import markdown
import yaml

from .fences import scan

ROOT = Path(__file__).resolve().parent.parent


class _Loader(yaml.SafeLoader):
    """读 mkdocs.yml 用：`!ENV`、`!!python/…` 这类只有 MkDocs 懂的标签一律读成 None。"""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mkdocs_config(root=ROOT):
    return yaml.load((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


def nav_pages(nav):
    """mkdocs.yml 的 nav（可以嵌套）-> 按顺序排列的页面路径（相对 docs/）。"""
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages


def doc_pages(root=ROOT):
    """文档测试覆盖的页面：docs/ 下的每个 .md，加上 README.md 和 CONTRIBUTING.md。"""
    root = Path(root)
    return sorted((root / "docs").rglob("*.md")) + [root / "README.md", root / "CONTRIBUTING.md"]


def is_chapter(source):
    """有会被运行的 Python 代码块的页面就是章节。"""
    return any(fence.runs for fence in scan(source))


@dataclass(frozen=True)
class Chapter:
    page: Path  # docs/<页>.md

    @property
    def module(self):
        return self.page.stem.replace("-", "_")

    @property
    def snippets(self):
        return self.page.parents[1] / "snippets" / f"{self.module}.py"

    @property
    def tests(self):
        return self.page.parents[1] / "tests" / f"test_{self.module}.py"

    @property
    def figures(self):
        return self.page.parents[1] / "figures" / f"{self.module}.py"


def chapters(root=ROOT):
    """目录里的章节，按目录顺序。"""
    docs = Path(root) / "docs"
    pages = [docs / p for p in nav_pages(mkdocs_config(root)["nav"]) if p.endswith(".md")]
    return [Chapter(p) for p in pages if is_chapter(p.read_text(encoding="utf-8"))]


def extension_configs(markdown_extensions):
    """mkdocs.yml 的 markdown_extensions 列表 -> {扩展名: 配置}，与 MkDocs 的 mdx_configs 同形。"""
    configs = {}
    for item in markdown_extensions:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        configs[name] = dict(options or {})
    return configs


def snippet_options(configs, root=ROOT):
    """pymdownx.snippets 的配置，base_path 换成绝对路径（构建和测试的工作目录可能不同）。"""
    options = dict(configs.get("pymdownx.snippets") or {})
    base = options.get("base_path", ["."])
    options["base_path"] = [
        str(Path(root) / p) for p in ([base] if isinstance(base, str) else base)
    ]
    return options


def expand(source, options):
    """用 pymdownx.snippets 本身展开 `--8<--`，和构建时一模一样。

    check_paths 打开时，缺文件或缺命名片段会抛出异常。
    """
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": options}
    )
    return "\n".join(md.preprocessors["snippet"].run(source.split("\n")))


def expand_page(source, root=ROOT, base_path=None):
    """按 mkdocs.yml 的配置展开一页。

    base_path 只给测试用：从另一个目录读 snippets，检验改坏代码时文档测试会失败。
    """
    configs = extension_configs(mkdocs_config(root)["markdown_extensions"])
    options = snippet_options(configs, root)
    if base_path is not None:
        options["base_path"] = [str(base_path)]
    return expand(source, options)

"""MkDocs 钩子：把 sitebuild 包的函数接到 MkDocs 的事件上，自己不含构建逻辑。

一页 HTML 收尾各步的顺序和理由在 sitebuild/html.py 的文档字符串里。
mkdocs-jupyter 的同名事件先于这里运行（插件在钩子之前）。
`mkdocs serve` 每次重建会重新导入 snippets/ 和 figures/；改了 sitebuild/ 或这个文件要重启它。
"""

import io
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from sitebuild import BuildError, notebooks
from sitebuild.figures import fresh_figures
from sitebuild.glossary import glossary_terms, jieba_dictionary
from sitebuild.html import finish, page_kind
from sitebuild.math import Katex, katex_assets
from sitebuild.project import snippet_options

state = {}  # 本次构建的 KaTeX 进程、术语表和 figures 包


def on_config(config):
    import jieba  # Material 的搜索插件用的是同一个全局分词器

    state["terms"] = glossary_terms(Path(config.docs_dir) / "glossary.md")
    jieba.load_userdict(io.StringIO(jieba_dictionary(state["terms"])))
    return config


def on_files(files, config):
    root = Path(config.config_file_path).parent
    options = snippet_options(config.mdx_configs, root)
    try:
        for uri, path in katex_assets():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        pages = list(files.documentation_pages())
        for page in pages:
            if notebooks.is_lab(page.src_uri):
                # mkdocs-jupyter 渲染执行过的 .ipynb（缓存里的），不再自己执行
                page.abs_src_path = str(notebooks.executed_lab(page.abs_src_path))
        sources = [(p.src_uri, p.content_string) for p in pages if p.src_uri.endswith(".md")]
        for uri, content in notebooks.chapter_downloads(sources, options, config.site_url or ""):
            files.append(File.generated(config, uri, content=content))
    except BuildError as error:
        raise PluginError(str(error)) from error
    return files


def on_pre_build(config):
    try:
        state["katex"] = Katex()
    except BuildError as error:
        raise PluginError(str(error)) from error
    state["figures"] = fresh_figures()


def on_page_markdown(markdown, page, config, files):
    return notebooks.add_download_button(markdown, page.file.src_uri)


def on_page_content(html, page, config, files):
    about = page_kind(page.file.src_uri)
    try:
        return finish(html, about, state["katex"].render, state["figures"].render, state["terms"])
    except (ValueError, BuildError) as error:
        raise PluginError(f"{about.src_uri}: {error}") from error


def stop():
    katex = state.pop("katex", None)
    if katex is not None:
        katex.close()


def on_post_build(config):
    stop()


def on_build_error(error):
    stop()

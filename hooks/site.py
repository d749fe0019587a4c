"""MkDocs 钩子：把 sitebuild 包的函数接到 MkDocs 的事件上，自己不含构建逻辑。

事件里要做的事、以及一页 HTML 收尾各步的顺序和理由，都在 sitebuild 里
（sitebuild/html.py 的文档字符串）；换掉 MkDocs 或 Material 时只需重写这个文件。
mkdocs-jupyter 的同名事件先于这里运行（插件在钩子之前）。
"""

import io
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from sitebuild import BuildError, notebooks
from sitebuild.figures import fresh_figures
from sitebuild.glossary import glossary_terms, jieba_dictionary
from sitebuild.html import Page, finish
from sitebuild.math import Katex, katex_assets
from sitebuild.project import expand_page, is_chapter

state = {}  # 本次构建的 KaTeX 进程、术语表和 figures 包


def root(config):
    return Path(config.config_file_path).parent


def on_config(config):
    import jieba  # Material 的搜索插件用的是同一个全局分词器

    state["terms"] = glossary_terms(Path(config.docs_dir) / "glossary.md")
    jieba.load_userdict(io.StringIO(jieba_dictionary(state["terms"])))
    return config


def on_files(files, config):
    try:
        for uri, path in katex_assets():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        for page in list(files.documentation_pages()):
            if page.src_uri.startswith("notebooks/") and page.src_uri.endswith(".py"):
                # mkdocs-jupyter 渲染执行过的 .ipynb（缓存里的），不再自己执行
                page.abs_src_path = str(notebooks.executed_lab(page.abs_src_path))
            elif page.src_uri.endswith(".md"):
                source = Path(page.abs_src_path).read_text(encoding="utf-8")
                if is_chapter(source):
                    expanded = expand_page(source, root(config))
                    content = notebooks.chapter_ipynb(expanded, config.site_url or "")
                    uri = notebooks.notebook_uri(page.src_uri)
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
    if page.file.src_uri.endswith(".md") and is_chapter(markdown):
        return notebooks.add_download_button(markdown, page.file.src_uri)
    return markdown


def on_page_content(html, page, config, files):
    uri = page.file.src_uri
    about = Page(uri, is_notebook=uri.endswith((".py", ".ipynb")), is_glossary=uri == "glossary.md")
    try:
        return finish(html, about, state["katex"].render, state["figures"].render, state["terms"])
    except (ValueError, BuildError) as error:
        raise PluginError(f"{uri}: {error}") from error


def stop():
    katex = state.pop("katex", None)
    if katex is not None:
        katex.close()


def on_post_build(config):
    stop()


def on_build_error(error):
    stop()

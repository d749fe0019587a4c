"""MkDocs 钩子：把 sitebuild 包的函数接到 MkDocs 的事件上，自己不含构建逻辑。

一页 HTML 收尾各步的顺序和理由在 sitebuild/html.py 的文档字符串里。
mkdocs-jupyter 的同名事件先于这里运行（插件在钩子之前）。
`mkdocs serve` 每次重建会重新导入 snippets/ 和 figures/；改了 sitebuild/ 或这个文件要重启它。
"""

import io
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from sitebuild import BuildError, explorer, notebooks, offline
from sitebuild.figures import drawings
from sitebuild.glossary import glossary_terms, jieba_dictionary
from sitebuild.html import check_code_blocks, finish, page_kind
from sitebuild.links import dead_links
from sitebuild.math import Katex, katex_assets
from sitebuild.project import expand, snippet_options
from sitebuild.search import chapter_modules, search_view, taught_pages, terms_script

SEARCH_TERMS = "assets/javascripts/cfc-search-terms.js"
# 本次构建的 KaTeX 进程、术语表、画图的 Drawings、pymdownx.snippets 的配置、是否离线版
state = {}
# 搜索插件建索引期间，每页读者看的 HTML 暂存在这里（见 on_page_content、on_page_context）
reader_html = {}


# 在 Material 的 offline 插件之前运行：它见到站点自带的 iframe-worker 垫片，就不再加 unpkg 上的
@event_priority(100)
def on_config(config):
    import jieba  # Material 的搜索插件用的是同一个全局分词器

    plugin = config.plugins.get("material/offline")
    state["offline"] = bool(plugin and plugin.config.enabled)
    if state["offline"]:
        config.extra["polyfills"] = offline.with_local_shim(config.extra.get("polyfills", []))
    state["terms"] = glossary_terms(Path(config.docs_dir) / "glossary.md")
    state["snippets"] = snippet_options(config.mdx_configs, Path(config.config_file_path).parent)
    jieba.load_userdict(io.StringIO(jieba_dictionary(state["terms"])))
    return config


def on_files(files, config):
    try:
        assets = katex_assets() + ([offline.shim_asset()] if state["offline"] else [])
        for uri, path in assets:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        pages = list(files.documentation_pages())
        for page in pages:
            if notebooks.is_lab(page.src_uri):
                # mkdocs-jupyter 渲染执行过的 .ipynb（缓存里的），不再自己执行
                page.abs_src_path = str(notebooks.executed_lab(page.abs_src_path))
        sources = [(p.src_uri, p.content_string) for p in pages if p.src_uri.endswith(".md")]
        downloads = notebooks.chapter_downloads(sources, state["snippets"], config.site_url or "")
        for uri, content in downloads:
            files.append(File.generated(config, uri, content=content))
        # 图用到的位图（照片一类）：由代码生成、按代码缓存（sitebuild/figures.py）
        for uri, content in state["figures"].images():
            files.append(File.generated(config, uri, content=content))
        # 搜索 worker（overrides/assets/javascripts/cfc-search-worker.js）读的同义词表和
        # “讲它的页面”表
        modules = chapter_modules(Path(config.config_file_path).parent)
        taught = taught_pages(
            state["terms"], modules, lambda src: files.get_file_from_path(src).url
        )
        files.append(
            File.generated(config, SEARCH_TERMS, content=terms_script(state["terms"], taught))
        )
        # 卷积计算器的脚本：每次构建由 explorer/src 现打包（esbuild 只要几十毫秒）
        files.append(File.generated(config, explorer.BUNDLE, content=explorer.bundle()))
    except BuildError as error:
        raise PluginError(str(error)) from error
    return files


def on_pre_build(config):
    try:
        state["katex"] = Katex()
    except BuildError as error:
        raise PluginError(str(error)) from error
    state["figures"] = drawings()


def on_page_markdown(markdown, page, config, files):
    return notebooks.add_download_button(markdown, page.file.src_uri)


def on_page_content(html, page, config, files):
    about = page_kind(page.file.src_uri)
    try:
        if about.is_notebook:
            html, anchors = notebooks.heading_ids(html, config.mdx_configs["toc"]["slugify"])
            retarget_toc(page.toc, anchors)
            executed = Path(page.file.abs_src_path)  # 缓存里执行过的 .ipynb（见 on_files）
            html = notebooks.dress_lab(html, nbformat.read(executed, as_version=4), executed.name)
            html = notebooks.lab_links(html, page.file.src_uri, page_url(files, page.file))
        elif about.src_uri.endswith(".md"):
            # page.markdown 里的 --8<-- 还没展开（展开是 Markdown 扩展在渲染时做的）
            check_code_blocks(html, expand(page.markdown, state["snippets"]))
        # 图里的位图地址从这一页出发（目录式网址与离线版的 .html 网址不同）
        figure = partial(state["figures"].render, url=page_url(files, page.file))
        html = finish(html, about, state["katex"].render, figure, state["terms"])
        if state["offline"]:
            html = offline.point_zip_online(html, config.site_url or "")
        # Material 的搜索插件随后在 on_page_context 里按 page.content 建索引：先交给它公式只剩
        # TeX、图只剩说明的版本，建完索引再换回读者看的 HTML（下面的 on_page_context）
        reader_html[page.file.src_uri] = html
        return search_view(html, notebook=about.is_notebook)
    except (ValueError, BuildError) as error:
        raise PluginError(f"{about.src_uri}: {error}") from error


@event_priority(-100)  # 在搜索插件（优先级 0）建完这一页的索引之后
def on_page_context(context, page, config, nav):
    page.content = reader_html.pop(page.file.src_uri)
    return context


def page_url(files, page_file):
    """src_uri -> 从 page_file 到那一页的相对地址（按 use_directory_urls 算）；没有时 None。"""

    def url_of(src_uri):
        target = files.get_file_from_path(src_uri)
        return None if target is None else target.url_relative_to(page_file)

    return url_of


def retarget_toc(toc, anchors):
    """目录（MkDocs 的 AnchorLink 树）按顺序指向页面上小标题的新锚点。"""

    def links(items):
        return [link for item in items for link in (item, *links(item.children))]

    found = links(toc)
    if len(found) != len(anchors):
        raise ValueError(f"目录有 {len(found)} 项，页面上却有 {len(anchors)} 个小标题")
    for link, anchor in zip(found, anchors, strict=False):
        link.id = anchor


def stop():
    katex = state.pop("katex", None)
    if katex is not None:
        katex.close()


def on_post_build(config):
    stop()
    # MkDocs 只查 Markdown 页面里的 Markdown 链接；这里查构建出的每一页，实验笔记本也在内。
    # 离线版的 zip 由 make offline 另外构建，部署时放进站点：普通构建只为它这一个文件破例
    published = () if state["offline"] else (offline.ZIP_URI,)
    dead = dead_links(config.site_dir, urlsplit(config.site_url or "/").path or "/", published)
    if dead:
        raise PluginError("站内链接找不到目标：\n" + "\n".join(dead))


def on_build_error(error):
    stop()

"""离线版和 404 页。

离线版：`make offline` 构建一次、打成 zip（夹具 offline_zip），解压到临时目录，在 Chromium 里
从 file:// 打开：沿导航走到每一页（到的是页面，不是目录列表）、搜索、公式、图、笔记本下载，
全程没有一个 http(s) 请求。

404 页：它不知道自己被放在哪个路径下。测试像 GitHub Pages 那样对找不到的地址返回站点的
404.html（状态 404），把站点放在发布时的路径、别的路径（镜像）和根上，看中文、样式、
回首页和搜索的链接是否都对。

构建逻辑（sitebuild.offline、links 的 published、命令行）的单元测试不构建站点，make test-fast 也跑。
"""

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from chromium import QuietHandler, contrast, load_images, luminance, serve, view_context, watch

from sitebuild import BuildError
from sitebuild.__main__ import main
from sitebuild.glossary import glossary_terms
from sitebuild.links import dead_links
from sitebuild.offline import (
    FOLDER,
    README,
    SHIM,
    SHIM_URI,
    ZIP_URI,
    point_zip_online,
    shim_asset,
    skipped,
    with_local_shim,
    zip_site,
)
from sitebuild.project import ROOT, chapters, mkdocs_config, nav_pages

# Material 的 indigo 主色，404 页的页眉用它
INDIGO = "rgb(64, 81, 181)"


def nav_entries():
    """mkdocs.yml 的导航：[(标题, 离线版里的文件)]，如 ("图像卷积", "conv-layer.html")。"""
    nav = mkdocs_config()["nav"]
    titles = [next(iter(entry)) for entry in nav]
    files = [PurePosixPath(p).with_suffix(".html").as_posix() for p in nav_pages(nav)]
    return list(zip(titles, files, strict=True))


# ---- sitebuild.offline：纯函数 ------------------------------------------------


def test_the_local_shim_is_added_once_and_keeps_other_polyfills():
    assert with_local_shim([]) == [SHIM_URI]
    assert with_local_shim(["a.js"]) == ["a.js", SHIM_URI]
    # 已经有 iframe-worker（不论哪一份）就不再加：Material 的插件也照这个规则判断
    assert with_local_shim(["vendor/iframe-worker.js"]) == ["vendor/iframe-worker.js"]


def test_the_shim_comes_from_the_pinned_npm_package(tmp_path):
    assert shim_asset() == (SHIM_URI, SHIM)
    assert "IFrameWorker" in SHIM.read_text(encoding="utf-8")
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", package["dependencies"]["iframe-worker"])
    with pytest.raises(BuildError, match="npm ci"):
        shim_asset(tmp_path / "index.js")


def test_only_the_zip_link_is_pointed_at_the_published_site():
    html = f'<a href="{ZIP_URI}" download>下载</a><a href="downloads/why-conv.ipynb">笔记本</a>'
    online = point_zip_online(html, "https://example.org/cfc/")
    assert f'href="https://example.org/cfc/{ZIP_URI}"' in online
    assert 'href="downloads/why-conv.ipynb"' in online
    assert point_zip_online(html, "https://example.org/cfc") == online


@pytest.mark.parametrize(
    ("path", "left_out"),
    [
        ("assets/javascripts/bundle.min.js.map", True),
        ("search/search_index.json", True),
        ("404.html", True),
        ("sitemap.xml.gz", True),
        ("search/search_index.js", False),
        ("conv-layer.html", False),
        ("downloads/why-conv.ipynb", False),
        ("notebooks/404.html.txt", False),
    ],
)
def test_files_the_offline_copy_cannot_use_are_left_out(path, left_out):
    assert skipped(path) is left_out


def make_site(root):
    (root / "search").mkdir(parents=True)
    (root / "index.html").write_text("<h1>首页</h1>", encoding="utf-8")
    (root / "search" / "search_index.js").write_text("var __index = {}", encoding="utf-8")
    (root / "search" / "search_index.json").write_text("{}", encoding="utf-8")
    (root / "bundle.js.map").write_text("{}", encoding="utf-8")
    return root


def test_the_zip_has_one_folder_holding_the_site_and_a_readme(tmp_path):
    site = make_site(tmp_path / "site")
    assert zip_site(site, tmp_path / "out" / "a.zip") == 3
    with zipfile.ZipFile(tmp_path / "out" / "a.zip") as archive:
        names = archive.namelist()
        assert archive.read(f"{FOLDER}/index.html").decode() == "<h1>首页</h1>"
        assert archive.read(f"{FOLDER}/README.txt").decode() == README
    assert names == [
        f"{FOLDER}/{n}" for n in ("README.txt", "index.html", "search/search_index.js")
    ]
    assert "index.html" in README and "离线" in README
    assert not (tmp_path / "out" / "a.zip.part").exists()


def test_the_same_site_always_gives_the_same_zip(tmp_path):
    site = make_site(tmp_path / "site")
    zip_site(site, tmp_path / "a.zip")
    (site / "index.html").touch()  # 时间戳变了，内容没变
    zip_site(site, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_zipping_something_that_is_not_a_built_site_is_an_error(tmp_path):
    with pytest.raises(BuildError, match="make offline"):
        zip_site(tmp_path, tmp_path / "a.zip")
    assert not (tmp_path / "a.zip").exists()


def test_the_command_line_zips_a_site_and_says_how_big(tmp_path, capsys):
    site = make_site(tmp_path / "site")
    main(["offline-zip", str(site), str(tmp_path / "a.zip")])
    assert "3 个文件" in capsys.readouterr().out
    assert zipfile.ZipFile(tmp_path / "a.zip").testzip() is None
    with pytest.raises(SystemExit, match="没有 index.html"):
        main(["offline-zip", str(tmp_path / "nowhere"), str(tmp_path / "b.zip")])


def test_the_dead_link_check_excuses_exactly_the_published_files(tmp_path):
    (tmp_path / "index.html").write_text(
        f'<a href="{ZIP_URI}">离线版</a><a href="downloads/other.zip">别的</a>', encoding="utf-8"
    )
    assert dead_links(tmp_path) == [f"index.html：{ZIP_URI}", "index.html：downloads/other.zip"]
    assert dead_links(tmp_path, published=(ZIP_URI,)) == ["index.html：downloads/other.zip"]


# ---- 构建、部署的配置 ----------------------------------------------------------


def test_make_offline_and_the_deploy_workflow_put_the_zip_where_the_home_page_links():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    default = re.search(r"^OFFLINE_ZIP \?= (\S+)$", makefile, re.M)[1]
    assert PurePosixPath(default).name == PurePosixPath(ZIP_URI).name
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert f'href="{ZIP_URI}"' in home

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    build = runs.index("make build")
    offline = runs.index(f"make offline OFFLINE_ZIP=site/{ZIP_URI}")
    upload = next(i for i, s in enumerate(steps) if "upload-pages-artifact" in s.get("uses", ""))
    # 先构建站点（它会清空 site/），再把 zip 放进去，最后才上传
    assert build < offline < upload
    # 离线版首页的“下载离线版”指向发布的站点：两次构建用同一个 site_url
    assert steps[offline]["env"]["SITE_URL"] == steps[build]["env"]["SITE_URL"]


@pytest.mark.build
def test_the_normal_build_links_the_zip_but_carries_no_offline_machinery(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{ZIP_URI}"' in home
    # 构建的死链检查只为这一个文件破例：不破例时，它正是唯一的死链
    base = urlsplit(re.search(r'<link rel="canonical" href="([^"]+)"', home)[1]).path
    assert dead_links(built_site, base) == [f"index.html：{ZIP_URI}"]
    assert not (built_site / SHIM_URI).exists() and "iframe-worker" not in home
    assert (built_site / "search" / "search_index.json").is_file()
    assert not (built_site / "search" / "search_index.js").exists()


# ---- 离线版：构建一次、解压，从 file:// 打开 ------------------------------------


@pytest.fixture(scope="session")
def offline_zip(tmp_path_factory):
    """`make offline` 构建离线版并打包（构建目录和 zip 都放在临时目录里）。"""
    out = tmp_path_factory.mktemp("offline")
    archive = out / PurePosixPath(ZIP_URI).name
    result = subprocess.run(
        ["make", "--no-print-directory", "offline", f"OFFLINE_SITE={out / 'site'}"]
        + [f"OFFLINE_ZIP={archive}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return archive


@pytest.fixture(scope="session")
def offline_copy(offline_zip, tmp_path_factory):
    """读者解压之后的文件夹。"""
    out = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(out)
    return out / FOLDER


@pytest.mark.build
def test_the_zip_unpacks_to_one_folder_with_every_page(offline_zip, offline_copy):
    with zipfile.ZipFile(offline_zip) as archive:
        names = archive.namelist()
    assert {name.split("/")[0] for name in names} == {FOLDER}
    for _, file in nav_entries():
        assert (offline_copy / file).is_file(), file
    for path in ("README.txt", "search/search_index.js", SHIM_URI, "assets/katex/katex.min.css"):
        assert (offline_copy / path).is_file(), path
    assert list((offline_copy / "assets" / "katex" / "fonts").glob("*.woff2"))
    assert not [n for n in names if skipped(n.removeprefix(f"{FOLDER}/"))]
    assert not any(offline_copy.rglob("*/index.html")), "离线版不该用目录式网址"


@pytest.mark.build
def test_the_offline_pages_load_nothing_from_another_host(offline_copy):
    loading = re.compile(r"<(?:script|link|img|source|iframe)\b[^>]*>", re.I)
    for page in offline_copy.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in loading.findall(text):
            assert 'rel="canonical"' in tag or not re.search(r'(?:src|href)="(?:https?:)?//', tag)
        assert "unpkg.com" not in text, page
    home = (offline_copy / "index.html").read_text(encoding="utf-8")
    # zip 里不再装一个 zip：首页的下载链接指向发布的站点
    assert re.search(rf'href="https?://[^"]+/{re.escape(ZIP_URI)}"', home)


@pytest.mark.build
def test_the_offline_pages_find_their_pictures_next_to_them(offline_copy):
    """离线版不用目录式网址：conv-net.html 里的位图地址从站点的根算起，不带 ../。"""
    pictures = []
    for page in offline_copy.rglob("*.html"):
        for src in re.findall(r'<img\b[^>]*\bsrc="([^"]+)"', page.read_text(encoding="utf-8")):
            if src.startswith("data:"):
                continue  # 实验笔记本里 matplotlib 的图内联在页面里
            assert (page.parent / src).resolve().is_file(), (page, src)
            pictures.append((page.relative_to(offline_copy).as_posix(), src))
    assert ("conv-net.html", "assets/figures/kernels-input.webp") in pictures


@pytest.fixture
def disk(browser, offline_copy):
    """桌面窗口（左侧导航可见）里的一个新页面，打开的是解压出的离线版首页。"""
    context = view_context(browser, "desktop", "light")
    tab = watch(context.new_page(), offline_copy.as_uri())
    tab.goto((offline_copy / "index.html").as_uri())
    yield tab
    context.close()


def local_file(tab, copy):
    """tab 当前打开的文件（相对离线版文件夹）。"""
    url = urlsplit(tab.url)
    assert url.scheme == "file", tab.url
    return Path(unquote(url.path)).relative_to(copy).as_posix()


def test_every_page_is_reached_through_the_navigation_from_disk(disk, offline_copy):
    for title, file in nav_entries()[1:] + nav_entries()[:1]:
        # 从上一页点左侧导航里的这一项：每一页的相对链接都要走得通
        nav = disk.locator(".md-sidebar--primary")
        nav.get_by_role("link", name=title, exact=True).first.click()
        disk.wait_for_url((offline_copy / file).as_uri())
        assert disk.locator("article h1").count() == 1, file  # 是页面，不是目录列表
        assert not disk.title().startswith("Index of"), file
    assert disk.problems == []


def test_search_finds_each_glossary_term_from_disk(disk, offline_copy):
    search = disk.locator("input.md-search__input")
    missing = []
    for term in glossary_terms():
        wanted = term.taught.split("#")[0].removesuffix(".md") if term.taught else "glossary"
        search.click()
        search.fill(term.zh)
        search.press("End")  # Material 在 keyup 时才查询；fill 只触发 input 事件
        links = disk.locator(".md-search-result__item a")
        links.first.wait_for(timeout=10000)
        hrefs = links.evaluate_all("(els) => els.map((e) => e.href)")
        if not any(f"/{wanted}.html" in h for h in hrefs):
            missing.append((term.zh, wanted, hrefs))
        search.fill("")
        search.press("End")  # 清空查询，上一个词的结果才不会被当成下一个词的
        links.first.wait_for(state="detached")
    assert missing == []
    # 点开一个结果：离线版里结果也是能打开的本地文件
    search.click()
    search.fill("感受野")
    search.press("End")
    disk.locator(".md-search-result__item a").first.click()
    disk.wait_for_url(re.compile(r"^file:.*\.html\?h="))
    assert local_file(disk, offline_copy) in [file for _, file in nav_entries()]
    assert disk.locator("article h1").count() == 1
    assert disk.problems == []


FIGURE_PAGES = {
    f"{path.stem}.html"
    for path in (ROOT / "docs").glob("*.md")
    if "[[figure " in path.read_text(encoding="utf-8")
}


def test_math_figures_and_notebooks_work_from_disk(disk, offline_copy):
    assert FIGURE_PAGES, "至少有一章有图"
    offering = set()  # 有笔记本下载链接的页面
    for _, file in nav_entries():
        disk.goto((offline_copy / file).as_uri())
        disk.evaluate("document.fonts.ready.then(() => null)")
        if disk.locator(".katex").count():
            assert disk.locator(".katex-error").count() == 0, file
            loaded = disk.evaluate(
                "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
            )
            assert "KaTeX_Main" in loaded, file  # 字体从 assets/katex/fonts 读到了
        if file in FIGURE_PAGES:
            load_images(disk)
            # 每张图有宽、窄两种排法，按栏宽显示其中一种：看每张图显示出来的那一个；
            # 照片网格看它的每张位图（从磁盘读到了，才有像素宽度）；时间表是 HTML 表格，看表格的宽
            # 卷积计算器装好后，它位置上的静态图有意藏起来，不算
            sizes = disk.locator(".cfc-figure").evaluate_all(
                "(els) => els.filter((e) => !e.closest('.cfc-explorer[data-mounted]'))"
                ".map((e) => Math.max(...[...e.querySelectorAll('svg, img, table')]"
                ".map((s) => s.naturalWidth === 0 ? 0 : s.getBoundingClientRect().width)))"
            )
            # 只有计算器的静态图的页面（计算器自己那一页）：计算器的格子代替它显示出来
            live = disk.locator(".cfc-explorer[data-mounted] .cfc-x-grid").count()
            assert (sizes and min(sizes) > 0) or (not sizes and live), file
        for href in disk.locator("a[href$='.ipynb']").evaluate_all(
            "(els) => els.map((e) => e.href)"
        ):
            notebook = Path(unquote(urlsplit(href).path))
            assert notebook.is_relative_to(offline_copy), href
            assert json.loads(notebook.read_text(encoding="utf-8"))["cells"], href
            offering.add(file)
    assert {f"{chapter.page.stem}.html" for chapter in chapters()} <= offering
    # 从磁盘打开时 Chromium 不理会 download 属性（file:// 的页面彼此不同源）：点按钮打开的是
    # 解压出的文件夹里的笔记本本身，浏览器把 JSON 显示出来
    # 等网络空闲再点：页面 load 之后浏览器才去取 favicon，紧接着跳走会把这个请求中断，记成一次失败
    disk.goto((offline_copy / "conv-layer.html").as_uri(), wait_until="networkidle")
    disk.locator("a.md-button[href$='.ipynb']").click()
    disk.wait_for_url((offline_copy / "downloads" / "conv-layer.ipynb").as_uri())
    assert json.loads(disk.locator("pre").inner_text())["nbformat"] == 4
    assert disk.problems == []


def test_the_lab_opens_from_disk(disk, offline_copy):
    nav = disk.locator(".md-sidebar--primary")
    nav.get_by_role("link", name=re.compile("^实验")).first.click()
    disk.wait_for_url((offline_copy / "notebooks" / "cnn-vs-mlp.html").as_uri())
    assert "测试准确率" in disk.locator("article").inner_text()
    images = disk.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    assert len(images) >= 3 and all(images)
    assert disk.locator(".katex").count() > 0
    executed = json.loads((offline_copy / "notebooks" / "cnn-vs-mlp.ipynb").read_text())
    assert any(cell.get("outputs") for cell in executed["cells"])
    assert disk.problems == []


# ---- 404 页：放在任何路径下都是中文、有样式、链接找得到首页 -------------------------


class PagesHandler(QuietHandler):
    """像 GitHub Pages：找不到的地址（包括没有 index.html 的目录）返回站点的 404.html，状态 404。

    站点的 404.html 是从请求的地址往上找到的第一个。
    """

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        top, directory = Path(self.directory), Path(self.translate_path(self.path))
        while not (directory / "404.html").is_file():
            if directory == top:
                return super().send_error(code, message, explain)
            directory = directory.parent
        body = (directory / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def list_directory(self, path):
        self.send_error(404)


def serve_pages(directory):
    """像 GitHub Pages 那样提供 directory：找不到的网址回 404.html。"""
    return serve(directory, PagesHandler)


def published_path(built_site):
    """站点发布时的路径（site_url 的路径部分），如 /conv-from-fc/。"""
    home = (built_site / "index.html").read_text(encoding="utf-8")
    return urlsplit(re.search(r'<link rel="canonical" href="([^"]+)"', home)[1]).path


@pytest.fixture(scope="session")
def hosts(built_site, tmp_path_factory):
    """同一份站点放在三处：服务器的根、发布时的路径、另一个路径（镜像）。"""
    tree = tmp_path_factory.mktemp("mirror")
    prefix = published_path(built_site).strip("/")
    for name in {prefix, "elsewhere"} - {""}:
        shutil.copytree(built_site, tree / name)
    with serve_pages(built_site) as root, serve_pages(tree) as mirror:
        yield {
            "root": root,
            "published": mirror + (f"{prefix}/" if prefix else ""),
            "elsewhere": mirror + "elsewhere/",
        }


# (站点放在哪, 找不到的地址, 推断根的办法)
MISSING = [
    ("root", "no-such-page/", "去掉最后一段"),
    ("root", "conv-layer/no/such.html", "地址里有站内目录"),
    ("elsewhere", "no-such-page/", "去掉最后一段"),
    ("elsewhere", "padding-and-strides/typo", "地址里有站内目录"),
    ("published", "deep/er/no-such-page", "发布时的路径"),
]


def open_missing(tab, url):
    response = tab.goto(url)
    assert response.status == 404
    # 这一页本身的 404 是应有的（Chromium 也在控制台里记一笔）；除此之外不许有任何问题
    tab.problems.remove(f"404：{url}")
    tab.problems.remove(
        "控制台：Failed to load resource: the server responded with a status of 404 (Not Found)"
    )


@pytest.mark.parametrize(
    ("where", "missing", "how"), MISSING, ids=[f"{w}-{m}" for w, m, _ in MISSING]
)
def test_the_404_page_is_chinese_styled_and_finds_home_anywhere(
    browser, hosts, where, missing, how
):
    home = hosts[where]
    context = view_context(browser, "phone", "light")
    tab = watch(context.new_page(), home)
    open_missing(tab, home + missing)
    assert tab.locator("h1").inner_text() == "找不到这一页"
    assert unquote(urlsplit(home + missing).path) in tab.locator("#missing code").inner_text()
    style = tab.evaluate("""() => ({
        header: getComputedStyle(document.querySelector('header')).backgroundColor,
        font: getComputedStyle(document.body).fontFamily,
        margin: getComputedStyle(document.body).margin,
    })""")
    assert style["header"] == INDIGO and "PingFang SC" in style["font"] and style["margin"] == "0px"
    assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")

    link = tab.get_by_role("link", name="回到首页")
    assert link.evaluate("a => a.href") == home, how
    link.click()
    tab.wait_for_url(home)
    assert tab.locator(".md-header").count() == 1 and tab.locator("article h1").count() == 1
    assert tab.problems == []
    context.close()


def test_the_404_page_searches_the_site_it_belongs_to(browser, hosts):
    home = hosts["elsewhere"]
    context = view_context(browser, "desktop", "light")
    tab = watch(context.new_page(), home)
    open_missing(tab, home + "pading/")
    tab.get_by_role("link", name="打开站内搜索").click()
    tab.wait_for_url(home + "?q=")
    tab.wait_for_function("document.getElementById('__search').checked")  # 搜索框已打开
    tab.wait_for_load_state("networkidle")  # 等搜索的 worker 取完索引再离开，免得请求被掐断

    open_missing(tab, home + "pading/")
    tab.get_by_label("搜索本站").fill("步幅")
    tab.get_by_role("button", name="搜索").click()
    tab.wait_for_url(re.compile(re.escape(home) + r"\?q="))
    assert tab.locator("input.md-search__input").input_value() == "步幅"
    results = tab.locator(".md-search-result__item a")
    results.first.wait_for()
    hrefs = results.evaluate_all("(els) => els.map((e) => e.href)")
    assert any(h.startswith(home + "padding-and-strides/") for h in hrefs), hrefs
    assert tab.problems == []
    context.close()


COLOURS = """() => {
  const css = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
  return {
    background: css('body', 'backgroundColor'),
    text: css('h1', 'color'),
    link: css('main a', 'color'),
    header: css('header', 'backgroundColor'),
    title: css('header a', 'color'),
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_404_page_follows_the_colour_scheme_and_stays_readable(browser, hosts, scheme):
    context = view_context(browser, "phone", scheme)
    tab = watch(context.new_page(), hosts["root"])
    open_missing(tab, hosts["root"] + "nope")
    colours = tab.evaluate(COLOURS)
    dark = luminance(colours["background"]) < 0.1
    assert dark is (scheme == "dark")
    assert contrast(colours["text"], colours["background"]) >= 4.5
    assert contrast(colours["link"], colours["background"]) >= 4.5
    assert contrast(colours["title"], colours["header"]) >= 4.5
    assert tab.problems == []
    context.close()


def test_the_404_page_keeps_the_scheme_the_reader_chose_on_the_site(browser, hosts):
    home = hosts["elsewhere"]
    context = view_context(browser, "desktop", "light")
    tab = watch(context.new_page(), home)
    tab.goto(home)
    tab.locator("form[data-md-component=palette] label:visible").first.click()
    assert tab.evaluate("document.body.dataset.mdColorScheme") == "slate"
    open_missing(tab, home + "nope/")
    assert luminance(tab.evaluate(COLOURS)["background"]) < 0.1
    assert tab.problems == []
    context.close()


def test_without_javascript_the_404_page_is_styled_and_links_the_published_site(
    browser, hosts, built_site
):
    context = browser.new_context(java_script_enabled=False)
    tab = watch(context.new_page(), hosts["elsewhere"])
    open_missing(tab, hosts["elsewhere"] + "nope/")
    assert tab.locator("h1").inner_text() == "找不到这一页"
    assert tab.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == (
        INDIGO
    )
    home = tab.get_by_role("link", name="回到首页").get_attribute("href")
    canonical = re.search(
        r'<link rel="canonical" href="([^"]+)"',
        (built_site / "index.html").read_text(encoding="utf-8"),
    )[1]
    assert home == canonical
    assert tab.locator("#missing").is_hidden()  # 没有脚本就不显示空着的地址
    assert tab.problems == []
    context.close()


def test_the_404_page_knows_every_top_level_directory_it_names(built_site):
    page = (built_site / "404.html").read_text(encoding="utf-8")
    known = json.loads(re.search(r"var known = (\[.*?\]);", page)[1])
    assert {"conv-layer", "notebooks", "assets"} <= set(known)
    assert all((built_site / name).is_dir() for name in known), known


def test_the_convolution_calculator_works_from_disk(disk, offline_copy):
    """离线版没有 navigation.instant：计算器的加载器不能只等 Material 的 document$。"""
    for page in ("explorer.html", "pooling.html"):
        disk.goto((offline_copy / page).as_uri())
        disk.wait_for_selector(".cfc-x [data-kind='output']")
        assert disk.locator(".cfc-explorer .cfc-figure").is_hidden()
    assert disk.problems == []


def test_scrolling_blocks_take_keyboard_focus_from_disk(browser, offline_copy):
    """scroll-focus.js 和计算器的加载器一样，不能只等 document$（离线版里它不再发出）。"""
    context = view_context(browser, "phone", "light")
    tab = watch(context.new_page(), offline_copy.as_uri())
    tab.goto((offline_copy / "fast-conv.html").as_uri())
    tab.wait_for_selector("[data-cfc-scroll]", state="attached")
    assert tab.locator("[data-cfc-scroll]").count() > 0
    assert tab.problems == []
    context.close()

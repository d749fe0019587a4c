"""术语表：docs/glossary.md 的表格是术语的唯一来源。

- jieba_dictionary：每个术语和它的别名（“也叫”一栏）作为一个词交给 jieba（Material 的搜索用它
  切分中文），“感受野”“全连接层”“膨胀卷积”才不会被拆开；
- 别名还是搜索的同义词：搜“池化”就是搜“汇聚层”（sitebuild/search.py）；
- add_tooltips：章节正文里每个术语第一次出现时包上 <abbr title="英文：释义；也叫……">，
  配合 Material 的 content.tooltips 显示为悬停提示。
"""

import re
from dataclasses import dataclass
from html import escape

from .project import ROOT

GLOSSARY = ROOT / "docs" / "glossary.md"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
NOTE = re.compile(r"（[^）]*）")  # 别名后面全角括号里的说明
# 不往这些元素里加提示：代码、链接、标题、公式、图
SKIP_TAGS = {
    "pre",
    "code",
    "a",
    "abbr",
    "svg",
    "script",
    "style",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
# 公式；mkdocs-jupyter 给复制按钮藏的一份代码原文（clipboard-copy-txt）也是代码
SKIP_CLASS = re.compile(r'class="[^"]*\b(katex|arithmatex|clipboard-copy-txt)\b')
# 一个标签，或一整段 HTML 注释（注释里的字读者看不见，不加提示）
TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>", re.S)
FREQUENCY = 100_000  # 足够大，保证 jieba 把术语切成一个词


HEADER = "| 术语 | 释义 | 英文 | 也叫 | 在哪里讲 |"


@dataclass(frozen=True)
class Term:
    zh: str
    en: str
    definition: str
    taught: str | None  # 讲它的页面（Markdown 链接目标），还没写的章节为 None
    aliases: tuple[str, ...] = ()  # 别的常见叫法，如汇聚层也叫池化层
    also: str = ""  # “也叫”一栏的原文，可以带括号里的说明，如“补零（补的是 0 时）”


def read_glossary(text):
    """解析术语表（术语、释义、英文、也叫、出处五列的 Markdown 表格）。

    “也叫”一栏可以空着，几个别名用顿号隔开，别名后面可以跟全角括号里的说明（不算别名的一部分）。
    格式不对、术语或别名重复时抛出 ValueError。
    """
    rows = [line for line in text.splitlines() if line.startswith("|")]
    if len(rows) < 3 or rows[0].replace(" ", "") != HEADER.replace(" ", ""):
        raise ValueError(f"术语表应是一张表头为 {HEADER} 的表格")
    terms = []
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) != 5 or not all(cells[:3]):
            raise ValueError(f"术语表的这一行应有五个格子，术语、释义、英文不能空着：{row}")
        zh, definition, en, also, taught = cells
        link = LINK.search(taught)
        aliases = tuple(a.strip() for a in NOTE.sub("", also).split("、") if a.strip())
        terms.append(Term(zh, en, definition, link.group(2) if link else None, aliases, also))
    names = [name for t in terms for name in (t.zh, *t.aliases)]
    if len(set(names)) != len(names):
        raise ValueError(
            f"术语表里有重复的术语或别名：{sorted({n for n in names if names.count(n) > 1})}"
        )
    return terms


def jieba_dictionary(terms):
    """jieba 用户词典的文本：每行“词 词频”，术语和别名都在内。"""
    return "".join(f"{name} {FREQUENCY}\n" for t in terms for name in (t.zh, *t.aliases))


def tooltip(term):
    """悬停提示的文字：英文名、释义，有别名时再说一句也叫什么。"""
    also = f"；也叫{term.also}" if term.also else ""
    return f"{term.en}：{term.definition}{also}"


def add_tooltips(html, terms):
    """给每个术语在正文中的第一次出现包上 <abbr>；跳过代码、链接、标题和公式。"""
    by_name = {t.zh: t for t in terms}
    if not by_name:
        return html
    # 长的在前：先匹配“卷积核”“卷积层”，再匹配“卷积”
    pattern = re.compile("|".join(map(re.escape, sorted(by_name, key=len, reverse=True))))
    seen, out, skipping, depth, position = set(), [], None, 0, 0

    def wrap(match):
        term = by_name[match.group(0)]
        if term.zh in seen:
            return term.zh
        seen.add(term.zh)
        return f'<abbr title="{escape(tooltip(term))}">{term.zh}</abbr>'

    for tag in TAG.finditer(html):
        text = html[position : tag.start()]
        out.append(text if skipping else pattern.sub(wrap, text))
        out.append(tag.group(0))
        position = tag.end()
        if tag.group(2) is None or tag.group(3):
            continue  # 注释、自闭合标签
        closing, name = tag.group(1), tag.group(2).lower()
        if skipping is None:
            if not closing and (name in SKIP_TAGS or SKIP_CLASS.search(tag.group(0))):
                skipping, depth = name, 1
        elif name == skipping:
            depth += -1 if closing else 1
            if depth == 0:
                skipping = None
    out.append(pattern.sub(wrap, html[position:]) if skipping is None else html[position:])
    return "".join(out)


def glossary_terms(path=GLOSSARY):
    return read_glossary(path.read_text(encoding="utf-8"))


ABBR = re.compile(r'<abbr title="([^"]*)">([^<]*)</abbr>')
# 本站的约定：单说“卷积”是深度学习里的意思（互相关）；数学中的卷积（要翻转卷积核）另有名字
MATHS_SENSE = ("严格卷积", "数学中的卷积")
# 定义里本来就要翻转卷积核的别的运算：转置卷积（对输入求梯度）翻转卷积核是它自己的意思，不是挂错了
FLIPS_BY_DEFINITION = ("转置卷积",)


def misplaced_tooltips(html):
    """悬停提示说的意思与它所在的词不符的地方：单说的“卷积”要讲互相关、不讲翻转；
    讲翻转卷积核的提示只能挂在“严格卷积”这类数学意义的词上。"""
    problems = []
    for title, word in ABBR.findall(html):
        flips = "翻转" in title
        if word == "卷积" and (flips or "互相关" not in title):
            problems.append(f"“卷积”在本站指互相关，提示却说：{title}")
        elif flips and word not in MATHS_SENSE + FLIPS_BY_DEFINITION:
            problems.append(f"“{word}”挂上了数学中的卷积的提示：{title}")
    return problems

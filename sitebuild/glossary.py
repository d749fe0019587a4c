"""术语表：docs/glossary.md 的表格是术语的唯一来源。

- jieba_dictionary：每个术语作为一个词交给 jieba（Material 的搜索用它切分中文），
  “感受野”“全连接层”才不会被拆开；
- add_tooltips：章节正文里每个术语第一次出现时包上 <abbr title="英文：释义">，
  配合 Material 的 content.tooltips 显示为悬停提示。
"""

import re
from dataclasses import dataclass
from html import escape

from .project import ROOT

GLOSSARY = ROOT / "docs" / "glossary.md"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
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
SKIP_CLASS = re.compile(r'class="[^"]*\b(katex|arithmatex)\b')
# 一个标签，或一整段 HTML 注释（注释里的字读者看不见，不加提示）
TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>", re.S)
FREQUENCY = 100_000  # 足够大，保证 jieba 把术语切成一个词


@dataclass(frozen=True)
class Term:
    zh: str
    en: str
    definition: str
    taught: str | None  # 讲它的页面（Markdown 链接目标），还没写的章节为 None


def read_glossary(text):
    """解析术语表（术语、释义、英文、出处四列的 Markdown 表格）。格式不对时抛出 ValueError。"""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    if len(rows) < 3 or rows[0].replace(" ", "") != "|术语|释义|英文|在哪里讲|":
        raise ValueError("术语表应是一张表头为 | 术语 | 释义 | 英文 | 在哪里讲 | 的表格")
    terms = []
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) != 4 or not all(cells[:3]):
            raise ValueError(f"术语表的这一行不是四个非空的格子：{row}")
        link = LINK.search(cells[3])
        zh, definition, en = cells[:3]
        terms.append(Term(zh, en, definition, link.group(2) if link else None))
    names = [t.zh for t in terms]
    if len(set(names)) != len(names):
        raise ValueError(
            f"术语表里有重复的术语：{sorted({n for n in names if names.count(n) > 1})}"
        )
    return terms


def jieba_dictionary(terms):
    """jieba 用户词典的文本：每行“词 词频”。"""
    return "".join(f"{t.zh} {FREQUENCY}\n" for t in terms)


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
        return f'<abbr title="{escape(term.en)}：{escape(term.definition)}">{term.zh}</abbr>'

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

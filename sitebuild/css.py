"""删掉一页用不上的 CSS。

mkdocs-jupyter 把 JupyterLab 的整份样式（约 570 KB：Blueprint 图标、对话框、文件浏览器……）
内联进实验页，而页面只用到其中几十条规则。这里按页面上实际出现的类名、id 和标签名筛掉
不可能匹配的规则，再去掉没有谁引用的自定义属性（--jp-*、--md-red-50 这类变量，占了剩下的
大半）和没人用的 @keyframes。只删“肯定用不上”的：看不准的（属性选择器、:not(…) 里的条件、
运行时由 Material 的脚本加上的 md- 类）一律当作可能匹配，保留。
"""

import re
from dataclasses import dataclass, field

import tinycss2

# Material 的脚本在浏览器里给正文加的类（md-typeset__scrollwrap、md-clipboard……）构建时看不到
RUNTIME_PREFIXES = ("md-",)
ALWAYS_THERE = {"html", "body"}  # 页面片段之外、却一定存在的元素
CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
ID = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
TAG = re.compile(r"<([a-zA-Z][\w-]*)")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
KEYFRAMES = {"keyframes", "-webkit-keyframes", "-moz-keyframes", "-o-keyframes"}
ANIMATION = re.compile(r"^(?:-[a-z]+-)?animation(?:-name)?$")
NESTING = {"media", "supports", "layer", "container", "document", "-moz-document"}


@dataclass
class Names:
    """页面上出现的类名、id 和标签名（标签名小写）。"""

    classes: set = field(default_factory=set)
    ids: set = field(default_factory=set)
    tags: set = field(default_factory=set)


def page_names(html):
    """HTML 里出现的全部类名、id 和标签名。"""
    names = Names()
    for match in CLASS.finditer(html):
        names.classes.update((match[1] if match[1] is not None else match[2]).split())
    names.ids.update(m[1] if m[1] is not None else m[2] for m in ID.finditer(html))
    names.tags.update(tag.lower() for tag in TAG.findall(html))
    return names


def selector_needs(tokens):
    """一个选择器（tinycss2 的记号）要求页面上有的 (类名, id, 标签名)。

    [属性]、:not(…)、:is(…) 这类带括号的部分不算要求：看不准就当它可能成立。
    """
    classes, ids, tags = set(), set(), set()
    previous = None
    for token in tokens:
        if token.type == "hash":
            ids.add(token.value)
        elif token.type == "ident":
            if previous == ".":
                classes.add(token.value)
            elif previous != ":":  # :hover、::before 是伪类和伪元素，不是标签
                tags.add(token.lower_value)
        previous = token.value if token.type == "literal" else token.type
    return classes, ids, tags


def split_selectors(prelude):
    """规则的选择器列表（记号）在顶层的逗号处切开。"""
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    return [*selectors, current]


def may_match(tokens, names):
    """这个选择器在页面上有没有可能匹配到元素。"""
    classes, ids, tags = selector_needs(tokens)
    return (
        all(c in names.classes or c.startswith(RUNTIME_PREFIXES) for c in classes)
        and ids <= names.ids
        and tags <= names.tags | ALWAYS_THERE
    )


def serialize_selectors(selectors):
    return ",".join(tinycss2.serialize(s).strip() for s in selectors)


def declarations(rule):
    """规则里的声明（tinycss2 的 Declaration），注释、空白和写坏的声明去掉。"""
    parsed = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
    return [d for d in parsed if d.type == "declaration"]


def declaration_text(declaration):
    value = tinycss2.serialize(declaration.value).strip()
    return f"{declaration.name}:{value}{'!important' if declaration.important else ''}"


def filter_rules(rules, names):
    """第一遍：只留下可能匹配的规则（及其选择器），@media 之类递归处理。

    返回 [(选择器文本, [声明]) 或 (at 规则的开头, [子项]) 或 ("", 原样的文字)]。
    """
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in split_selectors(rule.prelude) if may_match(s, names)]
            if selectors:
                kept.append(("rule", serialize_selectors(selectors), declarations(rule)))
        elif rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            head = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}"
            if keyword in NESTING and rule.content is not None:
                inner = tinycss2.parse_rule_list(
                    rule.content, skip_whitespace=True, skip_comments=True
                )
                kept.append(("group", head, filter_rules(inner, names)))
            elif keyword in KEYFRAMES:
                name = tinycss2.serialize(rule.prelude).strip()
                kept.append(("keyframes", name, tinycss2.serialize([rule])))
            elif keyword != "charset":  # @charset 在 <style> 里没有意义
                kept.append(("raw", head, tinycss2.serialize([rule])))
        # 写坏的规则（tinycss2 的 ParseError）浏览器也会丢掉
    return kept


def walk_declarations(kept):
    for item in kept:
        if item[0] == "rule":
            yield from item[2]
        elif item[0] == "group":
            yield from walk_declarations(item[2])


def used_variables(kept, extra=""):
    """被用到的自定义属性：普通属性（和 extra 里的文字）引用的，以及它们又引用的。"""
    defined = {}
    used = set(VAR.findall(extra))
    for declaration in walk_declarations(kept):
        refs = VAR.findall(tinycss2.serialize(declaration.value))
        if declaration.name.startswith("--"):
            defined.setdefault(declaration.name, set()).update(refs)
        else:
            used.update(refs)
    pending = list(used)
    while pending:
        for ref in defined.get(pending.pop(), ()):
            if ref not in used:
                used.add(ref)
                pending.append(ref)
    return used


def animation_names(kept):
    names = set()
    for declaration in walk_declarations(kept):
        if ANIMATION.match(declaration.lower_name):
            names.update(t.value for t in declaration.value if t.type == "ident")
    return names


def render(kept, variables, animations):
    """第二遍：去掉没人用的变量和 @keyframes，写回紧凑的 CSS 文字。"""
    out = []
    for kind, head, body in kept:
        if kind == "rule":
            text = ";".join(
                declaration_text(d)
                for d in body
                if not d.name.startswith("--") or d.name in variables
            )
            if text:
                out.append(f"{head}{{{text}}}")
        elif kind == "group":
            inner = render(body, variables, animations)
            if inner:
                out.append(f"{head}{{{inner}}}")
        elif kind == "keyframes":
            if head in animations:
                out.append(body)
        else:
            out.append(body)
    return "".join(out)


def prune(stylesheets, names, extra=""):
    """几份样式表（按顺序）-> 合成一份，只留页面上可能用到的部分。

    names 是 page_names(页面)；extra 是页面上别处（style 属性、另加的样式）的文字，
    它引用的变量也要留下。
    """
    kept = []
    for css in stylesheets:
        kept += filter_rules(tinycss2.parse_stylesheet(css, True, True), names)
    return render(kept, used_variables(kept, extra), animation_names(kept))


def prune_page_styles(html, extra_css="", also_used=""):
    """页面里所有 <style> 合成一个、删掉用不上的规则，放在第一个 <style> 的位置；
    extra_css（这一页另加的样式）接在后面，比原有的规则后出现，同等优先级时它说了算。
    also_used 是页面外、却会作用于这一页的文字（全站的样式表）：它引用的变量也留下。"""
    blocks = STYLE.findall(html)
    if not blocks and not extra_css:
        return html
    rest = STYLE.sub("\x00", html)
    kept = prune(blocks, page_names(rest), extra=rest + extra_css + also_used)
    style = f"<style>{kept}{extra_css}</style>"
    if "\x00" not in rest:
        return style + rest
    first, _, tail = rest.partition("\x00")
    return first + style + tail.replace("\x00", "")

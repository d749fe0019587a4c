"""中文断行：去掉两个汉字（或中文标点）之间的换行；行内公式与挨着它的标点不拆开（bind_inline_math）。

Markdown 源文件里为了好改而断开的中文句子，浏览器会把换行显示成一个空格：
“卷积核，⏎在图像上”就成了“卷积核， 在图像上”。换行两边可能夹着行内标签
（行首是链接、粗体、代码时：“区别见⏎<a>互相关与卷积</a>”），看的是标签外的字。
汉字与西文、公式之间的换行保留成空格（“见 corr2d”），中文标点两侧则不留。
<pre> 里的换行保持原样。
"""

import re
from html import unescape
from html.parser import HTMLParser

HAN = re.compile(r"[\u3400-\u9fff]")  # 汉字
WIDE = re.compile(r"[\u3000-\u303f\uff00-\uffef]")  # 中文标点和全角符号
GENERAL = set("—…‘’“”·")  # 中文里常用、英文里也用的标点：只有挨着汉字时才算中文
# 不打断一行文字的行内标签：它们两侧的字在浏览器里是连着排的
# （含 KaTeX 行内公式开头的 MathML 标签：公式的第一个字在它们里面）
INLINE = (
    r"</?(?:a|abbr|b|code|del|em|i|ins|kbd|mark|s|span|strong|sub|sup|u"
    r"|math|semantics|mrow|mi|mn|mo|mtext|msub|msup|msubsup|mfrac|mover|munder|mstyle)\b[^>]*>"
)
BREAK = re.compile(rf"(?<=([^\s>]))((?:{INLINE})*)[ \t]*\n[ \t]*((?:{INLINE})*)(?=([^\s<]))")
PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def chinese_between(left, right):
    """left、right 两个字之间是否不该有空白：一侧是中文标点，或者两侧都是汉字（含中文标点）。"""
    if WIDE.match(left) or WIDE.match(right):
        return True
    return bool(HAN.match(left) or HAN.match(right)) and all(
        HAN.match(c) or c in GENERAL for c in (left, right)
    )


def join_cjk_lines(html):
    def join(match):
        left, before, after, right = match.groups()
        return before + after if chinese_between(left, right) else match.group(0)

    parts = PRE.split(html)
    return "".join(p if p.startswith("<pre") else BREAK.sub(join, p) for p in parts)


class _Text(HTMLParser):
    """按块收集读者看到的文字：块级元素的边界断开，代码、公式、图、脚本不看。"""

    BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
              "figcaption", "summary", "blockquote", "div", "br", "section", "article",
              "nav", "header", "footer", "table", "tr", "ul", "ol", "label"}  # fmt: skip
    HIDDEN = {"pre", "script", "style", "svg", "code", "title", "textarea"}
    # 公式；mkdocs-jupyter 给复制按钮藏的源码（display: none）
    HIDDEN_CLASSES = {"katex", "arithmatex", "clipboard-copy-txt"}
    VOID = {"br", "img", "input", "hr", "meta", "link", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs, self.current = [], []
        self.hidden, self.depth = None, 0  # 正在跳过的元素的标签名，以及同名标签嵌套的层数

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return self.handle_startendtag(tag, attrs)
        if self.hidden is not None:
            self.depth += tag == self.hidden
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in self.HIDDEN or classes & self.HIDDEN_CLASSES:
            self.hidden, self.depth = tag, 1
            self.current.append("x")  # 公式、代码算作西文
        elif tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if self.hidden is not None:
            self.depth -= tag == self.hidden
            if self.depth == 0:
                self.hidden = None
        elif tag in self.BLOCKS:
            self.flush()

    def handle_startendtag(self, tag, attrs):
        if self.hidden is None and tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.hidden is None:
            self.current.append(data)

    def flush(self):
        if self.hidden is None:
            self.runs.append(re.sub(r"\s+", " ", "".join(self.current)))
            self.current = []


GAP = re.compile(r"(?<=(\S)) (?=(\S))")


def cjk_gaps(html):
    """读者看到的文字里，不该有空白却有的地方（见 chinese_between）：[前后各几个字]。"""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser.flush()
    return [
        run[max(0, m.start() - 6) : m.end() + 6]
        for run in parser.runs
        for m in GAP.finditer(run)
        if chinese_between(*m.groups())
    ]


# —— 行内公式与标点不分家 ——
# 浏览器把 KaTeX 排出的行内公式当作一个个行内块，块的前后总可以断行，不管后面是不是“，”：
# 于是“……的 $x$⏎，”这样收尾标点落到下一行行首。公式连同紧挨着它的标点包进一个不换行的
# <span>，就只能整体换行。短公式（如 1×1）即使不挨着标点也整个不换行：KaTeX 会在 × 之后断开它。
OPENING = "（「『【《〈〔［｛“‘"
CLOSING = "，。、；：？！）」』】》〉〕］｝〗〙〛”’…％．"
INLINE_MATH = re.compile(
    rf"(?P<open>[{OPENING}]*)"
    r'(?P<math><span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>)'
    rf"(?:[ \t]*\n?[ \t]*(?P<close>[{CLOSING}]+))?",
    re.S,
)
# 只有外形、不占位置的命令（字体、定界符的大小、间距）；\max 这类运算符名按字母数算宽度
SHAPING = re.compile(
    r"\\(?:(?:math[a-z]+|text[a-z]*|operatorname|boldsymbol|left|right|[bB]igg?[lr]?"
    r"|q?quad)(?![a-zA-Z])|[,;:! ])"
)
OPERATOR_NAME = re.compile(r"\\(max|min|log|exp|sin|cos|tan|det|dim|arg)(?![a-zA-Z])")
SYMBOL = re.compile(r"\\[a-zA-Z]+")
SHORT_MATH = 24  # 这么多个字符以内的公式算短的：手机上约 300 px，一行放得下


def math_glyphs(tex):
    """估计一个 TeX 公式排出来有多少个字符宽：1\\times 1 是 3 个，\\mathbf{X}_{i,j} 是 4 个。"""
    tex = SHAPING.sub("", unescape(tex))
    tex = OPERATOR_NAME.sub(lambda m: m.group(1), tex)
    tex = SYMBOL.sub("#", tex)  # \times、\sum、\alpha……各占一个字符
    return len(re.sub(r"[\s{}_^]", "", tex))


def bind_inline_math(html):
    """行内公式与紧挨着它的中文标点（后面的收尾标点、前面的开括号）包进一个不换行的 <span>；
    不挨着标点的短公式也包上。公式与标点之间的换行一并去掉（join_cjk_lines 反正也会去掉）。

    在公式排版之前调用：这时公式还是 arithmatex 包着的 TeX，看得出它有多长。
    """

    def bind(match):
        short = math_glyphs(match["tex"]) <= SHORT_MATH
        if not (match["open"] or match["close"] or short):
            return match.group(0)
        return f'<span class="cfc-nobr">{match["open"]}{match["math"]}{match["close"] or ""}</span>'

    parts = PRE.split(html)
    return "".join(p if p.startswith("<pre") else INLINE_MATH.sub(bind, p) for p in parts)

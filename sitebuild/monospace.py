"""等宽文字里的汉字占两列：代码块和输出里，连续的全宽字符包进 <span class="cfc-fullwidth">。

等宽字体里一个西文字符宽 1ch（常见字体约 0.6em），汉字却由中文字体补上，宽 1em，
不是 2ch；按显示宽度对齐的中文表格（snippets/tables.py 的 pad）在网页上仍会错开。
extra.css 给 .cfc-fullwidth 加上 letter-spacing: calc(2ch - 1em)，每个全宽字符就正好占两列，
无论读者的机器上是哪种西文、哪种中文字体。
"""

import re
import unicodedata

PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)
TAG = re.compile(r"(<[^>]*>)")
# 可能是全宽的字符（U+1100 以后）；逐个再用 east_asian_width 判断
CANDIDATES = re.compile(r"[\u1100-\U0010ffff]+")


def is_wide(char):
    return unicodedata.east_asian_width(char) in "WF"


def wrap_wide(text):
    """一段不含标签的文字里，连续的全宽字符包进一个 span。"""

    def wrap(match):
        out, run = [], []
        for char in [*match.group(0), ""]:
            if char and is_wide(char):
                run.append(char)
                continue
            if run:
                out.append(f'<span class="cfc-fullwidth">{"".join(run)}</span>')
                run = []
            out.append(char)
        return "".join(out)

    return CANDIDATES.sub(wrap, text)


def align_wide_glyphs(html):
    """每个 <pre> 里、标签之外的文字中，全宽字符连成的一段包进 <span class="cfc-fullwidth">。"""

    def inside(pre):
        parts = TAG.split(pre.group(0))
        return "".join(p if p.startswith("<") else wrap_wide(p) for p in parts)

    return PRE.sub(inside, html)

"""中文断行：去掉两个汉字（或中文标点）之间的换行。

Markdown 源文件里为了好改而断开的中文句子，浏览器会把换行显示成一个空格：
“卷积核，⏎在图像上”就成了“卷积核， 在图像上”。换行两边可能夹着行内标签
（行首是链接、粗体、代码时：“区别见⏎<a>互相关与卷积</a>”），看的是标签外的字。
<pre> 里的换行保持原样。
"""

import re
from html.parser import HTMLParser

# 汉字、CJK 标点、全角符号，以及中文里常用的几个通用标点：破折号、省略号、弯引号、间隔号
CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u2026\u2018\u2019\u201c\u201d\u00b7]"
# 不打断一行文字的行内标签：它们两侧的字在浏览器里是连着排的
INLINE = r"</?(?:a|abbr|b|code|del|em|i|ins|kbd|mark|s|span|strong|sub|sup|u)\b[^>]*>"
BREAK = re.compile(rf"(?<={CJK})((?:{INLINE})*)[ \t]*\n[ \t]*((?:{INLINE})*)(?={CJK})")
PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def join_cjk_lines(html):
    parts = PRE.split(html)
    return "".join(p if p.startswith("<pre") else BREAK.sub(r"\1\2", p) for p in parts)


class _Text(HTMLParser):
    """按块收集读者看到的文字：块级元素的边界断开，代码、公式、图、脚本不看。"""

    BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
              "figcaption", "summary", "blockquote", "div", "br", "section", "article",
              "nav", "header", "footer", "table", "tr", "ul", "ol", "label"}  # fmt: skip
    HIDDEN = {"pre", "script", "style", "svg", "code", "title", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs, self.current, self.hidden = [], [], []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.HIDDEN or "katex" in classes or "arithmatex" in classes:
            if tag not in ("br",):
                self.hidden.append(tag)
            self.current.append("x")  # 公式、代码算作西文
        elif tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()
        elif not self.hidden and tag in self.BLOCKS:
            self.flush()

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)

    def flush(self):
        if not self.hidden:
            self.runs.append(re.sub(r"\s+", " ", "".join(self.current)))
            self.current = []


GAP = re.compile(rf"{CJK} {CJK}")


def cjk_gaps(html):
    """读者看到的文字里，两个汉字（或中文标点）之间夹着空白的地方：[前后各几个字]。"""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser.flush()
    return [
        run[max(0, m.start() - 6) : m.end() + 6] for run in parser.runs for m in GAP.finditer(run)
    ]

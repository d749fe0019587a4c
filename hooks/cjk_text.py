"""MkDocs 钩子：去掉两个汉字（或中文标点）之间的换行。

Markdown 源文件里为了好改而断开的中文句子，浏览器会把换行显示成一个空格，
“卷积核，\\n在图像上”就成了“卷积核， 在图像上”。代码块（<pre>）里的换行保持原样。
"""

import re

CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
BREAK = re.compile(rf"(?<={CJK})[ \t]*\n[ \t]*(?={CJK})")
PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def join_cjk_lines(html):
    parts = PRE.split(html)
    return "".join(p if p.startswith("<pre") else BREAK.sub("", p) for p in parts)


def on_page_content(html, page, config, files):
    return join_cjk_lines(html)

"""中文断行：去掉两个汉字（或中文标点）之间的换行。

Markdown 源文件里为了好改而断开的中文句子，浏览器会把换行显示成一个空格：
“卷积核，⏎在图像上”就成了“卷积核， 在图像上”。换行两边可能夹着行内标签
（行首是链接、粗体、代码时：“区别见⏎<a>互相关与卷积</a>”），看的是标签外的字。
<pre> 里的换行保持原样。
"""

import re

CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
# 不打断一行文字的行内标签：它们两侧的字在浏览器里是连着排的
INLINE = r"</?(?:a|abbr|b|code|del|em|i|ins|kbd|mark|s|span|strong|sub|sup|u)\b[^>]*>"
BREAK = re.compile(rf"(?<={CJK})((?:{INLINE})*)[ \t]*\n[ \t]*((?:{INLINE})*)(?={CJK})")
PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def join_cjk_lines(html):
    parts = PRE.split(html)
    return "".join(p if p.startswith("<pre") else BREAK.sub(r"\1\2", p) for p in parts)

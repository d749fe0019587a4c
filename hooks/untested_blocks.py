"""MkDocs 钩子：被 `<!--pytest.mark.skip(reason="…")-->` 跳过的代码块，在页面上写明原因。

文档测试会运行页面上的每个 Python 代码块；少数块不运行时，读者应当看得到为什么。
"""

import re
from html import escape

SKIP = re.compile(r"<!--\s*pytest\.mark\.skip\(reason=([\"'])(.+?)\1\)\s*-->")


def on_page_content(html, page, config, files):
    return SKIP.sub(
        lambda m: f'<p class="cfc-untested">下面的代码不在测试中运行：{escape(m.group(2))}</p>',
        html,
    )

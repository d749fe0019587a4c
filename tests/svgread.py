"""测试共用：从 figures 画出的 SVG 里读数。

一张图可能画了两份（宽的一行排开、窄的换行排，见 figures/svg.py 的 responsive）：
读数时两份都读，两份上的数必须一样。
"""

import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def layouts(svg):
    """一张图的每一份 SVG（ElementTree 的根元素）。"""
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", svg, re.S)]


def grid_numbers(svg, role):
    """从 SVG 里读出 data-role=role 的网格上的数，按行优先顺序；每一份都读，必须一致。"""
    found = []
    for root in layouts(svg):
        (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-role") == role]
        found.append([float(t.text) for t in group.iter(f"{SVG}text")])
    assert found and all(f == found[0] for f in found), f"{role} 在两份图上的数不一样：{found}"
    return found[0]

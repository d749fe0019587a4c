"""测试共用：从 figures 画出的 SVG 里读数。"""

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def grid_numbers(svg, role):
    """从 SVG 里读出 data-role=role 的网格上的数，按行优先顺序。"""
    root = ET.fromstring(svg)
    (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-role") == role]
    return [float(t.text) for t in group.iter(f"{SVG}text")]

"""命令行：

`python -m sitebuild update-outputs [页面 …]`
    按代码实际打印的内容改写页面上的期望输出块（不给页面时改写文档测试覆盖的全部页面）。
    改完用 `git diff` 看一遍：变了的输出就是代码行为变了的地方。

`python -m sitebuild offline-zip <离线版站点目录> <zip>`
    把 OFFLINE=true 构建出的站点打成离线版的 zip（make offline 先构建再调用它）。
"""

import sys
from pathlib import Path

from . import BuildError
from .offline import zip_site
from .pagetest import PageRun, rewrite_outputs
from .project import ROOT, doc_pages


def update_outputs(paths):
    changed = []
    for path in paths:
        source = path.read_text(encoding="utf-8")
        printed = PageRun(path.name, source).run_all(check=False)
        new = rewrite_outputs(source, printed)
        if new != source:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def offline_zip(site_dir, zip_path):
    try:
        count = zip_site(site_dir, zip_path)
    except BuildError as error:
        sys.exit(str(error))
    size = Path(zip_path).stat().st_size
    print(f"已写出 {zip_path}：{count} 个文件，{size / 2**20:.1f} MiB")


def main(argv):
    if len(argv) == 3 and argv[0] == "offline-zip":
        return offline_zip(Path(argv[1]), Path(argv[2]))
    if not argv or argv[0] != "update-outputs":
        sys.exit(__doc__)
    paths = [Path(a).resolve() for a in argv[1:]] or doc_pages()
    changed = update_outputs(paths)
    for path in changed:
        print(f"已改写 {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"{len(changed)} 页有变化，{len(paths) - len(changed)} 页不变")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])

// 入口：把页面上每个 <div class="cfc-explorer" data-preset="…"> 换成计算器。
// 没有脚本时，div 里的静态图留着；有脚本时图藏起来，计算器接在它后面。
import presets from "../presets.json";
import css from "./explorer.css";
import { Explorer } from "./widget.js";

function mountAll() {
  if (!document.getElementById("cfc-explorer-style")) {
    document.head.append(Object.assign(document.createElement("style"), { id: "cfc-explorer-style", textContent: css }));
  }
  for (const root of document.querySelectorAll(".cfc-explorer:not([data-mounted])")) {
    const preset = presets[root.dataset.preset];
    if (!preset) throw new Error(`卷积计算器：没有叫 ${root.dataset.preset} 的预设`);
    root.dataset.mounted = "";
    for (const child of root.children) child.hidden = true;
    root.cfcExplorer = new Explorer(root, preset);
  }
}

window.cfcExplorer = { mountAll, presets };
mountAll();

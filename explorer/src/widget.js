// 卷积计算器的页面部分：控件、格子、高亮、逐步播放、复制代码。
// 计算都在 conv.js、文字都在 text.js；这里只把状态画出来、把读者的操作变成新的状态。
import { LIMITS, affectedOutputs, check, compute, isPooling, outputShape, windowCells } from "./conv.js";
import { explainCell, formatNumber, formulaHtml, layerCall, pythonCode } from "./text.js";
import { parseBlocks, randomStore } from "./values.js";

const MAX = { channels: 3, size: 16 };
const OPS = [
  ["conv", "卷积"],
  ["max", "最大汇聚"],
  ["avg", "平均汇聚"],
];
let counter = 0; // 一页上可能有几个计算器：控件的 id 各不相同

// 小工具：建一个元素，attrs 里的 on* 是事件
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else if (key === "html") el.innerHTML = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child) el.append(child);
  return el;
}

// 多个通道时，每个格子阵上方写上它是哪个张量的哪一片（与算式里的 X[c, …]、Y[o, …] 对应）
function labelled(name, grid, show) {
  if (!show) return grid;
  return h("div", { class: "cfc-x-labelled" }, h("span", { class: "cfc-x-note", text: name, "aria-hidden": "true" }), grid);
}

export class Explorer {
  constructor(root, preset) {
    this.root = root;
    this.id = `cfc-x${++counter}`;
    this.seed = preset.seed ?? 0;
    this.store = randomStore(this.seed);
    this.config = {
      op: "conv",
      inChannels: 1,
      outChannels: 1,
      height: 5,
      width: 5,
      kernel: [3, 3],
      padding: [0, 0],
      stride: [1, 1],
      dilation: [1, 1],
      ceilMode: false,
      countIncludePad: true,
    };
    this.selected = { kind: "output", o: 0, i: 0, j: 0 };
    this.timer = null;
    this.preset = preset;
    this.build();
    this.load(preset);
  }

  // 读入一组设置（页面的预设、测试的用例都走这里）；给了 input、weight 就写进数值表
  load(state) {
    const { input, weight, seed, ...rest } = state;
    if (seed !== undefined) {
      this.seed = seed;
      this.store = randomStore(seed);
      this.seedField.value = seed;
    }
    Object.assign(this.config, structuredClone(rest));
    if (input) this.writeInput(input);
    if (weight) this.writeWeight(weight);
    this.selected = { kind: "output", o: 0, i: 0, j: 0 };
    this.syncControls();
    this.render();
  }

  writeInput(input) {
    input.forEach((channel, c) => channel.forEach((row, r) => row.forEach((v, k) => (this.store.input[c][r][k] = v))));
  }

  writeWeight(weight) {
    weight.forEach((out, o) =>
      out.forEach((channel, c) => channel.forEach((row, r) => row.forEach((v, k) => (this.store.weight[o][c][r][k] = v)))),
    );
  }

  // 当前的状态：设置 + 从数值表里截出的输入和卷积核
  state() {
    const cfg = this.config;
    const crop = (grid, rows, cols) => grid.slice(0, rows).map((row) => row.slice(0, cols));
    const rows = Math.min(Math.max(cfg.height, 1), MAX.size);
    const cols = Math.min(Math.max(cfg.width, 1), MAX.size);
    const kh = Math.min(Math.max(cfg.kernel[0], 1), MAX.size);
    const kw = Math.min(Math.max(cfg.kernel[1], 1), MAX.size);
    const ci = Math.min(Math.max(cfg.inChannels, 1), MAX.channels);
    const co = Math.min(Math.max(cfg.outChannels, 1), MAX.channels);
    const state = structuredClone(cfg);
    state.input = this.store.input.slice(0, ci).map((g) => crop(g, rows, cols));
    if (cfg.op === "conv") {
      state.weight = this.store.weight.slice(0, co).map((o) => o.slice(0, ci).map((g) => crop(g, kh, kw)));
    }
    return state;
  }

  // —— 控件 ——
  build() {
    const id = this.id;
    const number = (field, index, label) => {
      const key = index === undefined ? field : `${field}-${index}`;
      const low = { padding: 0, stride: 1, dilation: 1 }[field] ?? LIMITS[field][0];
      const input = h("input", {
        type: "number",
        id: `${id}-${key}`,
        inputmode: "numeric",
        min: low,
        max: LIMITS[field][1],
        step: 1,
        "data-field": key,
        oninput: () => this.fromControl(field, index, input.value),
      });
      return h("label", { class: "cfc-x-field", for: `${id}-${key}` }, h("span", { text: label }), input);
    };
    const pairRow = (field, title) =>
      h(
        "div",
        { class: "cfc-x-pair", role: "group", "aria-label": title, "data-group": field },
        h("span", { class: "cfc-x-pair-title", text: title, "aria-hidden": "true" }),
        number(field, 0, "高"),
        number(field, 1, "宽"),
      );
    const checkbox = (field, label) =>
      h(
        "label",
        { class: "cfc-x-check", "data-group": field },
        h("input", {
          type: "checkbox",
          "data-field": field,
          onchange: (e) => this.set({ [field]: e.target.checked }),
        }),
        h("code", { text: label }),
      );

    const ops = h(
      "div",
      { class: "cfc-x-ops", role: "radiogroup", "aria-label": "运算" },
      OPS.map(([value, label]) =>
        h(
          "label",
          {},
          h("input", { type: "radio", name: `${id}-op`, value, "data-field": "op", onchange: () => this.set({ op: value }) }),
          h("span", { text: label }),
        ),
      ),
    );
    const sizes = h(
      "div",
      { class: "cfc-x-controls" },
      h(
        "div",
        { class: "cfc-x-pair", role: "group", "aria-label": "输入", "data-group": "size" },
        h("span", { class: "cfc-x-pair-title", text: "输入", "aria-hidden": "true" }),
        number("height", undefined, "高"),
        number("width", undefined, "宽"),
      ),
      h(
        "div",
        { class: "cfc-x-pair", role: "group", "aria-label": "通道", "data-group": "channels" },
        h("span", { class: "cfc-x-pair-title", text: "通道", "aria-hidden": "true" }),
        (this.inChannelsLabel = number("inChannels", undefined, "输入")),
        h("span", { "data-group": "outChannels" }, number("outChannels", undefined, "输出")),
      ),
      pairRow("kernel", "卷积核"),
      pairRow("padding", "填充（每侧）"),
      pairRow("stride", "步幅"),
      pairRow("dilation", "空洞"),
      h("div", { class: "cfc-x-checks" }, checkbox("ceilMode", "ceil_mode"), checkbox("countIncludePad", "count_include_pad")),
    );

    // 读者改过、还没按“用这些数”的文本框，不随设置的变化被改写
    const edited = (e) => (e.target.dataset.edited = "");
    this.inputText = h("textarea", { id: `${id}-input-text`, rows: 5, spellcheck: "false", oninput: edited });
    this.weightText = h("textarea", { id: `${id}-weight-text`, rows: 4, spellcheck: "false", oninput: edited });
    this.valuesMessage = h("p", { class: "cfc-x-note", "aria-live": "polite" });
    const values = h(
      "details",
      { class: "cfc-x-values" },
      h("summary", { text: "数值：换一组随机数，或者自己填" }),
      h(
        "p",
        { class: "cfc-x-note" },
        "每行一行数，空格或逗号隔开；多个通道之间空一行。",
        h("span", { "data-group": "weightText", text: "卷积核按输出通道、再按输入通道的顺序一块一块写。" }),
      ),
      h("label", { for: this.inputText.id, text: "输入 X" }),
      this.inputText,
      h("label", { for: this.weightText.id, text: "卷积核 K", "data-group": "weightText" }),
      this.weightText,
      h(
        "div",
        { class: "cfc-x-buttons" },
        h("button", { type: "button", class: "md-button", onclick: () => this.fromText(), text: "用这些数" }),
        h("button", { type: "button", class: "md-button", onclick: () => this.useSeed(this.seed + 1), text: "换一组随机数" }),
        h("button", { type: "button", class: "md-button", onclick: () => this.restore(), text: "回到预设" }),
      ),
      h(
        "label",
        { class: "cfc-x-field", for: `${id}-seed` },
        h("span", { text: "随机数的种子（同一个种子，同一组数）" }),
        (this.seedField = h("input", {
          type: "number",
          id: `${id}-seed`,
          min: 0,
          max: 999999,
          step: 1,
          inputmode: "numeric",
          placeholder: "预设", // 预设给了具体的数时，种子一栏先空着
          oninput: () => {
            const text = this.seedField.value.trim();
            const v = Number(text);
            if (text !== "" && Number.isInteger(v) && v >= 0 && v <= 999999) this.useSeed(v, true);
          },
        })),
      ),
      this.valuesMessage,
    );

    this.shape = h("div", { class: "cfc-x-shape" });
    this.error = h("div", { class: "cfc-x-error", role: "alert" });
    this.grids = h("div", { class: "cfc-x-grids" });
    this.scroller = h("div", { class: "cfc-x-scroll" }, this.grids);
    this.explanation = h("p", { class: "cfc-x-explain", "aria-live": "polite" });
    this.playButton = h("button", {
      type: "button",
      class: "md-button",
      "aria-pressed": "false",
      onclick: () => this.togglePlay(),
      text: "播放",
    });
    const steps = h(
      "div",
      { class: "cfc-x-buttons", role: "group", "aria-label": "让窗口逐个位置滑过" },
      h("button", { type: "button", class: "md-button", onclick: () => this.step(-1), text: "上一个位置" }),
      this.playButton,
      h("button", { type: "button", class: "md-button", onclick: () => this.step(1), text: "下一个位置" }),
    );
    this.code = h("code", { tabindex: "0" }); // 代码长了会横向滚动：能用键盘聚焦才滚得动
    this.callLine = h("code", { class: "cfc-x-call" });
    this.copyStatus = h("span", { class: "cfc-x-note", "aria-live": "polite" });
    const code = h(
      "details",
      { class: "cfc-x-code" },
      h("summary", {}, "等价的 PyTorch 代码：", this.callLine),
      h("pre", {}, this.code),
      h(
        "div",
        { class: "cfc-x-buttons" },
        h("button", { type: "button", class: "md-button", onclick: () => this.copy(), text: "复制代码" }),
        this.copyStatus,
      ),
    );
    this.panel = h(
      "div",
      { class: "cfc-x", id, role: "region", "aria-label": "卷积计算器" },
      ops,
      sizes,
      values,
      this.shape,
      this.error,
      (this.view = h("div", { class: "cfc-x-view" }, this.scroller, this.explanation, steps)),
      code,
    );
    this.root.append(this.panel);
  }

  // 把状态写回控件（预设、换运算之后）
  syncControls() {
    const cfg = this.config;
    for (const el of this.panel.querySelectorAll("[data-field]")) {
      const [field, index] = el.dataset.field.split("-");
      if (el.type === "radio") el.checked = el.value === cfg.op;
      else if (el.type === "checkbox") el.checked = Boolean(cfg[field]);
      else if (document.activeElement !== el) {
        const value = index === undefined ? cfg[field] : cfg[field][Number(index)];
        const text = Number.isNaN(value) ? "" : String(value); // 空着的栏保持空着
        if (text !== el.value) el.value = text;
      }
    }
    const pooling = isPooling(cfg);
    const show = (group, visible) => {
      for (const el of this.panel.querySelectorAll(`[data-group="${group}"]`)) el.hidden = !visible;
    };
    show("outChannels", !pooling);
    show("dilation", cfg.op !== "avg"); // nn.AvgPool2d 没有空洞参数
    show("ceilMode", pooling);
    show("countIncludePad", cfg.op === "avg");
    show("weightText", !pooling);
    // 汇聚时只有一个通道数（输入、输出相同）
    this.inChannelsLabel.querySelector("span").textContent = pooling ? "个数" : "输入";
    this.weightText.hidden = pooling;
    this.panel.querySelector('[data-group="kernel"] .cfc-x-pair-title').textContent = pooling ? "窗口" : "卷积核";
    this.panel.querySelector('[data-group="kernel"]').setAttribute("aria-label", pooling ? "窗口" : "卷积核");
  }

  fromControl(field, index, text) {
    const value = text.trim() === "" ? NaN : Number(text);
    if (index === undefined) this.set({ [field]: value });
    else {
      const pair = [...this.config[field]];
      pair[index] = value;
      this.set({ [field]: pair });
    }
  }

  set(changes) {
    Object.assign(this.config, changes);
    this.syncControls();
    this.render();
  }

  // 回到页面的预设：设置和数都恢复
  restore() {
    this.store = randomStore(this.preset.seed ?? 0);
    this.seedField.value = this.preset.seed ?? "";
    this.resetText();
    this.load(this.preset);
    this.valuesMessage.textContent = "已回到预设。";
  }

  // 输入和卷积核都换成这个种子生成的随机整数（输入 0 到 9，卷积核 −2 到 2）
  useSeed(seed, typed = false) {
    this.seed = seed;
    this.store = randomStore(seed);
    this.resetText();
    if (!typed) this.seedField.value = seed; // 读者正在种子一栏里打字时不去改它
    this.valuesMessage.textContent = `已换成种子 ${seed} 的随机数。`;
    this.render();
  }

  // 读两个文本框：形状由填的数决定
  fromText() {
    const input = parseBlocks(this.inputText.value, "输入");
    if (input.error) return (this.valuesMessage.textContent = input.error);
    const [c, rows, cols] = input.shape;
    if (c > MAX.channels || rows > MAX.size || cols > MAX.size) {
      this.valuesMessage.textContent = `输入最多 ${MAX.channels} 个通道、${MAX.size}×${MAX.size}，现在是 ${c} 个通道、${rows}×${cols}。`;
      return;
    }
    const changes = { inChannels: c, height: rows, width: cols };
    let weight;
    if (!isPooling(this.config)) {
      const kernels = parseBlocks(this.weightText.value, "卷积核");
      if (kernels.error) return (this.valuesMessage.textContent = kernels.error);
      const [blocks, kh, kw] = kernels.shape;
      if (blocks % c !== 0 || blocks / c > MAX.channels || kh > MAX.size || kw > MAX.size) {
        this.valuesMessage.textContent =
          `卷积核要有“输出通道数 × ${c}”块（输出通道 1 到 ${MAX.channels}），每块最大 ${MAX.size}×${MAX.size}；` +
          `现在是 ${blocks} 块、每块 ${kh}×${kw}。`;
        return;
      }
      changes.outChannels = blocks / c;
      changes.kernel = [kh, kw];
      weight = Array.from({ length: blocks / c }, (_, o) => kernels.values.slice(o * c, o * c + c));
    }
    this.writeInput(input.values);
    if (weight) this.writeWeight(weight);
    this.resetText();
    this.valuesMessage.textContent = "已换成你填的数。";
    this.set(changes);
  }

  // —— 画 ——
  render() {
    const state = this.state();
    const problem = check(state);
    this.panel.dataset.valid = problem ? "false" : "true";
    this.view.hidden = Boolean(problem); // 不合法的设置没有格子可看，也没有窗口可走
    this.error.replaceChildren();
    this.error.hidden = !problem;
    const limit = problem?.category === "limit"; // 超出计算器的范围：这组设置写不成代码
    this.callLine.textContent = limit ? "（先把设置改回计算器的范围之内）" : layerCall(state);
    this.code.textContent = limit ? "# 先把设置改回计算器的范围之内" : pythonCode(state);
    this.fillText(state);
    if (problem) {
      this.panel.dataset.category = problem.category;
      this.error.append(h("p", { text: problem.message }));
      if (problem.torch) {
        this.error.append(h("p", {}, "PyTorch 的报错：", h("code", { class: "cfc-x-torch", text: `RuntimeError: ${problem.torch}` })));
      }
      this.shape.replaceChildren();
      this.grids.replaceChildren();
      this.explanation.textContent = "";
      this.stopPlay();
      return;
    }
    delete this.panel.dataset.category;
    this.output = compute(state);
    this.current = state;
    this.drawShape(state);
    this.drawGrids(state);
    this.clampSelection();
    this.highlight();
    // 格子放不下时横向滚动：站点的 scroll-focus.js 让它能用键盘聚焦，并在能滚的一侧画阴影
    window.cfcScrollFocus?.watch(this.scroller);
  }

  fillText(state) {
    const block = (grid) => grid.map((row) => row.join(" ")).join("\n");
    const fill = (area, grids) => {
      if (area.hasAttribute("data-edited") || document.activeElement === area) return;
      area.value = grids.map(block).join("\n\n");
      area.rows = Math.min(area.value.split("\n").length, 12); // 数不多时整块都看得见
    };
    fill(this.inputText, state.input);
    if (state.weight) fill(this.weightText, state.weight.flat());
  }

  // 文本框重新跟着当前的数走（用了填的数、换了随机数之后）
  resetText() {
    this.inputText.removeAttribute("data-edited");
    this.weightText.removeAttribute("data-edited");
  }

  drawShape(state) {
    const [c, oh, ow] = outputShape(state);
    const padded = [state.height + 2 * state.padding[0], state.width + 2 * state.padding[1]];
    const lines = [
      h("p", { html: `输出形状：${c} 个通道 × ${oh} × ${ow}（填充后的输入是 ${padded[0]} × ${padded[1]}）` }),
      h("p", { class: "cfc-x-formula", html: formulaHtml(state, 0) }),
      h("p", { class: "cfc-x-formula", html: formulaHtml(state, 1) }),
    ];
    this.shape.replaceChildren(...lines);
    this.panel.dataset.shape = `${c}x${oh}x${ow}`;
  }

  drawGrids(state) {
    const [ph, pw] = state.padding;
    const pooling = isPooling(state);
    const padValue = state.op === "max" ? -Infinity : 0;
    const inputs = state.input.map((channel, c) => {
      const rows = state.height + 2 * ph;
      const cols = state.width + 2 * pw;
      const cells = [];
      for (let r = 0; r < rows; r++) {
        const row = [];
        for (let k = 0; k < cols; k++) {
          const inside = r >= ph && r < ph + state.height && k >= pw && k < pw + state.width;
          const value = inside ? channel[r - ph][k - pw] : padValue;
          const where = inside ? `输入第 ${r - ph} 行第 ${k - pw} 列` : "补的格子";
          row.push({ value, pad: !inside, r, c: k, label: `通道 ${c}，${where}：` });
        }
        cells.push(row);
      }
      const grid = this.grid("input", c, cells, `输入通道 ${c}（${ph || pw ? "填充后 " : ""}${rows}×${cols}）`);
      return labelled(`X[${c}]`, grid, state.inChannels > 1);
    });
    const kernels = pooling
      ? []
      : state.weight.map((out, o) =>
          out.map((g, c) =>
            labelled(`K[${o}, ${c}]`, this.grid(
              "kernel",
              `${o}-${c}`,
              g.map((row, a) => row.map((value, b) => ({ value, r: a, c: b, label: "" }))),
              `卷积核：输出通道 ${o}、输入通道 ${c}（${g.length}×${g[0].length}）`,
              false,
            ), state.inChannels > 1 || state.outChannels > 1),
          ),
        );
    const outputs = this.output.map((channel, o) =>
      labelled(`Y[${o}]`, this.grid(
        "output",
        o,
        channel.map((row, i) =>
          row.map((value, j) => ({ value, r: i, c: j, label: `输出通道 ${o} 第 ${i} 行第 ${j} 列：` })),
        ),
        `输出通道 ${o}（${channel.length}×${channel[0].length}）`,
      ), this.output.length > 1),
    );
    const group = (title, items, cls) => h("figure", { class: `cfc-x-group ${cls}` }, h("figcaption", { text: title }), items);
    const kernelTitle = state.outChannels > 1 ? "卷积核（每行一个输出通道）" : "卷积核";
    const groups = [group(ph || pw ? "填充后的输入" : "输入", inputs, "cfc-x-inputs")];
    if (!pooling) groups.push(group(kernelTitle, kernels.map((row) => h("div", { class: "cfc-x-row" }, row)), "cfc-x-kernels"));
    groups.push(group("输出", outputs, "cfc-x-outputs"));
    this.grids.replaceChildren(...groups);
  }

  // 一个格子阵：role=grid，方向键在格子间移动；只有一个格子在 Tab 顺序里
  grid(kind, channel, cells, label, interactive = true) {
    const cols = cells[0].length;
    const el = h("div", {
      class: `cfc-x-grid cfc-x-${kind}`,
      role: interactive ? "grid" : "table",
      "aria-label": label,
      "data-kind": kind,
      "data-channel": channel,
      style: `--cols: ${cols}`,
    });
    for (const row of cells) {
      const rowEl = h("div", { role: "row" });
      for (const cell of row) {
        const text = formatNumber(cell.value, 2); // 读屏软件念的数和格子里显示的一样
        rowEl.append(
          h("span", {
            role: interactive ? "gridcell" : "cell",
            class: cell.pad ? "cfc-x-pad" : undefined,
            tabindex: interactive ? "-1" : undefined,
            "aria-label": `${cell.label}${text}`,
            "data-r": cell.r,
            "data-c": cell.c,
            "data-value": String(cell.value),
            text,
          }),
        );
      }
      el.append(rowEl);
    }
    if (interactive) {
      el.addEventListener("focusin", (e) => this.pick(e.target));
      el.addEventListener("pointerover", (e) => e.pointerType === "mouse" && this.pick(e.target));
      el.addEventListener("click", (e) => e.target.focus());
      el.addEventListener("keydown", (e) => this.move(e));
    }
    return el;
  }

  // —— 选中与高亮 ——
  pick(target) {
    const cell = target.closest("[data-r]");
    if (!cell) return;
    const grid = cell.closest(".cfc-x-grid");
    const r = Number(cell.dataset.r);
    const c = Number(cell.dataset.c);
    const channel = Number(grid.dataset.channel);
    this.selected = grid.dataset.kind === "output" ? { kind: "output", o: channel, i: r, j: c } : { kind: "input", channel, r, c };
    this.highlight();
  }

  clampSelection() {
    const [channels, oh, ow] = outputShape(this.current);
    const s = this.selected;
    if (s.kind === "output") {
      this.selected = { kind: "output", o: Math.min(s.o, channels - 1), i: Math.min(s.i, oh - 1), j: Math.min(s.j, ow - 1) };
    } else {
      const rows = this.current.height + 2 * this.current.padding[0];
      const cols = this.current.width + 2 * this.current.padding[1];
      if (s.channel >= this.current.inChannels || s.r >= rows || s.c >= cols) this.selected = { kind: "output", o: 0, i: 0, j: 0 };
    }
  }

  highlight() {
    const state = this.current;
    for (const el of this.grids.querySelectorAll("[data-on]")) el.removeAttribute("data-on");
    const s = this.selected;
    const mark = (selector, value) => {
      for (const el of this.grids.querySelectorAll(selector)) el.setAttribute("data-on", value);
    };
    const at = (kind, channel, r, c) => `.cfc-x-grid[data-kind="${kind}"][data-channel="${channel}"] [data-r="${r}"][data-c="${c}"]`;
    // 可以 Tab 进去的格子：每个格子阵留一个
    for (const grid of this.grids.querySelectorAll('[role="grid"]')) {
      const cells = grid.querySelectorAll("[data-r]");
      cells.forEach((el) => el.setAttribute("tabindex", "-1"));
      cells[0].setAttribute("tabindex", "0");
    }
    if (s.kind === "output") {
      const cells = windowCells(state, s.i, s.j);
      const channels = isPooling(state) ? [s.o] : state.input.map((_, c) => c);
      for (const c of channels) for (const x of cells) mark(at("input", c, x.r, x.c), "window");
      if (!isPooling(state)) for (const c of channels) for (const x of cells) mark(at("kernel", `${s.o}-${c}`, x.a, x.b), "window");
      mark(at("output", s.o, s.i, s.j), "selected");
      this.roving(at("output", s.o, s.i, s.j));
      this.explanation.textContent = explainCell(state, s.o, s.i, s.j);
    } else {
      const hits = affectedOutputs(state, s.r, s.c);
      const outs = isPooling(state) ? [s.channel] : this.output.map((_, o) => o);
      for (const o of outs) for (const [i, j] of hits) mark(at("output", o, i, j), "affected");
      mark(at("input", s.channel, s.r, s.c), "selected");
      this.roving(at("input", s.channel, s.r, s.c));
      this.explanation.textContent = this.explainInput(state, hits, outs);
    }
  }

  roving(selector) {
    const el = this.grids.querySelector(selector);
    if (!el) return;
    el.closest(".cfc-x-grid").querySelectorAll("[data-r]").forEach((x) => x.setAttribute("tabindex", "-1"));
    el.setAttribute("tabindex", "0");
  }

  explainInput(state, hits, outs) {
    const s = this.selected;
    const [ph, pw] = state.padding;
    const inside = s.r >= ph && s.r < ph + state.height && s.c >= pw && s.c < pw + state.width;
    // 下标后面空一格再接中文；括号后面不空
    const where = inside ? `输入 X[${s.channel}, ${s.r - ph}, ${s.c - pw}] ` : `补的格子（填充后的第 ${s.r} 行第 ${s.c} 列）`;
    if (!hits.length) return `${where}不在任何窗口里，不影响输出。`;
    const list = hits.map(([i, j]) => `(${i}, ${j})`).join("、");
    const channels = outs.length > 1 ? `每个输出通道的` : `输出通道 ${outs[0]} 的`;
    return `${where}落在 ${hits.length} 个窗口里，影响${channels}这些位置：${list}。`;
  }

  move(event) {
    const cell = event.target.closest("[data-r]");
    if (!cell) return;
    const grid = cell.closest(".cfc-x-grid");
    const rows = grid.children.length;
    const cols = grid.children[0].children.length;
    let r = Number(cell.dataset.r);
    let c = Number(cell.dataset.c);
    const keys = {
      ArrowUp: () => (r = Math.max(r - 1, 0)),
      ArrowDown: () => (r = Math.min(r + 1, rows - 1)),
      ArrowLeft: () => (c = Math.max(c - 1, 0)),
      ArrowRight: () => (c = Math.min(c + 1, cols - 1)),
      Home: () => (c = 0),
      End: () => (c = cols - 1),
    };
    if (!keys[event.key]) return;
    event.preventDefault();
    keys[event.key]();
    grid.querySelector(`[data-r="${r}"][data-c="${c}"]`).focus();
  }

  // —— 逐步播放：窗口按输出的顺序一个位置一个位置地走 ——
  step(delta) {
    if (this.panel.dataset.valid !== "true") return;
    const [channels, oh, ow] = outputShape(this.current);
    const total = channels * oh * ow;
    const s = this.selected;
    // 选中的是输入格时，“下一个”从第一个位置开始，“上一个”从最后一个开始
    const start = s.kind === "output" ? (s.o * oh + s.i) * ow + s.j : delta > 0 ? -1 : total;
    const index = (((start + delta) % total) + total) % total;
    this.selected = { kind: "output", o: Math.floor(index / (oh * ow)), i: Math.floor(index / ow) % oh, j: index % ow };
    this.highlight();
  }

  togglePlay() {
    if (this.timer) return this.stopPlay();
    this.timer = setInterval(() => this.step(1), 900);
    this.playButton.textContent = "暂停";
    this.playButton.setAttribute("aria-pressed", "true");
  }

  stopPlay() {
    clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = "播放";
    this.playButton.setAttribute("aria-pressed", "false");
  }

  async copy() {
    const text = this.code.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // 从磁盘打开的离线版等场合剪贴板接口可能不可用：选中代码，请读者自己复制
      const range = document.createRange();
      range.selectNodeContents(this.code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      this.copyStatus.textContent = "已选中代码，请按 Ctrl+C 复制。";
      return;
    }
    this.copyStatus.textContent = "已复制。";
  }
}


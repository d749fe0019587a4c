// 卷积计算器写给读者的文字：输出形状的公式（代入当前的数）、每个输出元素的算式、
// 等价的 PyTorch 代码。都是纯函数：输入状态，输出字符串。
import { effectiveDilation, isPooling, outputCell, outputLength, reach } from "./conv.js";

const MINUS = "\u2212"; // 显示用的减号；代码里用 ASCII 的 -

// 格子和算式里的数：整数原样，小数最多 4 位，负号用 −
export function formatNumber(x, digits = 4) {
  if (x === -Infinity) return `${MINUS}∞`;
  if (x === Infinity) return "∞";
  let rounded = Number.isInteger(x) ? x : Number(x.toFixed(digits));
  if (rounded === 0 && x !== 0) rounded = Number(x.toPrecision(1)); // 0.001 不显示成 0
  const text = String(Math.abs(rounded));
  return (rounded < 0 ? MINUS : "") + text;
}

// 算式里的负数加括号：3×(−1)
const operand = (x) => (x < 0 ? `(${formatNumber(x)})` : formatNumber(x));
const approx = (x, digits) => (Number.isInteger(x) || !Number.isFinite(x) || Number(x.toFixed(digits)) === x ? "=" : "≈");

const sym = (letter, side) => `<var>${letter}</var><sub>${side}</sub>`;

// 一个方向上输出长度的公式：先写字母，再代入数，再算出来。返回 HTML。
export function formulaHtml(state, index) {
  const side = index === 0 ? "h" : "w";
  const n = index === 0 ? state.height : state.width;
  const k = state.kernel[index];
  const p = state.padding[index];
  const s = state.stride[index];
  const d = effectiveDilation(state)[index];
  const ceil = isPooling(state) && state.ceilMode;
  const [open, close] = ceil ? ["⌈", "⌉"] : ["⌊", "⌋"];
  const span = n + 2 * p - reach(k, d);
  const { size, rounded, dropped } = outputLength(n, k, p, s, d, ceil);
  const dilated = d === 1 ? `(${sym("k", side)} ${MINUS} 1)` : `${sym("d", side)}(${sym("k", side)} ${MINUS} 1)`;
  const dilatedNumbers = d === 1 ? `(${k} ${MINUS} 1)` : `${d}×(${k} ${MINUS} 1)`;
  const letters =
    `${sym("o", side)} = ${open}(${sym("n", side)} + 2${sym("p", side)} ${MINUS} ${dilated} ${MINUS} 1) / ` +
    `${sym("s", side)}${close} + 1`;
  const numbers = `${open}(${n} + 2×${p} ${MINUS} ${dilatedNumbers} ${MINUS} 1) / ${s}${close} + 1`;
  const quotient = `${open}${formatNumber(span)} / ${s}${close} + 1`;
  const nobr = (text) => `<span class="cfc-x-nobr">${text}</span>`;
  let html = `${letters}<br>= ${nobr(numbers)}<br>= ${nobr(`${quotient} = ${rounded}`)}`;
  if (dropped) {
    html +=
      `<br>第 ${rounded} 个窗口将从填充后输入的第 ${(rounded - 1) * s} 格开始，` +
      `已过了输入和左侧的填充（第 0 到 ${n + p - 1} 格）：` +
      `PyTorch 不要它，<span class="cfc-x-nobr">${sym("o", side)} = ${rounded} ${MINUS} 1 = ${size}</span>`;
  }
  return html;
}

// 输出 Y[o, i, j] 的算式（纯文本）。项太多时只写前面一段
const MAX_TERMS = 27;

export function explainCell(state, o, i, j) {
  const cell = outputCell(state, o, i, j);
  const name = `Y[${o}, ${i}, ${j}]`;
  const result = `${approx(cell.value, 4)} ${formatNumber(cell.value)}`;
  const overflow = overflowNote(state, cell.cells);
  if (state.op === "conv") {
    const count = cell.groups.reduce((sum, g) => sum + g.length, 0);
    const product = (t) => `${operand(t.x)}×${operand(t.w)}`;
    let body;
    if (count > MAX_TERMS) {
      const shown = cell.groups.flat().slice(0, 6).map(product).join(" + ");
      body = `${shown} + …（共 ${count} 项）`;
    } else {
      const parts = cell.groups.map((g) => g.map(product).join(" + "));
      body = parts.length > 1 ? parts.map((p) => `(${p})`).join(" + ") : parts[0];
    }
    return `${name} = ${body} ${result}${overflow}`;
  }
  const padded = cell.cells.length - cell.cells.filter((x) => x.inside).length;
  const list = (terms) => {
    const values = terms.map((t) => formatNumber(t.x));
    return values.length > MAX_TERMS ? `${values.slice(0, 6).join(", ")}, …（共 ${values.length} 个）` : values.join(", ");
  };
  if (state.op === "max") {
    const real = cell.terms.filter((t) => t.inside);
    if (real.length === 0) {
      return `${name}：窗口里 ${padded} 格全是补的，没有一个真实的输入；PyTorch 的补值是 ${MINUS}∞，输出 ${MINUS}∞${overflow}`;
    }
    const note = padded ? `（窗口里另有 ${padded} 个补的格子，补的是 ${MINUS}∞，不会被选中）` : "";
    return `${name} = max(${list(real)}) ${result}${note}${overflow}`;
  }
  const sum = cell.terms.map((t) => formatNumber(t.x));
  const shownSum = sum.length > MAX_TERMS ? `${sum.slice(0, 6).join(" + ")} + …` : sum.join(" + ");
  let note = "";
  if (padded && state.countIncludePad) note = `（${cell.count} 格里有 ${padded} 格是补的 0，count_include_pad=True 把它们算进分母）`;
  if (padded && !state.countIncludePad) note = `（补的 ${padded} 格不算，count_include_pad=False）`;
  return `${name} = (${shownSum}) / ${cell.count} ${result}${note}${overflow}`;
}

function overflowNote(state, cells) {
  const [kh, kw] = state.kernel;
  const missing = kh * kw - cells.length;
  return missing ? `；窗口伸出了填充后的输入，伸出去的 ${missing} 格不算` : "";
}

// —— 等价的 PyTorch 代码 ——

// Python 的浮点数字面量：3 → 3.，0.25 → 0.25
const pyNumber = (x) => (Number.isInteger(x) ? `${x}.` : String(x));
const pyValue = (v) => (v[0] === v[1] ? String(v[0]) : `(${v[0]}, ${v[1]})`);

// 嵌套列表：最里面一层写在一行，外层逐层换行缩进
function pyList(value, indent) {
  if (!Array.isArray(value[0])) return `[${value.map(pyNumber).join(", ")}]`;
  const inner = value.map((v) => pyList(v, indent + 1));
  return `[${inner.join(",\n" + " ".repeat(indent + 1))}]`;
}

export function layerCall(state) {
  const args = [];
  const d = effectiveDilation(state);
  if (state.op === "conv") {
    args.push(String(state.inChannels), String(state.outChannels), `kernel_size=${pyValue(state.kernel)}`);
    if (state.stride.some((v) => v !== 1)) args.push(`stride=${pyValue(state.stride)}`);
  } else {
    args.push(`kernel_size=${pyValue(state.kernel)}`);
    const sameAsKernel = state.stride[0] === state.kernel[0] && state.stride[1] === state.kernel[1];
    if (!sameAsKernel) args.push(`stride=${pyValue(state.stride)}`); // PyTorch 的默认步幅等于窗口
  }
  if (state.padding.some((v) => v !== 0)) args.push(`padding=${pyValue(state.padding)}`);
  if (state.op !== "avg" && d.some((v) => v !== 1)) args.push(`dilation=${pyValue(d)}`);
  if (state.op === "conv") args.push("bias=False");
  if (isPooling(state) && state.ceilMode) args.push("ceil_mode=True");
  if (state.op === "avg" && !state.countIncludePad) args.push("count_include_pad=False");
  const cls = { conv: "nn.Conv2d", max: "nn.MaxPool2d", avg: "nn.AvgPool2d" }[state.op];
  return `${cls}(${args.join(", ")})`;
}

// 复制到 Python 里就能运行、打印出和计算器一样的输出（或同样的报错）的代码
export function pythonCode(state) {
  const shape = `(1, ${state.inChannels}, ${state.height}, ${state.width})`;
  const lines = ["import torch", "from torch import nn", ""];
  lines.push(`# 形状 ${shape}：批量、通道、高、宽`);
  // float64：和计算器一样用双精度，打印出的数才对得上（float32 只有 7 位有效数字）
  lines.push(`X = torch.tensor([${pyList(state.input, 18)}], dtype=torch.float64)`);
  const layer = state.op === "conv" ? "conv" : "pool";
  lines.push(`${layer} = ${layerCall(state)}`);
  if (state.op === "conv") {
    const [o, c] = [state.outChannels, state.inChannels];
    lines.push(`# 卷积核的形状 (${o}, ${c}, ${state.kernel[0]}, ${state.kernel[1]})：输出通道、输入通道、高、宽`);
    lines.push(`conv.weight.data = torch.tensor(${pyList(state.weight, 31)}, dtype=torch.float64)`);
    lines.push("with torch.no_grad():  # 只算一次前向，打印时不带 grad_fn", `    Y = ${layer}(X)`);
  } else {
    lines.push(`Y = ${layer}(X)`);
  }
  lines.push("print(Y)");
  return lines.join("\n");
}


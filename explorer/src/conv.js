// 卷积计算器的计算部分：只有纯函数，不碰页面。
// 规则照 PyTorch 2.13 的 F.conv2d、F.max_pool2d、F.avg_pool2d（CPU）写成：接受什么、拒绝什么、
// 先查哪一条、输出多大、每个数怎么来。explorer/golden.json 是 PyTorch 自己算出的用例，
// explorer/test/conv.test.js 和浏览器测试拿它逐个核对。
//
// 状态对象（state）的键：
//   op            "conv" | "max" | "avg"
//   inChannels    输入通道数 c_i；outChannels 输出通道数 c_o（汇聚时等于 c_i）
//   height, width 输入的高 n_h、宽 n_w
//   kernel, padding, stride, dilation   各是 [高, 宽] 两个整数；padding 是每一侧补的行（列）数
//   ceilMode, countIncludePad           汇聚的两个开关
//   input   c_i × n_h × n_w 的数；weight  c_o × c_i × k_h × k_w 的数（只有卷积）

// 计算器自己的范围（不是 PyTorch 的）：再大，格子就画不下了
export const LIMITS = {
  height: [1, 16],
  width: [1, 16],
  inChannels: [1, 3],
  outChannels: [1, 3],
  kernel: [1, 16],
  padding: [-8, 8],
  stride: [0, 16],
  dilation: [0, 16],
};

const NAMES = {
  height: "输入的高",
  width: "输入的宽",
  inChannels: "输入通道数",
  outChannels: "输出通道数",
  kernel: "窗口",
  padding: "填充",
  stride: "步幅",
  dilation: "空洞",
};
const SIDE = ["高", "宽"];
const signed = (v) => String(v).replace("-", "\u2212"); // 说明文字里的负号用 −

export const isPooling = (state) => state.op !== "conv";
const outChannelsOf = (state) => (isPooling(state) ? state.inChannels : state.outChannels);
// 空洞为 d 时，k 个元素实际覆盖 d(k−1)+1 格
export const reach = (k, d) => d * (k - 1) + 1;

// PyTorch 的 div_rtn：向负无穷取整的整数除法
const floorDiv = (a, b) => Math.floor(a / b);

// 一个方向上的输出长度，和 PyTorch 的算法一步不差。
// 返回 { size, rounded, dropped }：rounded 是取整之后、丢窗口之前的数；
// dropped 为真表示 ceil_mode 多出来的最后一个窗口从右侧填充里开始，PyTorch 把它丢掉了。
export function outputLength(n, k, p, s, d, ceilMode = false) {
  const span = n + 2 * p - reach(k, d);
  const rounded = floorDiv(span + (ceilMode ? s - 1 : 0), s) + 1;
  const dropped = ceilMode && (rounded - 1) * s >= n + p;
  return { size: dropped ? rounded - 1 : rounded, rounded, dropped };
}

const pair = (v) => `(${v[0]}, ${v[1]})`;

// 检查一组设置。接受时返回 null；拒绝时返回 { category, field, message, torch }：
// message 是中文的解释，torch 是 PyTorch 报错信息的第一行（计算器自己的范围没有这一项）。
export function check(state) {
  return checkLimits(state) || (isPooling(state) ? checkPooling(state) : checkConv(state));
}

function checkLimits(state) {
  if (!["conv", "max", "avg"].includes(state.op)) {
    return { category: "limit", field: "op", message: `不认识的运算 ${state.op}` };
  }
  for (const field of Object.keys(LIMITS)) {
    if (field === "outChannels" && isPooling(state)) continue;
    if (field === "dilation" && state.op === "avg") continue; // 平均汇聚没有空洞，控件也藏着
    const values = Array.isArray(state[field]) ? state[field] : [state[field]];
    const [low, high] = LIMITS[field];
    const noun = field === "kernel" && state.op === "conv" ? "卷积核" : NAMES[field];
    for (const [index, v] of values.entries()) {
      const part = values.length === 2 ? `${noun}（${SIDE[index]}）` : noun;
      if (typeof v !== "number" || Number.isNaN(v)) {
        return { category: "limit", field, message: `${part}还没有填。` };
      }
      if (!Number.isInteger(v)) {
        return { category: "limit", field, message: `${part}应为整数，现在是 ${signed(v)}。` };
      }
      if (v > high) {
        return { category: "limit", field, message: `本计算器里${part}最大取 ${high}，现在是 ${v}。` };
      }
      if (v < low) {
        // 步幅、空洞、填充的下限放得比 PyTorch 宽一点：填 0 或负数能看到 PyTorch 怎样拒绝
        const torch = { padding: "（PyTorch 只接受不小于 0 的填充）", stride: "（PyTorch 只接受正整数）" }[field];
        const note = field === "dilation" ? "（PyTorch 只接受正整数）" : torch || "";
        return { category: "limit", field, message: `${part}不能小于 ${signed(low)}${note}，现在是 ${signed(v)}。` };
      }
    }
  }
  return null;
}

// 卷积：PyTorch 依次查填充、步幅、卷积核放不放得下，最后才查空洞。
// 所以空洞为 0 时，若（按空洞 0 算的）卷积核已经放不下，报的是放不下
function checkConv(state) {
  const { kernel: k, padding: p, stride: s, dilation: d } = state;
  if (p.some((v) => v < 0)) {
    return refuse("padding", "padding", "填充不能是负数。", "negative padding is not supported");
  }
  if (s.some((v) => v <= 0)) {
    return refuse("stride", "stride", "步幅必须是正整数。", "non-positive stride is not supported");
  }
  const padded = [state.height + 2 * p[0], state.width + 2 * p[1]];
  const covers = [reach(k[0], d[0]), reach(k[1], d[1])];
  const bad = [0, 1].find((i) => covers[i] > padded[i]);
  if (bad !== undefined) {
    const message =
      `卷积核在${SIDE[bad]}方向上覆盖 ${covers[bad]} 格` +
      (d[bad] > 1 ? `（${k[bad]} 个元素，空洞 ${d[bad]}）` : "") +
      `，比填充后的输入（${padded[bad]} 格）还大，一个位置也放不下。多补些填充，或换小一点的卷积核。`;
    return refuse(
      "kernel-too-large",
      "kernel",
      message,
      `Calculated padded input size per channel: (${padded[0]} x ${padded[1]}). ` +
        `Kernel size: (${covers[0]} x ${covers[1]}). Kernel size can't be greater than actual input size`,
    );
  }
  if (d.some((v) => v <= 0)) {
    return refuse(
      "dilation",
      "dilation",
      "空洞必须是正整数（1 表示不空洞）。",
      `dilation should be greater than zero, but got [${d[0]}, ${d[1]}]`,
    );
  }
  return null;
}

// 汇聚：PyTorch 先算输出的高、再算宽，每算一个方向查三条：步幅不是 0、填充不是负数、
// 填充不超过（空洞后）窗口的一半。然后查空洞，再查填充不超过窗口本身的一半（只有最大汇聚
// 有空洞，这两条才会不同），最后查输出是否至少 1 格
function checkPooling(state) {
  const { kernel: k, padding: p, stride: s } = state;
  const d = state.op === "max" ? state.dilation : [1, 1];
  for (const i of [0, 1]) {
    if (s[i] === 0) return refuse("stride", "stride", "步幅不能是 0。", "stride should not be zero");
    if (p[i] < 0) {
      return refuse("padding", "padding", "填充不能是负数。", `pad must be non-negative, but got pad: ${p[i]}`);
    }
    const half = Math.floor(reach(k[i], d[i]) / 2);
    if (p[i] > half) return padOverHalf(state, i, d);
  }
  if (d.some((v) => v <= 0)) {
    return refuse(
      "dilation",
      "dilation",
      "空洞必须是正整数（1 表示不空洞）。",
      `dilation should be greater than zero, but got dilationH: ${d[0]} dilationW: ${d[1]}`,
    );
  }
  for (const i of [0, 1]) {
    if (p[i] > Math.floor(k[i] / 2)) {
      return refuse(
        "pool-padding",
        "padding",
        `汇聚的填充最多是窗口的一半（向下取整）：${SIDE[i]}方向的窗口是 ${k[i]} 个元素，` +
          `填充最多 ${Math.floor(k[i] / 2)}，现在是 ${p[i]}。空洞不放宽这条限制。`,
        `pad should be smaller than or equal to half of kernel size, but got ` +
          `padW = ${p[1]}, padH = ${p[0]}, kW = ${k[1]}, kH = ${k[0]}`,
      );
    }
  }
  const [oh, ow] = [0, 1].map((i) => {
    const n = i === 0 ? state.height : state.width;
    return outputLength(n, k[i], p[i], s[i], d[i], state.ceilMode).size;
  });
  if (oh < 1 || ow < 1) {
    const c = state.inChannels;
    const bad = oh < 1 ? 0 : 1;
    const n = bad === 0 ? state.height : state.width;
    const over = reach(k[bad], d[bad]) - (n + 2 * p[bad]); // 窗口伸出填充后输入的格数
    const padded = n + 2 * p[bad];
    const why = state.ceilMode
      ? `窗口覆盖 ${padded + over} 格，比填充后的输入（${padded} 格）多出 ${over} 格；` +
        `打开 ceil_mode 时最多只能多出 ${s[bad] - 1} 格（步幅减 1）`
      : `窗口覆盖 ${padded + over} 格，比填充后的输入（${padded} 格）还大`;
    return refuse(
      "output-too-small",
      "kernel",
      `${SIDE[bad]}方向上算出的输出是 ${signed(bad === 0 ? oh : ow)} 格：${why}，所以一个窗口也放不下。`,
      `Given input size: (${c}x${state.height}x${state.width}). ` +
        `Calculated output size: (${c}x${oh}x${ow}). Output size is too small`,
    );
  }
  return null;
}

// PyTorch 在这里比的是空洞后的宽度的一半，稍后还要比窗口本身的一半（更严）：
// 说明里直接给出真正的上限 ⌊k/2⌋，免得读者改到 half 又被下一条拒绝
function padOverHalf(state, i, d) {
  const k = state.kernel[i];
  const p = state.padding[i];
  return refuse(
    "pool-padding",
    "padding",
    `汇聚的填充最多是窗口的一半（向下取整）：${SIDE[i]}方向的窗口是 ${k} 个元素，` +
      `填充最多 ${Math.floor(k / 2)}，现在是 ${p}。` +
      (d[i] > 1 ? `空洞不放宽这条限制。` : ""),
    `pad should be at most half of effective kernel size, but got pad=${p}, ` +
      `kernel_size=${k} and dilation=${d[i]}`,
  );
}

function refuse(category, field, message, torch) {
  return { category, field, message, torch };
}

// 接受的设置下，输出的形状 [c_o, o_h, o_w]
export function outputShape(state) {
  const d = effectiveDilation(state);
  const ceil = isPooling(state) && state.ceilMode;
  const [oh, ow] = [0, 1].map((i) => {
    const n = i === 0 ? state.height : state.width;
    return outputLength(n, state.kernel[i], state.padding[i], state.stride[i], d[i], ceil).size;
  });
  return [outChannelsOf(state), oh, ow];
}

// 平均汇聚没有空洞参数
export const effectiveDilation = (state) => (state.op === "avg" ? [1, 1] : state.dilation);

// 输出 [Y]_{o; i,j} 的窗口：填充后的输入里哪些格子参与，各乘卷积核的哪个元素。
// 坐标都按填充后的输入算（0 到 n+2p−1）；inside 表示这一格是真实的输入而不是补的。
// 汇聚在 ceil_mode 下的最后一个窗口可能伸出填充后的输入，伸出去的部分不算（PyTorch 也不算）。
export function windowCells(state, i, j) {
  const [kh, kw] = state.kernel;
  const [sh, sw] = state.stride;
  const [dh, dw] = effectiveDilation(state);
  const [ph, pw] = state.padding;
  const rows = state.height + 2 * ph;
  const cols = state.width + 2 * pw;
  const cells = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const r = i * sh + a * dh;
      const c = j * sw + b * dw;
      if (r >= rows || c >= cols) continue;
      const inside = r >= ph && r < ph + state.height && c >= pw && c < pw + state.width;
      cells.push({ r, c, a, b, inside });
    }
  }
  return cells;
}

// 平均汇聚的分母：count_include_pad 时是窗口落在填充后输入里的格数（伸出去的不算），
// 否则只数真实的输入格
function divisor(state, cells) {
  return state.countIncludePad ? cells.length : cells.filter((x) => x.inside).length;
}

// 一个输出元素：值，以及算它用到的每一项（页面上把它写成算式）
export function outputCell(state, o, i, j) {
  const cells = windowCells(state, i, j);
  const [ph, pw] = state.padding;
  const valueAt = (channel, x) => (x.inside ? state.input[channel][x.r - ph][x.c - pw] : 0);
  if (state.op === "conv") {
    const groups = state.input.map((_, channel) =>
      cells.map((x) => ({ ...x, channel, x: valueAt(channel, x), w: state.weight[o][channel][x.a][x.b] })),
    );
    let value = 0;
    for (const group of groups) for (const t of group) value += t.x * t.w;
    return { value, groups, cells };
  }
  const terms = cells.map((x) => ({ ...x, channel: o, x: valueAt(o, x) }));
  if (state.op === "max") {
    const real = terms.filter((t) => t.inside); // 补的格子在 PyTorch 里是 −∞，永远不会被选中
    const value = real.reduce((m, t) => (t.x > m ? t.x : m), -Infinity);
    return { value, terms, cells };
  }
  const counted = state.countIncludePad ? terms : terms.filter((t) => t.inside);
  let sum = 0;
  for (const t of counted) sum += t.x;
  return { value: sum / divisor(state, cells), terms: counted, count: divisor(state, cells), cells };
}

// 整个输出：c_o × o_h × o_w
export function compute(state) {
  const [channels, oh, ow] = outputShape(state);
  return Array.from({ length: channels }, (_, o) =>
    Array.from({ length: oh }, (_, i) =>
      Array.from({ length: ow }, (_, j) => outputCell(state, o, i, j).value),
    ),
  );
}

// 填充后输入的第 (r, c) 格影响了哪些输出位置 (i, j)
export function affectedOutputs(state, r, c) {
  const [, oh, ow] = outputShape(state);
  const hits = [];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      if (windowCells(state, i, j).some((x) => x.r === r && x.c === c)) hits.push([i, j]);
    }
  }
  return hits;
}

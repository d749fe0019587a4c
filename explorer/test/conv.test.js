// 计算器纯函数的单元测试：node --test explorer/test（make test 会跑）。
// 金标准用例 explorer/golden.json 由 PyTorch 写出（explorer/golden.py）；这里逐个核对
// 接受还是拒绝、拒绝的类别和 PyTorch 报错的原文、输出的形状和每一个数。
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { affectedOutputs, check, compute, outputLength, outputShape, windowCells } from "../src/conv.js";
import { explainCell, formatNumber, formulaHtml, layerCall, pythonCode } from "../src/text.js";
import { parseBlocks, randomStore } from "../src/values.js";

const golden = JSON.parse(readFileSync(new URL("../golden.json", import.meta.url), "utf8"));
const presets = JSON.parse(readFileSync(new URL("../presets.json", import.meta.url), "utf8"));
const decode = (v) => (v === "-inf" ? -Infinity : v === "inf" ? Infinity : v);
// 与 torch float64 的差不超过 1e-9 × max(1, |torch|)；−∞ 必须正好是 −∞
export const close = (got, want) =>
  Number.isFinite(want) ? Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;

test("金标准用例够多、三种运算都有", () => {
  assert.ok(golden.cases.length >= 500, `只有 ${golden.cases.length} 个用例`);
  for (const op of ["conv", "max", "avg"]) assert.ok(golden.cases.some((c) => c.op === op));
  assert.ok(golden.cases.some((c) => c.expect.error));
});

test("每个金标准用例：接受/拒绝、类别、报错原文、形状、数值都与 PyTorch 相同", () => {
  const failures = [];
  for (const c of golden.cases) {
    const problem = check(c);
    if (c.expect.error) {
      if (!problem) failures.push(`${c.id}: PyTorch 拒绝（${c.expect.error}），计算器接受了`);
      else if (problem.category !== c.expect.error || problem.torch !== c.expect.message) {
        failures.push(`${c.id}: 拒绝理由不同：${problem.category} ${problem.torch} ≠ ${c.expect.error} ${c.expect.message}`);
      }
      continue;
    }
    if (problem) {
      failures.push(`${c.id}: PyTorch 接受，计算器拒绝：${problem.message}`);
      continue;
    }
    const shape = outputShape(c);
    if (shape.join() !== c.expect.shape.join()) {
      failures.push(`${c.id}: 形状 ${shape} ≠ ${c.expect.shape}`);
      continue;
    }
    const got = compute(c).flat(2);
    const want = c.expect.output.flat(2).map(decode);
    const bad = got.findIndex((v, k) => !close(v, want[k]));
    if (bad >= 0) failures.push(`${c.id}: 第 ${bad} 个数 ${got[bad]} ≠ ${want[bad]}`);
  }
  assert.deepEqual(failures, []);
});

test("检查会失败：把一个被拒绝的用例当成接受的，比较会发现", () => {
  const refused = golden.cases.find((c) => c.expect.error === "kernel-too-large");
  assert.ok(check(refused));
  const accepted = golden.cases.find((c) => c.op === "avg" && !c.expect.error && c.expect.output.flat(2).some((v) => v % 1));
  const got = compute(accepted).flat(2);
  const want = accepted.expect.output.flat(2);
  assert.ok(got.every((v, k) => close(v, want[k])));
  assert.ok(!close(got[0] + 1e-6, want[0]), "容差没有宽到放过 1e-6 的误差");
});

test("ceil_mode：最后一个窗口的起点过了输入和左侧的填充时丢掉", () => {
  // 5 格输入、每侧补 1、窗口 2、步幅 2：向上取整得 4，第 4 个窗口从第 6 格开始，丢掉
  assert.deepEqual(outputLength(5, 2, 1, 2, 1, true), { size: 3, rounded: 4, dropped: true });
  assert.deepEqual(outputLength(5, 2, 0, 2, 1, true), { size: 3, rounded: 3, dropped: false });
  assert.deepEqual(outputLength(5, 2, 0, 2, 1, false), { size: 2, rounded: 2, dropped: false });
  // 窗口比输入大：向下取整得 0，向上取整得 1
  assert.equal(outputLength(4, 5, 0, 2, 1, false).size, 0);
  assert.equal(outputLength(4, 5, 0, 2, 1, true).size, 1);
});

test("输入格影响的输出，正是窗口里含有这一格的那些输出", () => {
  for (const c of golden.cases.filter((c) => !c.expect.error).slice(0, 200)) {
    const [, oh, ow] = outputShape(c);
    const rows = c.height + 2 * c.padding[0];
    const cols = c.width + 2 * c.padding[1];
    const r = (oh * 7) % rows;
    const col = (ow * 5) % cols;
    const expected = [];
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        if (windowCells(c, i, j).some((x) => x.r === r && x.c === col)) expected.push([i, j]);
      }
    }
    assert.deepEqual(affectedOutputs(c, r, col), expected, c.id);
  }
});

test("预设：填充一章的例子，算式写出实际的数", () => {
  const s = presets.padding;
  assert.deepEqual(compute(s), [[[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]]);
  assert.equal(explainCell(s, 0, 1, 1), "Y[0, 1, 1] = 0×0 + 1×1 + 3×2 + 4×3 = 19");
  assert.equal(explainCell(presets.pooling, 0, 0, 0), "Y[0, 0, 0] = max(0, 1, 3, 4) = 4");
});

test("算式：补的格子、负数、平均汇聚的分母、伸出的窗口", () => {
  const base = { inChannels: 1, outChannels: 1, height: 2, width: 2, stride: [1, 1], dilation: [1, 1], ceilMode: false };
  const input = [[[1, -2], [3, 4]]];
  const max = { ...base, op: "max", kernel: [2, 2], padding: [1, 1], countIncludePad: true, input };
  assert.equal(
    explainCell(max, 0, 0, 0),
    "Y[0, 0, 0] = max(1) = 1（窗口里另有 3 个补的格子，补的是 −∞，不会被选中）",
  );
  const avg = { ...max, op: "avg" };
  assert.match(explainCell(avg, 0, 0, 0), /^Y\[0, 0, 0\] = \(0 \+ 0 \+ 0 \+ 1\) \/ 4 = 0\.25（4 格里有 3 格是补的 0/);
  assert.match(explainCell({ ...avg, countIncludePad: false }, 0, 0, 0), /= \(1\) \/ 1 = 1（补的 3 格不算/);
  const conv = { ...base, op: "conv", kernel: [1, 2], padding: [0, 0], input, weight: [[[[-1, 0.5]]]] };
  assert.equal(explainCell(conv, 0, 0, 0), "Y[0, 0, 0] = 1×(−1) + (−2)×0.5 = −2");
  const third = { ...avg, height: 1, width: 1, input: [[[3]]], kernel: [3, 3], stride: [1, 1], padding: [0, 0], ceilMode: true };
  const over = { ...third, height: 2, width: 2, input, kernel: [3, 3] };
  assert.equal(check(third).category, "output-too-small");
  assert.match(explainCell(over, 0, 0, 0), /伸出去的 5 格不算/);
  const empty = { ...max, height: 1, width: 1, input: [[[5]]], dilation: [2, 2] };
  assert.match(explainCell(empty, 0, 0, 0), /全是补的.*输出 −∞/);
});

test("项太多时只写开头，并给出项数", () => {
  const n = 6;
  const grid = Array.from({ length: n }, () => Array(n).fill(1));
  const s = {
    op: "conv", inChannels: 1, outChannels: 1, height: n, width: n, kernel: [n, n],
    padding: [0, 0], stride: [1, 1], dilation: [1, 1], ceilMode: false, countIncludePad: true,
    input: [grid], weight: [[grid]],
  };
  assert.equal(explainCell(s, 0, 0, 0), "Y[0, 0, 0] = 1×1 + 1×1 + 1×1 + 1×1 + 1×1 + 1×1 + …（共 36 项） = 36");
});

test("输出长度的公式代入当前的数", () => {
  const plain = (html) => html.replace(/<[^>]+>/g, "");
  const html = formulaHtml(presets.explorer, 0);
  assert.match(html, /^<var>o<\/var><sub>h<\/sub> = ⌊\(<var>n<\/var><sub>h<\/sub> \+ 2<var>p<\/var>/);
  assert.match(plain(html), /= ⌊\(6 \+ 2×1 − \(3 − 1\) − 1\) \/ 2⌋ \+ 1/);
  assert.match(plain(html), /= ⌊5 \/ 2⌋ \+ 1 = 3$/);
  const dropped = { ...presets.pooling, height: 5, width: 5, padding: [1, 1], stride: [2, 2], ceilMode: true, input: [Array(5).fill(Array(5).fill(0))] };
  const text = plain(formulaHtml(dropped, 0));
  assert.match(text, /⌈/);
  assert.match(text, /第 4 个窗口将从填充后输入的第 6 格开始.*= 4 − 1 = 3/);
});

test("PyTorch 调用只写与默认值不同的参数", () => {
  assert.equal(layerCall(presets.padding), "nn.Conv2d(1, 1, kernel_size=2, padding=1, bias=False)");
  assert.equal(layerCall(presets.pooling), "nn.MaxPool2d(kernel_size=2, stride=1)");
  const pool = { ...presets.pooling, stride: [2, 2], kernel: [2, 2] };
  assert.equal(layerCall(pool), "nn.MaxPool2d(kernel_size=2)"); // 步幅默认等于窗口
  const avg = { ...pool, op: "avg", kernel: [3, 2], stride: [1, 2], padding: [1, 0], dilation: [3, 3], ceilMode: true, countIncludePad: false };
  assert.equal(
    layerCall(avg),
    "nn.AvgPool2d(kernel_size=(3, 2), stride=(1, 2), padding=(1, 0), ceil_mode=True, count_include_pad=False)",
  );
  const code = pythonCode(presets.padding);
  assert.match(code, /X = torch\.tensor\(\[\[\[\[0\., 1\., 2\.\],\n {20}\[3\., 4\., 5\.\],/);
  assert.match(code, /conv\.weight\.data = torch\.tensor\(\[\[\[\[0\., 1\.\],\n/);
});

test("格子里的数：整数原样，小数最多几位，负号和无穷", () => {
  assert.equal(formatNumber(19), "19");
  assert.equal(formatNumber(-2.5), "−2.5");
  assert.equal(formatNumber(1 / 3), "0.3333");
  assert.equal(formatNumber(1 / 3, 2), "0.33");
  assert.equal(formatNumber(-Infinity), "−∞");
  assert.equal(formatNumber(-0.0001, 2), "−0.0001"); // 很小的数不显示成 0
  assert.equal(formatNumber(0.004, 2), "0.004");
});

test("读者填的数：分块、分行，错误说清楚在哪", () => {
  assert.deepEqual(parseBlocks("1 2\n3, 4\n\n5 6\n7 8", "输入"), {
    shape: [2, 2, 2],
    values: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]],
  });
  assert.deepEqual(parseBlocks("[[1., 2.], [3., 4.]]".replace("], ", "],\n"), "输入").shape, [1, 2, 2]);
  assert.equal(parseBlocks("  \n", "输入").error, "输入是空的。");
  assert.equal(parseBlocks("1 x", "输入").error, "输入第 1 块第 1 行的“x”不是数。");
  assert.equal(parseBlocks("1 2\n3", "输入").error, "输入第 1 块第 2 行有 1 个数，第 1 行有 2 个。");
  assert.match(parseBlocks("1 2\n\n1 2 3", "卷积核").error, /第 2 块是 1×3，第 1 块是 1×2/);
});

test("随机数：同一个种子同一组数，范围正确", () => {
  const a = randomStore(7);
  assert.deepEqual(a, randomStore(7));
  assert.notDeepEqual(a.input, randomStore(8).input);
  const inputs = a.input.flat(2);
  const weights = a.weight.flat(3);
  assert.ok(inputs.every((v) => Number.isInteger(v) && v >= 0 && v <= 9));
  assert.ok(weights.every((v) => Number.isInteger(v) && v >= -2 && v <= 2));
  assert.equal(new Set(inputs).size, 10);
});

test("汇聚的填充上限说的是真正的上限；ceil_mode 下放不下的原因", () => {
  const pool = { ...presets.pooling, height: 5, width: 5, input: [Array(5).fill(Array(5).fill(1))] };
  const first = check({ ...pool, kernel: [3, 3], dilation: [2, 2], padding: [3, 0] });
  assert.match(first.message, /填充最多 1，现在是 3。空洞不放宽这条限制/);
  assert.match(first.torch, /pad should be at most half of effective kernel size/);
  const second = check({ ...pool, kernel: [3, 3], dilation: [2, 2], padding: [1, 0] });
  assert.equal(second, null);
  const ceil = check({ ...pool, height: 4, width: 4, kernel: [6, 1], stride: [2, 1], ceilMode: true });
  assert.match(ceil.message, /多出 2 格；打开 ceil_mode 时最多只能多出 1 格（步幅减 1），所以一个窗口也放不下/);
});

test("计算器自己的范围：越界、不是整数都说明", () => {
  const s = { ...presets.padding };
  assert.match(check({ ...s, height: 17 }).message, /本计算器里输入的高最大取 16，现在是 17/);
  assert.match(check({ ...s, padding: [-9, 0] }).message, /填充（高）不能小于 −8（PyTorch 只接受不小于 0 的填充），现在是 −9/);
  assert.match(check({ ...s, kernel: [17, 1] }).message, /卷积核（高）最大取 16/);
  assert.match(check({ ...presets.pooling, kernel: [17, 1] }).message, /窗口（高）最大取 16/);
  assert.match(check({ ...s, stride: [1, NaN] }).message, /步幅（宽）还没有填/);
  assert.match(check({ ...s, stride: [1, 1.5] }).message, /步幅（宽）应为整数，现在是 1.5/);
  // 平均汇聚没有空洞：空着的空洞一栏（控件藏着）不算错
  assert.equal(check({ ...presets.pooling, op: "avg", dilation: [NaN, 1] }), null);
  assert.equal(check({ ...s, op: "sum" }).category, "limit");
  assert.equal(check({ ...s, stride: [0, 1] }).category, "stride");
});

test("从 Python 粘贴的嵌套列表：一行写完的、多个通道的、四维的卷积核", () => {
  assert.deepEqual(parseBlocks("[[1,2,3],[4,5,6],[7,8,9]]", "输入").shape, [1, 3, 3]);
  assert.deepEqual(parseBlocks("torch.tensor([[[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]])", "输入"), {
    shape: [2, 2, 2],
    values: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]],
  });
  // 计算器自己复制出的卷积核：(输出通道, 输入通道, 高, 宽) 按输出、再按输入通道摊开
  const four = parseBlocks("[[[[1, 0]], [[2, 0]]], [[[3, 0]], [[4, 0]]]]", "卷积核");
  assert.deepEqual(four.shape, [4, 1, 2]);
  assert.deepEqual(four.values.map((b) => b[0][0]), [1, 2, 3, 4]);
  assert.match(parseBlocks("[[1, 2], [3]]", "输入").error, /第 1 块第 2 行有 1 个数/);
  assert.match(parseBlocks("[[1, 2], [3, 4]", "输入").error, /^输入框里的嵌套列表没读懂/);
  assert.equal(parseBlocks("[[1, 2], [3, [4]]]", "输入").error, "输入的嵌套层数不一致。");
  assert.match(parseBlocks('[["a", 2]]', "输入").error, /“a”不是数/);
});

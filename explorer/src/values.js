// 计算器里的数：由种子生成的随机整数，或读者自己填的数。

// mulberry32：几行就能写完的可复现伪随机数；同一个种子，每次打开页面都是同一组数
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const grid = (rows, cols, draw) => Array.from({ length: rows }, () => Array.from({ length: cols }, draw));

// 计算器能显示的最大范围都先备好数：改大小时，已有的数（包括读者填的）留在原处
export function randomStore(seed, channels = 3, size = 16) {
  const next = generator(seed);
  const integer = (low, high) => low + Math.floor(next() * (high - low + 1));
  return {
    input: Array.from({ length: channels }, () => grid(size, size, () => integer(0, 9))),
    weight: Array.from({ length: channels }, () =>
      Array.from({ length: channels }, () => grid(size, size, () => integer(-2, 2))),
    ),
  };
}

// 读文本框：空行分块，每行一行数，空格或逗号隔开；也认从 Python 粘过来的嵌套列表
// （torch.tensor([...]) 或 [[...], ...]：最里面两层是一块，外面的各层按顺序摊开成一块一块）
export function parseBlocks(text, what) {
  const nested = text.trim().startsWith("[") || /tensor\s*\(/.test(text);
  const blocks = nested ? nestedBlocks(text) : plainBlocks(text);
  if (blocks.error) return { error: `${what}${blocks.error}` };
  if (!blocks.length) return { error: `${what}是空的。` };
  const values = [];
  for (const [bi, rows] of blocks.entries()) {
    for (const [ri, row] of rows.entries()) {
      if (row.some(Array.isArray)) return { error: `${what}的嵌套层数不一致。` };
      const bad = row.find((t) => !Number.isFinite(Number(t)) || String(t).trim() === "");
      if (bad !== undefined) return { error: `${what}第 ${bi + 1} 块第 ${ri + 1} 行的“${bad}”不是数。` };
      if (row.length !== rows[0].length) {
        return {
          error: `${what}第 ${bi + 1} 块第 ${ri + 1} 行有 ${row.length} 个数，第 1 行有 ${rows[0].length} 个。`,
        };
      }
    }
    if (values.length && (rows.length !== values[0].length || rows[0].length !== values[0][0].length)) {
      const [r0, c0] = [values[0].length, values[0][0].length];
      return { error: `${what}第 ${bi + 1} 块是 ${rows.length}×${rows[0].length}，第 1 块是 ${r0}×${c0}；每块要一样大。` };
    }
    values.push(rows.map((row) => row.map(Number)));
  }
  return { shape: [values.length, values[0].length, values[0][0].length], values };
}

function plainBlocks(text) {
  return text
    .split(/\n\s*\n/)
    .map((b) => b.split("\n").map((line) => line.trim()).filter(Boolean))
    .filter((b) => b.length)
    .map((lines) => lines.map((line) => line.split(/[\s,，]+/).filter(Boolean)));
}

function nestedBlocks(text) {
  const body = text.slice(text.indexOf("["), text.lastIndexOf("]") + 1);
  const json = body
    .replace(/(\d)\.(?!\d)/g, "$1.0") // Python 的 3. 写成 3.0
    .replace(/,\s*\]/g, "]"); // 末尾多出的逗号
  let value;
  try {
    value = JSON.parse(json);
  } catch {
    return { error: "框里的嵌套列表没读懂：方括号要成对，数之间用逗号隔开。" };
  }
  const depth = (v) => (Array.isArray(v) ? 1 + depth(v[0]) : 0);
  const d = depth(value);
  if (d < 2) return [[Array.isArray(value) ? value : [value]]];
  // 最里面两层是一块；外层摊开（[[a, b], [c, d]] 这样的四层按 a、b、c、d 的顺序）
  const flatten = (v, levels) => (levels === 0 ? [v] : v.flatMap((x) => flatten(x, levels - 1)));
  const blocks = flatten(value, d - 2);
  if (blocks.some((b) => !Array.isArray(b) || b.some((row) => !Array.isArray(row)))) {
    return { error: "的嵌套层数不一致。" };
  }
  return blocks;
}

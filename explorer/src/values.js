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

// 读文本框：空行分块，每行一行数，空格或逗号隔开；从 Python 粘过来的方括号也认
export function parseBlocks(text, what) {
  const blocks = text
    .replace(/[[\]()]/g, " ")
    .split(/\n\s*\n/)
    .map((b) => b.split("\n").map((line) => line.trim()).filter(Boolean))
    .filter((b) => b.length);
  if (!blocks.length) return { error: `${what}是空的。` };
  const values = [];
  for (const [bi, lines] of blocks.entries()) {
    const rows = [];
    for (const [ri, line] of lines.entries()) {
      const tokens = line.split(/[\s,，]+/).filter(Boolean);
      const row = tokens.map(Number);
      const bad = tokens.find((t, k) => !Number.isFinite(row[k]));
      if (bad !== undefined) return { error: `${what}第 ${bi + 1} 块第 ${ri + 1} 行的“${bad}”不是数。` };
      if (rows.length && row.length !== rows[0].length) {
        return {
          error: `${what}第 ${bi + 1} 块第 ${ri + 1} 行有 ${row.length} 个数，第 1 行有 ${rows[0].length} 个。`,
        };
      }
      rows.push(row);
    }
    if (values.length && (rows.length !== values[0].length || rows[0].length !== values[0][0].length)) {
      const [r0, c0] = [values[0].length, values[0][0].length];
      return { error: `${what}第 ${bi + 1} 块是 ${rows.length}×${rows[0].length}，第 1 块是 ${r0}×${c0}；每块要一样大。` };
    }
    values.push(rows);
  }
  return { shape: [values.length, values[0].length, values[0][0].length], values };
}

// 构建时排版公式的 Node 进程：一次构建只启动一个。
// 从标准输入逐行读 JSON 数组 [[tex, displayMode], ...]（一页的全部公式），
// 向标准输出写一行 JSON 数组，每项是 {html} 或 {error}，顺序与输入相同。
const katex = require("katex");
const readline = require("readline");

function render([tex, displayMode]) {
  try {
    return { html: katex.renderToString(tex, { displayMode, throwOnError: true, strict: "error" }) };
  } catch (error) {
    return { error: String(error.message || error) };
  }
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  process.stdout.write(JSON.stringify(JSON.parse(line).map(render)) + "\n");
});

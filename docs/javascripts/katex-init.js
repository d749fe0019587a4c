// 在浏览器里排版 arithmatex 留下的 \( \) 与 \[ \]。
// document$ 是 Material 的页面流：开启即时导航后，每换一页都会再触发一次。
document$.subscribe(() => {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: true,
  });
});

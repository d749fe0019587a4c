// 读者在一页上看到的排版问题：tests/test_reading.py 把它注入构建好的页面，在各种视图下运行。
// 返回每一类问题的列表，每项是一句能定位问题的描述；列表都空才算读得顺。
() => {
  const root = document.querySelector(".md-content");
  // 折叠着的答案也要读：全部展开再量
  for (const d of root.querySelectorAll("details")) d.open = true;
  const problems = {
    hscroll: [], // 整页能横向滚动
    clipped: [], // 内容被裁掉：溢出却不能滚动，或伸出正文、又不在滚动框里
    uncued: [], // 能横向滚动，却没有提示（边缘的阴影）
    smallText: [], // 图里的字，渲染出来小于 10 px
    lineStart: [], // 中文的收尾标点排在了行首
    splitMath: [], // 短的行内公式被拆在两行
    lowContrastText: [], // 图里的字对背景不到 4.5:1
    lowContrastMarks: [], // 图里的线条、色标对背景不到 3:1
    figures: [], // 一张图显示的不是正好一份 SVG（宽图、窄图二选一），或照片网格里有位图没显示出来（表格的图不查）
  };
  // 量过了多少东西：测试据此确认检查没有空跑（比如图全藏起来了，字号就什么也量不到）
  const seen = { figureText: 0, punctuation: 0, inlineMath: 0, scrollers: 0 };
  const name = (el) => {
    const cls = typeof el.className === "string" ? el.className : el.getAttribute("class") || "";
    const text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${cls ? "." + cls.trim().split(/\s+/).join(".") : ""} 「${text}」`;
  };

  // —— 整页横向滚动 ——
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1) {
    problems.hscroll.push(`页面宽 ${page.scrollWidth}px，窗口 ${window.innerWidth}px`);
  }

  // —— 溢出：滚动框要有提示；不能滚动的溢出就是裁掉了 ——
  // 提示是 extra.css 里的滚动阴影：随内容滚动的遮罩（local）盖住固定在边缘的阴影（scroll），
  // 只有那一侧还有内容时阴影才露出来。这里认的是这套背景；它真的看得见，由截图测试核对。
  const hasCue = (style) => {
    const attach = style.backgroundAttachment.split(",").map((s) => s.trim());
    const images = style.backgroundImage;
    return attach.filter((a) => a === "local").length >= 2 &&
      attach.filter((a) => a === "scroll").length >= 2 && (images.match(/gradient/g) || []).length >= 4;
  };
  for (const el of root.querySelectorAll("*")) {
    if (el.closest(".katex-mathml")) continue; // 给读屏软件的 MathML：有意裁成 1px、看不见
    if (el.clientWidth <= 1 && el.clientHeight <= 1) continue; // 同理：只给读屏软件的（如手机上术语表的表头）
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
    const style = getComputedStyle(el);
    if (style.display === "inline") continue;
    if (style.overflowX === "auto" || style.overflowX === "scroll") {
      seen.scrollers++;
      if (!hasCue(style)) problems.uncued.push(`${name(el)} 宽 ${el.scrollWidth}/${el.clientWidth}`);
    } else if (style.overflowX === "hidden" || style.overflowX === "clip") {
      problems.clipped.push(`${name(el)} 宽 ${el.scrollWidth}/${el.clientWidth}，溢出的部分被裁掉`);
    }
  }
  // 伸出正文栏的公式、图、表、代码：不在某个滚动框里，就是压到了旁边或被裁掉
  // （手机上 Material 让代码块左右各伸出 0.8rem 贴到屏幕边，仍在正文栏 .md-content 之内）
  const content = root.querySelector("article") || root;
  const right = root.getBoundingClientRect().right;
  const inScroller = (el) => {
    for (let a = el.parentElement; a && a !== root; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === "auto" || ox === "scroll") return true;
    }
    return false;
  };
  const blocks = ".katex, svg, img, table, pre, video, canvas, iframe";
  for (const el of content.querySelectorAll(blocks)) {
    if (el.parentElement.closest(".katex, svg")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= right + 1 || inScroller(el)) continue;
    problems.clipped.push(`${name(el)} 伸出正文 ${Math.round(r.right - right)}px`);
  }

  // —— 每张图正好显示一份 SVG，而且有大小：下面几项只量看得见的字，图藏起来就什么也量不到 ——
  // 照片网格（没有 SVG）：每张位图都读到了、有大小
  for (const f of root.querySelectorAll("figure.cfc-figure")) {
    // 卷积计算器装好后，它位置上的静态图有意藏起来（没有脚本时的样子另有测试）
    if (f.closest(".cfc-explorer[data-mounted]")) continue;
    const pictures = [...f.querySelectorAll("img")];
    for (const img of pictures) {
      const r = img.getBoundingClientRect();
      if (!img.complete || img.naturalWidth === 0 || r.width < 50) {
        problems.figures.push(`${f.dataset.figure} 的 ${img.getAttribute("src")} 没有显示出来`);
      }
    }
    // 表格的图（实测的时间表）：没有 SVG，表格照正文的表格量（溢出、滚动提示）
    if (pictures.length || f.querySelector("table")) continue;
    const shown = [...f.querySelectorAll(":scope > svg")].filter((s) => {
      const r = s.getBoundingClientRect();
      return r.width > 50 && r.height > 20;
    });
    if (shown.length !== 1) problems.figures.push(`${f.dataset.figure} 显示了 ${shown.length} 份`);
  }

  // —— 图里的字号：计算出的字号 × SVG 的缩放 ——
  const texts = [...root.querySelectorAll("svg text")].filter((t) => t.getClientRects().length);
  seen.figureText = texts.length;
  for (const t of texts) {
    const m = t.getScreenCTM();
    const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (size < 10 - 0.01) problems.smallText.push(`${name(t)} ${size.toFixed(1)}px`);
  }

  // —— 行首的收尾标点 ——
  const CLOSING = /[，。、；：？！）」』】》〉〕］｝〗〙〛”’…％．]/g;
  const VISIBLE = /[^\s\u200b]/; // KaTeX 的 .vlist-s 里只有一个零宽空格
  const SKIP = "pre, script, style, svg, .katex-mathml, textarea";
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) =>
      n.parentElement.closest(SKIP) || !VISIBLE.test(n.data)
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT,
  });
  const charRect = (node, i) => {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rects = range.getClientRects();
    return rects.length ? rects[rects.length - 1] : null;
  };
  const lastChar = (node) => {
    for (let i = node.data.length - 1; i >= 0; i--) {
      if (VISIBLE.test(node.data[i])) return charRect(node, i);
    }
    return null;
  };
  let previous = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.getClientRects().length) continue; // 折叠着、看不见
    for (const match of node.data.matchAll(CLOSING)) {
      const i = match.index;
      const r = charRect(node, i);
      if (!r) continue;
      seen.punctuation++;
      let p = null;
      for (let k = i - 1; k >= 0 && !p; k--) if (VISIBLE.test(node.data[k])) p = charRect(node, k);
      if (!p && previous) p = lastChar(previous);
      if (p && r.left < p.right - 1 && r.top > p.top + 2) {
        const before = (previous && i === 0 ? previous.data.slice(-12) : "") + node.data.slice(0, i);
        problems.lineStart.push(`「${before.slice(-12)}⏎${node.data.slice(i, i + 8)}」`);
      }
    }
    // 正文里直接写的 3×3、224×224 也不该断在 × 两侧
    for (const match of node.data.matchAll(/\d+×\d+/g)) {
      const first = charRect(node, match.index);
      const last = charRect(node, match.index + match[0].length - 1);
      if (first && last && Math.abs(last.top - first.top) > 2) {
        problems.splitMath.push(`「${match[0]}」`);
      }
    }
    previous = node;
  }

  // —— 被拆开的短公式（如 1×1） ——
  for (const k of content.querySelectorAll(".katex")) {
    if (k.closest(".katex-display")) continue;
    seen.inlineMath++;
    const html = k.querySelector(".katex-html");
    const rects = [...html.getClientRects()];
    const tops = new Set(rects.map((r) => Math.round(r.top)));
    const width = rects.reduce((sum, r) => sum + r.width, 0);
    const line = k.parentElement.closest("p, li, td, th, dd, dt, summary, figcaption, h1, h2, h3, h4, div");
    // 不到一行六成宽的公式算短的：它整个挪到下一行也不会留下大片空白，就不该拆开
    if (tops.size > 1 && width <= 0.6 * line.clientWidth) {
      const tex = k.querySelector("annotation")?.textContent || k.textContent;
      problems.splitMath.push(`${tex}（${Math.round(width)}px，一行 ${line.clientWidth}px）`);
    }
  }

  // —— 图的对比度：把颜色画到 1×1 的画布上读回来，任何 CSS 颜色写法都能解析 ——
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const rgba = (color) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "#000";
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, alpha, under) => top.slice(0, 3).map((c, i) => c * alpha + under[i] * (1 - alpha));
  const luminance = (c) => {
    const [r, g, b] = c.map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  // 一个 HTML 元素背后的颜色：从 <html> 往里逐层叠上各祖先的背景色，最底下是白纸
  const pageBehind = (el) => {
    const chain = [];
    for (let a = el; a; a = a.parentElement) chain.unshift(a);
    let colour = [255, 255, 255];
    for (const a of chain) {
      const c = rgba(getComputedStyle(a).backgroundColor);
      colour = over(c, c[3], colour);
    }
    return colour;
  };
  const paint = (el, prop, opacityProp) => {
    const style = getComputedStyle(el);
    if (style[prop] === "none" || style.visibility === "hidden") return null;
    const c = rgba(style[prop]);
    return [c, c[3] * parseFloat(style[opacityProp]) * parseFloat(style.opacity)];
  };
  // SVG 里某一点背后的颜色：页面背景上，依次叠上 el 之前画的、盖住这一点的填充形状
  const behind = (svg, el, x, y, base) => {
    let colour = base;
    for (const s of svg.querySelectorAll("rect, circle, ellipse, path, polygon")) {
      if (s === el) break;
      if (!(s.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      const r = s.getBoundingClientRect();
      if (x < r.left || x > r.right || y < r.top || y > r.bottom) continue;
      const fill = paint(s, "fill", "fillOpacity");
      if (fill) colour = over(fill[0], fill[1], colour);
    }
    return colour;
  };
  for (const svg of root.querySelectorAll("svg")) {
    if (!svg.querySelector("text") || !svg.getClientRects().length) continue;
    const base = pageBehind(svg);
    for (const t of svg.querySelectorAll("text")) {
      if (!t.getClientRects().length) continue;
      const r = t.getBoundingClientRect();
      const bg = behind(svg, t, r.left + r.width / 2, r.top + r.height / 2, base);
      const [c, alpha] = paint(t, "fill", "fillOpacity");
      const value = ratio(over(c, alpha, bg), bg);
      if (value < 4.5) problems.lowContrastText.push(`${name(t)} ${value.toFixed(2)}:1`);
    }
    // 线条（格线、方框）对它所在处的背景；标明 data-mark 的填充（色标的两端、峰值）对页面背景
    for (const s of svg.querySelectorAll("rect, line, path, polyline, circle")) {
      if (!s.getClientRects().length) continue;
      const stroke = paint(s, "stroke", "strokeOpacity");
      const width = parseFloat(getComputedStyle(s).strokeWidth);
      if (stroke && width > 0) {
        const r = s.getBoundingClientRect();
        const bg = behind(svg, s, r.left + 0.5, r.top + r.height / 2, base);
        const value = ratio(over(stroke[0], stroke[1], bg), bg);
        if (value < 3) problems.lowContrastMarks.push(`${name(s)} 线条 ${value.toFixed(2)}:1`);
      }
      if (s.dataset.mark !== undefined) {
        const fill = paint(s, "fill", "fillOpacity");
        const value = ratio(over(fill[0], fill[1], base), base);
        if (value < 3) problems.lowContrastMarks.push(`${name(s)} 填充 ${value.toFixed(2)}:1`);
      }
    }
  }
  // 照片网格里位图的边框对页面背景：白的天空、中灰的输出靠它与页面分开
  for (const img of root.querySelectorAll("figure.cfc-figure img")) {
    if (!img.getClientRects().length) continue;
    const base = pageBehind(img.parentElement);
    const style = getComputedStyle(img);
    const border = rgba(style.borderTopColor);
    const width = parseFloat(style.borderTopWidth);
    const value = width > 0 ? ratio(over(border, border[3], base), base) : 1;
    if (value < 3) problems.lowContrastMarks.push(`${name(img)} 边框 ${value.toFixed(2)}:1`);
  }
  return { problems, seen };
};

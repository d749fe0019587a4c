/* 能滚动的区域要能用键盘聚焦，键盘读者才滚得动它（WCAG 2.1.1；axe 的 scrollable-region-focusable）。
 *
 * Material 只给代码块做了这件事，而且只在有悬停能力的设备上（matchMedia("(hover)")）：
 * 手机上它反而把 tabindex 去掉。公式、表格、笔记本的输出它不管。哪些区域真的溢出取决于
 * 窗口宽度，构建时不知道，所以在浏览器里做：正文里 overflow 为 auto/scroll 的元素，
 * 内容真的溢出时加 tabindex="0"，不再溢出时去掉（只去掉这里加的）。
 * 元素大小变化（转屏、展开折叠块）时重新判断；Material 去掉了 tabindex、元素仍溢出时加回来。
 *
 * 同时标出哪一侧还有内容（data-cfc-more="left right"），extra.css 在那一侧画一道明显的阴影。
 * 纯 CSS 的阴影（extra.css 里随内容滚动的遮罩）在只多出几个像素时会被遮罩盖住，手机上最后
 * 一个字被切掉却看不出来；没有脚本时仍用它。
 */
(function () {
  "use strict";
  var MARK = "data-cfc-scroll"; // 标记这里加的 tabindex
  var CANDIDATES = "pre, code, div, table";
  var watched = new Set();

  function overflows(el) {
    var style = getComputedStyle(el);
    var x = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    var y = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    return x || y;
  }

  function markSides(el) {
    var more = [];
    if (el.scrollLeft > 1) more.push("left");
    if (el.scrollLeft + el.clientWidth < el.scrollWidth - 1) more.push("right");
    if (more.length) el.setAttribute("data-cfc-more", more.join(" "));
    else el.removeAttribute("data-cfc-more");
  }

  function onScroll(event) {
    markSides(event.target);
  }

  function update(el) {
    markSides(el);
    if (overflows(el)) {
      if (!el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute(MARK, "");
      }
    } else if (el.hasAttribute(MARK)) {
      el.removeAttribute("tabindex");
      el.removeAttribute(MARK);
    }
  }

  var sizes = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      update(entry.target);
    });
  });
  var attributes = new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (watched.has(record.target)) update(record.target);
    });
  });

  function watch(el) {
    if (!watched.has(el)) {
      watched.add(el);
      el.addEventListener("scroll", onScroll, { passive: true });
      sizes.observe(el); // 大小变了再判断
    }
    update(el);
  }
  // 页面读完之后才出现、内容还会变的滚动区域（卷积计算器的格子）自己来登记；
  // 内容换了（大小不一定变）就再调用一次
  window.cfcScrollFocus = { watch: watch };

  function mount() {
    sizes.disconnect();
    attributes.disconnect();
    watched.forEach(function (el) {
      el.removeEventListener("scroll", onScroll);
    });
    watched.clear();
    var content = document.querySelector(".md-content");
    if (!content) return;
    content.querySelectorAll(CANDIDATES).forEach(function (el) {
      var style = getComputedStyle(el);
      if (/auto|scroll/.test(style.overflowX + " " + style.overflowY)) watch(el);
    });
    attributes.observe(content, { subtree: true, attributeFilter: ["tabindex"] });
  }

  // 第一页：等文档读完。离线版（从磁盘打开，没有 navigation.instant）里 Material 的 document$
  // 在这里订阅时已经发出过，不会再发，只靠它的话这个脚本在离线版里从不运行。mount 可以重复调用
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
  // navigation.instant：换页时不重新执行脚本，Material 的 document$ 每换一页发出一次
  if (window.document$) window.document$.subscribe(mount);
})();

/* 卷积计算器的加载器。计算器本身（cfc-explorer.js，由 explorer/src 打包）只在页面上真有计算器时
 * 才载入，其余页面不多下载一个字节。navigation.instant 换页时不重新执行脚本，Material 的
 * document$ 每换一页发出一次，这里每次都看一看新页面上有没有计算器。
 */
(function () {
  "use strict";
  var here = document.currentScript.src;
  var url = here.replace(/explorer\.js([?#].*)?$/, "cfc-explorer.js");
  var requested = false;

  function mount() {
    if (!document.querySelector(".cfc-explorer")) return;
    if (window.cfcExplorer) {
      window.cfcExplorer.mountAll();
    } else if (!requested) {
      requested = true; // 脚本载入后自己把页面上的计算器都装好
      var script = document.createElement("script");
      script.src = url;
      document.head.appendChild(script);
    }
  }

  // 第一页：等文档读完。离线版（从磁盘打开）没有 navigation.instant，Material 的 document$
  // 在这里订阅时不一定还会再发出，所以不只靠它
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
  // 之后每换一页（navigation.instant）
  if (window.document$) window.document$.subscribe(mount);
})();

// 站内搜索，页面这一侧。在 Material 的脚本之前运行（overrides/main.html），做两件事：
//
// 1. 搜索索引（几百 KB，比大多数页面本身还大）等读者打开搜索时再下载。Material 的脚本一运行
//    就用 XMLHttpRequest 请求 search/search_index.json；这里让那一个请求的 send 等到读者第一次
//    聚焦搜索框——点搜索框、按快捷键 / s f、在手机上点放大镜，Material 都会聚焦它。
//    Material 在 worker 报告就绪之前不发查询，就绪时补发搜索框里最新的内容，先打的字不会丢。
//    从搜索结果点进来的页面（网址带 ?h=）立即下载：Material 要用索引里的设置在页面上高亮搜的词。
//    （从磁盘打开站点时，Material 本来就等到打开搜索才读索引，这里不起作用。）
// 2. 让 Material 用我们的搜索 worker（cfc-search-worker.js）：它包着 Material 自己的 worker，
//    改查询怎样切词、搜术语时哪一页排第一。Material 的 worker 的网址（文件名里有随版本变的
//    散列）作为参数传过去。
//
// 页面之间用 navigation.instant 切换时这个脚本不会再运行，也不必：worker 和索引都只有一份。
;(() => {
  const config = document.getElementById("__config")
  const settings = JSON.parse(config.textContent)
  const worker = new URL("cfc-search-worker.js", document.currentScript.src)
  worker.searchParams.set("material", new URL(settings.search, location.href).href)
  settings.search = worker.href
  config.textContent = JSON.stringify(settings)

  const highlight = new URLSearchParams(location.search).has("h")
  const opened = highlight ? Promise.resolve() : new Promise(resolve => {
    const opening = event => {
      if (event.target.matches("[data-md-component=search-query], #__search")) resolve()
    }
    document.addEventListener("focusin", opening)
    document.addEventListener("change", opening)
  })
  const { open, send } = XMLHttpRequest.prototype
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.cfcSearchIndex = new URL(url, location.href).pathname.endsWith("/search/search_index.json")
    return open.call(this, method, url, ...rest)
  }
  XMLHttpRequest.prototype.send = function (...body) {
    if (this.cfcSearchIndex) opened.then(() => send.apply(this, body))
    else send.apply(this, body)
  }
})()

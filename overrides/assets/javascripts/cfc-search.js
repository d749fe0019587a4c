// 站内搜索，页面这一侧。在 Material 的脚本之前运行（overrides/main.html）：
// 让 Material 用我们的搜索 worker（cfc-search-worker.js）。它包着 Material 自己的 worker，
// 改查询怎样切词、搜术语时哪一页排第一。Material 的 worker 的网址（文件名里有随版本变的
// 散列）作为参数传过去。
//
// 页面之间用 navigation.instant 切换时这个脚本不会再运行，也不必：worker 只有一份。
;(() => {
  const config = document.getElementById("__config")
  const settings = JSON.parse(config.textContent)
  const worker = new URL("cfc-search-worker.js", document.currentScript.src)
  worker.searchParams.set("material", new URL(settings.search, location.href).href)
  settings.search = worker.href
  config.textContent = JSON.stringify(settings)
})()

// 站内搜索的 worker：包着 Material 自己的搜索 worker，改查询怎样切词，和术语搜索的第一条结果。
//
// 索引里的中文是构建时 jieba 按术语表切好的整词（“感受野”“步幅”）。Material 在浏览器里切分
// 查询时，只试比连写的整段短的子串：搜“感受野”查的是“感受*”，搜“步幅”查的是“步*”，
// 高亮的是页面上每个“步”。这里在查询交给 Material 之前：
//   1. 把连写的汉字按索引里的词从左到右取最长的词切开（“输出形状” → 输出、形状）；
//      余下的一段若是某个词的开头（读者还没打完，如“全连接”），就整段作为一个词，Material 会
//      给它加上 *，前缀匹配“全连接层”；
//   2. 术语表“也叫”一栏的别名换成本站的叫法（池化 → 汇聚层，MAC → 乘加，表由构建生成）；
//   3. 每个词的汉字之间插入反斜杠（“感\受\野”）：Material 只切分连写的两个以上汉字，
//      lunr 解析查询时又把反斜杠当转义符去掉，于是到达索引的正是整个词。
// 代码里的名字（max_pool2d、nn.Conv2d）在索引里按标点和下划线拆开了（mkdocs.yml 的
// separator），查询也一样拆开；这里再给它加上引号——Material 的引号写法要求每一段都出现，
// 搜 corr2d_multi_in 才不会被“in”带到每一页的 for 循环上。
//
// 整个查询就是一个术语（或它的别名、英文名），或者某一章代码里定义的函数名时，把讲它的那一页
// 移到结果的第一位：哪一页讲哪个术语由术语表的“在哪里讲”一栏给出，函数在哪一章定义由
// snippets/<模块>.py 给出（表由构建生成，见 sitebuild/search.py）。其余照 Material 的排序。
//
// Material 的 worker 和这两张表等收到索引（读者打开搜索时）才加载。
// 消息类型见 Material 的 SearchMessageType：0 建索引（SETUP），2 查询（QUERY），3 结果（RESULT）。

const SETUP = 0
const QUERY = 2
const RESULT = 3
const HAN = /\p{sc=Han}+/gu

// 从磁盘打开站点时，worker 由 Material 的 iframe-worker 垫片运行在 iframe 里
const workerUrl = typeof document === "undefined"
  ? location.href
  : document.querySelector("script[src]").src
const materialUrl = new URL(workerUrl).searchParams.get("material")
const termsUrl = new URL("cfc-search-terms.js", workerUrl).href

const IDENTIFIER = /^[A-Za-z0-9_.]+$/

let separator = /\s/        // 索引的分隔符，收到索引时换成 mkdocs.yml 里的那个
const words = new Set()     // 索引里的中文词和术语的别名
const prefixes = new Set()  // 它们的每个开头（包括整个词）
let longest = 1
let loaded = false
let pinned = null           // 最近一次查询要排第一的页面

function learn(word) {
  words.add(word)
  longest = Math.max(longest, word.length)
  for (let n = 1; n <= word.length; n++)
    prefixes.add(word.slice(0, n))
}

// 读出索引里的中文词：Material 用同一个 separator 切分索引
function vocabulary({ config, docs }) {
  separator = new RegExp(config.separator)
  for (const doc of docs)
    for (const token of `${doc.title} ${doc.text}`.split(separator))
      for (const run of token.match(HAN) || [])
        learn(run)
  for (const alias of Object.keys(self.cfcSynonyms))
    learn(alias)
}

// 连写的一段汉字 → 词的列表（从左到右取最长的词）
function segment(run) {
  const found = []
  for (let i = 0; i < run.length;) {
    const rest = run.slice(i)
    if (prefixes.has(rest)) {
      found.push(rest)
      break
    }
    let n = Math.min(longest, rest.length)
    while (n > 1 && !words.has(rest.slice(0, n)))
      n--
    found.push(rest.slice(0, n))
    i += n
  }
  return found
}

// 西文的别名（MAC、FLOPs）整个换成本站的叫法，不分大小写
function latinSynonym(part) {
  const lower = part.toLowerCase()
  for (const [alias, term] of Object.entries(self.cfcSynonyms))
    if (alias.toLowerCase() === lower && !/\p{sc=Han}/u.test(alias))
      return term
  return null
}

function rewrite(query) {
  return query.split(/(\s+)/).map(part => {
    const synonym = latinSynonym(part)
    if (synonym)
      return [...synonym].join("\\")
    if (IDENTIFIER.test(part) && part.split(separator).filter(Boolean).length > 1)
      return `"${part}"`
    return part.replace(HAN, run => segment(run)
      .map(word => [...(self.cfcSynonyms[word] || word)].join("\\"))
      .join(" "))
  }).join("")
}

// 讲这个查询的页面：整个查询（区分大小写，再试小写）是表里的名字时
function teacher(query) {
  const name = query.trim().replace(/\s+/g, " ")
  return self.cfcTaught[name] ?? self.cfcTaught[name.toLowerCase()] ?? null
}

// Material 的一条结果是一页里匹配的各节（location 形如 conv-layer/#从零实现）
function pin(result) {
  const first = result.items.findIndex(([item]) => item.location.split("#")[0] === pinned)
  if (first > 0)
    result.items.unshift(...result.items.splice(first, 1))
  return result
}

// Material 用 postMessage 把结果发回页面：先经过这里
const post = self.postMessage.bind(self)
self.postMessage = (message, ...rest) => {
  if (message.type === RESULT && pinned !== null)
    pin(message.data)
  return post(message, ...rest)
}

addEventListener("message", async event => {
  const message = event.data
  if (message.type === SETUP && !loaded) {
    // 第一次收到索引：加载 Material 的 worker，再把这条消息派发一次——Material 的监听器是在
    // 这次派发当中才加上的，收不到这一次
    loaded = true
    await importScripts(termsUrl, materialUrl)  // 在 iframe-worker 垫片里 importScripts 是异步的
    vocabulary(message.data)
    dispatchEvent(new MessageEvent("message", { data: message }))
  } else if (message.type === QUERY) {
    // Material 处理查询时不等待别的事，发回结果之前不会有下一条查询
    pinned = teacher(message.data)
    message.data = rewrite(message.data)
  }
})

# 两条命令完成全部准备：make serve（看站点）和 make test（跑全部测试）。
# 第一次运行时创建 .venv 并安装依赖；pyproject.toml 或 package-lock.json 变了会重装。
# 写作时的快速回归用 make test-fast；改了代码、输出变了，用 make update-outputs 改写页面上的输出。
# make bench 在这台机器上量《卷积怎样算得快》里的几种算法，写出页面上那两张时间表读的 CSV。

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := snippets figures sitebuild hooks tests benchmarks mutation docs/notebooks explorer
# Material 每次构建都会打印一条关于 MkDocs 2.0 的横幅；我们已钉住 mkdocs<2
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build offline test test-fast update-outputs lint weigh bench-build bench golden mutate clean

install: $(STAMP)

$(STAMP): pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: install
	$(BIN)/mkdocs serve

build: install
	$(BIN)/mkdocs build --strict

# ---- 离线版（见 sitebuild/offline.py）----
# 另构建一份能从磁盘（file://）打开的站点，打成 zip。部署工作流用
# OFFLINE_ZIP=site/downloads/conv-from-fc-offline.zip 把它放进发布的站点（首页链接的位置）
OFFLINE_SITE := build/offline
OFFLINE_ZIP ?= dist/conv-from-fc-offline.zip

offline: install
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir $(OFFLINE_SITE)
	$(BIN)/python -m sitebuild offline-zip $(OFFLINE_SITE) $(OFFLINE_ZIP)
# ---- 离线版结束 ----

lint: install
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

# 卷积计算器（explorer/）的纯函数先用 Node 自带的 node:test 测；浏览器里的对照在 pytest 里
test: lint
	node --test explorer/test/
	$(BIN)/pytest

# 单元测试和文档测试：不构建站点、不开浏览器、不执行笔记本，Hypothesis 只跑十分之一的例子
test-fast: install
	HYPOTHESIS_PROFILE=dev $(BIN)/pytest --no-cov -q -m "not build and not notebook and not browser"

update-outputs: install
	$(BIN)/python -m sitebuild update-outputs

weigh: build
	$(BIN)/python benchmarks/page_weight.py

# 同一批页面：本站的构建 vs 只用 Material 的构建，各跑几次取中位数
bench-build: install
	$(BIN)/python benchmarks/build_time.py

# 《卷积怎样算得快》的实测：逐窗口循环、im2col、FFT、Winograd 与 F.conv2d，写进
# benchmarks/results/fast-conv.csv（页面的时间表构建时读它）；THREADS=1 只用一个线程
bench: install
	$(BIN)/python benchmarks/fast_conv.py

# 卷积计算器的金标准：PyTorch 算出 explorer/golden.json 里的每个用例（浏览器测试拿计算器与它逐个比较）
golden: install
	$(BIN)/python explorer/golden.py

# 变异测试（慢，不在 make test 里）：逐处改坏 snippets/，看测试能否发现；MODULES="pooling" 只跑一个模块
mutate: $(VENV)/.installed-mutate
	$(BIN)/python mutation/run.py $(MODULES)

$(VENV)/.installed-mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet --editable '.[test,mutate]'
	touch $@

clean:
	rm -rf site build/offline dist .pytest_cache .coverage .hypothesis

# 两条命令完成全部准备：make serve（看站点）和 make test（跑全部测试）。
# 第一次运行时创建 .venv 并安装依赖；pyproject.toml 或 package-lock.json 变了会重装。

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := snippets figures hooks tests benchmarks docs/notebooks
# Material 每次构建都会打印一条关于 MkDocs 2.0 的横幅；我们已钉住 mkdocs<2
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build test lint weigh clean

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

lint: install
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

test: lint
	$(BIN)/pytest

weigh: build
	$(BIN)/python benchmarks/page_weight.py

clean:
	rm -rf site .pytest_cache .coverage .hypothesis

# webcare: the README's commands. Each target installs what it needs.
#   make demo   build, start a sandbox on a free port, run an agent flow, stop it
#   make test   every test suite: Rust, Python, Node, Kotlin and the examples
#   make bench  benchmarks (release build), writes BENCHMARKS.md
#   make eval-sentiment  sentiment evaluation (VADER parity, Dutch accuracy), docs/sentiment-eval.md
#   make soak   long fault-injection and fuzz runs
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TERM_COLOR ?= never

# Suites run by `make test`; each language adds its own line below.
TEST_TARGETS := lint test-rust
TEST_TARGETS += test-cli
TEST_TARGETS += test-kotlin
TEST_TARGETS += test-node
TEST_TARGETS += test-python
TEST_TARGETS += test-schemathesis

.PHONY: all demo test lint test-rust test-cli build bench soak clean

all: build

build:
	cargo build --workspace

demo:
	cargo build -p webcare-cli
	bash scripts/demo.sh

test: $(TEST_TARGETS)
	@echo "make test: all suites passed ($(TEST_TARGETS))"

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

test-rust:
	cargo test --workspace

test-cli:
	cargo build -p webcare-cli
	bash scripts/test-cli.sh

# Kotlin: host cdylib + uniffi-bindgen, generated bindings, Maven (JUnit 5) tests and the example.
test-kotlin:
	bash scripts/test-kotlin.sh

# Node.js: one cargo build of the addon, index.d.ts staleness check, node --test, tsc, the example bot.
.PHONY: test-node
test-node:
	bash scripts/test-node.sh

# Python: one cargo build of the extension, ruff, mypy, stubtest, pytest (sandbox), the examples.
.PHONY: test-python
test-python:
	cargo build -p webcare-cli
	bash scripts/test-python.sh

# Sentiment evaluation: parity with vaderSentiment 3.3.2 on the VADER tweets, accuracy vs the
# human ratings, Dutch accuracy on tests/data, language detection, throughput. Writes
# docs/sentiment-eval.md and BENCHMARKS.md's Sentiment section (scripts/eval_sentiment.py).
.PHONY: eval-sentiment
eval-sentiment:
	if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
	.venv/bin/python -c 'import vaderSentiment' 2>/dev/null || .venv/bin/python -m pip install -q --disable-pip-version-check -r scripts/requirements-eval.txt
	.venv/bin/python scripts/eval_sentiment.py

# Benchmarks (scripts/bench/run.sh): release builds, one sandbox, Python/Node/sandbox/memory/
# import-time comparisons, the core's criterion benches, the sentiment throughput; BENCHMARKS.md.
bench:
	bash scripts/bench/run.sh

# Reliability (docs/reliability.md). `make soak` runs SOAK_TARGETS; each language adds its own.
#   soak-rust: watch + replier under chaos (release, >= 5,000 operations, tokens expiring)
#   soak-fuzz: each cargo-fuzz target for FUZZ_SECONDS; soak-schemathesis: >= 2,000 cases
SOAK_OPS ?= 5000
FUZZ_SECONDS ?= 60
SOAK_TARGETS := soak-rust soak-fuzz soak-schemathesis
SOAK_TARGETS += soak-bindings

.PHONY: soak-rust soak-fuzz soak-schemathesis test-schemathesis
soak: $(SOAK_TARGETS)
	@echo "make soak: all passed ($(SOAK_TARGETS))"

soak-rust:
	cargo run --release -p webcare-integration-tests --bin soak -- --ops $(SOAK_OPS)

# The bindings' soaks (docs/reliability.md, Bindings): Python, Node and Kotlin, SOAK_OPS each,
# against the CLI sandbox with chaos on (a short run of each is in `make test`).
.PHONY: soak-bindings
soak-bindings:
	cargo build -p webcare-cli
	bash scripts/test-python.sh --build-only
	.venv/bin/python bindings-python/soak.py --ops $(SOAK_OPS)
	bash scripts/test-node.sh --build-only
	node bindings-node/soak.mjs --ops $(SOAK_OPS)
	bash scripts/test-kotlin.sh --soak $(SOAK_OPS)

soak-fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

soak-schemathesis:
	bash scripts/schemathesis.sh 2000

# A short schemathesis run (the short soak, durability and security tests are in test-rust).
test-schemathesis:
	bash scripts/schemathesis.sh 200

clean:
	cargo clean

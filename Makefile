# Lingtan 零碳 — build, run and test.
#   make run    build the `lingtan` command, print the sample factory's inventory, write its report
#   make test   every test (formatting and lints first)
#   make lint   rustfmt check and clippy with warnings as errors
#   make bench  benchmarks (figures go to BENCHMARKS.md)
#   make fuzz   a minute of cargo-fuzz on the importer (needs the nightly toolchain)
# Each target installs what it needs and skips what is already there.

SHELL := /bin/bash
CARGO ?= cargo
SAMPLE := target/sample/sample.lingtan
# The sample is built with a fixed clock so its fingerprint and audit head are reproducible.
SAMPLE_NOW := 2025-03-15T09:00:00Z

.PHONY: run test lint bench fuzz deps sample clean

deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install the Rust toolchain (rustup) first" >&2; exit 1; }
	@command -v cc >/dev/null || { echo "installing a C compiler (SQLite is compiled in)"; apt-get update -qq && apt-get install -y -qq build-essential; }
	@command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3; }
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

sample: deps
	$(CARGO) build --release -p lingtan-cli
	@mkdir -p target/sample
	LINGTAN_NOW=$(SAMPLE_NOW) bash sample-data/make-sample.sh target/release/lingtan $(SAMPLE)

run: sample
	@if [ -n "$${DISPLAY:-}" ]; then echo "(the desktop app comes in a later release; showing the command-line inventory)"; fi
	target/release/lingtan inventory $(SAMPLE)
	target/release/lingtan report $(SAMPLE) --lang zh+en --pdf target/sample/sample-report.pdf --xlsx target/sample/sample-report.xlsx
	@echo
	@echo "sample project: $(SAMPLE)   try: target/release/lingtan --help"

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# the report tests recalculate the auditor's workbook in LibreOffice Calc (headless) and read the
# PDF back with poppler (pdfinfo, pdffonts, pdftotext)
test: lint
	@command -v soffice >/dev/null || { echo "installing LibreOffice Calc (headless), for the workbook recalculation test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; }
	@command -v pdftotext >/dev/null || { echo "installing poppler-utils, to read the PDF report back in the tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils; }
	$(CARGO) test --workspace --locked

bench: sample
	@command -v pdfinfo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils; }
	$(CARGO) build --release --locked -p lingtan -p lingtan-import --examples
	bench/inventory.sh
	bench/import.sh
	bench/report.sh

fuzz: deps
	@rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	@# seed with every workbook in the repository (the first byte picks the file name: 0 = .xlsx)
	@mkdir -p target/fuzz-corpus && for f in tests/import/*.* sample-data/excel/*.*; do \
		case "$$f" in *.xlsx) p='\x00';; *.xls) p='\x01';; *.ods) p='\x02';; *.csv) p='\x03';; *) continue;; esac; \
		{ printf "$$p"; cat "$$f"; } > "target/fuzz-corpus/$$(basename "$$f")"; done
	cd crates/import && $(CARGO) +nightly fuzz run read ../../target/fuzz-corpus -- -max_total_time=60 -max_len=200000

clean:
	$(CARGO) clean

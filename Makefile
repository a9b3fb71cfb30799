# Lingtan 零碳 — build, run and test.
#   make run    the desktop app on the sample factory (with a display); without one, the `lingtan`
#               command prints the sample's inventory, reduction and offset summaries and its
#               2025 claim, and writes its 2024 and 2025 reports and its dossier
#   make test   every test (formatting and lints first), the desktop end-to-end test under Xvfb
#   make lint   rustfmt check and clippy with warnings as errors
#   make bench  benchmarks (figures go to BENCHMARKS.md)
#   make fuzz   a minute of cargo-fuzz on the importer (needs the nightly toolchain)
# Each target installs what it needs and skips what is already there.

SHELL := /bin/bash
CARGO ?= cargo
SAMPLE := target/sample/sample.lingtan
# The sample is built with a fixed clock so its fingerprint and audit head are reproducible.
SAMPLE_NOW := 2025-03-15T09:00:00Z
# The sample's 2025 claim is made after the year (sample-data/claim-2025.sh runs at this time).
CLAIM_NOW := 2026-03-20T09:00:00Z

.PHONY: run desktop test lint bench fuzz deps desktop-deps e2e-deps ui bindings sample clean

deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install the Rust toolchain (rustup) first" >&2; exit 1; }
	@command -v cc >/dev/null || { echo "installing a C compiler (SQLite is compiled in)"; apt-get update -qq && apt-get install -y -qq build-essential; }
	@command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3; }
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

# The desktop app's build needs WebKitGTK and friends (Debian 12 packages), and Node.js >= 20.19
# for its UI (vite 8).
desktop-deps: deps
	@pkg-config --exists webkit2gtk-4.1 javascriptcoregtk-4.1 libsoup-3.0 2>/dev/null || { echo "installing the desktop build packages (WebKitGTK, about 400 MB)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev pkg-config; }
	@command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' || { \
		echo "the desktop UI needs Node.js 20.19 or newer (found: $$(node --version 2>/dev/null || echo none)); install it, then run make again" >&2; exit 1; }

# the end-to-end test: a virtual display, WebKit's WebDriver, and tauri-driver in front of it
e2e-deps: desktop-deps
	@{ command -v Xvfb && command -v xauth && command -v WebKitWebDriver; } >/dev/null || { echo "installing Xvfb and WebKitWebDriver for the end-to-end test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends webkit2gtk-driver xvfb xauth; }
	@command -v tauri-driver >/dev/null || $(CARGO) install tauri-driver --locked --version '^2'

# TypeScript types of everything the UI and the Rust side exchange, generated from crates/dto
bindings: deps
	$(CARGO) test --locked -p lingtan-dto --quiet

# the UI bundle (ui/dist), which the desktop binary embeds: build it before any cargo build of
# src-tauri (clippy included)
ui: desktop-deps bindings
	@cd ui && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }
	cd ui && npm run build

sample: deps
	$(CARGO) build --release -p lingtan-cli
	@mkdir -p target/sample
	LINGTAN_NOW=$(SAMPLE_NOW) bash sample-data/make-sample.sh target/release/lingtan $(SAMPLE)

run: sample
	target/release/lingtan inventory $(SAMPLE)
	@# the reduction story: the 2030 target, the measures on their MACC, progress in 2025
	target/release/lingtan reduction $(SAMPLE) --year 2025
	@# the offset story: green-electricity certificates and carbon credits against 2025
	target/release/lingtan offset $(SAMPLE) --year 2025
	target/release/lingtan report $(SAMPLE) --lang zh+en --pdf target/sample/sample-report.pdf --xlsx target/sample/sample-report.xlsx
	target/release/lingtan report $(SAMPLE) --year 2025 --lang zh+en --pdf target/sample/sample-report-2025.pdf --xlsx target/sample/sample-report-2025.xlsx
	@# the certification story: 2025 claimed carbon neutral under ISO 14068-1, and the dossier for
	@# the certifier (the clock after the period, as when the claim is made)
	LINGTAN_NOW=$(CLAIM_NOW) target/release/lingtan claim $(SAMPLE) --framework iso14068-1 --year 2025
	rm -rf target/sample/dossier-2025
	LINGTAN_NOW=$(CLAIM_NOW) target/release/lingtan dossier $(SAMPLE) --framework iso14068-1 --year 2025 --lang zh+en --out target/sample/dossier-2025
	LINGTAN_NOW=$(CLAIM_NOW) target/release/lingtan dossier verify target/sample/dossier-2025
	@echo
	@echo "sample project: $(SAMPLE)   try: target/release/lingtan --help"
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then $(MAKE) --no-print-directory desktop; \
	else echo "(no display: the desktop app opens with 'make desktop' where there is one)"; fi

# the desktop app on the sample project ("Open the sample factory" opens a copy of it)
desktop: ui sample
	$(CARGO) build --release --locked -p lingtan-desktop
	target/release/lingtan-desktop --sample $(SAMPLE)

lint: ui
	$(CARGO) fmt --all -- --check
	@# the generated TypeScript types are committed with the Rust DTOs they come from: committed
	@# DTOs whose regenerated types differ from the committed ones mean a commit forgot them
	@if git rev-parse --git-dir >/dev/null 2>&1 && [ -n "$$(git status --porcelain -- ui/src/bindings)" ] \
		&& [ -z "$$(git status --porcelain -- crates/dto)" ]; then \
		echo "ui/src/bindings differ from what crates/dto generates: commit the regenerated files" >&2; \
		git status --short -- ui/src/bindings >&2; exit 1; fi
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# the report tests recalculate the auditor's workbook in LibreOffice Calc (headless) and read the
# PDF back with poppler (pdfinfo, pdffonts, pdftotext)
test: lint e2e-deps
	@command -v soffice >/dev/null || { echo "installing LibreOffice Calc (headless), for the workbook recalculation test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; }
	@command -v pdftotext >/dev/null || { echo "installing poppler-utils, to read the PDF report back in the tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils; }
	$(CARGO) test --workspace --locked
	@echo "desktop screenshots: target/e2e-shots/"

bench: sample ui e2e-deps
	@command -v pdfinfo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils; }
	$(CARGO) build --release --locked -p lingtan -p lingtan-import --examples
	bench/inventory.sh
	bench/import.sh
	bench/readers.sh
	bench/report.sh
	bench/reduction.sh
	bench/offset.sh
	bench/dossier.sh
	bench/desktop.sh

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

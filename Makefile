# spin-gate: plain make. `make` builds build/spin-gate; `make test` installs
# what it needs and runs every test; `make gate` runs the gate on the default
# bytewax suite. See README.md.

CC ?= cc
BUILD ?= build
WERROR ?= -Werror
OPT ?= -O2 -g
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
       -Wmissing-prototypes -Wvla -Wwrite-strings
CPPFLAGS += -D_GNU_SOURCE
CFLAGS += -std=c11 $(OPT) $(WARN) $(WERROR) $(SAN)
LDFLAGS += $(SAN)
LDLIBS = -lcurl -lcjson -lm

# The gate's defaults (make gate BASE=v0.16.0 HEAD=v0.16.1 RUNS=5)
BASE ?= v0.16.0
HEAD ?= v0.16.1
RUNS ?=
MAX_RUNS ?=
SUITE ?= scenarios/bytewax
OUT ?= out
GATE_ARGS ?=
# make compare REVS="v0.16.0 v0.16.1": each revision against the first (2 to 8)
REVS ?= v0.16.0 v0.16.1
COMPARE_ARGS ?=
# make corpus CASES="smol gocron": only those cases of corpus/cases.tsv
CASES ?=

# The stages as folders, lowest first (docs/architecture.md; make layers
# checks that includes point down). Files keep their names: one -I each.
LAYERS = lib model judge history render measure github store gate bisect cmd
INC = $(LAYERS:%=-Isrc/%)
CPPFLAGS += $(INC)
SRC = $(sort $(wildcard src/*/*.c))
HDR = $(wildcard src/*/*.h)
LIB_SRC = $(filter-out src/cmd/main.c,$(SRC))
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB = $(BUILD)/libspin-gate.a
BIN = $(BUILD)/spin-gate
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC = $(sort $(wildcard fuzz/fuzz_*.c))

.PHONY: all deps deps-gate unit e2e test check gate compare bench bench-changepoint bench-bytewax bench-history corpus asan leakcheck \
	lint format format-check fuzz fuzz-deps fuzz-run screenshots clean layers

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/cmd/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS)

$(BUILD)/tests:
	mkdir -p $@

# Test tools linked with the library (tests/tools/NAME.c -> $(BUILD)/tests/NAME):
# cp_series, the change-point detector on one series (tests/e2e/35-otava.sh).
TOOLS = $(BUILD)/tests/cp_series
$(BUILD)/tests/cp_series: tests/tools/cp_series.c $(LIB) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# Everything the tests need, installed only where missing: Debian packages,
# python3.9 from bullseye, the profilers (perf, py-spy), the hyperfines of
# tests/e2e/32 (1.18.0 and 1.20.0 built by cargo, 2.0.0's wheel), the npm test servers
# and validators, actionlint, nektos/act (the workflow runner of the sharded
# action test), chromium and playwright-core for the report's browser test,
# ajv, typescript and mermaid-cli for the export and chart tests (tests/export).
deps:
	bash scripts/deps.sh all
	bash scripts/deps.sh profile
	bash scripts/deps.sh hyperfines
	bash scripts/deps.sh pyperf
	bash tests/github/setup.sh
	bash tests/action/setup.sh >/dev/null
	bash tests/act/setup.sh >/dev/null
	bash tests/browser/setup.sh
	bash tests/export/setup.sh
	bash scripts/deps.sh otava

deps-gate:
	bash scripts/deps.sh all
	bash scripts/deps.sh profile

unit: $(UNIT_BIN)
	bash tests/run.sh --unit $(UNIT_BIN)

e2e: $(BIN) $(TOOLS)
	bash tests/run.sh --e2e

# All tests: unit, end to end (the real hyperfine and the real bytewax).
test: deps
	$(MAKE) $(BIN) $(UNIT_BIN) $(TOOLS)
	bash tests/run.sh --unit $(UNIT_BIN) --e2e

check: test

gate: deps-gate $(BIN)
	$(BIN) run --base '$(BASE)' --head '$(HEAD)' --suite '$(SUITE)' --out '$(OUT)' \
		$(if $(RUNS),--runs '$(RUNS)') $(if $(MAX_RUNS),--max-runs '$(MAX_RUNS)') $(GATE_ARGS)

# each word of REVS one argument, quoted like the others
compare: deps-gate $(BIN)
	$(BIN) compare $(foreach r,$(REVS),'$(r)') --suite '$(SUITE)' --out '$(OUT)' \
		$(if $(RUNS),--runs '$(RUNS)') $(if $(MAX_RUNS),--max-runs '$(MAX_RUNS)') $(COMPARE_ARGS)

# The pictures in README and docs/img from a gate's output (make gate first):
# report.html at desktop and phone widths and its most changed scenario,
# verdict.md's CPU chart drawn by mermaid; then squeezed (pngquant, optipng).
# make screenshots OUT=out
screenshots:
	bash tests/browser/setup.sh
	bash scripts/deps.sh images
	node tests/browser/screenshot.mjs '$(OUT)' docs/img
	pngquant --force --skip-if-larger --strip --quality 60-90 --ext .png \
		docs/img/report-desktop.png docs/img/report-phone.png docs/img/report-spin.png \
		docs/img/chart-cpu.png || true
	optipng -quiet -o2 docs/img/report-desktop.png docs/img/report-phone.png \
		docs/img/report-spin.png docs/img/chart-cpu.png

bench: deps $(BIN)
	bash bench/run.sh

# The change-point detector on simulated histories of main, next to Apache
# Otava 0.8.0 (bench/RESULTS.md, "Change points"; ~4 min).
bench-changepoint:
	bash bench/changepoint.sh

# The real bytewax (v0.16.0 <-> v0.16.1) under the benchmark's loads.
bench-bytewax: deps-gate $(BIN)
	bash bench/bytewax.sh

# A real main history: sh 1.11 to 1.14 one release a commit, recorded and
# read back (docs/history.md, "A real history: sh 1.11 to 1.14"; ~8 min).
bench-history: $(BIN)
	bash bench/history-sh.sh

# The corpus of real spin bugs (corpus/cases.tsv): every case gated both ways by
# the built gate, the table written to corpus/RESULTS.md. A benchmark, not a
# test (minutes; the first run installs each case's releases from its
# registry). make corpus CASES="smol gocron" for some of them (their table goes
# to out/corpus/RESULTS.md).
corpus: $(BIN)
	bash scripts/corpus.sh $(CASES)

asan:
	$(MAKE) BUILD=build-asan OPT='-O1 -g' SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		build-asan/spin-gate $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%) build-asan/tests/cp_series
	SPIN_GATE_BIN=build-asan/spin-gate bash tests/run.sh --unit $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%) --e2e-fast

leakcheck: $(UNIT_BIN)
	for t in $(UNIT_BIN); do valgrind -q --leak-check=full --error-exitcode=9 $$t || exit 1; done

# Includes point down the pipeline (lib < model < judge < render <
# measure, github < gate < cmd); .ci/run runs it.
layers:
	bash scripts/layers.sh src

lint:
	bash scripts/deps.sh lint
	clang-tidy --quiet $(SRC) -- $(CPPFLAGS) -std=c11
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr -D_GNU_SOURCE $(INC) src

format:
	bash scripts/deps.sh lint
	clang-format -i $(SRC) $(HDR) tests/unit/*.c

format-check:
	bash scripts/deps.sh lint
	clang-format --dry-run --Werror $(SRC) $(HDR) tests/unit/*.c

# libFuzzer targets: the library compiled once with coverage for them, each
# fuzz/fuzz_NAME.c linked against it as $(BUILD)/fuzz_NAME.
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined $(CPPFLAGS)
FUZZ_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/fuzz-obj/%.o)
FUZZ_BIN = $(FUZZ_SRC:fuzz/%.c=$(BUILD)/%)
FUZZ_SECONDS ?= 4

fuzz: $(FUZZ_BIN)

fuzz-deps:
	bash scripts/deps.sh fuzz

$(BUILD)/fuzz-obj/%.o: src/%.c $(HDR) | fuzz-deps
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c -o $@ $<

$(BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ) | fuzz-deps
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

# Each target on its committed corpus (fuzz/corpus/NAME) and then FUZZ_SECONDS
# of fuzzing from it; new inputs go to a scratch directory, never the corpus.
# A crash on a known input fails here (.ci/run runs it).
fuzz-run: $(FUZZ_BIN)
	bash scripts/fuzz-run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

clean:
	rm -rf build build-asan

# kesu — customer-complaint management. `make run` and `make test` are the two
# commands of the quick start; both install what is missing first.

CC      ?= cc
FUZZCC  ?= clang
PREFIX  ?= /usr/local
DB      ?= kesu.db

WARN    = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wpointer-arith -Wcast-qual -Wvla
BASE    = -std=c17 -D_GNU_SOURCE -Isrc -include src/util/banned.h -MMD -MP $(WARN)
LIBS    = -lmicrohttpd -ljansson -lsqlite3 -lsodium -lcurl -lical -lpthread -lm
SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

LIB_SRC   = $(filter-out src/main.c,$(wildcard src/*/*.c))
ASM_SRC   = $(wildcard src/*/*.S)
UNIT_SRC  = $(wildcard tests/unit/*/test_*.c)
FUZZ_SRC  = $(wildcard fuzz/fuzz_*.c)

# The web front end (web/) is linked into kesu: build/gen/web_assets.S lists
# it. The list of files is a file of its own, rewritten only when it changes,
# so that adding or removing a file rebuilds the table too.
WEB_FILES := $(shell find web -type f ! -name '.*' ! -name '*~' 2>/dev/null | LC_ALL=C sort)
WEB_LIST_NOW := $(shell mkdir -p build/gen; echo '$(WEB_FILES)' > build/gen/web_files.new; \
    cmp -s build/gen/web_files.new build/gen/web_files.txt || cp build/gen/web_files.new build/gen/web_files.txt)

build/gen/web_assets.S: scripts/embed-web.sh build/gen/web_files.txt $(WEB_FILES)
	@mkdir -p $(@D)
	sh scripts/embed-web.sh web > $@.tmp && mv $@.tmp $@

# build/<variant>/: release (-O2), test (sanitizers), valgrind (-O0, no sanitizers)
define variant
$(1)_OBJ  = $$(patsubst src/%.c,build/$(1)/obj/%.o,$$(LIB_SRC)) $$(patsubst src/%.S,build/$(1)/obj/%.o,$$(ASM_SRC)) \
            build/$(1)/obj/web_assets.o
$(1)_LIB  = build/$(1)/libkesu.a
$(1)_BIN  = build/$(1)/kesu
$(1)_UNIT = $$(patsubst tests/unit/%.c,build/$(1)/unit/%,$$(UNIT_SRC))

build/$(1)/obj/%.o: src/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE) $(2) -c $$< -o $$@

build/$(1)/obj/%.o: src/%.S docs/openapi.json
	@mkdir -p $$(@D)
	$$(CC) $(2) -c $$< -o $$@

build/$(1)/obj/web_assets.o: build/gen/web_assets.S
	@mkdir -p $$(@D)
	$$(CC) $(2) -c $$< -o $$@

$$($(1)_LIB): $$($(1)_OBJ)
	@rm -f $$@
	ar rcs $$@ $$^

$$($(1)_BIN): build/$(1)/obj/main.o $$($(1)_LIB)
	$$(CC) $(2) $$^ $$(LIBS) -o $$@

build/$(1)/obj/main.o: src/main.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE) $(2) -c $$< -o $$@

build/$(1)/unit/%: tests/unit/%.c $$(wildcard tests/unit/testutil*.h) $$($(1)_LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(BASE) -Itests/unit $(2) $$< $$($(1)_LIB) $$(LIBS) -lcmocka -o $$@
endef

$(eval $(call variant,release,-O2 -g))
$(eval $(call variant,test,-O1 -g $(SAN)))
$(eval $(call variant,valgrind,-O0 -g))

.PHONY: all deps build run test unit api-test web-test crash-test bench-web fuzz fuzz-smoke bench \
        test-valgrind clean distclean format

all: build

deps:
	@sh scripts/deps.sh

build: $(release_BIN)

# First use creates and fills the database; later runs reuse it.
run: deps build
	@if [ ! -f "$(DB)" ]; then \
	    ./$(release_BIN) init --db "$(DB)" && ./$(release_BIN) demo --db "$(DB)"; \
	else \
	    ./$(release_BIN) init --db "$(DB)"; \
	fi
	./$(release_BIN) serve --db "$(DB)"

test: deps
	$(MAKE) unit
	$(MAKE) fuzz-smoke
	$(MAKE) api-test
	$(MAKE) web-test
	$(MAKE) crash-test
	@echo "make test: all suites passed"

unit: $(test_UNIT) $(test_BIN)
	@sh scripts/run-unit.sh $(test_UNIT)

api-test: $(test_BIN)
	KESU_BIN=$(CURDIR)/$(test_BIN) sh scripts/node-test.sh tests/api/

# The browser tests' one npm package (playwright-core), exactly as locked.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The front end's own checks (catalog, no innerHTML) and the browser tests in
# Debian's Chromium; screenshots land in tests/artifacts/screens/.
web-test: $(test_BIN) node_modules/.package-lock.json
	KESU_BIN=$(CURDIR)/$(test_BIN) sh scripts/node-test.sh tests/web/ tests/e2e/

crash-test: $(release_BIN)
	KESU_BIN=$(CURDIR)/$(release_BIN) node tests/crash/crash.mjs

test-valgrind: $(valgrind_UNIT)
	@sh scripts/run-unit.sh --valgrind $(valgrind_UNIT)

# libFuzzer targets: one per parser of outside input.
FUZZ_BIN = $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_OBJ = $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIB_SRC)) $(patsubst src/%.S,build/fuzz/obj/%.o,$(ASM_SRC)) \
           build/fuzz/obj/web_assets.o
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZCC) $(BASE) $(FUZZ_FLAGS) -c $< -o $@

build/fuzz/obj/%.o: src/%.S docs/openapi.json
	@mkdir -p $(@D)
	$(FUZZCC) -c $< -o $@

build/fuzz/obj/web_assets.o: build/gen/web_assets.S
	@mkdir -p $(@D)
	$(FUZZCC) -c $< -o $@

build/fuzz/libkesu.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/%: fuzz/%.c build/fuzz/libkesu.a
	$(FUZZCC) $(BASE) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    $< build/fuzz/libkesu.a $(LIBS) -o $@

fuzz: $(FUZZ_BIN)
	@echo "fuzz targets built in build/fuzz/; run one with: build/fuzz/fuzz_NAME fuzz/corpus/NAME"

# A short run of every target over its checked-in corpus (git's fuzz smoke test).
fuzz-smoke: $(FUZZ_BIN)
	@sh scripts/fuzz-smoke.sh $(FUZZ_BIN)

bench: deps build
	@sh bench/run.sh

bench-web: deps build node_modules/.package-lock.json
	@sh bench/web.sh

format:
	clang-format -i src/*/*.c src/*/*.h src/main.c

clean:
	rm -rf build

distclean: clean
	rm -f $(DB) $(DB)-wal $(DB)-shm

-include $(shell find build -name '*.d' -type f 2>/dev/null)

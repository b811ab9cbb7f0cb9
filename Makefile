# clusterplan — plain Makefile.
#   make            library + program          make test     quick test tier
#   make check      full tier: tests, ASan+UBSan build of the tests, CLI checks
#   make bench      benchmarks (bench/RESULTS.md)   make install  PREFIX=/usr/local
#   make asan / ubsan / valgrind / fuzz / clean

CC      ?= cc
PREFIX  ?= /usr/local
WERROR  ?=
OPT     ?= -O2 -g
WARN    = -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef $(WERROR)
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
CFLAGS  ?=
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) -fopenmp \
             -Iinclude $(CFLAGS)
LIBS    = $(XML_LIBS) -lglpk -lm -fopenmp
BUILD  ?= build

SOLVER_SRC := $(wildcard solver/*.c)
IO_SRC     := $(wildcard io/*.c)
CLI_SRC    := $(wildcard cli/*.c)
TEST_SRC   := $(wildcard tests/test_*.c)

LIB_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(SOLVER_SRC) $(IO_SRC))
CLI_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))

.PHONY: all test check bench asan ubsan valgrind fuzz clean install
all: $(BUILD)/libclusterplan.a $(BUILD)/clusterplan

$(BUILD)/io/%.o: io/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(XML_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libclusterplan.a: $(LIB_OBJ)
	ar rcs $@ $^
$(BUILD)/clusterplan: $(CLI_OBJ) $(BUILD)/libclusterplan.a
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@
$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libclusterplan.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isolver $< $(BUILD)/libclusterplan.a $(LIBS) -lcmocka -o $@

# Quick tier: unit tests and the CLI checks on shipped instances.
test: all $(TEST_BIN)
	@tests/run_tests.sh $(BUILD)

# Full tier: the quick tier, the same tests under ASan+UBSan, and the fuzz
# corpus (every test input and every crash ever found) replayed.
check: test
	@tests/fuzz/run.sh replay
	$(MAKE) asan
	@tests/run_tests.sh build-asan

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS_EXTRA=-fsanitize=address,undefined all $(patsubst $(BUILD)/%,build-asan/%,$(TEST_BIN))
ubsan: asan

# Definite and indirect leaks are errors; "possibly lost" is not: libgomp's pool
# threads keep their thread-local storage until the process exits.
valgrind: all $(TEST_BIN)
	@for t in $(TEST_BIN); do valgrind -q --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect $$t || exit 1; done

fuzz:
	@tests/fuzz/run.sh

bench: all
	@bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/clusterplan $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(BUILD)/libclusterplan.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/clusterplan.h $(DESTDIR)$(PREFIX)/include/

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

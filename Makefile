# mentorctl — see README.md.  `make demo` and `make check` install what is
# missing (scripts/deps.sh) and then build in $(BUILD).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
BUILD ?= build

CC ?= cc
CFLAGS ?= -O2 -g
STD_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow \
	-Wmissing-prototypes -Wstrict-prototypes -Wformat=2 -Werror
CPPFLAGS += -Iinclude -I$(BUILD)/gen

PKG_CONFIG ?= pkg-config
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags sqlite3 yaml-0.1 libsodium 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 yaml-0.1 libsodium 2>/dev/null)
# GMime (and GLib under it) is loaded by `inbox` alone, from a plugin: linked
# into the binary it would cost every command 17 libraries at start-up.
GMIME_CFLAGS := $(shell $(PKG_CONFIG) --cflags gmime-3.0 2>/dev/null)
GMIME_LIBS := $(shell $(PKG_CONFIG) --libs gmime-3.0 2>/dev/null)
PLUGINDIR ?= $(PREFIX)/lib/mentorctl
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
LDLIBS += $(PKG_LIBS) -lm

ALL_CFLAGS = $(STD_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)

SRC := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRC := $(filter-out src/main.c src/io/mime.c,$(SRC))
# The plugin: io/mime and the few helpers it uses, compiled position-independent.
PLUGIN_SRC := src/io/mime.c src/core/date.c src/util/utf8.c src/util/strbuf.c \
	src/util/xmalloc.c src/util/error.c
PLUGIN_OBJ := $(PLUGIN_SRC:%.c=$(BUILD)/pic/%.o)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_SRC := $(sort $(wildcard src/cmd_*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
# The LEMON anchor (C++, bench only: `make` and `make check` need neither a
# C++ compiler nor LEMON; `make bench` installs both, scripts/deps.sh bench).
CXX ?= g++
BENCH_CXXFLAGS = -O2 -std=c++11 -Wall -Wno-unused-function \
	-Wno-maybe-uninitialized
BENCH_CXX_SRC := $(sort $(wildcard bench/*.cc))
BENCH_CXX_BIN := $(BENCH_CXX_SRC:bench/%.cc=$(BUILD)/bench/%)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

.PHONY: all check check-run unit cli demo demo-run asan bench bench-run \
	fuzz install install-strip uninstall clean deps deps-test format

all: $(BUILD)/mentorctl $(BUILD)/mentorctl-mime.so

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

# The README's test command: install what is missing, then build and test in
# a second make so that pkg-config sees the freshly installed libraries.
check: deps-test
	@$(MAKE) --no-print-directory check-run

check-run: all $(UNIT_BIN)
	@sh scripts/run-tests.sh $(BUILD)

unit: $(UNIT_BIN)
	@sh scripts/run-tests.sh $(BUILD) unit

cli: all
	@sh scripts/run-tests.sh $(BUILD) cli

demo: deps
	@$(MAKE) --no-print-directory demo-run

demo-run: all
	@sh scripts/demo.sh $(BUILD)/mentorctl

# intercept_tls_get_addr=0: GCC 12's LeakSanitizer misreads glibc 2.36's
# dynamic TLS of dlopen()ed libraries (GLib, under the mail plugin) and
# crashes at exit ("Tracer caught signal 11") depending on heap layout.
# Without the interception LSan only stops treating those TLS blocks as
# roots: it can report more, never fewer, leaks.
asan: deps-test
	@ASAN_OPTIONS="intercept_tls_get_addr=0$${ASAN_OPTIONS:+:$$ASAN_OPTIONS}" \
	$(MAKE) --no-print-directory BUILD=build-asan \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" check-run

# libFuzzer targets under ASan+UBSan, FUZZ_SECONDS (60) each: scripts/fuzz.sh.
fuzz: ; @sh scripts/deps.sh fuzz && sh scripts/fuzz.sh

bench:
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory bench-run

bench-run: all $(BENCH_BIN) $(BENCH_CXX_BIN)
	@sh bench/run.sh $(BUILD)

$(BUILD)/mentorctl: $(BUILD)/src/main.o $(BUILD)/libmentorctl.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libmentorctl.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The command table lists every `const struct cmd_entry cmd_*_entry` that a
# src/cmd_*.c file defines, so that adding a command is adding its file.
$(BUILD)/gen/cmd_list.h: $(CMD_SRC) scripts/gen-cmd-list.sh
	@mkdir -p $(dir $@)
	@sh scripts/gen-cmd-list.sh $(CMD_SRC) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/version.h: VERSION
	@mkdir -p $(dir $@)
	@printf '#define MENTORCTL_VERSION "%s"\n' "$(VERSION)" > $@

# Generated headers exist before anything compiles; -MMD tracks who uses them.
$(LIB_OBJ) $(BUILD)/src/main.o: | $(BUILD)/gen/cmd_list.h $(BUILD)/gen/version.h
$(BUILD)/src/cmd.o: $(BUILD)/gen/cmd_list.h

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# io/mime for the unit tests and fuzz targets, which link it directly.
$(BUILD)/src/io/mime.o: src/io/mime.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(GMIME_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(GMIME_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

# Only the io/mime.h functions leave the plugin (scripts/mime-plugin.map).
$(BUILD)/mentorctl-mime.so: $(PLUGIN_OBJ) scripts/mime-plugin.map
	$(CC) $(LDFLAGS) -shared -Wl,--version-script=scripts/mime-plugin.map \
		-Wl,-Bsymbolic -o $@ $(PLUGIN_OBJ) $(GMIME_LIBS)

$(BUILD)/src/io/mime_load.o: CPPFLAGS += -DMENTORCTL_PLUGINDIR='"$(PLUGINDIR)"'

# tests/unit/fixture.c (a temporary database built through ops/) is linked
# into every unit test; a test that does not use it links all the same.
$(BUILD)/tests/fixture.o: tests/unit/fixture.c tests/unit/fixture.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/tests/fixture.o $(BUILD)/src/io/mime.o \
		$(BUILD)/libmentorctl.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Wno-missing-prototypes \
		$(LDFLAGS) -o $@ $< $(BUILD)/tests/fixture.o $(BUILD)/src/io/mime.o \
		$(BUILD)/libmentorctl.a $(CMOCKA_LIBS) $(LDLIBS) $(GMIME_LIBS)

$(BUILD)/bench/%: bench/%.c bench/gen_match.h $(BUILD)/libmentorctl.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libmentorctl.a $(LDLIBS)

$(BUILD)/bench/%: bench/%.cc bench/gen_match.h bench/lemon_model.hh $(BUILD)/libmentorctl.a
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(BENCH_CXXFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libmentorctl.a $(LDLIBS)

# Shell completion scripts, generated from the command table by the binary.
$(BUILD)/completion/mentorctl.bash: $(BUILD)/mentorctl
	@mkdir -p $(dir $@)
	$(BUILD)/mentorctl completion bash > $@
$(BUILD)/completion/_mentorctl: $(BUILD)/mentorctl
	@mkdir -p $(dir $@)
	$(BUILD)/mentorctl completion zsh > $@
$(BUILD)/completion/mentorctl.fish: $(BUILD)/mentorctl
	@mkdir -p $(dir $@)
	$(BUILD)/mentorctl completion fish > $@

COMPLETIONS = $(BUILD)/completion/mentorctl.bash $(BUILD)/completion/_mentorctl \
	$(BUILD)/completion/mentorctl.fish
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
INSTALL_PROGRAM ?= install -m 0755
# The JSON Schemas of the --format json outputs (docs/schema).
SCHEMADIR ?= $(PREFIX)/share/mentorctl/schema
SCHEMAS := $(sort $(wildcard docs/schema/*.schema.json))

install: all $(COMPLETIONS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(INSTALL_PROGRAM) $(BUILD)/mentorctl $(DESTDIR)$(BINDIR)/mentorctl
	install -d $(DESTDIR)$(PLUGINDIR)
	$(INSTALL_PROGRAM) $(BUILD)/mentorctl-mime.so $(DESTDIR)$(PLUGINDIR)/mentorctl-mime.so
	install -m 0644 docs/mentorctl.1 $(DESTDIR)$(MANDIR)/man1/mentorctl.1
	install -m 0644 docs/mentorctl-program.5 $(DESTDIR)$(MANDIR)/man5/mentorctl-program.5
	install -m 0644 $(BUILD)/completion/mentorctl.bash $(DESTDIR)$(BASHCOMPDIR)/mentorctl
	install -m 0644 $(BUILD)/completion/_mentorctl $(DESTDIR)$(ZSHCOMPDIR)/_mentorctl
	install -m 0644 $(BUILD)/completion/mentorctl.fish $(DESTDIR)$(FISHCOMPDIR)/mentorctl.fish
	install -d $(DESTDIR)$(SCHEMADIR)
	install -m 0644 $(SCHEMAS) $(DESTDIR)$(SCHEMADIR)/

# GNU's install-strip: the same, with the binary stripped.
install-strip:
	@$(MAKE) --no-print-directory INSTALL_PROGRAM='install -s -m 0755' install

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mentorctl $(DESTDIR)$(PLUGINDIR)/mentorctl-mime.so \
		$(DESTDIR)$(MANDIR)/man1/mentorctl.1 \
		$(DESTDIR)$(MANDIR)/man5/mentorctl-program.5 \
		$(DESTDIR)$(BASHCOMPDIR)/mentorctl $(DESTDIR)$(ZSHCOMPDIR)/_mentorctl \
		$(DESTDIR)$(FISHCOMPDIR)/mentorctl.fish
	rm -f $(DESTDIR)$(SCHEMADIR)/*.schema.json
	-rmdir $(DESTDIR)$(SCHEMADIR) 2>/dev/null

format:
	clang-format -i $(SRC) $(wildcard include/*/*.h) $(UNIT_SRC)

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d $(BUILD)/tests/fixture.d \
	$(PLUGIN_OBJ:.o=.d) $(BUILD)/src/io/mime.d

# The regression replay compiles the fuzz targets in.
$(BUILD)/tests/test_fuzz_regress: $(wildcard tests/fuzz/*.c tests/fuzz/*.h)

# SPDX-License-Identifier: GPL-2.0
# bpfcost: what attaching a BPF program costs. `make help` lists the targets.

OUT	:= build
CC	?= gcc
CLANG	?= clang
BPFTOOL	?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

CFLAGS	:= -g -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -I. -Iloader
# Every object, host or BPF, gets a .d file from the compiler listing the headers
# it read: touching a header rebuilds exactly the objects that include it.
DEPFLAGS = -MMD -MP -MF $@.d -MT $@

# SANITIZE=1: AddressSanitizer and UBSan in every program and test, built apart
# (build-san/) so sanitized and normal objects never mix; the guest kernel
# download is shared with the normal build.
ifeq ($(SANITIZE),1)
OUT	    := build-san
CFLAGS	    += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
GUEST_CACHE ?= build/guest/cache
endif
BPF_CFLAGS := -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
	      -I$(OUT)/progs -Iprogs/include

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Debian packages the build, the tests and the experiment need.
# tests/checks/programs.sh finds every program the code runs and fails if
# none of these (or what they depend on) provides it.
DEB_PACKAGES := \
	binutils \
	bpftool \
	ansible \
	busybox-static \
	ca-certificates \
	clang \
	clang-format \
	cpio \
	gcc \
	git \
	gnuplot-nox \
	iperf3 \
	iproute2 \
	kmod \
	libbpf-dev \
	libcjson-dev \
	libclang-rt-dev \
	libcmocka-dev \
	libelf-dev \
	libgsl-dev \
	llvm \
	make \
	openssh-client \
	pkg-config \
	poppler-utils \
	sockperf \
	qemu-system-x86 \
	xz-utils \
	texlive-fonts-recommended \
	texlive-latex-base \
	texlive-latex-recommended \
	texlive-publishers \
	texlive-science \
	zlib1g-dev \
	zstd

# Packages a test installs itself when missing, as <program>:<package>; the
# check above accepts these programs in tests/ only. The fleet test's sshd: make
# deps installing openssh-server would leave a service running on every host.
TEST_INSTALLS := /usr/sbin/sshd:openssh-server

# Filled in by the included module makefiles: BINS names programs (bin/<name>),
# each with <name>_OBJS (objects and archives) and <name>_PKGS (pkg-config
# packages it links); ARCHIVES names archives, $(OUT)/<name>.a from <name>_OBJS.
BINS	  :=
ARCHIVES  :=
LINKED_OBJS :=
TEST_DEPS :=

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.PHONY: all deps test build-tests help clean FORCE

# Every progs/<name>.bpf.c is a probe; nothing else needs to list it.
PROBES	   := $(patsubst progs/%.bpf.c,%,$(wildcard progs/*.bpf.c))
PROBE_OBJS := $(patsubst %,$(OUT)/progs/%.bpf.o,$(PROBES))
# A probe named "x-stat" or "fprobe-null" would make row names that parse back wrong.
BAD_PROBES := $(strip $(foreach p,$(PROBES),$(if $(findstring -,$(p))$(findstring @,$(p)),progs/$(p).bpf.c)))
ifneq ($(BAD_PROBES),)
$(error $(BAD_PROBES): a probe name may not contain '-' or '@'; rename the file)
endif

include loader/loader.mk
include analysis/analysis.mk
include experiments/guest/guest.mk
include experiments/runner.mk
include experiments/fleet/fleet.mk
include tests/fuzz/fuzz.mk

ARCHIVE_FILES := $(patsubst %,$(OUT)/%.a,$(ARCHIVES))
BIN_FILES     := $(addprefix $(OUT)/bin/,$(BINS))

all: $(PROBE_OBJS) $(BIN_FILES)

# Libraries come from pkg-config, asked once per make and only when something
# links (so `make deps` works before pkg-config is installed).
pkg_missing = $(strip $(foreach p,$(1),$(if $(shell pkg-config --exists $(p) && echo y),,$(p))))
pkg_libs = $(if $(call pkg_missing,$(1)),$(error pkg-config knows no $(call pkg_missing,$(1)) \
	   (run `make deps`)),$(shell pkg-config --libs $(1)))
empty :=
space := $(empty) $(empty)
PKG_CACHE_KEY = $(subst $(space),+,$(sort $(1)))
# $(call libs_of,packages): cached, so linking ten programs asks pkg-config once per set.
libs_of = $(if $(1),$(or $(LIBS_$(PKG_CACHE_KEY)),$(eval LIBS_$(PKG_CACHE_KEY) := \
	  $$(call pkg_libs,$(1)))$(LIBS_$(PKG_CACHE_KEY))))

# The one compile rule: any C source of the project, or one the build generated,
# becomes $(OUT)/<same path>.o. CFLAGS_<dir> adds a directory's own flags.
COMPILE = $(CC) $(CFLAGS) $(CFLAGS_$(patsubst $(OUT)/%/,%,$(dir $@))) $(DEPFLAGS) -c $< -o $@
$(OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(COMPILE)
$(OUT)/%.o: $(OUT)/%.c
	$(call msg,CC,$@)
	$(Q)$(COMPILE)

# The one archive rule: $(OUT)/<name>.a holds <name>_OBJS.
ARCHIVE = rm -f $@ && $(AR) rcs $@ $(filter-out %.list,$^)
$(foreach a,$(ARCHIVES),$(eval $(OUT)/$(a).a: $$($(a)_OBJS) $(OUT)/lists/$(a).list) \
	$(eval LIST_$(a) = $$($(a)_OBJS)))
$(ARCHIVE_FILES): $(OUT)/%.a:
	@mkdir -p $(@D)
	$(call msg,AR,$@)
	$(Q)$(ARCHIVE)

# The one link rule: $(OUT)/bin/<name> from <name>_OBJS and <name>_PKGS.
$(foreach b,$(BINS),$(eval $(OUT)/bin/$(b): $$($(b)_OBJS) $(OUT)/lists/bin-$(b).list) \
	$(eval LIST_bin-$(b) = $$($(b)_OBJS)))
$(BIN_FILES): $(OUT)/bin/%:
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(filter-out %.list,$^) $(call libs_of,$($*_PKGS)) -o $@

# What a product is made of, in a file rewritten only when that changes: an
# archive, a program or registry.o depends on its list, so a source removed or
# renamed leaves it too (its remaining inputs alone would all be older).
$(OUT)/lists/%.list: FORCE
	@mkdir -p $(@D)
	$(Q)printf '%s\n' $(LIST_$*) >$@.tmp; if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(OUT)/progs/vmlinux.h: $(VMLINUX_BTF)
	@mkdir -p $(@D)
	$(call msg,BTF,$@)
	$(Q)$(BPFTOOL) btf dump file $< format c > $@

# The build stamps the body into every attach type: probe file + variants.
$(PROBE_OBJS:.bpf.o=.stamped.bpf.c): $(OUT)/progs/%.stamped.bpf.c: progs/%.bpf.c
	@mkdir -p $(@D)
	$(Q)printf '#include "%s"\n#include "bpfcost_variants.bpf.h"\n' "$(CURDIR)/$<" > $@

# vmlinux.h is generated: named here so that it exists before the first compile.
$(PROBE_OBJS): $(OUT)/progs/%.bpf.o: $(OUT)/progs/%.stamped.bpf.c $(OUT)/progs/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

# Tests: every tests/test_*.c is a cmocka program; nothing lists them by hand.
# Each links its own object, the helpers (tests/*.c that are not tests) and
# every archive.
TEST_SRCS    := $(wildcard tests/test_*.c)
TEST_BINS    := $(patsubst tests/%.c,$(OUT)/tests/%,$(TEST_SRCS))
TEST_HELPERS := $(patsubst %.c,$(OUT)/%.o,$(filter-out tests/test_%,$(wildcard tests/*.c)))
TEST_PKGS    := $(sort $(foreach b,$(BINS),$($(b)_PKGS)) cmocka)
CFLAGS_tests := -Itests

$(TEST_BINS): $(OUT)/tests/%: $(OUT)/tests/%.o $(TEST_HELPERS) $(ARCHIVE_FILES)
	@mkdir -p $(@D)
	$(call msg,TEST-LD,$@)
	$(Q)$(CC) $(CFLAGS) $< $(TEST_HELPERS) -Wl,--start-group $(filter %.a,$^) -Wl,--end-group \
		$(call libs_of,$(TEST_PKGS)) -o $@

build-tests: all $(TEST_BINS)

# T=<area> runs only tests/test_<area>*.c
test: build-tests $(TEST_DEPS)
	$(Q)BPFCOST_ROOT=$(CURDIR) BPFCOST_OUT=$(CURDIR)/$(OUT) BPFCOST_GUEST_KERNEL='$(GUEST_NAME)' \
		UBSAN_OPTIONS="$${UBSAN_OPTIONS:-print_stacktrace=1}" \
		tests/run-tests.sh $(filter $(OUT)/tests/test_$(T)%,$(TEST_BINS))

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
		|| echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	echo "deps: installing $$missing"; \
	if [ "$$(id -u)" != 0 ]; then echo "deps: run as root (apt-get)" >&2; exit 1; fi; \
	DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

clean:
	rm -rf $(OUT)

# The experiment settings come from bpfcost-run's option table (--make-help),
# built first; before `make deps` the fixed lines still print and say so.
help:
	@echo 'bpfcost: measure what attaching a BPF program costs'
	@echo
	@echo '  make help                  this text'
	@echo '  make deps                  install the Debian packages needed (root)'
	@echo '  make [all]                 build probes (progs/), loader, agent, tools'
	@echo '  make build-tests           build everything make test runs, run nothing'
	@echo '  make test [T=area]         run the tests (tests/test_<area>*.c)'
	@echo '  make clean                 remove the build folder ($(OUT)/)'
	@echo '  make guest                 build the QEMU guest (kernel + initramfs)'
	@echo '    GUEST_KERNEL_VERSION=$(GUEST_KERNEL_VERSION) GUEST_KERNEL_FLAVOUR=$(GUEST_KERNEL_FLAVOUR)'
	@echo '                             the Debian kernel it boots: a series (6.1, 6.12: its newest'
	@echo '                             in the registry) or a version (6.1.0-57, 6.12.117+deb12);'
	@echo '                             make experiment boots the guest it names'
	@echo '  make guest-path            print the folder of the guest GUEST_KERNEL_VERSION names'
	@echo '    GUEST_CACHE=dir          where the kernel package is kept (default build/guest/cache)'
	@echo '    KERNEL=bzImage MODULES=lib/modules/<release> KERNEL_CONFIG=.config  your own kernel'
	@echo '  make guest-clean           remove every guest built (not the downloaded packages)'
	@echo '  make experiment MATRIX=all run a matrix; results in results/latest'
	@echo '  make report RESULTS=dir    regenerate tables and plots from a results dir'
	@echo '    PERCALL=results/<dir>    a trigger run of the same kernel: predicted vs measured'
	@echo '    ESTIMATOR=robust|mean    impact columns: Hodges-Lehmann/Mann-Whitney (default) or Welch'
	@echo '  make report RESULTS="a b"  compare runs in one table, in a new results/<time>-compare-XXXX/'
	@echo '  make paper RESULTS=dir     the report, then paper.pdf (and paper.log) in dir: the paper'
	@echo '                             tables and figure on an IEEEtran page (pdflatex, texlive)'
	@echo '  make fleet INVENTORY=hosts.ini [settings]  the same experiment on every host of an'
	@echo '                             Ansible inventory; results/<time>-<matrix>-fleet/<host>/'
	@echo '    FORKS=n                  hosts at once (Ansible forks; default its own, 5)'
	@echo '    FLEET_POLL=seconds       how often each host'"'"'s run is polled (default 30)'
	@echo '    FLEET_RESULTS=dir        where the fleet folder goes (default results)'
	@echo '    CLEAN=1                  remove the working copy on each host at the end'
	@echo '    RESUME=results/<..>-fleet  run again: done hosts skipped, the others resumed'
	@echo '  make bench [BENCH_ARGS="--only host -n 20"]  per-call benchmarks (figures, not tests)'
	@echo '  make bench-report          bpfcost-report on 20,000 and 80,000 generated records'
	@echo '  SANITIZE=1                 build and test with ASan and UBSan (in build-san/)'
	@echo '  make fuzz [FUZZ_SECONDS=60] fuzz the parsers of untrusted input (libFuzzer)'
	@echo '  make fuzz-build            build the fuzz harnesses only (build-fuzz/)'
	@echo '  CC=gcc CLANG=clang LD=ld BPFTOOL=path  the compilers, linker and bpftool used'
	@echo '  VMLINUX_BTF=$(VMLINUX_BTF)  the BTF the probes are built against'
	@echo '  V=1                        show full commands'
	@if $(MAKE) -s --no-print-directory $(OUT)/bin/bpfcost-run >/dev/null 2>&1; then \
		$(OUT)/bin/bpfcost-run --make-help; \
	else echo '  (experiment settings: bpfcost-run does not build yet; run make deps, then make help)'; fi

# What the compiler found each object of this $(OUT) to include (see DEPFLAGS).
OBJS := $(foreach a,$(ARCHIVES),$($(a)_OBJS)) $(foreach b,$(BINS),$(filter %.o,$($(b)_OBJS))) \
	$(TEST_BINS:=.o) $(TEST_HELPERS) $(PROBE_OBJS) $(FUZZ_OBJS) $(REGISTRY_OBJS)
COMPILED_OBJS := $(sort $(filter-out $(LINKED_OBJS),$(filter $(OUT)/%,$(OBJS))))
DEPS := $(addsuffix .d,$(COMPILED_OBJS))
-include $(DEPS)
# An object without its dependency file (built before -MMD, or the file lost)
# is compiled again: nothing else could say which headers it is stale against.
$(foreach o,$(COMPILED_OBJS),$(if $(wildcard $(o).d),,$(eval $(o): FORCE)))

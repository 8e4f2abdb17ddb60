# SPDX-License-Identifier: GPL-2.0
# bpfcost: what attaching a BPF program costs. `make help` lists the targets.

OUT	:= build
CC	?= gcc
CLANG	?= clang
BPFTOOL	?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

CFLAGS	:= -g -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -I. -Iloader

# SANITIZE=1: AddressSanitizer and UBSan in every program and test, built apart
# (build-san/) so sanitized and normal objects never mix; the guest kernel
# download is shared with the normal build.
ifeq ($(SANITIZE),1)
OUT	    := build-san
CFLAGS	    += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
GUEST_CACHE ?= build/guest/cache
endif
LDLIBS_ALL := -lbpf -lelf -lz -lcjson -lgsl -lgslcblas -lcmocka -lm
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
DEB_PACKAGES := \
	bpftool \
	busybox-static \
	ca-certificates \
	clang \
	cpio \
	gcc \
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
	pkg-config \
	qemu-system-x86 \
	xz-utils \
	texlive-latex-base \
	texlive-latex-recommended \
	zlib1g-dev

# Filled in by the included module makefiles.
BINS	  :=
ARCHIVES  :=
TEST_DEPS :=

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps test help clean FORCE

# Every progs/<name>.bpf.c is a probe; nothing else needs to list it.
PROBES	   := $(patsubst progs/%.bpf.c,%,$(wildcard progs/*.bpf.c))
PROBE_OBJS := $(patsubst %,$(OUT)/progs/%.bpf.o,$(PROBES))
# A probe named "x-stat" or "fprobe-null" would make row names that parse back wrong.
BAD_PROBES := $(strip $(foreach p,$(PROBES),$(if $(findstring -,$(p))$(findstring @,$(p)),progs/$(p).bpf.c)))
ifneq ($(BAD_PROBES),)
$(error $(BAD_PROBES): a probe name may not contain '-' or '@'; rename the file)
endif

include loader/loader.mk
-include analysis/analysis.mk
-include experiments/guest/guest.mk
-include experiments/runner.mk
-include tests/fuzz/fuzz.mk

all: $(PROBE_OBJS) $(BINS)

$(OUT)/progs/vmlinux.h: $(VMLINUX_BTF)
	@mkdir -p $(@D)
	$(call msg,BTF,$@)
	$(Q)$(BPFTOOL) btf dump file $< format c > $@

# The build stamps the body into every attach type: probe file + variants.
$(OUT)/progs/%.stamped.bpf.c: progs/%.bpf.c progs/include/bpfcost_variants.bpf.h
	@mkdir -p $(@D)
	$(Q)printf '#include "%s"\n#include "bpfcost_variants.bpf.h"\n' "$(CURDIR)/$<" > $@

$(OUT)/progs/%.bpf.o: $(OUT)/progs/%.stamped.bpf.c $(OUT)/progs/vmlinux.h progs/include/bpfcost_probe.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

# Tests: every tests/test_*.c is a cmocka program; nothing lists them by hand.
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(patsubst tests/%.c,$(OUT)/tests/%,$(TEST_SRCS))
TEST_HELPERS := $(filter-out tests/test_%,$(wildcard tests/*.c))

$(OUT)/tests/%: tests/%.c $(TEST_HELPERS) tests/*.h $(ARCHIVES)
	@mkdir -p $(@D)
	$(call msg,TEST-CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $< $(TEST_HELPERS) \
		-Wl,--start-group $(ARCHIVES) -Wl,--end-group $(LDLIBS_ALL) -o $@

# T=<area> runs only tests/test_<area>*.c
test: all $(TEST_BINS) $(TEST_DEPS)
	$(Q)BPFCOST_ROOT=$(CURDIR) BPFCOST_OUT=$(CURDIR)/$(OUT) \
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

# The experiment settings come from bpfcost-run's option table (--make-help).
help: $(OUT)/bin/bpfcost-run
	@echo 'bpfcost: measure what attaching a BPF program costs'
	@echo
	@echo '  make deps                  install the Debian packages needed (root)'
	@echo '  make                       build probes (progs/), loader, agent, tools'
	@echo '  make test [T=area]         run the tests (tests/test_<area>*.c)'
	@echo '  make guest                 build the QEMU guest (kernel + initramfs)'
	@echo '  make experiment MATRIX=all run a matrix; results in results/latest'
	@echo '  make report RESULTS=dir    regenerate tables and plots from a results dir'
	@echo '    PERCALL=results/<dir>    a trigger run of the same kernel: predicted vs measured'
	@echo '    ESTIMATOR=robust|mean    impact columns: Hodges-Lehmann/Mann-Whitney (default) or Welch'
	@echo '  SANITIZE=1                 build and test with ASan and UBSan (in build-san/)'
	@echo '  make fuzz [FUZZ_SECONDS=60] fuzz the parsers of untrusted input (libFuzzer)'
	@echo '  V=1                        show full commands'
	@$(OUT)/bin/bpfcost-run --make-help

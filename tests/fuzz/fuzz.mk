# SPDX-License-Identifier: GPL-2.0
# libFuzzer harnesses for the parsers that read untrusted text: records, matrix
# files and row names, agent requests, iperf3 reports. Built with clang into
# build-fuzz/ (apart from the normal build).
#
#   make fuzz [FUZZ_SECONDS=60]   replay tests/fuzz/regressions, then fuzz each
#                                 harness; a crash is saved in build-fuzz/crashes
FUZZ_OUT     := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
		-std=gnu11 -D_GNU_SOURCE -I. -Iloader
FUZZ_LIBS    := -lbpf -lelf -lz -lcjson -lgsl -lgslcblas -lm
# Everything but the programs' main()s; the harness is the main.
FUZZ_SRCS    := $(filter-out analysis/report_main.c,$(wildcard analysis/*.c)) \
		experiments/matrix.c experiments/iperf.c \
		$(filter-out loader/loader_main.c loader/agent.c,$(wildcard loader/*.c))
FUZZ_HARNESSES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRCS) $(wildcard analysis/*.h experiments/*.h loader/*.h)
	@mkdir -p $(@D)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -DBPFCOST_BUILD_PROGS_DIR=\"/nonexistent\" \
		-DBPFCOST_ANALYSIS_DIR=\"$(CURDIR)/analysis\" $< $(FUZZ_SRCS) $(FUZZ_LIBS) -o $@

.PHONY: fuzz
fuzz: $(patsubst %,$(FUZZ_OUT)/fuzz_%,$(FUZZ_HARNESSES))
	$(Q)set -e; for h in $(FUZZ_HARNESSES); do \
		reg=tests/fuzz/regressions/$$h; \
		if [ -d "$$reg" ] && [ -n "$$(ls -A "$$reg")" ]; then \
			$(FUZZ_OUT)/fuzz_$$h "$$reg"/* >/dev/null 2>&1 || \
				{ echo "fuzz $$h: a regression input crashes again ($$reg)"; exit 1; }; \
		fi; \
		mkdir -p $(FUZZ_OUT)/corpus/$$h $(FUZZ_OUT)/crashes/$$h; \
		if ! $(FUZZ_OUT)/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-artifact_prefix=$(FUZZ_OUT)/crashes/$$h/ \
			$(FUZZ_OUT)/corpus/$$h tests/fuzz/corpus/$$h >$(FUZZ_OUT)/$$h.log 2>&1; then \
			echo "fuzz $$h: CRASH, input in $(FUZZ_OUT)/crashes/$$h/ (log $(FUZZ_OUT)/$$h.log)"; \
			exit 1; \
		fi; \
		echo "fuzz $$h: $$(grep -o 'Done [0-9]* runs in [0-9]* second' $(FUZZ_OUT)/$$h.log), no crash"; \
	done

# SPDX-License-Identifier: GPL-2.0
# libFuzzer harnesses for what reads untrusted text: records, the whole report
# on a results folder (every writer and plot data), the manifest a --resume
# reads, matrix files and row names, agent requests, iperf3 reports. Every
# tests/fuzz/fuzz_*.c is a harness; nothing lists them by hand (README.md does).
#
#   make fuzz [FUZZ_SECONDS=60]
#
# Per harness: replay tests/fuzz/regressions/<harness>/ (each input must pass),
# then fuzz for FUZZ_SECONDS from tests/fuzz/corpus/<harness>/ plus the corpus
# kept in build-fuzz/corpus/. An input that crashes, leaks or hangs is copied to
# tests/fuzz/crashes/<harness>/; once fixed, it moves to regressions/.

FUZZ_OUT       := build-fuzz
FUZZ_SECONDS   ?= 60
FUZZ_HARNESSES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN       := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		  -fno-omit-frame-pointer
# The project's flags, with SANITIZE=1's sanitizers (if any) replaced by the fuzzer's.
FUZZ_CFLAGS    := $(filter-out -fsanitize=% -fno-sanitize-recover=% -fno-omit-frame-pointer, \
		  $(CFLAGS)) -fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_LIBS       = $(call libs_of,$(filter-out cmocka,$(TEST_PKGS)))
# The archives the tests link, built from the same rules with OUT=$(FUZZ_OUT),
# and the agent's handlers (its main() left out) in an archive of their own.
FUZZ_PROJ_LIBS := $(patsubst %,$(FUZZ_OUT)/%.a,$(ARCHIVES))
FUZZ_AGENT_OBJS := $(filter-out %/loader/agent.o,$(patsubst $(OUT)/%,$(FUZZ_OUT)/%,$(AGENT_OBJS)))
FUZZ_ARCHIVES  := $(FUZZ_PROJ_LIBS) $(FUZZ_OUT)/libagent.a
# Harnesses are compiled by the project's one compile rule (with OUT=$(FUZZ_OUT)).
FUZZ_OBJS      := $(patsubst %.c,$(FUZZ_OUT)/%.o,$(wildcard tests/fuzz/*.c))
# No harness may start a process or load BPF: see tests/fuzz/no_side_effects.c.
# (libFuzzer itself needs system() and popen(), so those stay.)
FUZZ_WRAP := \
	agent_sysroot \
	bpf_object__load \
	bpfcost_attach \
	execlp \
	execvp \
	fork \
	posix_spawn \
	posix_spawnp \
	sched_setaffinity \
	vfork
fuzz_comma     := ,
FUZZ_LDFLAGS   := -fsanitize=fuzzer $(FUZZ_SAN) $(patsubst %,-Wl$(fuzz_comma)--wrap=%,$(FUZZ_WRAP))

FUZZ_SUBMAKE   := $(MAKE) --no-print-directory $(if $(Q),-s)

.PHONY: fuzz fuzz-build

# Two steps, so that make compares times only after the archives are current:
# the module makefiles' own rules rebuild them with OUT=$(FUZZ_OUT), then a
# harness is linked again only if its source or an archive changed.
fuzz-build:
	$(Q)$(FUZZ_SUBMAKE) OUT=$(FUZZ_OUT) CC=$(CLANG) SANITIZE= CFLAGS='$(FUZZ_CFLAGS)' \
		$(FUZZ_PROJ_LIBS) $(FUZZ_AGENT_OBJS) $(FUZZ_OBJS)
	$(Q)$(FUZZ_SUBMAKE) $(patsubst %,$(FUZZ_OUT)/fuzz_%,$(FUZZ_HARNESSES))

# For a harness asked for by name before fuzz-build ever ran.
ifneq ($(OUT),$(FUZZ_OUT))
$(FUZZ_PROJ_LIBS) $(FUZZ_AGENT_OBJS) $(FUZZ_OBJS) &:
	$(Q)$(FUZZ_SUBMAKE) OUT=$(FUZZ_OUT) CC=$(CLANG) SANITIZE= CFLAGS='$(FUZZ_CFLAGS)' \
		$(FUZZ_PROJ_LIBS) $(FUZZ_AGENT_OBJS) $(FUZZ_OBJS)
endif

$(FUZZ_OUT)/libagent.a: $(FUZZ_AGENT_OBJS)
	$(call msg,AR,$@)
	$(Q)$(ARCHIVE)

$(FUZZ_OUT)/fuzz_%: $(FUZZ_OUT)/tests/fuzz/fuzz_%.o $(FUZZ_OUT)/tests/fuzz/no_side_effects.o \
		    $(FUZZ_ARCHIVES)
	$(call msg,FUZZ-LD,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_LDFLAGS) $(filter %.o,$^) \
		-Wl,--start-group $(FUZZ_ARCHIVES) -Wl,--end-group $(FUZZ_LIBS) -o $@

# Every harness runs even after another failed; the exit status says if any did.
fuzz: fuzz-build
	$(Q)export UBSAN_OPTIONS="$${UBSAN_OPTIONS:-print_stacktrace=1}"; \
	failed=; for h in $(FUZZ_HARNESSES); do \
		bin=$(FUZZ_OUT)/fuzz_$$h; reg=tests/fuzz/regressions/$$h; \
		log=$(FUZZ_OUT)/$$h.log; art=$(FUZZ_OUT)/crashes/$$h; \
		if [ -n "$$(ls -A "$$reg" 2>/dev/null)" ] && \
		   ! $$bin "$$reg"/* >$(FUZZ_OUT)/$$h-regressions.log 2>&1; then \
			echo "fuzz $$h: FAIL: $$(sed -n 's/^Running: //p' $(FUZZ_OUT)/$$h-regressions.log | \
				tail -n 1) crashes again (log $(FUZZ_OUT)/$$h-regressions.log)"; \
			failed="$$failed $$h"; continue; \
		fi; \
		rm -rf "$$art"; mkdir -p "$$art" $(FUZZ_OUT)/corpus/$$h; \
		$$bin -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
			-artifact_prefix="$$art/" $(FUZZ_OUT)/corpus/$$h tests/fuzz/corpus/$$h \
			>"$$log" 2>&1; rc=$$?; \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' "$$log" | tail -n 1); \
		if [ $$rc -eq 0 ]; then \
			echo "fuzz $$h: $${runs:-?} executions in $(FUZZ_SECONDS) s, nothing found"; \
			continue; \
		fi; \
		failed="$$failed $$h"; \
		echo "fuzz $$h: FAIL after $${runs:-?} executions: $$(grep -m1 -E '^(SUMMARY|==[0-9]+== ?ERROR)' "$$log")"; \
		if [ -n "$$(ls -A "$$art")" ]; then \
			mkdir -p tests/fuzz/crashes/$$h && cp "$$art"/* tests/fuzz/crashes/$$h/; \
			for f in "$$art"/*; do echo "  input: tests/fuzz/crashes/$$h/$${f##*/}"; done; \
		fi; \
		echo "  log: $$log; replay: $$bin <input>"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: FAILED:$$failed"; exit 1; fi

# SPDX-License-Identifier: GPL-2.0
# The experiment runner: matrices, schedule, samples on a target, results folder.
#
#   make experiment MATRIX=all N=10 DURATION=10 WARMUP=1 TOPOLOGY=tap SEED=...
#   make experiment TARGET=host MATRIX=quick
#   make experiment RESUME=results/<dir>

RUNNER_SRCS := $(filter-out experiments/%_main.c,$(wildcard experiments/*.c)) \
	       $(wildcard experiments/targets/*.c experiments/workloads/*.c)
RUNNER_OBJS := $(patsubst %.c,$(OUT)/%.o,$(RUNNER_SRCS)) $(OUT)/experiments/registry.o
RUNNER_HDRS := $(wildcard experiments/*.h experiments/targets/*.h experiments/workloads/*.h)

ARCHIVES += $(OUT)/libexperiments.a
BINS	 += $(OUT)/bin/bpfcost-run $(OUT)/bin/bpfcost-trigger

TARGET	   ?= guest
WORKLOAD   ?= iperf
CLOCK	   ?= real
MATRIX	   ?= all
N	   ?= 10
DURATION   ?= 10
WARMUP	   ?= 1
TOPOLOGY   ?= tap
ACCEL	   ?= auto
VCPUS	   ?= 2
IPERF_ARGS ?= -u -P 8 -b 1G -l 64
# PRECISION=<percent>: samples continue past N until each row's impact CI is
# that narrow; BUDGET=<minutes> caps any run; MAX_N caps PRECISION's samples.
# CALIBRATE=<multiple>|off: offered load as a multiple of the capacity a ramp
# finds (the iperf workload's default: 1.2), or IPERF_ARGS' own -b.
CALIBRATE  ?=
# PIN, BIND: on|off (the runner's default: on); see --help.
PIN	   ?=
BIND	   ?=
PRECISION  ?=
BUDGET	   ?=
MAX_N	   ?=
# REDO=<n>: redos of disturbed samples per row; DISTURB_CPU=<CPUs>|off (see --help).
REDO	   ?=
DISTURB_CPU ?=

# Settings reach the runner through the environment and "$$NAME": a matrix file
# named bob's-matrix, or any quote in a setting, is a value, never shell syntax.
export TARGET WORKLOAD CLOCK MATRIX N DURATION WARMUP IPERF_ARGS TOPOLOGY ACCEL VCPUS SEED RESUME \
	PRECISION BUDGET MAX_N CALIBRATE PIN BIND PERCALL REDO DISTURB_CPU
# ARGS="name=value ..." is taken as typed ($(value ...): no make expansion) and
# split at blanks; each word reaches the shell single-quoted, its own quotes
# escaped ('\''), so it is a value, never syntax.
shell_quote = '$(subst ','\'',$(1))'
# The iperf workload's own arguments; another workload takes ARGS="name=value ...",
# the target TARGET_ARGS="name=value ..." (the same way).
IPERF_FLAGS = $(if $(filter iperf,$(WORKLOAD)),-w "$$WARMUP" -i "$$IPERF_ARGS" \
	$(if $(CALIBRATE),--arg "calibrate=$$CALIBRATE"))
RUN_FLAGS = $(if $(RESUME),--resume "$$RESUME",--target "$$TARGET" --workload "$$WORKLOAD" \
	--clock "$$CLOCK" --matrix "$$MATRIX" -n "$$N" -t "$$DURATION" $(IPERF_FLAGS) \
	$(foreach a,$(value ARGS),--arg $(call shell_quote,$(a))) \
	$(foreach a,$(value TARGET_ARGS),--target-arg $(call shell_quote,$(a))) \
	-T "$$TOPOLOGY" -a "$$ACCEL" --vcpus "$$VCPUS" $(if $(SEED),-s "$$SEED") \
	$(if $(PRECISION),--precision "$$PRECISION") $(if $(BUDGET),--budget "$$BUDGET") \
	$(if $(MAX_N),--max-n "$$MAX_N") $(if $(PIN),--pin "$$PIN") $(if $(BIND),--bind "$$BIND") \
	$(if $(REDO),--redo "$$REDO") $(if $(DISTURB_CPU),--disturb-cpu "$$DISTURB_CPU") \
	$(if $(ESTIMATOR),--estimator "$$ESTIMATOR")) \
	$(if $(PERCALL),--percall "$$PERCALL")

# Targets and workloads register themselves by being a file in their folder:
# the registry is generated from the definitions found there.
# Regenerated every time (a removed file must leave it too), replaced only on change.
$(OUT)/experiments/registry.c: FORCE
	@mkdir -p $(@D)
	$(Q){ echo '/* Generated from the files in experiments/targets and experiments/workloads. */'; \
	  echo '#include <stddef.h>'; \
	  echo '#include "experiments/targets/target.h"'; \
	  echo '#include "experiments/workloads/workload.h"'; \
	  t=$$(sed -n 's/^const struct target_ops \([a-z0-9_]*_target\) = {$$/\1/p' \
		experiments/targets/*.c | sort); \
	  w=$$(sed -n 's/^const struct workload_ops \([a-z0-9_]*_workload\) = {$$/\1/p' \
		experiments/workloads/*.c | sort); \
	  for n in $$t; do echo "extern const struct target_ops $$n;"; done; \
	  for n in $$w; do echo "extern const struct workload_ops $$n;"; done; \
	  echo 'const struct target_ops *const target_registry[] = {'; \
	  for n in $$t; do echo "	&$$n,"; done; echo '	NULL,'; echo '};'; \
	  echo 'const struct workload_ops *const workload_registry[] = {'; \
	  for n in $$w; do echo "	&$$n,"; done; echo '	NULL,'; echo '};'; } > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; echo '  GEN      $@'; fi

$(OUT)/experiments/registry.o: $(OUT)/experiments/registry.c $(RUNNER_HDRS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/experiments/%.o: experiments/%.c $(RUNNER_HDRS) $(wildcard loader/*.h)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/libexperiments.a: $(RUNNER_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# libanalysis: PRECISION stops rows by the report's own widths.
$(OUT)/bin/bpfcost-run: $(OUT)/experiments/runner_main.o $(OUT)/libexperiments.a \
			$(OUT)/libguest.a $(OUT)/libloader.a $(OUT)/libanalysis.a
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -lbpf -lelf -lz -lcjson -lgsl -lgslcblas -lm -o $@

# The trigger workload's loop; shipped into the guest as well. Nothing but libc.
$(OUT)/bin/bpfcost-trigger: $(OUT)/experiments/trigger_main.o
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@

# The per-call benchmarks (figures, not tests): make bench [BENCH_ARGS="--only host -n 20"]
$(OUT)/bin/bpfcost-bench: $(OUT)/experiments/bench_main.o $(OUT)/libexperiments.a \
			  $(OUT)/libguest.a $(OUT)/libanalysis.a $(OUT)/libloader.a
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -lbpf -lelf -lz -lcjson -lgsl -lgslcblas -lm -o $@

BINS += $(OUT)/bin/bpfcost-bench

.PHONY: bench bench-report
bench: all guest
	$(Q)$(OUT)/bin/bpfcost-bench $(BENCH_ARGS)

# bpfcost-report on 20,000 and 80,000 generated records, side by side; no guest needed.
bench-report: all
	$(Q)$(OUT)/bin/bpfcost-bench --only report

.PHONY: experiment
experiment: all guest
	$(Q)$(OUT)/bin/bpfcost-run $(RUN_FLAGS)

# SPDX-License-Identifier: GPL-2.0
# The experiment runner: matrices, schedule, samples on a target, results folder.
#
#   make experiment MATRIX=all N=10 DURATION=10 WARMUP=1 TOPOLOGY=tap SEED=...
#   make experiment TARGET=host MATRIX=quick
#   make experiment RESUME=results/<dir>

# Sources and programs only: the top Makefile's rules compile, archive and link.

ARCHIVES += libexperiments
libexperiments_OBJS := $(patsubst %.c,$(OUT)/%.o, \
	$(filter-out experiments/%_main.c,$(wildcard experiments/*.c))) \
	$(OUT)/experiments/registry.o

# libanalysis: PRECISION stops rows by the report's own widths.
BINS			+= bpfcost-run
bpfcost-run_OBJS	:= $(OUT)/experiments/runner_main.o $(OUT)/libexperiments.a \
			   $(OUT)/libguest.a $(OUT)/libloader.a $(OUT)/libanalysis.a
bpfcost-run_PKGS	:= libbpf libcjson zlib gsl

# The trigger workload's loop; shipped into the guest as well. Nothing but libc
# (and the libc-only option reader).
BINS			+= bpfcost-trigger
bpfcost-trigger_OBJS	:= $(OUT)/experiments/trigger_main.o $(OUT)/loader/cli_opts.o

# KERNELS="6.1 6.12": the same run on each kernel, one after the other (sweep.h).
BINS			+= bpfcost-sweep
bpfcost-sweep_OBJS	:= $(OUT)/experiments/sweep_main.o $(OUT)/libexperiments.a \
			   $(OUT)/libguest.a $(OUT)/libloader.a $(OUT)/libanalysis.a
bpfcost-sweep_PKGS	:= libbpf libcjson zlib gsl

# The per-call benchmarks (figures, not tests): make bench [BENCH_ARGS="--only host -n 20"]
BINS			+= bpfcost-bench
bpfcost-bench_OBJS	:= $(OUT)/experiments/bench_main.o $(OUT)/libexperiments.a \
			   $(OUT)/libguest.a $(OUT)/libanalysis.a $(OUT)/libloader.a
bpfcost-bench_PKGS	:= libbpf libcjson zlib gsl

TARGET	   ?= guest
WORKLOAD   ?= iperf
CLOCK	   ?= real
MATRIX	   ?= all
# N=<samples per configuration>: passed only when given, as DURATION.
N	   ?=
# DURATION=<seconds>: passed only when given; each workload declares its own
# default (bpfcost-run --help, under Workloads).
DURATION   ?=
WARMUP	   ?= 1
TOPOLOGY   ?= tap
ACCEL	   ?= auto
# VCPUS=<guest vCPUs>: passed only when given; each workload declares its own
# default (latency: 1, the others: 2).
VCPUS	   ?=
IPERF_ARGS ?= -u -P 8 -b 1G -l 64
# PRECISION=5% (or 5), 2ns, 1insn, 0.5Mbit/s: samples continue past N until
# each row's added-cost CI is that narrow (in % or the metric's unit);
# BUDGET=<minutes> caps any run; MAX_N caps PRECISION's samples.
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

# The guest booted is the one GUEST_KERNEL_VERSION (or KERNEL=) names (guest.mk),
# as the target's argument "kernel": recorded in the manifest, kept on resume.

# Settings reach the runner through the environment and "$$NAME": a matrix file
# named bob's-matrix, or any quote in a setting, is a value, never shell syntax.
export TARGET WORKLOAD CLOCK MATRIX N DURATION WARMUP IPERF_ARGS TOPOLOGY ACCEL VCPUS SEED RESUME FOLDER \
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
	--clock "$$CLOCK" --matrix "$$MATRIX" $(if $(N),-n "$$N") $(if $(DURATION),-t "$$DURATION") $(IPERF_FLAGS) \
	$(foreach a,$(value ARGS),--arg $(call shell_quote,$(a))) \
	$(if $(and $(filter guest,$(TARGET)),$(if $(KERNELS),,y)),--target-arg "kernel=$(GUEST_NAME)") \
	$(foreach a,$(value TARGET_ARGS),--target-arg $(call shell_quote,$(a))) \
	-T "$$TOPOLOGY" -a "$$ACCEL" $(if $(VCPUS),--vcpus "$$VCPUS") \
	$(if $(SEED),-s "$$SEED") $(if $(FOLDER),--folder "$$FOLDER") \
	$(if $(PRECISION),--precision "$$PRECISION") $(if $(BUDGET),--budget "$$BUDGET") \
	$(if $(MAX_N),--max-n "$$MAX_N") $(if $(PIN),--pin "$$PIN") $(if $(BIND),--bind "$$BIND") \
	$(if $(REDO),--redo "$$REDO") $(if $(DISTURB_CPU),--disturb-cpu "$$DISTURB_CPU") \
	$(if $(ESTIMATOR),--estimator "$$ESTIMATOR")) \
	$(if $(PERCALL),--percall "$$PERCALL")

# Targets and workloads register themselves: each file ends with
# BPFCOST_TARGET()/BPFCOST_WORKLOAD(), a pointer in a named section the
# registry walks (__start_/__stop_). Nothing calls into those files, so an
# archive would drop them: they are linked into one relocatable object with
# the registry code (target.c, workload.c), which every user of the registry
# pulls in whole.
REGISTRY_OBJS := $(patsubst %.c,$(OUT)/%.o,$(wildcard experiments/targets/*.c experiments/workloads/*.c))

# Linked, not compiled: it has no dependency file of its own.
LINKED_OBJS += $(OUT)/experiments/registry.o
LIST_registry = $(REGISTRY_OBJS)
$(OUT)/experiments/registry.o: $(REGISTRY_OBJS) $(OUT)/lists/registry.list
	$(call msg,LD,$@)
	$(Q)$(LD) -r -o $@ $(filter-out %.list,$^)

# The host programs the workloads declare for the guest (BPFCOST_GUEST_BINS),
# one name a line, read from the registry object's section. The list is
# replaced only when it changes (the stamp records that it was checked), so
# the initramfs is rebuilt then and only then.
$(OUT)/guest/guest-bins.txt: $(OUT)/guest/guest-bins.stamp ;
$(OUT)/guest/guest-bins.stamp: $(OUT)/experiments/registry.o
	@mkdir -p $(@D)
	$(Q)objcopy -O binary --only-section=bpfcost_guest_bins $< $@.bin && \
		tr -s '\000' '\n' <$@.bin | sed '/^$$/d' | LC_ALL=C sort -u >$@.tmp && rm -f $@.bin
	$(Q)if cmp -s $@.tmp $(@D)/guest-bins.txt; then rm -f $@.tmp; \
		else mv $@.tmp $(@D)/guest-bins.txt; echo '  GEN      $(@D)/guest-bins.txt'; fi
	$(Q)touch $@

.PHONY: bench bench-report
bench: all guest
	$(Q)BPFCOST_GUEST_KERNEL='$(GUEST_NAME)' $(OUT)/bin/bpfcost-bench $(BENCH_ARGS)

# bpfcost-report on 20,000 and 80,000 generated records, side by side; no guest needed.
bench-report: all
	$(Q)$(OUT)/bin/bpfcost-bench --only report

# KERNELS=..., or RESUME= of a sweep's folder: bpfcost-sweep builds a guest per
# kernel itself (make guest GUEST_KERNEL_VERSION=...) and runs bpfcost-run on each.
SWEEP_RESUME = $(if $(RESUME),$(wildcard $(RESUME)/sweep.json))
SWEEPING     = $(or $(KERNELS),$(SWEEP_RESUME))
SWEEP_FLAGS  = $(if $(SWEEP_RESUME),--resume "$$RESUME" $(if $(KERNELS),--kernels "$$KERNELS") \
	       -- $(if $(BUDGET),--budget "$$BUDGET"),\
	       --kernels "$$KERNELS" -- $(RUN_FLAGS))
export KERNELS GUEST_CACHE GUEST_KERNEL_FLAVOUR

.PHONY: experiment
# TARGET=host needs no guest (a fleet host measuring its own kernel builds none).
experiment: all $(if $(or $(SWEEPING),$(filter host,$(TARGET))),,guest)
	$(Q)$(if $(SWEEPING),BPFCOST_ROOT=$(CURDIR) $(OUT)/bin/bpfcost-sweep $(SWEEP_FLAGS),\
		$(OUT)/bin/bpfcost-run $(RUN_FLAGS))

# SPDX-License-Identifier: GPL-2.0
# The experiment runner: matrices, schedule, samples in the guest, results folder.
#
#   make experiment MATRIX=all N=10 DURATION=10 WARMUP=1 TOPOLOGY=tap SEED=...
#   make experiment RESUME=results/<dir>

RUNNER_SRCS := $(filter-out experiments/runner_main.c,$(wildcard experiments/*.c))
RUNNER_OBJS := $(patsubst %.c,$(OUT)/%.o,$(RUNNER_SRCS))

ARCHIVES += $(OUT)/libexperiments.a
BINS	 += $(OUT)/bin/bpfcost-run

MATRIX	   ?= all
N	   ?= 10
DURATION   ?= 10
WARMUP	   ?= 1
TOPOLOGY   ?= tap
ACCEL	   ?= auto
VCPUS	   ?= 2
IPERF_ARGS ?= -u -P 8 -b 1G -l 64

RUN_FLAGS = $(if $(RESUME),--resume '$(RESUME)',--matrix '$(MATRIX)' -n '$(N)' \
	-t '$(DURATION)' -w '$(WARMUP)' -T '$(TOPOLOGY)' -a '$(ACCEL)' --vcpus '$(VCPUS)' \
	-i '$(IPERF_ARGS)' $(if $(SEED),-s '$(SEED)'))

$(OUT)/experiments/%.o: experiments/%.c $(wildcard experiments/*.h) loader/bpfcost.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/libexperiments.a: $(RUNNER_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUT)/bin/bpfcost-run: $(OUT)/experiments/runner_main.o $(OUT)/libexperiments.a \
			$(OUT)/libguest.a $(OUT)/libloader.a
	@mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -lbpf -lelf -lz -lcjson -lm -o $@

.PHONY: experiment
experiment: all guest
	$(Q)$(OUT)/bin/bpfcost-run $(RUN_FLAGS)

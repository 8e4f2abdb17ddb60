# SPDX-License-Identifier: GPL-2.0
# The same experiment on every host of an Ansible inventory (README: "Past one machine").
#
#   make fleet INVENTORY=hosts.ini MATRIX=quick TARGET=host N=10 [FORKS=4] [CLEAN=1]
#   make fleet INVENTORY=hosts.ini RESUME=results/<time>-<matrix>-fleet

BINS			+= bpfcost-fleet
bpfcost-fleet_OBJS	:= $(OUT)/experiments/fleet_main.o $(OUT)/libexperiments.a \
			   $(OUT)/libguest.a $(OUT)/libloader.a $(OUT)/libanalysis.a
bpfcost-fleet_PKGS	:= libbpf libcjson zlib gsl

INVENTORY ?=
# FORKS=<hosts at once> (Ansible's default: 5); FLEET_POLL=<seconds> between polls of a run.
FORKS	   ?=
FLEET_POLL ?=
CLEAN	   ?=

# The settings reach bpfcost-fleet through the environment, as they reach
# bpfcost-run (runner.mk exports them); ARGS and TARGET_ARGS as typed.
FLEET_FLAGS = --inventory "$$INVENTORY" $(if $(FORKS),--forks "$$FORKS") \
	$(if $(FLEET_POLL),--poll "$$FLEET_POLL") $(if $(filter 1,$(CLEAN)),--clean) \
	$(if $(RESUME),--resume "$$RESUME") $(if $(FLEET_RESULTS),--results "$$FLEET_RESULTS")
# FLEET_RESULTS=<dir>: where results/<time>-<matrix>-fleet/ goes (default results).
FLEET_RESULTS ?=
export INVENTORY FORKS FLEET_POLL FLEET_RESULTS GUEST_KERNEL_VERSION

.PHONY: fleet
fleet: all
	$(Q)$(if $(INVENTORY),,echo 'make fleet: INVENTORY=<hosts.ini> is needed' >&2; exit 2;) \
	ARGS=$(call shell_quote,$(value ARGS)) TARGET_ARGS=$(call shell_quote,$(value TARGET_ARGS)) \
	BPFCOST_ROOT=$(CURDIR) $(OUT)/bin/bpfcost-fleet $(FLEET_FLAGS)

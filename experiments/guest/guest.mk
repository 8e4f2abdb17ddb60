# SPDX-License-Identifier: GPL-2.0
# The QEMU guest as a build product: a kernel (Debian's cloud kernel, or the
# user's own) and an initramfs holding busybox, the programs the workloads
# declare (BPFCOST_GUEST_BINS), the loader, the agent, the probe objects and
# the NIC modules. Rebuilt only when an input changes.
#
#   make guest                                   Debian kernel $(GUEST_KERNEL_VERSION)
#   make guest GUEST_KERNEL_VERSION=6.12.109+deb12
#   make guest KERNEL=bzImage MODULES=lib/modules/<release> [KERNEL_CONFIG=.config]

# Every attach type works in this kernel (field notes); 6.1 lacks FPROBE.
GUEST_KERNEL_VERSION ?= 6.12.107+deb12
GUEST_KERNEL_FLAVOUR ?= cloud-amd64
GUEST_DIR	     := $(OUT)/guest
# Downloaded packages survive `rm -rf build` only if the user points this elsewhere.
GUEST_CACHE	     ?= $(GUEST_DIR)/cache

GUEST_KREL	:= $(GUEST_KERNEL_VERSION)-$(GUEST_KERNEL_FLAVOUR)
GUEST_KPKG	:= linux-image-$(GUEST_KREL)-unsigned
GUEST_DEB	:= $(GUEST_CACHE)/$(GUEST_KPKG).deb
GUEST_KROOT	:= $(GUEST_DIR)/kernel-$(GUEST_KREL)

ifeq ($(KERNEL),)
GUEST_KIMAGE	:= $(GUEST_KROOT)/boot/vmlinuz-$(GUEST_KREL)
GUEST_KMODS	:= $(GUEST_KROOT)/lib/modules/$(GUEST_KREL)
GUEST_KCONFIG	:= $(GUEST_KROOT)/boot/config-$(GUEST_KREL)
else
GUEST_KIMAGE	:= $(KERNEL)
GUEST_KMODS	:= $(MODULES)
GUEST_KCONFIG	:= $(KERNEL_CONFIG)
endif

GUEST_INITRD	:= $(GUEST_DIR)/initramfs.cpio.gz
GUEST_BZIMAGE	:= $(GUEST_DIR)/bzImage

# Host tools copied into the image: a package upgrade is an input change too.
# The workloads' list is generated (runner.mk); read here once it exists.
GUEST_BINS_LIST := $(OUT)/guest/guest-bins.txt
GUEST_HOST_BINS := $(shell command -v busybox) \
		   $(foreach b,$(shell cat $(GUEST_BINS_LIST) 2>/dev/null),$(shell command -v $(b)))

GUEST_INPUTS := experiments/guest/mkinitramfs.sh \
		experiments/guest/init.sh \
		$(OUT)/bin/bpfcost-agent \
		$(OUT)/bin/bpfcost-loader \
		$(OUT)/bin/bpfcost-trigger \
		$(PROBE_OBJS) \
		$(GUEST_HOST_BINS) \
		$(GUEST_BINS_LIST) \
		$(GUEST_KCONFIG) \
		$(GUEST_BZIMAGE)

.PHONY: guest guest-clean
guest: $(GUEST_BZIMAGE) $(GUEST_INITRD)

# apt-get names the file after the full Debian version; give it a stable name.
$(GUEST_DEB):
	@mkdir -p $(@D)
	$(call msg,APT,$(GUEST_KPKG))
	$(Q)experiments/guest/fetch-kernel.sh $(GUEST_KPKG) $@

ifeq ($(KERNEL),)
$(GUEST_KIMAGE) $(GUEST_KCONFIG) &: $(GUEST_DEB)
	$(call msg,DEB,$(GUEST_KROOT))
	$(Q)rm -rf $(GUEST_KROOT) && mkdir -p $(GUEST_KROOT) && \
		dpkg-deb -x $< $(GUEST_KROOT) && touch $(GUEST_KIMAGE) $(GUEST_KCONFIG)
endif

# One fixed path for the runner and tests, whichever kernel was chosen.
$(GUEST_BZIMAGE): $(GUEST_KIMAGE)
	@mkdir -p $(@D)
	$(Q)cp $< $@

$(GUEST_INITRD): $(GUEST_INPUTS)
	$(call msg,CPIO,$@)
	$(Q)experiments/guest/mkinitramfs.sh $@ "$(GUEST_KMODS)" "$(GUEST_KCONFIG)" \
		$(OUT)/bin $(OUT)/progs $(GUEST_BINS_LIST)

guest-clean:
	$(Q)rm -rf $(GUEST_DIR)/initramfs* $(GUEST_DIR)/guest-bins.* $(GUEST_DIR)/kernel-* $(GUEST_BZIMAGE)

# Host-side library the runner and the smoke test use to drive a guest.
ARCHIVES	+= libguest
libguest_OBJS	:= $(patsubst %.c,$(OUT)/%.o, \
		   $(filter-out experiments/guest/guest_main.c,$(wildcard experiments/guest/*.c)))

# By-hand access to a guest: JSON requests on stdin, replies on stdout.
BINS			+= bpfcost-guest
bpfcost-guest_OBJS	:= $(OUT)/experiments/guest/guest_main.o $(OUT)/libguest.a \
			   $(OUT)/libloader.a
bpfcost-guest_PKGS	:= libcjson

TEST_DEPS += guest

# SPDX-License-Identifier: GPL-2.0
# The QEMU guest as a build product: a kernel (Debian's cloud kernel, or the
# user's own) and an initramfs holding busybox, the programs the workloads
# declare (BPFCOST_GUEST_BINS), the loader, the agent, the probe objects and
# the NIC modules. Rebuilt only when an input changes.
#
#   make guest                                   Debian kernel $(GUEST_KERNEL_VERSION)
#   make guest GUEST_KERNEL_VERSION=6.1          the newest 6.1 cloud kernel
#   make guest GUEST_KERNEL_VERSION=6.12.117+deb12
#   make guest KERNEL=bzImage MODULES=lib/modules/<release> [KERNEL_CONFIG=.config]

# A series (6.1, 6.12) is its newest cloud kernel in the registry; a version
# (6.1.0-57, 6.12.117+deb12) pins one. 6.12: every attach type works (6.1 has
# no FPROBE and no sock_recv_length tracepoint).
GUEST_KERNEL_VERSION ?= 6.12
GUEST_KERNEL_FLAVOUR ?= cloud-amd64
GUEST_DIR	     := $(OUT)/guest
# Downloaded packages survive `rm -rf build` only if the user points this elsewhere.
GUEST_CACHE	     ?= $(GUEST_DIR)/cache

# Each guest has a folder of its own, named by its kernel: $(GUEST_DIR)/<name>/
# holds bzImage, initramfs.cpio.gz and kernel.txt (what the kernel is), so
# several guests are cached side by side and a setting always picks its own.
# <name> is the release (6.1.0-57-cloud-amd64), or own-<release>-<hash> for
# KERNEL=... (the hash of the image's path: a patched kernel beside the
# unpatched one of the same release is another guest). The runner boots
# --target-arg kernel=<name>; `make -s guest-path` prints the folder.
# The registry is asked only when a goal needs the guest.
GUEST_GOALS	:= guest guest-path experiment test bench
GUEST_WANTED	:= $(filter $(GUEST_GOALS),$(MAKECMDGOALS))
ifeq ($(KERNEL),)
ifneq ($(GUEST_WANTED),)
GUEST_KPKG	:= $(shell experiments/guest/resolve-kernel.sh '$(subst ','\'',$(GUEST_KERNEL_VERSION))' \
		     '$(subst ','\'',$(GUEST_KERNEL_FLAVOUR))' '$(GUEST_CACHE)')
ifeq ($(GUEST_KPKG),)
$(error GUEST_KERNEL_VERSION=$(GUEST_KERNEL_VERSION): no kernel package (above))
endif
endif
GUEST_KREL	:= $(patsubst linux-image-%-unsigned,%,$(GUEST_KPKG))
GUEST_NAME	:= $(GUEST_KREL)
else
GUEST_OWN_REL	:= $(if $(MODULES),$(notdir $(patsubst %/,%,$(MODULES))),kernel)
GUEST_NAME	:= own-$(subst /,_,$(GUEST_OWN_REL))-$(shell printf '%s' '$(abspath $(KERNEL))' | \
		     sha256sum | cut -c1-12)
endif

GUEST_BOOT	:= $(GUEST_DIR)/$(GUEST_NAME)
GUEST_DEB	:= $(GUEST_CACHE)/$(GUEST_KPKG).deb
GUEST_KROOT	:= $(GUEST_BOOT)/kernel

ifeq ($(KERNEL),)
GUEST_KIMAGE	:= $(GUEST_KROOT)/boot/vmlinuz-$(GUEST_KREL)
GUEST_KMODS	:= $(GUEST_KROOT)/lib/modules/$(GUEST_KREL)
GUEST_KCONFIG	:= $(GUEST_KROOT)/boot/config-$(GUEST_KREL)
else
GUEST_KIMAGE	:= $(KERNEL)
GUEST_KMODS	:= $(MODULES)
GUEST_KCONFIG	:= $(KERNEL_CONFIG)
endif

GUEST_INITRD	:= $(GUEST_BOOT)/initramfs.cpio.gz
GUEST_BZIMAGE	:= $(GUEST_BOOT)/bzImage
GUEST_KINFO	:= $(GUEST_BOOT)/kernel.txt

# Host tools copied into the image: a package upgrade is an input change too.
# The workloads' list is generated (runner.mk); read here once it exists.
GUEST_BINS_LIST := $(OUT)/guest/guest-bins.txt
GUEST_HOST_BINS := $(shell command -v busybox) \
		   $(foreach b,$(shell cat $(GUEST_BINS_LIST) 2>/dev/null),$(shell command -v $(b)))

GUEST_INPUTS := experiments/guest/mkinitramfs.sh \
		experiments/guest/guest-modules.sh \
		experiments/guest/init.sh \
		$(OUT)/bin/bpfcost-agent \
		$(OUT)/bin/bpfcost-loader \
		$(OUT)/bin/bpfcost-trigger \
		$(PROBE_OBJS) \
		$(GUEST_HOST_BINS) \
		$(GUEST_BINS_LIST) \
		$(GUEST_KCONFIG) \
		$(GUEST_KINFO)

.PHONY: guest guest-clean guest-path
guest: $(GUEST_BZIMAGE) $(GUEST_INITRD)

guest-path:
	@echo $(GUEST_BOOT)

# apt-get names the file after the full Debian version; give it a stable name.
$(GUEST_DEB):
	@mkdir -p $(@D)
	$(call msg,APT,$(GUEST_KPKG))
	$(Q)experiments/guest/fetch-kernel.sh $(GUEST_KPKG) $@

ifeq ($(KERNEL),)
# The package has no modules.dep (its postinst runs depmod): made here.
$(GUEST_KIMAGE) $(GUEST_KCONFIG) &: $(GUEST_DEB)
	$(call msg,DEB,$(GUEST_KROOT))
	$(Q)rm -rf $(GUEST_KROOT) && mkdir -p $(GUEST_KROOT) && \
		dpkg-deb -x $< $(GUEST_KROOT) && depmod -b $(GUEST_KROOT) $(GUEST_KREL) && \
		touch $(GUEST_KIMAGE) $(GUEST_KCONFIG)

$(GUEST_KINFO): $(GUEST_DEB)
	@mkdir -p $(@D)
	$(Q)printf 'package=%s\nversion=%s\nsource=debian\n' "$$(dpkg-deb -f $< Package)" \
		"$$(dpkg-deb -f $< Version)" >$@
else
$(GUEST_KINFO): $(GUEST_KIMAGE)
	@mkdir -p $(@D)
	$(Q)printf 'package=\nversion=\nsource=own\nimage_sha256=%s\n' \
		"$$(sha256sum <$< | cut -c1-64)" >$@
endif

$(GUEST_BZIMAGE): $(GUEST_KIMAGE)
	@mkdir -p $(@D)
	$(Q)cp $< $@

$(GUEST_INITRD): $(GUEST_INPUTS)
	$(call msg,CPIO,$@)
	$(Q)experiments/guest/mkinitramfs.sh $@ "$(GUEST_KMODS)" "$(GUEST_KCONFIG)" \
		$(OUT)/bin $(OUT)/progs $(GUEST_BINS_LIST) $(GUEST_KINFO)

# Every guest built (the downloaded packages stay).
guest-clean:
	$(Q)rm -rf $(GUEST_DIR)/guest-bins.* \
		$(sort $(dir $(wildcard $(GUEST_DIR)/*/bzImage $(GUEST_DIR)/*/kernel.txt))) \
		$(GUEST_DIR)/initramfs* $(GUEST_DIR)/kernel-* $(GUEST_DIR)/bzImage

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

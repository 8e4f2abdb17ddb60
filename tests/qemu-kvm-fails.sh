#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A stand-in QEMU for tests: asked for "-accel kvm", it fails the way KVM fails
# on machines of this project's kind (BPFCOST_FAKE_KVM=msr|internal); asked for
# anything else, it runs the real QEMU (BPFCOST_REAL_QEMU, default
# qemu-system-x86_64).
kvm=
prev=
for a in "$@"; do
	[ "$prev" = -accel ] && [ "${a%%,*}" = kvm ] && kvm=1
	prev=$a
done
[ -n "$kvm" ] || exec "${BPFCOST_REAL_QEMU:-qemu-system-x86_64}" "$@"

case "${BPFCOST_FAKE_KVM:-}" in
msr)
	# PVM-backed /dev/kvm, first kind: QEMU aborts at once.
	echo "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x2c000000e8b"
	echo "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3045: kvm_buf_set_msrs: Assertion \`ret == cpu->kvm_msr_buf->nmsrs' failed."
	kill -ABRT $$
	;;
internal)
	# Second kind: an emulation failure with a register dump, and QEMU keeps running.
	cat <<'DUMP'
KVM internal error. Suberror: 1
extra data[0]: 0x0000000000000001
extra data[1]: 0x894cc0f76942c40f
emulation failure
RAX=0000000003586ba0 RBX=0000000004782b64 RCX=0000000000000000 RDX=0000000000000005
TR =0020 0000000000000000 00000fff 00808b00 DPL=0 TSS64-busy
Code=fa 0f 77 c4 4e 8d 54 35 00 41 b8 01 00 00 00 41 89 17 89 f0 <c4> 42 69 f7
DUMP
	exec sleep 3600
	;;
*)
	echo "qemu-kvm-fails.sh: set BPFCOST_FAKE_KVM=msr|internal" >&2
	exit 2
	;;
esac

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the bpfcost guest. Brings up exactly what a measurement needs, then
# prints the ready marker the host waits for on the console.
# Settings come from the kernel command line: bpfcost.ip=A.B.C.D/N bpfcost.gw=A.B.C.D
export PATH=/bin:/opt/bpfcost/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
mount -t bpf bpf /sys/fs/bpf
mkdir -p /run /tmp
# BPF maps are charged to memlock on older kernels; never let that be the limit.
ulimit -l unlimited

# The loader's kconfig reader looks for /boot/config-$(uname -r).
[ -f /boot/config ] && ln -sf config "/boot/config-$(uname -r)"

ip=
gw=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	bpfcost.ip=*) ip=${arg#bpfcost.ip=} ;;
	bpfcost.gw=*) gw=${arg#bpfcost.gw=} ;;
	esac
done

# The drivers modules.dep says the guest needs, in load order (mkinitramfs.sh).
while read -r mod; do
	insmod "/lib/modules/$mod" || echo "bpfcost-init: insmod $mod failed"
done </lib/modules/order

ip link set lo up
ip link set eth0 up
[ -n "$ip" ] && ip addr add "$ip" dev eth0
[ -n "$gw" ] && ip route add default via "$gw"

# A workload's server is started by the agent when the runner asks
# ({"cmd":"serve"}), so nothing here knows which workload runs.

# Keep the control channel alive even if the agent crashes.
(while :; do
	bpfcost-agent --port bpfcost --ready /run/agent.ready 2>>/tmp/agent.log
	sleep 1
done) &

i=0
while [ ! -e /run/agent.ready ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -e /run/agent.ready ]; then
	echo "BPFCOST-READY $(uname -r) ip=${ip%/*}"
else
	echo "BPFCOST-FAILED agent did not start"
	cat /tmp/agent.log
fi

while :; do
	sleep 3600
done

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Pack the guest initramfs:
#   mkinitramfs.sh OUT.cpio.gz MODULES_DIR KCONFIG BIN_DIR PROGS_DIR BINS_LIST [KINFO]
# MODULES_DIR may be empty (NIC drivers built in); KCONFIG may be empty (unknown config);
# KINFO is the guest's kernel.txt (package=, version=), shipped as /boot/kernel.txt.
# BINS_LIST names the host programs the workloads need in the guest, one a line.
# The archive is reproducible: sorted names, fixed timestamps, no gzip name/time.
set -eu
out=$1
kmods=$2
kconfig=$3
bindir=$4
progsdir=$5
binslist=$6
kinfo=${7:-}

root=$(mktemp -d "${out%/*}/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/bin "$root"/dev "$root"/proc "$root"/sys "$root"/run "$root"/tmp \
	"$root"/boot "$root"/lib/modules "$root"/opt/bpfcost/bin "$root"/opt/bpfcost/progs
ln -s bin "$root"/sbin

# Copy an executable and the shared libraries it needs, at their host paths.
copy_exe() {
	cp "$1" "$2"
	ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root${lib%/*}"
		cp -L "$lib" "$root$lib"
	done
}

busybox=$(command -v busybox)
cp "$busybox" "$root"/bin/busybox
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
while read -r name; do
	[ -n "$name" ] || continue
	case "$name" in
	*/* | .*)
		echo "mkinitramfs: '$name' in $binslist: a program name, not a path" >&2
		exit 1
		;;
	esac
	path=$(command -v "$name") || {
		echo "mkinitramfs: a workload needs '$name' in the guest: not installed here (make deps?)" >&2
		exit 1
	}
	copy_exe "$path" "$root/bin/$name"
done <"$binslist"
copy_exe "$bindir"/bpfcost-agent "$root"/opt/bpfcost/bin/bpfcost-agent
copy_exe "$bindir"/bpfcost-loader "$root"/opt/bpfcost/bin/bpfcost-loader
copy_exe "$bindir"/bpfcost-trigger "$root"/opt/bpfcost/bin/bpfcost-trigger
cp "$progsdir"/*.bpf.o "$root"/opt/bpfcost/progs/

# Shipped so the agent can report the guest's config without /proc/config.gz.
[ -n "$kconfig" ] && cp "$kconfig" "$root"/boot/config

# The guest's drivers and what they need, in load order, from the kernel's
# own modules.dep. MODULES_DIR empty: every driver built in.
: >"$root"/lib/modules/order
if [ -n "$kmods" ]; then
	"$(dirname "$0")"/guest-modules.sh "$kmods" >"$root"/modules.list
	while read -r rel; do
		src=$kmods/$rel
		mod=${rel##*/}
		mod=${mod%%.ko*}
		case "$src" in
		*.xz) xz -dc "$src" ;;
		*.zst) zstd -dc "$src" ;;
		*.gz) gzip -dc "$src" ;;
		*) cat "$src" ;;
		esac >"$root/lib/modules/$mod.ko"
		echo "$mod.ko" >>"$root"/lib/modules/order
	done <"$root"/modules.list
	rm "$root"/modules.list
fi

# What the kernel is (package, version), for the agent's info.
[ -n "$kinfo" ] && cp "$kinfo" "$root"/boot/kernel.txt

cp "$(dirname "$0")"/init.sh "$root"/init
chmod 0755 "$root"/init

find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --quiet --reproducible -0 -o -H newc -R 0:0) | gzip -n -1 >"$out.tmp"
mv "$out.tmp" "$out"

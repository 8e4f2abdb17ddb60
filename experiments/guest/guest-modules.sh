#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The modules the guest must load, in load order:
#   guest-modules.sh MODULES_DIR [MODULE...]
# prints one path a line (relative to MODULES_DIR), every module's
# dependencies before it, from the kernel's own modules.dep (Debian's 6.1
# builds virtio, virtio_pci, virtio_console and virtio_net's failover as
# modules; 6.12 has most of them built in). The default modules are what the
# guest uses: the PCI transport, the agent's serial port and the NIC. A module
# in modules.builtin is built in; one in neither file is assumed built in, with
# a warning.
set -eu
dir=$1
shift
[ $# -gt 0 ] || set -- virtio_pci virtio_console virtio_net

if [ ! -f "$dir/modules.dep" ]; then
	echo "guest-modules: no modules.dep in $dir: run depmod (make modules_install does)" >&2
	exit 1
fi
builtin=$dir/modules.builtin
[ -f "$builtin" ] || builtin=/dev/null

awk -v wanted="$*" -v builtin="$builtin" '
	function name_of(path,    n) {
		n = path
		sub(/.*\//, "", n)
		sub(/\.ko.*$/, "", n)
		gsub(/-/, "_", n)
		return n
	}
	function load(n,    i, k, d) {
		if (state[n] == 2)
			return
		if (state[n] == 1) {
			printf "guest-modules: dependency cycle through %s\n", n > "/dev/stderr"
			failed = 1
			return
		}
		state[n] = 1
		k = split(deps[n], d, " ")
		for (i = 1; i <= k; i++)
			load(name_of(d[i]))
		state[n] = 2
		print path[n]
	}
	FILENAME == builtin { inkernel[name_of($0)] = 1; next }
	{
		p = $0
		sub(/:.*/, "", p)
		n = name_of(p)
		path[n] = p
		d = $0
		sub(/^[^:]*:[ \t]*/, "", d)
		deps[n] = d
	}
	END {
		k = split(wanted, w, " ")
		for (i = 1; i <= k; i++) {
			n = w[i]
			gsub(/-/, "_", n)
			if (n in path)
				load(n)
			else if (!(n in inkernel))
				printf "guest-modules: %s in neither modules.dep nor modules.builtin: assumed built in\n", n > "/dev/stderr"
		}
		exit failed
	}
' "$builtin" "$dir/modules.dep"

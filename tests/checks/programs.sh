#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every external program the code runs is installed by `make deps`: it comes
# from a package in the Makefile's DEB_PACKAGES, a package one of those depends
# on, or a package every Debian system has (Essential, or Priority required).
# The programs are found in the sources (programs_run.pl says how), so a new
# program without its package fails here, installed on this machine or not.
set -eu
root=$(cd "${BPFCOST_ROOT:-.}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cd "$root"
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bpfcost-programs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

# Make prints $(1) expanded, once every makefile is read.
mk() {
	make -s --no-print-directory --eval "bpfcost-print: ; @:$1" bpfcost-print
}
debs=$(mk '$(info $(DEB_PACKAGES))')
test_installs=$(mk '$(info $(TEST_INSTALLS))')
# What the recipes' make variables ($(CC), $(BPFTOOL), ...) expand to.
makefiles=$(git ls-files --cached --others --exclude-standard Makefile '*.mk')
names=$(grep -ho '\$([A-Za-z_][A-Za-z0-9_]*)' $makefiles | sort -u | sed 's/^\$(//; s/)$//' |
	tr '\n' ' ')
mk "\$(foreach v,$names,\$(info BPFCOST_VAR \$(v)=\$(\$(v))))" >"$tmp/vars" 2>/dev/null

# init.sh runs inside the guest, where mkinitramfs.sh provides its commands
# (busybox applets, iperf3, ours); every other script runs here.
git ls-files --cached --others --exclude-standard '*.c' '*.sh' '*.mk' Makefile .ci/run |
	grep -v '^experiments/guest/init\.sh$' >"$tmp/files"
VARS="$tmp/vars" perl "$here/programs_run.pl" $(cat "$tmp/files") >"$tmp/runs"

# Packages make deps installs, with what they depend on.
for p in $debs; do
	echo "$p"
	dpkg-query -W -f='${Depends}\n' "$p" 2>/dev/null | tr ',|' '\n\n' |
		sed 's/^ *//; s/[ :(].*//'
done | sort -u >"$tmp/provided"

# The package a file comes from; with usrmerge dpkg may know it by its other path.
owner() {
	for p in "$1" "$(realpath "$1")" "${1#/usr}" "/usr$1"; do
		pkg=$(dpkg -S "$p" 2>/dev/null | grep -v '^diversion' | head -n 1 | sed 's/[:,].*//')
		[ -n "$pkg" ] && echo "$pkg" && return
	done
}

# A program a test installs itself (TEST_INSTALLS), run by tests only: its
# package, installed or not yet, is the one the Makefile names.
test_installed() {
	awk -v p="$1" '$1 == p && $2 !~ /^tests\// { found = 1 } END { exit found }' "$tmp/runs" ||
		return 1
	for entry in $test_installs; do
		[ "${entry%%:*}" = "$1" ] || continue
		[ ! -e "$1" ] || [ "$(owner "$1")" = "${entry#*:}" ] && return 0
		echo "$1 (run by tests): from package $(owner "$1"), TEST_INSTALLS says ${entry#*:}"
		return 2
	done
	return 1
}

bad=0
count=0
for prog in $(cut -d' ' -f1 "$tmp/runs" | sort -u); do
	if test_installed "$prog"; then
		count=$((count + 1))
		continue
	elif [ $? -eq 2 ]; then
		bad=$((bad + 1))
		continue
	fi
	case "$prog" in
	/*) path=$prog ;;
	*/* | bpfcost-*) continue ;; # the project's own scripts and programs
	*) path=$(command -v "$prog" || true) ;;
	esac
	[ -z "$path" ] || [ "${path#/}" != "$path" ] || continue # a shell builtin
	count=$((count + 1))
	users=$(awk -v p="$prog" '$1 == p { print $2 }' "$tmp/runs" | tr '\n' ' ')
	if [ -z "$path" ] || [ ! -x "$path" ]; then
		echo "$prog (run by $users): not installed, from no package (expected its package in DEB_PACKAGES)"
		bad=$((bad + 1))
		continue
	fi
	pkg=$(owner "$path")
	if [ -z "$pkg" ]; then
		echo "$prog (run by $users): $path belongs to no Debian package (expected one in DEB_PACKAGES)"
		bad=$((bad + 1))
		continue
	fi
	grep -qxF "$pkg" "$tmp/provided" && continue
	case "$(dpkg-query -W -f='${Essential} ${Priority}' "$pkg" 2>/dev/null)" in
	yes* | *required) continue ;;
	esac
	echo "$prog (run by $users): from package $pkg, which DEB_PACKAGES lacks (expected it there)"
	bad=$((bad + 1))
done
if [ "$count" -lt 5 ]; then
	echo "found only $count external programs in the sources (expected gnuplot, iperf3, ...)"
	exit 1
fi
if [ "$bad" -ne 0 ]; then
	echo "$bad of $count programs the code runs are not installed by make deps"
	echo "DEB_PACKAGES: $debs"
	exit 1
fi
echo "all $count programs the code runs come from packages make deps installs"

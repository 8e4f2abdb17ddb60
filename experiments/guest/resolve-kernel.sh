#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Which Debian kernel package GUEST_KERNEL_VERSION names:
#   resolve-kernel.sh SPEC FLAVOUR CACHE_DIR
#   resolve-kernel.sh --list FLAVOUR CACHE_DIR   every version known, oldest first
# prints the package name (linux-image-<version>-<flavour>-unsigned), or exits
# 1 with what is available. SPEC is a series (6.1, 6.12: the newest of that
# series) or a version, pinned exactly (6.1.0-57, 6.12.117+deb12).
# Candidates: what apt knows (after apt-get update, as make deps runs it),
# plus the packages already in CACHE_DIR (so a machine offline keeps working).
# GUEST_KERNEL_LIST=file replaces apt's list (package names, one a line): tests.
set -eu
list=
if [ "$1" = --list ]; then
	list=1
	shift
	set -- 0.0 "$@"
fi
spec=$1
flavour=$2
cache=$3
prefix=linux-image-
suffix=-$flavour-unsigned

case "$spec" in
'' | *[!0-9A-Za-z.+~-]* | [!0-9]*)
	echo "GUEST_KERNEL_VERSION '$spec': a series (6.1, 6.12) or a Debian kernel version (6.1.0-57, 6.12.117+deb12)" >&2
	exit 1
	;;
esac
case "$flavour" in
'' | *[!0-9A-Za-z.+-]*)
	echo "GUEST_KERNEL_FLAVOUR '$flavour': a Debian kernel flavour such as cloud-amd64" >&2
	exit 1
	;;
esac

apt_list() {
	apt-cache search --names-only "^$prefix[0-9].*$suffix\$" 2>/dev/null | cut -d' ' -f1
}

# A fresh machine has no package lists yet (make parses this before `make deps`
# runs): then, as root, fetch them once, as make deps would.
apt_names() {
	names=$(apt_list)
	if [ -z "$names" ] && [ "$(id -u)" = 0 ]; then
		echo "resolve-kernel: apt knows no $prefix*$suffix package: apt-get update" >&2
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
		names=$(apt_list)
	fi
	[ -z "$names" ] || printf '%s\n' "$names"
}

# Every known version of this flavour, one a line, newest last.
versions() {
	{
		if [ -n "${GUEST_KERNEL_LIST:-}" ]; then
			cat "$GUEST_KERNEL_LIST"
		else
			apt_names
		fi
		for deb in "$cache"/"$prefix"*"$suffix".deb; do
			[ -f "$deb" ] && basename "$deb" .deb
		done
	} | while read -r name; do
		case "$name" in
		"$prefix"[0-9]*"$suffix")
			v=${name#"$prefix"}
			v=${v%"$suffix"}
			case "$v" in
			*[!0-9A-Za-z.+~-]*) ;;
			*) echo "$v" ;;
			esac
			;;
		esac
	done | LC_ALL=C sort -uV
}

all=$(versions)
if [ -n "$list" ]; then
	[ -z "$all" ] || printf '%s\n' "$all"
	exit 0
fi
case "$spec" in
*.*.* | *-* | *+*)
	# Pinned: that version, exactly.
	if printf '%s\n' "$all" | grep -qxF -- "$spec"; then
		echo "$prefix$spec$suffix"
		exit 0
	fi
	what="version $spec"
	;;
*.*)
	# A series: its newest. "6.1." never matches 6.12.x.
	newest=$(printf '%s\n' "$all" | grep "^$(echo "$spec" | sed 's/\./\\./g')\." | tail -n 1) || true
	if [ -n "$newest" ]; then
		echo "$prefix$newest$suffix"
		exit 0
	fi
	what="series $spec"
	;;
*)
	echo "GUEST_KERNEL_VERSION '$spec': a series (6.1, 6.12) or a Debian kernel version (6.1.0-57, 6.12.117+deb12)" >&2
	exit 1
	;;
esac

{
	echo "GUEST_KERNEL_VERSION=$spec: no $flavour kernel of $what in the registry or in $cache."
	if [ -n "$all" ]; then
		echo "  Available: $(printf '%s\n' "$all" | tr '\n' ' ')"
	else
		echo "  apt knows no $prefix*$suffix package: run 'apt-get update' (make deps) first."
	fi
	echo "  Set GUEST_KERNEL_VERSION to one of them or to a series (6.1, 6.12),"
	echo "  or boot your own: make guest KERNEL=bzImage MODULES=dir"
} >&2
exit 1

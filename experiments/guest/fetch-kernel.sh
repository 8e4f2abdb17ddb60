#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Download one Debian kernel package with apt-get (the only registry reachable
# from CI) and store it under a stable name: fetch-kernel.sh PACKAGE DEST.deb
set -eu
pkg=$1
dest=$2
tmp=$(mktemp -d "$(dirname "$dest")/apt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# apt-get download writes into the current directory as the _apt user. The
# folder is 0700 and owned by _apt, never world-writable: what root later
# unpacks and boots must not be replaceable by anyone else. Without an _apt
# user apt downloads as root (it says so) into the same private folder.
chmod 0700 "$tmp"
if id _apt >/dev/null 2>&1; then
	chown _apt "$tmp"
fi
if ! (cd "$tmp" && timeout 600 apt-get download -q "$pkg"); then
	echo "fetch-kernel: cannot download $pkg." >&2
	echo "  Versions apt knows: apt-cache search --names-only 'linux-image-6.12.*cloud-amd64-unsigned'" >&2
	echo "  then set GUEST_KERNEL_VERSION=<version>, or run 'apt-get update' first," >&2
	echo "  or use your own kernel: make guest KERNEL=bzImage MODULES=dir" >&2
	exit 1
fi
set -- "$tmp"/*.deb
if [ $# -ne 1 ] || [ "$(dpkg-deb -f "$1" Package)" != "$pkg" ]; then
	echo "fetch-kernel: expected one $pkg .deb, got: $*" >&2
	exit 1
fi
mv "$1" "$dest"

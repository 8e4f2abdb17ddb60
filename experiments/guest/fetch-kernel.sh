#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Download one Debian kernel package with apt-get (the only registry reachable
# from CI) and store it under a stable name: fetch-kernel.sh PACKAGE DEST.deb
set -eu
pkg=$1
dest=$2
tmp=$(mktemp -d "$(dirname "$dest")/apt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# apt-get download writes into the current directory; _apt needs to write there.
chmod 0777 "$tmp"
if ! (cd "$tmp" && timeout 600 apt-get download -q "$pkg"); then
	echo "fetch-kernel: cannot download $pkg." >&2
	echo "  Versions apt knows: apt-cache search --names-only 'linux-image-6.12.*cloud-amd64-unsigned'" >&2
	echo "  then set GUEST_KERNEL_VERSION=<version>, or run 'apt-get update' first," >&2
	echo "  or use your own kernel: make guest KERNEL=bzImage MODULES=dir" >&2
	exit 1
fi
mv "$tmp"/*.deb "$dest"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Touching a header must make `make` rebuild exactly the objects that include
# it, directly or through another header. In a copy of the tree (the checkout's
# build is never touched): build once, then touch each header in turn and
# compare the objects `make -n` would compile with the objects whose sources
# include the header, as the compiler's own preprocessor (-MM) says, run apart
# from the build's .d files.
set -eu
root=$(cd "${BPFCOST_ROOT:-.}" && pwd)
# Run from `make test`: the outer make's flags and jobserver are not ours.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
copy=$(mktemp -d "${TMPDIR:-/tmp}/bpfcost-headers.XXXXXX")
trap 'rm -rf "$copy"' EXIT
trap 'exit 1' INT TERM HUP

cd "$root"
git ls-files -z --cached --others --exclude-standard |
	tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$copy"
cd "$copy"
# The BTF dump is the same as the checkout's; reusing it saves a bpftool run.
vmlinux=${BPFCOST_OUT:-$root/build}/progs/vmlinux.h
if [ -f "$vmlinux" ]; then
	mkdir -p build/progs
	cp "$vmlinux" build/progs/vmlinux.h
fi
if ! make -s build-tests >build.log 2>&1; then
	echo "the copy does not build (expected it to):"
	tail -n 30 build.log
	exit 1
fi

# The objects a `make -n` would compile: every compile (-c) names its output
# with -o. A link that merely combines objects (ld -r) is not a compile.
compiled() {
	make -n build-tests | grep -- ' -c ' | grep -o -- ' -o [^ ]*\.o\(\.tmp\)\{0,1\}' |
		sed 's/^ -o //; s/\.tmp$//' | sort -u
}
compiled >always.txt

# Each object's compile command, run with -MM instead: "<header> <object>" lines.
make -n -B build-tests | perl -ne '
	next unless / -c (\S+) -o (\S+?)(?:\.tmp)?(?:\s|$)/;
	my $obj = $2;
	s/ -M(?:F|T) \S+//g; s/ -M(?:MD|P)\b//g; s/ -o \S+//; s/ -c / /;
	chomp;
	print "$obj\t$_ -MM\n";
' >commands.txt
: >includes.txt
while IFS='	' read -r obj cmd; do
	if ! deps=$(sh -c "$cmd" 2>&1); then
		echo "$obj: the preprocessor failed: $deps"
		exit 1
	fi
	# Every path after the rule's colon, made relative to the copy.
	printf '%s\n' "$deps" | tr -d '\\' | tr ' ' '\n' | sed '1d' | grep -v '^$' |
		xargs -r realpath -m --relative-to="$copy" | grep '\.h$' |
		sed "s|\$| $obj|" >>includes.txt || true
done <commands.txt
nobjs=$(wc -l <commands.txt)
if [ "$nobjs" -lt 10 ]; then
	echo "found $nobjs compile commands in make -n -B build-tests (expected the whole build)"
	exit 1
fi

failed=0
checked=0
for h in $(git -C "$root" ls-files --cached --others --exclude-standard '*.h'); do
	[ -f "$h" ] || continue
	checked=$((checked + 1))
	touch -r "$h" stamp
	touch "$h"
	compiled | comm -23 - always.txt >rebuilt.txt
	# Objects make always recompiles under -n (the regenerated registry) count as rebuilt.
	compiled >rebuilt_all.txt
	touch -r stamp "$h"
	awk -v h="$h" '$1 == h { print $2 }' includes.txt | sort -u >expected.txt
	missing=$(comm -23 expected.txt rebuilt_all.txt | tr '\n' ' ')
	extra=$(comm -13 expected.txt rebuilt.txt | tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "$h: not rebuilt, though they include it (expected rebuilt): $missing"
		failed=$((failed + 1))
	fi
	if [ -n "$extra" ]; then
		echo "$h: rebuilt, though they do not include it (expected untouched): $extra"
		failed=$((failed + 1))
	fi
done
# An object whose dependency file is gone (built before -MMD, or the file
# lost) must be compiled again: nothing else knows what it includes.
lost=$(cut -f 1 commands.txt | grep -vxF -f always.txt | head -n 1)
mv "$lost.d" "$lost.d.kept"
if ! compiled | grep -qxF "$lost"; then
	echo "$lost: not rebuilt with its dependency file $lost.d gone (expected rebuilt)"
	failed=$((failed + 1))
fi
mv "$lost.d.kept" "$lost.d"

# A source removed from a module leaves its archive: the archive's list of
# objects changed, though every object left in it is older than the archive.
echo 'int bpfcost_zz_gone(void) { return 0; }' >experiments/zz_gone.c
make -s all >>build.log 2>&1
rm experiments/zz_gone.c
make -s all >>build.log 2>&1
if ar t build/libexperiments.a | grep -qx 'zz_gone.o'; then
	echo "build/libexperiments.a: still holds zz_gone.o after its source was removed (expected it gone)"
	failed=$((failed + 1))
fi
if [ "$failed" -ne 0 ]; then
	echo "$failed problems over $checked headers and $nobjs objects"
	exit 1
fi
echo "each of $checked headers rebuilds exactly the objects including it ($nobjs objects)"

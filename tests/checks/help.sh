#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every make variable the makefiles take from the user, and every phony target,
# is in `make help`. A user variable is one assigned with ?=, one exported to
# the programs, or one read ($(NAME), $(value NAME)) but assigned nowhere.
# Prints each one missing with what help said; exits 1 if any is.
set -eu
root=${BPFCOST_ROOT:-.}
cd "$root"
makefiles=$(git ls-files --cached --others --exclude-standard Makefile '*.mk')
help=$(make -s --no-print-directory help)

names=$(perl -e '
	my (%assigned, %user, %read, %loopvar, %phony);
	# Set by make itself or by the shell environment make runs in.
	my %builtin = map { $_ => 1 } qw(MAKE CURDIR MAKEFLAGS MAKECMDGOALS SHELL AR);
	for my $f (@ARGV) {
		open(my $fh, "<", $f) or die "$f: $!";
		local $/;
		my $text = <$fh>;
		$text =~ s/\\\n/ /g;
		for (split /\n/, $text) {
			s/(^|\s)#.*//;
			next if /^\t/ && !/^\t.*\$\(/;
			if (/^\s*(?:override\s+)?(\w+)\s*(\?=|:{0,2}=|\+=|!=)/) {
				$assigned{$1} = 1;
				$user{$1} = 1 if $2 eq "?=";
			}
			$user{$_} = 1 for /^\s*export\s+(.*)/ ? split(" ", $1) : ();
			$phony{$_} = 1 for /^\.PHONY\s*:(.*)/ ? split(" ", $1) : ();
			$loopvar{$1} = 1 while /\$\((?:foreach|let)\s+(\w+),/g;
			$read{$1} = 1 while /(?<!\$)\$\((?:value\s+)?([A-Za-z_]\w*)\)/g;
		}
	}
	for (keys %read) {
		$user{$_} = 1 unless $assigned{$_} || $builtin{$_} || $loopvar{$_};
	}
	print "var $_\n" for sort keys %user;
	print "target $_\n" for sort grep { $_ ne "FORCE" } keys %phony;
' $makefiles)

missing=0
checked=0
while read -r kind name; do
	checked=$((checked + 1))
	if [ "$kind" = var ]; then
		printf '%s\n' "$help" | grep -Eq "(^|[^A-Za-z0-9_])$name([^A-Za-z0-9_]|$)" && continue
		echo "make help lacks the variable $name (expected a line naming $name)"
	else
		printf '%s\n' "$help" | grep -Eq "make \[?$name([^A-Za-z0-9_-]|$)" && continue
		echo "make help lacks the target $name (expected a line with \"make $name\")"
	fi
	missing=$((missing + 1))
done <<NAMES
$names
NAMES

if [ "$missing" -ne 0 ]; then
	echo "$missing of $checked user-facing names missing from make help, which says:"
	printf '%s\n' "$help"
	exit 1
fi
echo "make help names all $checked user-facing variables and targets"

#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
# Prints "<program> <file>" for every external program the given files run:
#   *.c       argv[0] of NULL-terminated string arrays (char *x[] = { "prog", ..., NULL },
#             (char *[]){ "prog", ... }) and exec*("prog", ...)
#   Makefile, *.mk   commands of the recipes, make variables expanded from VARS=<file>
#             (lines "NAME=value", as make printed them)
#   else      a shell script: the words in command position
# Names only; which of them are programs (and from which package) is for the caller.
use strict;
use warnings;

my %vars;
if ($ENV{VARS}) {
	open(my $fh, "<", $ENV{VARS}) or die "$ENV{VARS}: $!";
	while (<$fh>) {
		chomp;
		$vars{$1} = $2 if /^BPFCOST_VAR (\w+)=(.*)$/;
	}
}

# Words that run the next word: the next command-position word is a program too.
my %wrapper = map { $_ => 1 } qw(exec nohup env timeout xargs sudo nice ionice setsid);
# Keywords that start a segment whose first word is not a command.
my %skipseg = map { $_ => 1 } qw(for case in esac fi done select function);
my $paren = qr/(\((?:[^()]++|(?-1))*\))/;

sub slurp
{
	my ($f) = @_;
	open(my $fh, "<", $f) or die "$f: $!";
	local $/;
	return <$fh>;
}

sub c_programs
{
	my ($f) = @_;
	my $t = slurp($f);
	$t =~ s{/\*.*?\*/}{ }gs;
	$t =~ s{//[^\n]*}{}g;
	my @found;
	# Compound literals of char pointers, and NULL-terminated arrays of them handed
	# to something that starts a program: argv shapes.
	while ($t =~ /\(\s*char\s*\*\s*(?:const\s*)?\[\s*\]\s*\)\s*\{\s*"([^"\\]+)"/g) {
		push @found, $1;
	}
	while ($t =~ /(?<!const )char\s*\*\s*(?:const\s+)?(\w+)\s*\[\s*\w*\s*\]\s*=\s*\{\s*"([^"\\]+)"([^{};]*)\}/g) {
		my ($array, $name, $rest) = ($1, $2, $3);
		next unless $rest =~ /\bNULL\s*,?\s*$/;
		push @found, $name
			if $t =~ /\w*(?:spawn|exec|run|capture|start|command)\w*\s*\([^;]*\b\Q$array\E\b/;
	}
	push @found, $1 while $t =~ /\bexec(?:l|lp|le|v|vp|vpe)\s*\(\s*"([^"\\]+)"/g;
	return grep { !/^-/ } @found;
}

# Shell code to the words in command position.
sub sh_programs
{
	my ($t) = @_;
	my (@out, %funcs, @lines, $heredoc, $incase);

	# Heredoc bodies are data; comments are not code.
	for my $line (split /\n/, $t) {
		if (defined $heredoc) {
			undef $heredoc if $line =~ /^\s*\Q$heredoc\E\s*$/;
			next;
		}
		$heredoc = $1 if $line =~ /<<-?\s*['"]?(\w+)['"]?/;
		my $code = "";
		my ($sq, $dq) = (0, 0);
		for my $ch (split //, $line) {
			if ($ch eq "#" && !$sq && !$dq && ($code eq "" || $code =~ /\s$/)) {
				last;
			}
			$sq = !$sq if $ch eq "'" && !$dq;
			$dq = !$dq if $ch eq '"' && !$sq;
			$code .= $ch;
		}
		push @lines, $code;
	}
	$t = join("\n", @lines);
	$t =~ s/\\\n/ /g;
	$t =~ s/\$\(\($paren*[^)]*\)\)/\x02/g;
	$t =~ s/\$\{[^}]*\}/\x02/g;
	# Quoted text is data, but sh -c '...' and trap '...' hold code, and so
	# does a $(...) inside double quotes.
	$t =~ s{(?:(\bsh\s+-c\s+|\btrap\s+)'([^']*)'|'[^']*'|"((?:[^"\\]|\\.)*)")}{
		if (defined $1) {
			# The words after the quotes are trap's signals or sh's $0 and arguments.
			" $2 ; $1 \x02 ";
		} elsif (defined $3) {
			my $in = $3;
			my @subs;
			push @subs, $1 while $in =~ /(?<!\\)\$($paren)/g;
			"\x02" . join("", map { " \$$_ " } @subs);
		} else {
			"\x02";
		}
	}gse;
	$funcs{$1} = 1 while $t =~ /(?:^|\n)\s*(\w[\w-]*)\s*\(\)/g;
	my @text;
	for my $line (split /\n/, $t) {
		$incase++ if $line =~ /(^|[\s;])case\s/;
		$incase-- if $line =~ /(^|[\s;])esac\b/ && $incase;
		$line =~ s/^\s*\(?[^\s()]+\)// if $incase;
		push @text, $line;
	}
	$t = join("\n", @text);
	for my $seg (split /;;|;|&&|\|\||\||&|\$\(|[()`{}!\n]|\b(?:then|do|else|elif|if|while|until)\b/, $t) {
		my @w = split " ", $seg;
		next if !@w || $skipseg{$w[0]};
		shift @w while @w && $w[0] =~ /^\w+=/;
		while (@w) {
			my $cmd = shift @w;
			last if $cmd !~ m{^[A-Za-z/][\w./+-]*$} || $funcs{$cmd};
			if ($cmd eq "command") {
				last if @w && $w[0] =~ /^-[vV]/;
				next;
			}
			push @out, $cmd;
			last unless $wrapper{$cmd};
			shift @w while @w && ($w[0] =~ /^-/ || $w[0] =~ /^\w+=/);
			shift @w if $cmd eq "timeout" && @w;
		}
	}
	return @out;
}

sub make_programs
{
	my ($f) = @_;
	my $t = slurp($f);
	$t =~ s/\\\n/ /g;
	my @recipes = map { substr($_, 1) } grep { /^\t/ } split /\n/, $t;
	my @out;
	for my $r (@recipes) {
		$r =~ s/\$\$/\x01/g;
		# Make functions ($(call ...), $(if ...)) yield words, not commands.
		$r =~ s/\$\((?:call|if|foreach|filter|filter-out|patsubst|subst|wildcard|addprefix|value)\s(?:[^()]++|$paren)*\)/\x02/g;
		1 while $r =~ s/\$\((\w+)\)/exists $vars{$1} ? $vars{$1} : "\x02"/ge;
		$r =~ s/\$[\@<^*?]|\$\([\@<^*][DF]\)/\x02/g;
		$r =~ s/\x01/\$/g;
		$r =~ s/^[\s\@+-]+//;
		push @out, sh_programs($r);
	}
	return @out;
}

for my $f (@ARGV) {
	my @p;
	if ($f =~ /\.c$/) {
		@p = c_programs($f);
	} elsif ($f =~ /(^|\/)Makefile$|\.mk$/) {
		@p = make_programs($f);
	} else {
		@p = sh_programs(slurp($f));
	}
	my %seen;
	print "$_ $f\n" for grep { !$seen{$_}++ } @p;
}

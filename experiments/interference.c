// SPDX-License-Identifier: GPL-2.0
/*
 * Interference figures from /proc: /proc/stat per-CPU times, /proc/pressure/cpu
 * and /proc/<pid>/stat of every process (to find our tree by ppid links).
 * Every read is bounded; every field that does not parse makes its figure NAN.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments/interference_priv.h"
#include "experiments/proc_read.h"
#include "loader/clock.h"

/* Far more than /proc/stat's cpu lines need on any machine; guards fake input. */
#define STAT_MAX_BYTES (4 << 20)

struct cpu_fields {
	cpu_set_t seen, busy_ok, steal_ok, bad;
	unsigned long long busy[CPU_SETSIZE], steal[CPU_SETSIZE];
};

/* One "cpuN user nice system idle iowait irq softirq steal ..." line. */
static void parse_cpu_line(const char *line, struct cpu_fields *cf)
{
	unsigned long long v[8];
	const char *p = line + 3;
	char *end;
	long cpu;
	int n = 0;

	errno = 0;
	cpu = strtol(p, &end, 10);
	if (errno || end == p || !isdigit((unsigned char)*p) || (*end != ' ' && *end != '\t') ||
	    cpu >= CPU_SETSIZE)
		return; /* not a CPU we can name: never counted */
	if (CPU_ISSET(cpu, &cf->seen)) {
		CPU_SET(cpu, &cf->bad); /* a duplicate line: trust neither */
		return;
	}
	CPU_SET(cpu, &cf->seen);
	p = end;
	while (n < 8 && proc_next_ull(&p, &v[n]))
		n++;
	if (n >= 3) {
		CPU_SET(cpu, &cf->busy_ok);
		cf->busy[cpu] = v[0] + v[1] + v[2];
	}
	if (n >= 8) {
		CPU_SET(cpu, &cf->steal_ok);
		cf->steal[cpu] = v[7];
	}
}

/*
 * /proc/stat streamed in chunks through a fixed buffer, up to the first line
 * that is not a cpu line (the huge "intr" line is never read).
 */
static void read_proc_stat(int procfd, struct cpu_fields *cf)
{
	char buf[4096];
	size_t have = 0, total = 0;
	bool done = false;
	ssize_t n;
	int fd;

	fd = openat(procfd, "stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (!done && total < STAT_MAX_BYTES) {
		char *line, *nl;

		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
		have += n;
		buf[have] = '\0';
		line = buf;
		while (!done && (nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (strncmp(line, "cpu", 3))
				done = true;
			else if (line[3] != ' ')
				parse_cpu_line(line, cf);
			line = nl + 1;
		}
		have -= line - buf;
		memmove(buf, line, have);
		/* a line longer than the buffer: malformed, stop trusting the rest */
		if (have == sizeof(buf) - 1)
			break;
	}
	close(fd);
}

static void snap_stat(int procfd, struct interference_snap *s, const cpu_set_t *want)
{
	struct cpu_fields *cf;
	int cpu;

	cf = calloc(1, sizeof(*cf));
	if (!cf)
		return;
	read_proc_stat(procfd, cf);
	if (want) {
		s->cpus = *want;
	} else {
		s->cpus = cf->seen; /* a CPU with a bad line is still watched: NAN */
	}
	s->ncpus = CPU_COUNT(&s->cpus);
	s->busy_ok = s->steal_ok = s->ncpus > 0;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &s->cpus))
			continue;
		if (CPU_ISSET(cpu, &cf->bad) || !CPU_ISSET(cpu, &cf->busy_ok))
			s->busy_ok = false;
		else
			s->busy += cf->busy[cpu];
		if (CPU_ISSET(cpu, &cf->bad) || !CPU_ISSET(cpu, &cf->steal_ok))
			s->steal_ok = false;
		else
			s->steal += cf->steal[cpu];
	}
	free(cf);
}

/* "some avg10=0.45 avg60=2.06 avg300=1.56 total=7558404" */
static void snap_psi(int procfd, struct interference_snap *s)
{
	char buf[512];
	const char *p, *eol;

	if (proc_read_small(procfd, "pressure/cpu", buf, sizeof(buf)) <= 0)
		return;
	if (strncmp(buf, "some ", 5))
		return;
	eol = strchr(buf, '\n');
	p = strstr(buf, " total=");
	if (!p || (eol && p > eol))
		return;
	p += 7;
	s->psi_ok = proc_next_ull(&p, &s->psi_some_us);
}

int interference_snap_at(const char *procdir, struct interference_snap *s, pid_t root,
			 const int *cpus, int ncpus)
{
	cpu_set_t want;
	double t0;
	int i, procfd;

	memset(s, 0, sizeof(*s));
	s->hz = sysconf(_SC_CLK_TCK);
	CPU_ZERO(&want);
	for (i = 0; cpus && i < ncpus; i++) {
		if (cpus[i] < 0 || cpus[i] >= CPU_SETSIZE)
			return -EINVAL;
		CPU_SET(cpus[i], &want);
	}
	t0 = bpfcost_now();
	s->t = t0;
	procfd = open(procdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return 0; /* everything NAN */
	snap_stat(procfd, s, cpus && ncpus > 0 ? &want : NULL);
	snap_psi(procfd, s);
	interference_snap_tree(procfd, s, root);
	close(procfd);
	s->cost_s = bpfcost_now() - t0;
	return 0;
}

int interference_snap(struct interference_snap *s, pid_t root, const int *cpus, int ncpus)
{
	return interference_snap_at("/proc", s, root, cpus, ncpus);
}

void interference_since(const struct interference_snap *a, pid_t root, struct interference *out)
{
	struct interference_snap b;

	interference_snap(&b, root, NULL, 0);
	interference_diff(a, &b, out);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Interference figures from /proc: /proc/stat per-CPU times, /proc/pressure/cpu
 * and /proc/<pid>/stat of every process (to find our tree by ppid links).
 * Every read is bounded; every field that does not parse makes its figure NAN.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "experiments/interference.h"

/* Far more than /proc/stat's cpu lines need on any machine; guards fake input. */
#define STAT_MAX_BYTES (4 << 20)

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read at most @len - 1 bytes of a small file; NUL-terminated. -1 if unreadable. */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* ESRCH: the process exited between open and read */
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

/* Next unsigned decimal at *p (after blanks), ending at a blank or end of line. */
static bool next_ull(const char **p, unsigned long long *v)
{
	const char *s = *p;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
		return false;
	*p = end;
	return true;
}

/* The same, signed: some /proc/<pid>/stat fields are -1 (tpgid). */
static bool next_ll(const char **p, long long *v)
{
	const char *s = *p;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)s[*s == '-']))
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
		return false;
	*p = end;
	return true;
}

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
	while (n < 8 && next_ull(&p, &v[n]))
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

	if (read_small(procfd, "pressure/cpu", buf, sizeof(buf)) <= 0)
		return;
	if (strncmp(buf, "some ", 5))
		return;
	eol = strchr(buf, '\n');
	p = strstr(buf, " total=");
	if (!p || (eol && p > eol))
		return;
	p += 7;
	s->psi_ok = next_ull(&p, &s->psi_some_us);
}

struct proc_ent {
	pid_t pid, ppid;
	bool times_ok;
	bool ours;
	unsigned long long ticks;  /* utime+stime+cutime+cstime */
	unsigned long long reaped; /* cutime+cstime */
};

/*
 * "pid (comm) S ppid ... utime stime cutime cstime ..." (fields 1, 4, 14-17).
 * comm may hold ") " itself, hence the last ')'. false if not even the ppid parses.
 */
static bool parse_pid_stat(char *buf, struct proc_ent *e)
{
	long long v[14];
	const char *p;
	int n = 0;

	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return false;
	p += 3; /* past ") S" */
	/* ppid .. cstime; tpgid may be -1, a negative time is garbage */
	while (n < 14 && next_ll(&p, &v[n]))
		n++;
	if (n < 1 || v[0] < 0 || v[0] > INT_MAX)
		return false;
	e->ppid = v[0];
	e->times_ok = n >= 14 && v[10] >= 0 && v[11] >= 0 && v[12] >= 0 && v[13] >= 0;
	if (e->times_ok) {
		e->ticks = v[10] + v[11] + v[12] + v[13];
		e->reaped = v[12] + v[13];
	}
	return true;
}

/* false if the process is gone (exited mid-walk) or its stat does not parse */
static bool read_pid(int procfd, pid_t pid, struct proc_ent *e)
{
	char path[64], buf[1024];

	memset(e, 0, sizeof(*e));
	e->pid = pid;
	snprintf(path, sizeof(path), "%d/stat", pid);
	return read_small(procfd, path, buf, sizeof(buf)) > 0 && parse_pid_stat(buf, e);
}

static int ent_cmp(const void *a, const void *b)
{
	const struct proc_ent *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static struct proc_ent *ent_find(struct proc_ent *v, int n, pid_t pid)
{
	struct proc_ent key = { .pid = pid };

	return bsearch(&key, v, n, sizeof(*v), ent_cmp);
}

/* Every process under /proc; processes exiting mid-walk are skipped. -1: no memory. */
static int read_all_pids(int procfd, struct proc_ent **vp)
{
	struct proc_ent *v = NULL;
	int n = 0, cap = 0, dfd;
	struct dirent *d;
	DIR *dir;

	*vp = NULL;
	dfd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return -1;
	}
	while ((d = readdir(dir))) {
		struct proc_ent ent;
		char *end;
		long pid;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		errno = 0;
		pid = strtol(d->d_name, &end, 10);
		if (errno || *end || pid <= 0 || pid > INT_MAX)
			continue;
		/* gone, or unparsable: its ppid is unknown, so it is in no tree */
		if (!read_pid(procfd, pid, &ent))
			continue;
		if (n == cap) {
			struct proc_ent *nv;

			cap = cap ? cap * 2 : 256;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(dir);
				return -1;
			}
			v = nv;
		}
		v[n++] = ent;
	}
	closedir(dir);
	*vp = v;
	return n;
}

/*
 * Our tree by ppid links. A reaped member's time is in its reaper's
 * cutime/cstime, so summing every live member's four times counts each process
 * of the tree once.
 */
static void sum_tree(struct proc_ent *v, int n, pid_t root, struct interference_snap *s)
{
	struct proc_ent *e;
	bool changed;
	int i;

	qsort(v, n, sizeof(*v), ent_cmp);
	e = ent_find(v, n, root);
	if (!e)
		return;
	e->ours = true;
	/* one pass per tree level; the tree is shallow */
	do {
		changed = false;
		for (i = 0; i < n; i++) {
			if (v[i].ours || v[i].ppid == v[i].pid)
				continue;
			e = ent_find(v, n, v[i].ppid);
			if (e && e->ours) {
				v[i].ours = true;
				changed = true;
			}
		}
	} while (changed);
	s->own_ok = true;
	for (i = 0; i < n; i++) {
		/*
		 * Kernel threads (kthreadd, pid 2, and its children) are not "other
		 * work": ksoftirqd, kworkers and vhost threads mostly do ours (the
		 * flood's softirqs, the guest's I/O). Their time is set apart.
		 */
		if (v[i].times_ok && !v[i].ours && (v[i].pid == 2 || v[i].ppid == 2))
			s->kthreads += v[i].ticks;
		if (!v[i].ours)
			continue;
		s->ntree++;
		if (!v[i].times_ok)
			s->own_ok = false;
		s->own += v[i].ticks;
	}
}

/*
 * A child the root reaps during the walk would be counted twice (read alive,
 * then in cutime) or not at all (cutime read first, then gone): a whole
 * sample's worth of QEMU time. So the walk is redone while the root's
 * cutime/cstime moves under it.
 */
static void snap_tree(int procfd, struct interference_snap *s, pid_t root)
{
	struct proc_ent r0, r1, *v;
	int n, try;

	for (try = 0; try < 3; try++) {
		bool have_root = root > 0 && read_pid(procfd, root, &r0);

		n = read_all_pids(procfd, &v);
		if (n < 0)
			return;
		s->nprocs = n;
		s->ntree = 0;
		s->own = 0;
		s->kthreads = 0;
		s->own_ok = false;
		if (have_root)
			sum_tree(v, n, root, s);
		free(v);
		if (!have_root || !read_pid(procfd, root, &r1) || r1.reaped == r0.reaped)
			return;
	}
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
	t0 = mono_now();
	s->t = t0;
	procfd = open(procdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return 0; /* everything NAN */
	snap_stat(procfd, s, cpus && ncpus > 0 ? &want : NULL);
	snap_psi(procfd, s);
	snap_tree(procfd, s, root);
	close(procfd);
	s->cost_s = mono_now() - t0;
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

/* b - a in seconds, NAN if a counter went backwards. */
static double tick_delta_s(unsigned long long a, unsigned long long b, long hz)
{
	if (b < a || hz <= 0)
		return NAN;
	return (double)(b - a) / hz;
}

void interference_diff(const struct interference_snap *a, const struct interference_snap *b,
		       struct interference *out)
{
	double el = b->t - a->t, busy = NAN, own = NAN;
	bool same_cpus = a->ncpus == b->ncpus && CPU_EQUAL(&a->cpus, &b->cpus) && a->hz == b->hz;

	out->elapsed_s = el;
	out->ncpus = a->ncpus;
	out->psi_some_pct = out->foreign_cpu = out->own_cpu = out->steal_pct = NAN;
	out->kthread_cpu = NAN;
	if (!(el > 0))
		return;
	if (a->psi_ok && b->psi_ok && b->psi_some_us >= a->psi_some_us)
		out->psi_some_pct = (b->psi_some_us - a->psi_some_us) / 1e6 / el * 100;
	if (same_cpus && a->steal_ok && b->steal_ok && a->ncpus > 0)
		out->steal_pct = tick_delta_s(a->steal, b->steal, a->hz) / (el * a->ncpus) * 100;
	if (same_cpus && a->busy_ok && b->busy_ok)
		busy = tick_delta_s(a->busy, b->busy, a->hz) / el;
	if (a->own_ok && b->own_ok && a->hz == b->hz && a->hz > 0) {
		/* less than before: a member left the tree unreaped by it (orphaned) */
		own = b->own >= a->own ? (double)(b->own - a->own) / a->hz / el : 0;
		out->own_cpu = own;
	}
	if (a->own_ok && b->own_ok && a->hz == b->hz && a->hz > 0)
		/* less than before: a kernel thread exited with its time */
		out->kthread_cpu = b->kthreads >= a->kthreads
					   ? (double)(b->kthreads - a->kthreads) / a->hz / el
					   : 0;
	if (!isnan(busy) && !isnan(own)) {
		double other = busy - own - (isnan(out->kthread_cpu) ? 0 : out->kthread_cpu);

		out->foreign_cpu = other > 0 ? other : 0;
	}
}

static void why_add(char *why, size_t len, const char *fmt, double v, double lim)
{
	size_t used;

	if (!why || !len)
		return;
	used = strlen(why);
	if (used && used < len)
		used += snprintf(why + used, len - used, "; ");
	if (used < len)
		snprintf(why + used, len - used, fmt, v, lim);
}

bool interference_judge(const struct interference *f, const struct interference_limits *lim,
			char *why, size_t len)
{
	bool bad = false;

	if (why && len)
		why[0] = '\0';
	/* NAN > x is false: an unreadable figure or a disabled limit never judges */
	if (f->foreign_cpu > lim->foreign_cpu) {
		why_add(why, len, "other processes used %.2f CPU (limit %.2f)", f->foreign_cpu,
			lim->foreign_cpu);
		bad = true;
	}
	if (f->steal_pct > lim->steal_pct) {
		why_add(why, len, "host steal %.1f%% (limit %.1f%%)", f->steal_pct, lim->steal_pct);
		bad = true;
	}
	if (f->psi_some_pct > lim->psi_some_pct) {
		why_add(why, len, "CPU pressure %.1f%% (limit %.1f%%)", f->psi_some_pct,
			lim->psi_some_pct);
		bad = true;
	}
	return bad;
}

static void add_num(cJSON *o, const char *name, double v)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddNumberToObject(o, name, v);
}

void interference_to_json(const struct interference *f, bool disturbed, const char *why,
			  struct cJSON *rec)
{
	cJSON *o;

	cJSON_DeleteItemFromObjectCaseSensitive(rec, "interference");
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "disturbed");
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "disturbed_why");
	o = cJSON_AddObjectToObject(rec, "interference");
	if (o) {
		add_num(o, "elapsed_s", f->elapsed_s);
		add_num(o, "psi_some_pct", f->psi_some_pct);
		add_num(o, "foreign_cpu", f->foreign_cpu);
		add_num(o, "kthread_cpu", f->kthread_cpu);
		add_num(o, "own_cpu", f->own_cpu);
		add_num(o, "steal_pct", f->steal_pct);
		cJSON_AddNumberToObject(o, "ncpus", f->ncpus);
	}
	cJSON_AddBoolToObject(rec, "disturbed", disturbed);
	if (disturbed)
		cJSON_AddStringToObject(rec, "disturbed_why", why ? why : "");
}

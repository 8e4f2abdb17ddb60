// SPDX-License-Identifier: GPL-2.0
/*
 * Our process tree's CPU time from /proc/<pid>/stat of every process, found by
 * ppid links; kernel threads' time set apart.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments/interference_priv.h"
#include "experiments/proc_read.h"

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
	while (n < 14 && proc_next_ll(&p, &v[n]))
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
	return proc_read_small(procfd, path, buf, sizeof(buf)) > 0 && parse_pid_stat(buf, e);
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
void interference_snap_tree(int procfd, struct interference_snap *s, pid_t root)
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

// SPDX-License-Identifier: GPL-2.0
/*
 * One ansible-playbook run over the hosts not done yet, and what each left:
 * <fleet>/.fleet/<host>.json (its outcome, written on this machine by the
 * playbook) and <host>.tar (its results folder, regular files only).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "loader/clock.h"
#include "loader/spawn.h"
#include "fleet.h"
#include "results.h"

/* A host's run may take most of a day; Ansible gives up on it after this. */
#define ASYNC_S (12 * 3600)

void fleet_remote_folder(const struct fleet *f, int i, char *out, size_t len)
{
	const char *slash = strrchr(f->s.dir, '/');

	snprintf(out, len, "%s/results/%s", f->cfg[i].workdir, slash ? slash + 1 : f->s.dir);
}

/* make experiment's arguments on host @i: its settings, the fleet's seed, the folder. */
static cJSON *host_vars(const struct fleet *f, int i)
{
	cJSON *h = cJSON_CreateObject(), *argv = cJSON_CreateArray(), *resume;
	char folder[PATH_MAX + 64], arg[PATH_MAX + SWEEP_VALUE_MAX + 128];
	const cJSON *v;
	int k;

	fleet_remote_folder(f, i, folder, sizeof(folder));
	for (k = 0; fleet_setting_names[k]; k++) {
		v = cJSON_GetObjectItemCaseSensitive(f->cfg[i].settings, fleet_setting_names[k]);
		if (cJSON_IsString(v) && v->valuestring[0]) {
			snprintf(arg, sizeof(arg), "%s=%s", fleet_setting_names[k], v->valuestring);
			cJSON_AddItemToArray(argv, cJSON_CreateString(arg));
		}
	}
	snprintf(arg, sizeof(arg), "SEED=%llu", f->s.seed);
	cJSON_AddItemToArray(argv, cJSON_CreateString(arg));
	/* RESUME= takes its settings from the folder; TARGET and the rest only pick what to build.
	 */
	resume = cJSON_Duplicate(argv, 1);
	snprintf(arg, sizeof(arg), "FOLDER=%s", folder);
	cJSON_AddItemToArray(argv, cJSON_CreateString(arg));
	snprintf(arg, sizeof(arg), "RESUME=%s", folder);
	cJSON_AddItemToArray(resume, cJSON_CreateString(arg));
	cJSON_AddStringToObject(h, "workdir", f->cfg[i].workdir);
	cJSON_AddStringToObject(h, "deps", f->cfg[i].skip_deps ? "skip" : "run");
	cJSON_AddStringToObject(h, "folder", folder);
	cJSON_AddItemToObject(h, "argv", argv);
	cJSON_AddItemToObject(h, "resume_argv", resume);
	return h;
}

/* vars.json for the hosts in @limit; stale outcomes of those hosts removed first. */
static int write_vars(struct fleet *f, const char *meta, char *limit, size_t len, char *err,
		      size_t errlen)
{
	cJSON *j = cJSON_CreateObject(), *hosts = cJSON_AddObjectToObject(j, "fleet_hosts");
	char path[PATH_MAX + 32], name[SWEEP_NAME_MAX + 8];
	int dfd = results_open_dir(meta, err, errlen), i, ret;

	if (dfd < 0) {
		cJSON_Delete(j);
		return -1;
	}
	snprintf(limit, len, "--limit=");
	for (i = 0; i < f->s.n; i++) {
		const struct sweep_run *r = &f->s.runs[i];

		if (r->status == SWEEP_DONE)
			continue;
		snprintf(name, sizeof(name), "%s.json", r->dir);
		unlinkat(dfd, name, 0);
		snprintf(name, sizeof(name), "%s.tar", r->dir);
		unlinkat(dfd, name, 0);
		cJSON_AddItemToObject(hosts, r->value, host_vars(f, i));
		snprintf(limit + strlen(limit), len - strlen(limit), "%s%s",
			 limit[strlen(limit) - 1] == '=' ? "" : ",", r->value);
	}
	close(dfd);
	cJSON_AddStringToObject(j, "fleet_dir", f->s.dir);
	snprintf(path, sizeof(path), "%s/tree.tar.gz", meta);
	cJSON_AddStringToObject(j, "fleet_tree", path);
	cJSON_AddNumberToObject(j, "fleet_async", ASYNC_S);
	cJSON_AddNumberToObject(j, "fleet_poll", f->poll_s);
	cJSON_AddBoolToObject(j, "fleet_clean", f->clean);
	ret = results_write_json(meta, "vars.json", j);
	cJSON_Delete(j);
	if (ret)
		snprintf(err, errlen, "cannot write %s/vars.json", meta);
	return ret;
}

/*
 * Until ansible-playbook exits: 0; 130 when *@stop was set. Ctrl-C reached it
 * as well (our process group); SIGINT is what makes it stop its workers and
 * their ssh itself, so it gets that and a while before SIGKILL.
 */
static int wait_playbook(pid_t pid, volatile sig_atomic_t *stop, int *status)
{
	double end = bpfcost_now() + ASYNC_S + 3600;

	while (waitpid(pid, status, WNOHANG) != pid) {
		if (*stop || bpfcost_now() > end) {
			kill(pid, SIGINT);
			spawn_wait(pid, 30, NULL, status);
			return 130;
		}
		poll(NULL, 0, 100);
	}
	return *stop ? 130 : 0;
}

int fleet_play(struct fleet *f, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	char meta[PATH_MAX + 16], vars[PATH_MAX + 48], book[PATH_MAX + 48], cfg[PATH_MAX + 48];
	char forks[16];
	char limit[SWEEP_MAX * SWEEP_NAME_MAX + 16], why[128];
	/* --limit=<hosts> in one word: a host named "-x" is never read as an option. */
	char *argv[] = { "ansible-playbook", "-i", f->inventory, "-e", vars, limit, book, NULL };
	struct spawn_opts o;
	pid_t pid;
	int status = 0;

	snprintf(meta, sizeof(meta), "%s/.fleet", f->s.dir);
	snprintf(vars, sizeof(vars), "@%s/vars.json", meta);
	snprintf(book, sizeof(book), "%s/experiments/fleet/fleet.yml", f->root);
	snprintf(cfg, sizeof(cfg), "%s/experiments/fleet/ansible.cfg", f->root);
	if (write_vars(f, meta, limit, sizeof(limit), err, errlen))
		return -1;
	if (!strcmp(limit, "--limit="))
		return 0;
	/* Our ansible.cfg (no lingering ssh master), whatever the caller's folder has. */
	setenv("ANSIBLE_CONFIG", cfg, 1);
	if (f->forks) {
		snprintf(forks, sizeof(forks), "%d", f->forks);
		setenv("ANSIBLE_FORKS", forks, 1);
	}
	spawn_opts_init(&o);
	o.stdout_fd = o.stderr_fd = SPAWN_INHERIT;
	pid = spawn(argv, &o);
	if (pid < 0) {
		snprintf(err, errlen, "cannot start ansible-playbook: %s", strerror(errno));
		return -1;
	}
	if (wait_playbook(pid, stop, &status))
		return 130;
	/* Its exit says some host failed; each host's own outcome is in its file. */
	if (!WIFEXITED(status) ||
	    (WEXITSTATUS(status) && WEXITSTATUS(status) != 2 && WEXITSTATUS(status) != 4))
		fprintf(stderr, "bpfcost-fleet: ansible-playbook ended with %s\n",
			spawn_status_str(status, why, sizeof(why)));
	return 0;
}

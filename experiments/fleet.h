/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfcost-fleet: the same experiment on every host of an Ansible inventory,
 * through experiments/fleet/fleet.yml, into a sweep folder of kind "fleet"
 * over "host" (sweep.h): results/<time>-<matrix>-fleet/<host>/ per done host.
 * Inventory host names, their variables and whatever a host sends back are
 * hostile input.
 */
#ifndef BPFCOST_FLEET_H
#define BPFCOST_FLEET_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sweep.h"

struct cJSON;

/* The make settings a host's `make experiment` gets: command-line defaults, bpfcost_<lower> per
 * host. */
extern const char *const fleet_setting_names[];

struct fleet_host_cfg {
	char workdir[PATH_MAX]; /* bpfcost_workdir: the working copy on the host */
	bool skip_deps;		/* bpfcost_deps=skip */
	struct cJSON *settings; /* owned: NAME -> value, the defaults with this host's overrides */
};

struct fleet {
	struct sweep s; /* kind "fleet", variable "host"; s.settings: the defaults */
	struct fleet_host_cfg cfg[SWEEP_MAX];
	char inventory[PATH_MAX];
	char root[PATH_MAX]; /* the project: the tree packed, experiments/fleet/ */
	char commit[64];     /* what was packed: a commit, "-dirty" when the tree differs */
	int forks;	     /* 0: Ansible's default */
	int poll_s;	     /* how often a host's run is polled */
	bool clean;
};

/*
 * Read the inventory's hosts (ansible-inventory --list) into f->s.runs (a new
 * fleet) or check them against it (@resume), with each host's settings.
 * 0, 2 (BPFCOST_EXIT_USAGE) for a bad inventory, name or value, with @err.
 */
int fleet_inventory(struct fleet *f, bool resume, char *err, size_t errlen);

/* A setting's value is one line of printable text; the target and workload ones exist. */
int fleet_setting_check(const char *name, const char *value, char *err, size_t errlen);

/* <f->s.dir>/.fleet/tree.tar.gz from git: tracked files and untracked probes; sets f->commit. */
int fleet_pack(struct fleet *f, char *err, size_t errlen);

/*
 * Run the playbook on the hosts not done (vars.json written first). Returns
 * 0 when it ran (the hosts' own outcomes are in .fleet/<host>.json), 130 when
 * stopped, -1 with @err when it could not start.
 */
int fleet_play(struct fleet *f, volatile sig_atomic_t *stop, char *err, size_t errlen);

/* Read each host's outcome and bring done hosts' results into <dir>/<host>/; updates statuses. */
void fleet_collect(struct fleet *f);

/*
 * Extract the tar @tar into the new folder @dest (created; must not exist):
 * every member checked first (regular files and folders only, plain relative
 * names, no '..'), files created without following links. 0, or -1 with @err.
 */
int fleet_untar(const char *tar, const char *dest, char *err, size_t errlen);

/* The remote results folder of host @i: <workdir>/results/<fleet folder's name>. */
void fleet_remote_folder(const struct fleet *f, int i, char *out, size_t len);

#endif /* BPFCOST_FLEET_H */

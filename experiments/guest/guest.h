/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host side of the bpfcost QEMU guest: boot it, talk to its agent over
 * virtio-serial, tell a client where the guest's server is, and make sure QEMU and
 * any tap device are gone afterwards, whatever happened.
 */
#ifndef BPFCOST_GUEST_H
#define BPFCOST_GUEST_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct cJSON;
struct guest;

struct guest_config {
	const char *kernel;   /* bzImage; default $BPFCOST_OUT/guest/<name>/bzImage (guest_files) */
	const char *initrd;   /* default $BPFCOST_OUT/guest/<name>/initramfs.cpio.gz */
	const char *accel;    /* "auto" (KVM if it really boots, else TCG), "kvm", "tcg" */
	int vcpus;	      /* default 2 */
	int mem_mb;	      /* default 512 */
	const char *topology; /* "user" (slirp, forwarded localhost port) or "tap" */
	int boot_timeout_s;   /* per boot attempt; default 120 (TCG on a busy host) */
	const char *log_path; /* guest console; NULL: a temporary file removed on stop */
	const char *qemu;     /* default qemu-system-x86_64; tests name a stand-in */
	const char *kvm_dev;  /* opened to decide whether to try KVM; default /dev/kvm */
	bool icount;	      /* TCG with -icount shift=0,sleep=off: guest ns = instructions */
	int server_port;      /* a guest server's port a host client reaches; 0: none */
	volatile sig_atomic_t *stop; /* when set, a boot or an agent call gives up at once */
};

void guest_config_defaults(struct guest_config *c);

/*
 * A guest's files: $BPFCOST_OUT/guest/@name/{bzImage,initramfs.cpio.gz}, as
 * `make guest` builds them (@name: the kernel's release, or own-...). @name
 * NULL or "": $BPFCOST_GUEST_KERNEL, else the one guest built. 0 with the
 * paths (static storage, until the next call) and the name, or -1 with @err
 * naming what is built and how to build the one asked for.
 */
int guest_files(const char *name, const char **kernel, const char **initrd, const char **chosen,
		char *err, size_t errlen);
/* 0 if @name can name a guest folder (a plain name, no path), else -1 with @err. */
int guest_name_check(const char *name, char *err, size_t errlen);

/* Boot and wait for the agent. On failure *out is NULL and @err says why. */
int guest_start(const struct guest_config *c, struct guest **out, char *err, size_t errlen);

/* Where a host client connects to reach the guest's server on config's server_port. */
const char *guest_server_host(const struct guest *g);
int guest_server_port(const struct guest *g);
/* The guest's own IPv4 address (its servers bind it). */
const char *guest_addr(const struct guest *g);

/*
 * One request, one reply. Returns the reply (caller frees with cJSON_Delete),
 * or NULL with @err set on timeout or I/O error.
 */
struct cJSON *guest_call(struct guest *g, const struct cJSON *req, int timeout_s, char *err,
			 size_t errlen);

/* Seconds from QEMU's start to the guest's ready marker. */
double guest_boot_seconds(const struct guest *g);
/* "kvm" or "tcg": what really ran. */
const char *guest_accel(const struct guest *g);
/* Why "auto" did not use KVM ("" when it did or was not asked to). */
const char *guest_accel_note(const struct guest *g);
const char *guest_topology(const struct guest *g);
/* Whether guest time counts instructions (-icount). */
bool guest_icount(const struct guest *g);
/* QEMU's pid (0 when it is gone); its threads are named ("CPU 0/TCG", "ALL CPUs/TCG"). */
int guest_qemu_pid(const struct guest *g);

/* QEMU's first complaint in the log at @path, as one line ("" if none). */
void guest_first_complaint(const char *path, char *buf, size_t n);

/* Idempotent and NULL-safe: QEMU gone, tap gone, temporary files gone. */
void guest_stop(struct guest *g);
/* guest_stop() and free @g. NULL-safe. */
void guest_free(struct guest *g);

#endif /* BPFCOST_GUEST_H */

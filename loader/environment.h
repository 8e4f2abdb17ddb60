/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a kernel's environment does to a measurement, recorded in every
 * manifest for the host (the runner) and the target (the agent): CPU
 * mitigations, the command line, BPF JIT settings, CPU governor, SMT, turbo,
 * clock source. Each value is a plain string of printable characters cut to a
 * fixed length, or null where it cannot be read, so a manifest read back
 * holds nothing longer or stranger than this writes.
 */
#ifndef BPFCOST_ENVIRONMENT_H
#define BPFCOST_ENVIRONMENT_H

struct cJSON;

/* Longest value recorded (the command line's: ENV_CMDLINE_MAX), in bytes. */
#define ENV_VALUE_MAX	256
#define ENV_CMDLINE_MAX 1024
/* Files of /sys/devices/system/cpu/vulnerabilities/ recorded at most. */
#define ENV_VULNERABILITIES_MAX 48

/* Adds "environment": {...} to @obj, read under @root ("" or NULL: "/"; tests pass a fake tree). */
void environment_record(struct cJSON *obj, const char *root);

/*
 * The first line of @path (under @root), at most @max - 1 bytes, every byte
 * outside printable ASCII a '?'. 0, or -1 when it cannot be read.
 */
int environment_read_line(const char *root, const char *path, char *buf, size_t max);

#endif /* BPFCOST_ENVIRONMENT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfcost guest agent: serves one JSON request per line on a virtio-serial
 * port, out of band of the network being measured. Each command is a handler
 * that turns a request object into a reply object.
 */
#ifndef BPFCOST_AGENT_H
#define BPFCOST_AGENT_H

#include <stdbool.h>

struct cJSON;

/* Reply helpers: every reply carries "ok". */
struct cJSON *agent_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct cJSON *agent_ok(void);

/* {"cmd":"info"}: kernel release, config flags, CPUs, kprobes/list. */
struct cJSON *agent_info(const struct cJSON *req);

/* {"cmd":"snmp"}: UDP counters of /proc/net/snmp and /proc/net/snmp6. */
struct cJSON *agent_snmp(const struct cJSON *req);

/* {"cmd":"attach"|"read"|"detach"}: at most one attachment at a time. */
struct cJSON *agent_attach(const struct cJSON *req);
struct cJSON *agent_read(const struct cJSON *req);
struct cJSON *agent_detach(const struct cJSON *req);
bool agent_attached(void);

/* {"cmd":"exec","argv":[...],"timeout_s":N}: a diagnostic command's output. */
struct cJSON *agent_exec(const struct cJSON *req);

/*
 * {"cmd":"bind","comm":NAME,"server_cpu":N,"irq_cpu":N}: the process named
 * NAME (the workload's server) on one CPU, the virtio-net queue interrupts
 * on another; replies with what it read back.
 */
struct cJSON *agent_bind(const struct cJSON *req);

/*
 * {"cmd":"serve","argv":[...],"port":N,"proto":"tcp"|"udp"}: start a
 * workload's server here, reply with its pid once it listens on @port.
 */
struct cJSON *agent_serve(const struct cJSON *req);

/* Prefix of every /proc and /sys path the agent writes to: "" (fuzzing: elsewhere). */
const char *agent_sysroot(void);

/* Dispatch one request line; never NULL. */
struct cJSON *agent_handle(const char *line);

#endif /* BPFCOST_AGENT_H */
